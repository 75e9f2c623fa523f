//! The records of pictures and files: uploads under way, what each account keeps, and the
//! finished attachments a message may name. The bytes are in the shell's blob store; these
//! records say which blobs belong to what, and are written only after their blobs are
//! finished, so no record points at bytes that were never kept.

use webim_proto::{AccountId, Timestamp};

use super::Db;
use crate::blob::{BlobId, Upload, Variant, Wanted};
use crate::store::{Direction, KeyRange, StoreError, Table, Tx};

/// One upload under way.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UploadRec {
    /// The blob its bytes go to; the attachment's UUID once finished.
    pub blob: BlobId,
    /// Whom it is for.
    pub to: AccountId,
    /// When it began (an upload left for [`UPLOAD_LIFETIME_SECS`] is given up).
    pub started: Timestamp,
    /// What it declared and what has come.
    pub upload: Upload,
}

impl UploadRec {
    /// Every blob this upload may have made: its own bytes and, were it a picture, the
    /// three sizes kept under ids made from them ([`BlobId::for_size`]).
    pub fn blobs(&self) -> [BlobId; 4] {
        [
            self.blob.clone(),
            self.blob.for_size(Variant::Original),
            self.blob.for_size(Variant::Large),
            self.blob.for_size(Variant::Small),
        ]
    }
}

/// How long an upload may take before it is given up and its bytes removed.
pub const UPLOAD_LIFETIME_SECS: u64 = 60 * 60;

/// One kept blob of an attachment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PartRec {
    /// Which variant it is.
    pub variant: Variant,
    /// Where its bytes are.
    pub blob: BlobId,
    /// Its bytes.
    pub size: u64,
    /// A picture's width in pixels (0 for a file).
    pub width: u32,
    /// A picture's height in pixels (0 for a file).
    pub height: u32,
    /// Its media type (`image/png`…, `application/octet-stream` for a file).
    pub mime: String,
}

/// A finished picture or file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AttachmentRec {
    /// Who uploaded it.
    pub owner: AccountId,
    /// Whom it is for: with the owner, the only reader.
    pub to: AccountId,
    /// A picture or a file.
    pub wanted: Wanted,
    /// Its blobs: a file's one, a picture's three.
    pub parts: Vec<PartRec>,
    /// When it was finished.
    pub finished: Timestamp,
}

impl AttachmentRec {
    /// The blob of `variant`, if kept.
    pub fn part(&self, variant: Variant) -> Option<&PartRec> {
        self.parts.iter().find(|p| p.variant == variant)
    }

    /// Bytes kept in all.
    pub fn size(&self) -> u64 {
        self.parts.iter().map(|p| p.size).sum()
    }

    /// True if `reader` is one of its two people.
    pub fn readable_by(&self, reader: &AccountId) -> bool {
        *reader == self.owner || *reader == self.to
    }
}

fn upload_key(owner: &AccountId, name: &str) -> String {
    format!("{owner}/{name}")
}

impl<T: Tx> Db<'_, T> {
    /// `owner`'s upload `name`, if under way.
    pub async fn upload(
        &self,
        owner: &AccountId,
        name: &str,
    ) -> Result<Option<UploadRec>, StoreError> {
        self.read(Table::Uploads, &upload_key(owner, name)).await
    }

    /// Writes `owner`'s upload `name`.
    pub async fn put_upload(
        &self,
        owner: &AccountId,
        name: &str,
        rec: &UploadRec,
    ) -> Result<(), StoreError> {
        self.write(Table::Uploads, &upload_key(owner, name), rec)
            .await
    }

    /// Forgets `owner`'s upload `name`.
    pub async fn delete_upload(&self, owner: &AccountId, name: &str) -> Result<(), StoreError> {
        self.tx
            .delete(Table::Uploads, &upload_key(owner, name))
            .await
    }

    /// Up to `limit` of `owner`'s uploads under way, by name.
    pub async fn uploads(
        &self,
        owner: &AccountId,
        limit: usize,
    ) -> Result<Vec<(String, UploadRec)>, StoreError> {
        let prefix = format!("{owner}/");
        let all = self
            .scan(
                Table::Uploads,
                &KeyRange::prefix(&prefix),
                Direction::Forward,
                limit,
            )
            .await?;
        Ok(all
            .into_iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(&prefix)?.to_owned(), v)))
            .collect())
    }

    /// The bytes `owner` keeps: finished attachments, and what uploads under way declared.
    pub async fn kept_bytes(&self, owner: &AccountId) -> Result<u64, StoreError> {
        Ok(self
            .read(Table::Uploads, owner.as_str())
            .await?
            .unwrap_or(0))
    }

    /// Sets the bytes `owner` keeps.
    pub async fn put_kept_bytes(&self, owner: &AccountId, bytes: u64) -> Result<(), StoreError> {
        self.write(Table::Uploads, owner.as_str(), &bytes).await
    }

    /// The attachment `uuid`, if finished.
    pub async fn attachment(&self, uuid: &BlobId) -> Result<Option<AttachmentRec>, StoreError> {
        self.read(Table::Attachments, uuid.as_str()).await
    }

    /// Writes the attachment `uuid`.
    pub async fn put_attachment(
        &self,
        uuid: &BlobId,
        rec: &AttachmentRec,
    ) -> Result<(), StoreError> {
        self.write(Table::Attachments, uuid.as_str(), rec).await
    }

    /// Every blob any record names (uploads under way and attachments), for a reset.
    pub async fn every_blob(&self) -> Result<Vec<BlobId>, StoreError> {
        let everything = KeyRange {
            start: std::ops::Bound::Unbounded,
            end: std::ops::Bound::Unbounded,
        };
        let uploads = self
            .tx
            .scan(Table::Uploads, &everything, Direction::Forward, usize::MAX)
            .await?;
        let mut blobs: Vec<BlobId> = uploads
            .iter()
            .filter_map(|(_, v)| serde_json::from_str::<UploadRec>(v).ok())
            .flat_map(|u| u.blobs())
            .collect();
        let attachments: Vec<(String, AttachmentRec)> = self
            .scan(
                Table::Attachments,
                &everything,
                Direction::Forward,
                usize::MAX,
            )
            .await?;
        blobs.extend(
            attachments
                .into_iter()
                .flat_map(|(_, a)| a.parts.into_iter().map(|p| p.blob)),
        );
        Ok(blobs)
    }
}
