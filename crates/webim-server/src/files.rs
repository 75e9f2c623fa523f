//! The server's half of pictures and files ([`webim_service::blob::Files`]): bytes in the
//! data directory beside SQLite or in the PostgreSQL database, pictures examined on a
//! blocking thread (a few at a time, `--picture-workers`), ids from the system's random
//! source, and addresses signed for their reader (`tickets`), valid for a day and the same
//! for an hour so a browser's cache keeps them.

use std::ops::Range;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::Semaphore;
use webim_proto::{AccountId, Timestamp};
use webim_service::blob::{
    BlobError, BlobId, BlobStore, Examined, Files, Limits, PictureFormat, ReaderKey, Variant,
};
use webim_service::store::StoreError;

use crate::blobs::{FileBlobs, PgBlobs};
use crate::pictures::{PictureError, PictureLimits, examine};
use crate::tickets::{self, Grant};
use crate::usersig::SigKey;

/// How long a download address is valid, at least.
pub const LINK_SECS: u64 = 24 * 60 * 60;
/// Addresses written within this window are the same (cacheable).
const LINK_WINDOW_SECS: u64 = 60 * 60;
/// The longest a picture waits for a free examining thread.
const EXAMINE_WAIT: Duration = Duration::from_secs(30);

/// When an address or key written at `now` expires: at least [`LINK_SECS`] on, and the
/// same for every one written within a [`LINK_WINDOW_SECS`] window.
fn expiry(now: Timestamp) -> u64 {
    (now.0 / LINK_WINDOW_SECS + 1) * LINK_WINDOW_SECS + LINK_SECS
}

/// Where the server's blobs are.
#[derive(Debug, Clone)]
pub enum ServerBlobs {
    /// Files under the data directory.
    Files(FileBlobs),
    /// Rows of the PostgreSQL database.
    Postgres(PgBlobs),
}

macro_rules! each {
    ($self:ident, $b:ident => $e:expr) => {
        match $self {
            Self::Files($b) => $e,
            Self::Postgres($b) => $e,
        }
    };
}

impl BlobStore for ServerBlobs {
    async fn write(&self, id: &BlobId, offset: u64, bytes: &[u8]) -> Result<(), StoreError> {
        each!(self, b => b.write(id, offset, bytes).await)
    }

    async fn finish(&self, id: &BlobId) -> Result<(), StoreError> {
        each!(self, b => b.finish(id).await)
    }

    async fn size(&self, id: &BlobId) -> Result<Option<u64>, StoreError> {
        each!(self, b => b.size(id).await)
    }

    async fn read(&self, id: &BlobId, range: Range<u64>) -> Result<Option<Vec<u8>>, StoreError> {
        each!(self, b => b.read(id, range).await)
    }

    async fn remove(&self, id: &BlobId) -> Result<(), StoreError> {
        each!(self, b => b.remove(id).await)
    }
}

/// How the server keeps pictures and files.
#[derive(Debug, Clone)]
pub struct ServerFiles {
    blobs: ServerBlobs,
    key: SigKey,
    limits: Limits,
    pictures: PictureLimits,
    examining: Arc<Semaphore>,
    base: Arc<OnceLock<String>>,
}

impl ServerFiles {
    /// Pictures and files in `blobs`, addresses signed with `key`; at most `workers`
    /// pictures examined at once.
    pub fn new(blobs: ServerBlobs, key: SigKey, limits: Limits, workers: usize) -> Self {
        Self {
            blobs,
            key,
            limits,
            pictures: PictureLimits::default(),
            examining: Arc::new(Semaphore::new(workers.max(1))),
            base: Arc::default(),
        }
    }

    /// Addresses start with `base` (the server's public origin) from now on; until then
    /// they are relative to the page's own origin.
    pub fn set_base(&self, base: &str) {
        let _ = self.base.set(base.trim_end_matches('/').to_owned());
    }

    /// The signing key (for the download route's check).
    pub fn key(&self) -> &SigKey {
        &self.key
    }
}

fn refused(e: PictureError) -> BlobError {
    match e {
        PictureError::TooLarge { width, height } => BlobError::PictureTooLarge { width, height },
        PictureError::Unreadable(_) => BlobError::NotAPicture,
    }
}

/// The path of a download address, with its query.
pub fn download_path(reader: &AccountId, uuid: &BlobId, variant: Variant, ticket: &str) -> String {
    format!(
        "/webim/blob/{uuid}/{}?reader={reader}&t={ticket}",
        variant.name()
    )
}

impl Files for ServerFiles {
    type Blobs = ServerBlobs;

    fn blobs(&self) -> &ServerBlobs {
        &self.blobs
    }

    fn limits(&self) -> Limits {
        self.limits
    }

    fn fresh_id(&self) -> BlobId {
        let mut random = [0u8; 16];
        // The system's random source failing is a broken machine; an id from the clock
        // and a counter would still be unique, but guessable, so the process stops.
        #[allow(clippy::expect_used)]
        getrandom::fill(&mut random).expect("the system's random source");
        BlobId::from_random(random)
    }

    async fn examine(&self, bytes: Vec<u8>, format: PictureFormat) -> Result<Examined, BlobError> {
        // Waiting too long for a thread is "try again", not "not a picture".
        let Ok(Ok(_permit)) =
            tokio::time::timeout(EXAMINE_WAIT, self.examining.clone().acquire_owned()).await
        else {
            return Err(BlobError::Busy);
        };
        let limits = self.pictures;
        tokio::task::spawn_blocking(move || examine(&bytes, format, &limits))
            .await
            .map_err(|_| BlobError::Busy)?
            .map_err(refused)
    }

    fn link(&self, reader: &AccountId, uuid: &BlobId, variant: Variant, now: Timestamp) -> String {
        let expires = expiry(now);
        let grant = Grant {
            reader,
            blob: uuid,
            variant,
        };
        let ticket = tickets::mint(&self.key, &grant, expires);
        let base = self.base.get().map(String::as_str).unwrap_or_default();
        format!("{base}{}", download_path(reader, uuid, variant, &ticket))
    }

    /// 1.7 builds `http://{host}/asn.com/stddownload_common_file?authkey=…`: the host is
    /// this server's (known once it has an absolute base), the key the reader's.
    fn reader_key(&self, reader: &AccountId, now: Timestamp) -> Option<ReaderKey> {
        let base = self.base.get()?;
        let host = base.split_once("://").map_or(base.as_str(), |(_, h)| h);
        let expires = expiry(now);
        Some(ReaderKey {
            key: tickets::mint_reader(&self.key, reader, expires),
            hosts: vec![host.to_owned()],
            expires: Timestamp(expires),
        })
    }
}
