//! What a shell gives the service for pictures and files, as one trait: where the bytes
//! live, how a picture is examined (the server decodes it with an image crate on a
//! blocking thread, the browser with its own decoder), how a reader is sent to fetch one
//! (a signed address on the server), and fresh ids (randomness stays in the shell).

use std::ops::Range;

use webim_proto::{AccountId, Timestamp};

#[cfg(any(test, feature = "testing"))]
use super::MemoryBlobs;
use super::{BlobError, BlobId, BlobStore, Examined, Limits, PictureFormat, Variant};
use crate::store::StoreError;

/// A reader's key for the file addresses webim.js 1.7 builds itself (`openim/authkey`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderKey {
    /// The key (`AuthKey`).
    pub key: String,
    /// The hosts 1.7 puts before its address (`IpList`).
    pub hosts: Vec<String>,
    /// When the key expires.
    pub expires: Timestamp,
}

/// The shell's half of pictures and files.
pub trait Files {
    /// Where blobs' bytes live.
    type Blobs: BlobStore;
    /// The blob store.
    fn blobs(&self) -> &Self::Blobs;
    /// What one account may upload.
    fn limits(&self) -> Limits;
    /// A fresh, unguessable blob id.
    fn fresh_id(&self) -> BlobId;
    /// The picture `bytes` (of `format` by its signature) examined: decoded within the
    /// shell's bounds, cleaned of metadata, with its two thumbnails. A picture that cannot
    /// be read, or is too large, is refused.
    async fn examine(&self, bytes: Vec<u8>, format: PictureFormat) -> Result<Examined, BlobError>;
    /// The address at which `reader` fetches `variant` of the attachment `uuid`, written
    /// at `now` (the service has checked that `reader` is one of its two people).
    fn link(&self, reader: &AccountId, uuid: &BlobId, variant: Variant, now: Timestamp) -> String;
    /// `reader`'s key for 1.7's own file addresses, if this shell serves them.
    fn reader_key(&self, _reader: &AccountId, _now: Timestamp) -> Option<ReaderKey> {
        None
    }
}

/// No pictures or files: every upload is refused (its size is over the limit of none),
/// and no blob is ever kept. For a shell that does not keep them, and for tests of
/// everything else.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFiles;

impl BlobStore for NoFiles {
    async fn write(&self, _: &BlobId, _: u64, _: &[u8]) -> Result<(), StoreError> {
        Err(StoreError::new("this service keeps no pictures or files"))
    }

    async fn finish(&self, _: &BlobId) -> Result<(), StoreError> {
        Ok(())
    }

    async fn size(&self, _: &BlobId) -> Result<Option<u64>, StoreError> {
        Ok(None)
    }

    async fn read(&self, _: &BlobId, _: Range<u64>) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(None)
    }

    async fn remove(&self, _: &BlobId) -> Result<(), StoreError> {
        Ok(())
    }
}

impl Files for NoFiles {
    type Blobs = NoFiles;

    fn blobs(&self) -> &NoFiles {
        self
    }

    fn limits(&self) -> Limits {
        Limits {
            max_picture: 0,
            max_file: 0,
            max_slice: 0,
            per_account: 0,
        }
    }

    fn fresh_id(&self) -> BlobId {
        BlobId::from_random([0; 16])
    }

    async fn examine(&self, _: Vec<u8>, _: PictureFormat) -> Result<Examined, BlobError> {
        Err(BlobError::NotAPicture)
    }

    fn link(&self, _: &AccountId, _: &BlobId, _: Variant, _: Timestamp) -> String {
        String::new()
    }
}

/// The test double: blobs in memory, ids from a counter, addresses that say what they
/// open, and a picture step that reads only the header (bounds checked as a shell's
/// would) and keeps the bytes as sent in all three sizes.
#[cfg(any(test, feature = "testing"))]
#[derive(Debug, Clone, Default)]
pub struct TestFiles {
    /// The blobs, shared with the test.
    pub blobs: MemoryBlobs,
    /// The limits, `Limits::default()` unless a test sets them.
    pub limits: Option<Limits>,
    next: std::rc::Rc<std::cell::Cell<u64>>,
}

#[cfg(any(test, feature = "testing"))]
impl TestFiles {
    /// The double with these limits.
    pub fn with_limits(limits: Limits) -> Self {
        Self {
            limits: Some(limits),
            ..Self::default()
        }
    }
}

#[cfg(any(test, feature = "testing"))]
impl Files for TestFiles {
    type Blobs = MemoryBlobs;

    fn blobs(&self) -> &MemoryBlobs {
        &self.blobs
    }

    fn limits(&self) -> Limits {
        self.limits.unwrap_or_default()
    }

    fn fresh_id(&self) -> BlobId {
        let n = self.next.get() + 1;
        self.next.set(n);
        let mut random = [0x5a; 16];
        // Counted in the digit above the last, which a picture's sizes change.
        random[8..].copy_from_slice(&(n << 4).to_be_bytes());
        BlobId::from_random(random)
    }

    async fn examine(&self, bytes: Vec<u8>, format: PictureFormat) -> Result<Examined, BlobError> {
        let (width, height) = super::dimensions(&bytes, format).ok_or(BlobError::NotAPicture)?;
        super::PictureBounds::default().check((width, height))?;
        let sized = |side| {
            let (width, height) = super::thumbnail_size((width, height), side);
            super::Rendition {
                bytes: bytes.clone(),
                format,
                width,
                height,
            }
        };
        Ok(Examined {
            original: sized(u32::MAX),
            large: sized(super::LARGE_SIDE),
            small: sized(super::SMALL_SIDE),
        })
    }

    fn link(&self, reader: &AccountId, uuid: &BlobId, variant: Variant, now: Timestamp) -> String {
        format!("test://{reader}/{uuid}/{}@{}", variant.name(), now.0)
    }
}
