//! The in-browser service's half of pictures and files ([`webim_service::blob::Files`]):
//! bytes in the origin's IndexedDB beside the tables, pictures examined by the browser's
//! own decoder (`pictures`), ids from the browser's `crypto.getRandomValues`, and
//! addresses of the form `webim-local:{uuid}/{variant}`, which a page of this origin
//! resolves by asking the worker for the bytes (`ToWorker::Download`): there is no server
//! to fetch them from, and every page here is the account's own.

use wasm_bindgen::JsCast;
use webim_proto::{AccountId, Timestamp};
use webim_service::blob::{
    BlobError, BlobId, Examined, Files, Limits, PictureBounds, PictureFormat, Variant,
};

use crate::idb_blobs::IdbBlobs;
use crate::pictures::{PictureError, examine};

pub use crate::LOCAL_SCHEME;

/// The worker's pictures and files.
#[derive(Debug, Clone)]
pub struct WorkerFiles {
    blobs: IdbBlobs,
}

impl WorkerFiles {
    /// Pictures and files in `blobs`.
    pub fn new(blobs: IdbBlobs) -> Self {
        Self { blobs }
    }
}

/// The random bytes of the browser's `crypto` (a worker's or a page's).
fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into())
        .ok()
        .and_then(|c| c.dyn_into::<web_sys::Crypto>().ok());
    if let Some(crypto) = crypto {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    // No crypto at all (no browser has none): the clock and Math.random, unique enough
    // for ids that only this origin's own pages ever see.
    if bytes == [0; 16] {
        let mixed = js_sys::Date::now().to_bits() ^ (js_sys::Math::random().to_bits() << 1);
        bytes[..8].copy_from_slice(&mixed.to_le_bytes());
        bytes[8..].copy_from_slice(&js_sys::Math::random().to_bits().to_le_bytes());
    }
    bytes
}

impl Files for WorkerFiles {
    type Blobs = IdbBlobs;

    fn blobs(&self) -> &IdbBlobs {
        &self.blobs
    }

    fn limits(&self) -> Limits {
        Limits::default()
    }

    fn fresh_id(&self) -> BlobId {
        BlobId::from_random(random_bytes())
    }

    async fn examine(&self, bytes: Vec<u8>, format: PictureFormat) -> Result<Examined, BlobError> {
        examine(&bytes, format, &PictureBounds::default())
            .await
            .map_err(|e| match e {
                PictureError::TooLarge { width, height } => {
                    BlobError::PictureTooLarge { width, height }
                }
                PictureError::Unreadable(_) => BlobError::NotAPicture,
            })
    }

    fn link(&self, _: &AccountId, uuid: &BlobId, variant: Variant, _: Timestamp) -> String {
        format!("{LOCAL_SCHEME}{uuid}/{}", variant.name())
    }
}

/// The attachment and variant a local address names.
pub fn parse_local(url: &str) -> Option<(BlobId, Variant)> {
    let (uuid, variant) = url.strip_prefix(LOCAL_SCHEME)?.split_once('/')?;
    Some((BlobId::parse(uuid)?, Variant::parse(variant)?))
}
