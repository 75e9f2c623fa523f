//! Pictures and files: what may come in ([`rules`], pure) and where their bytes live
//! ([`BlobStore`], one narrow trait beside the service's [`Store`](crate::store::Store):
//! a shell keeps bytes its own way, a file beside the database or rows of PostgreSQL).
//! Every blob store passes [`conformance`].
#![allow(async_fn_in_trait)] // one thread in the browser; the server's stores are Send

pub mod clean;
#[cfg(any(test, feature = "testing"))]
pub mod conformance;
mod dimensions;
mod files;
mod memory;
pub mod rules;
#[cfg(any(test, feature = "testing"))]
pub mod samples;

pub use dimensions::dimensions;
#[cfg(any(test, feature = "testing"))]
pub use files::TestFiles;
pub use files::{Files, NoFiles, ReaderKey};
pub use memory::MemoryBlobs;
pub use rules::{
    BlobError, Kind, LARGE_SIDE, Limits, PictureBounds, PictureFormat, Progress, SMALL_SIDE,
    Upload, Wanted, sniff, thumbnail_size,
};

use std::ops::Range;

use crate::store::StoreError;

/// One size of a picture, ready to keep: what a shell's picture step makes (the server's
/// with the image crate, the browser's with its canvas).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendition {
    /// The encoded bytes.
    pub bytes: Vec<u8>,
    /// How they are encoded.
    pub format: PictureFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Which variant of an attachment an address opens: the picture as kept or the file, or
/// a picture's thumbnail.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    /// The picture as kept, or the file.
    Original,
    /// The large thumbnail.
    Large,
    /// The small thumbnail.
    Small,
}

impl Variant {
    /// Its name in an address.
    pub fn name(self) -> &'static str {
        match self {
            Self::Original => "original",
            Self::Large => "large",
            Self::Small => "small",
        }
    }

    /// The variant an address names.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Original, Self::Large, Self::Small]
            .into_iter()
            .find(|r| r.name() == name)
    }
}

/// A picture as kept: the original, cleaned, and its two thumbnails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Examined {
    /// The picture itself, cleaned.
    pub original: Rendition,
    /// The large thumbnail.
    pub large: Rendition,
    /// The small thumbnail.
    pub small: Rendition,
}

/// A blob's id: 32 lowercase hex digits (128 random bits), safe as a file name and in a
/// URL.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct BlobId(String);

impl TryFrom<String> for BlobId {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        Self::parse(&text).ok_or_else(|| format!("{text:?} is not a blob id"))
    }
}

impl From<BlobId> for String {
    fn from(id: BlobId) -> Self {
        id.0
    }
}

impl BlobId {
    /// The id of `random` bytes.
    pub fn from_random(random: [u8; 16]) -> Self {
        Self(random.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Reads an id; anything but 32 lowercase hex digits is none.
    pub fn parse(text: &str) -> Option<Self> {
        let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
        (text.len() == 32 && text.chars().all(hex)).then(|| Self(text.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id a picture uploaded as this blob keeps its `variant` under: this id with its
    /// last digit changed, so an upload names every blob it may have made before any
    /// record says so (a crash between keeping the sizes and recording them leaves
    /// nothing that the upload's sweep cannot find). Another random id is this one with
    /// a chance of one in 2^124.
    pub fn for_size(&self, variant: Variant) -> Self {
        let flip = match variant {
            Variant::Original => 1,
            Variant::Large => 2,
            Variant::Small => 3,
        };
        let (head, last) = self.0.split_at(31);
        let digit = u32::from_str_radix(last, 16).unwrap_or(0) ^ flip;
        Self(format!("{head}{digit:x}"))
    }
}

impl std::fmt::Display for BlobId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where blobs' bytes live. A blob is written in order while unfinished, then finished:
/// durable, readable, never written again. Finishing comes before the record that points
/// at the blob commits, so a crash in between leaves at most a blob nothing points at,
/// never a message pointing at missing bytes.
pub trait BlobStore {
    /// Writes `bytes` at `offset` of the unfinished blob `id`; the write at offset 0
    /// creates it. A write anywhere but at the blob's end is refused.
    async fn write(&self, id: &BlobId, offset: u64, bytes: &[u8]) -> Result<(), StoreError>;
    /// Finishes the unfinished blob `id` (nothing happens if it is finished already).
    async fn finish(&self, id: &BlobId) -> Result<(), StoreError>;
    /// The finished blob's size, or `None` if there is no finished blob `id`.
    async fn size(&self, id: &BlobId) -> Result<Option<u64>, StoreError>;
    /// The bytes of `range` of the finished blob `id` (fewer at its end), or `None` if
    /// there is no finished blob `id`.
    async fn read(&self, id: &BlobId, range: Range<u64>) -> Result<Option<Vec<u8>>, StoreError>;
    /// Removes `id`, finished or not (nothing happens if there is none).
    async fn remove(&self, id: &BlobId) -> Result<(), StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_a_pictures_sizes_have_ids_of_their_own_named_by_the_upload() {
        let id = BlobId::from_random([0xab; 16]);
        let sizes: Vec<_> = [Variant::Original, Variant::Large, Variant::Small]
            .into_iter()
            .map(|v| id.for_size(v))
            .collect();
        assert_eq!(
            sizes
                .iter()
                .map(BlobId::as_str)
                .map(|s| &s[31..])
                .collect::<Vec<_>>(),
            ["a", "9", "8"]
        );
        assert!(
            sizes
                .iter()
                .all(|s| s != &id && BlobId::parse(s.as_str()).is_some())
        );
    }

    #[test]
    fn test_ids_are_32_lowercase_hex_digits() {
        let id = BlobId::from_random([0xab; 16]);
        assert_eq!(id.as_str(), "ab".repeat(16));
        assert_eq!(BlobId::parse(id.as_str()), Some(id));
        for bad in [
            "",
            "AB".repeat(16).as_str(),
            "../../etc/passwd",
            &"a".repeat(33),
        ] {
            assert_eq!(BlobId::parse(bad), None, "{bad}");
        }
    }
}
