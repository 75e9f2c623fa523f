//! `openpic`: pictures and files on the service side (docs/protocol.md, "Pictures and
//! files"). An upload's slices are checked by [`crate::blob::rules`], their bytes go to
//! the shell's blob store, and the records say where everything stands; a finished
//! picture is examined by the shell and kept cleaned, with two thumbnails. A message may
//! then name the attachment by its UUID, and every reader is given addresses of its own.
//!
//! The order of writes is what keeps the database honest through a crash: bytes are
//! written and finished before the record that names them commits, so at worst a blob is
//! left that nothing names, never a message naming bytes that are not there. And no such
//! blob is lost: an upload's record names every blob it may make (a picture's sizes are
//! kept under ids made from its own), and a given-up upload's bytes go before its record.

use std::collections::BTreeSet;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::future::join3;
use webim_proto::openpic::pic_up::{self, PicType, PkgFlag, UploadKind, UrlInfo};
use webim_proto::{Command, ErrorCode, ImageType};

use crate::blob::{
    BlobError, BlobId, BlobStore, Files, Kind, Limits, PictureFormat, Upload, Variant, Wanted,
};
use crate::db::{AttachmentRec, Db, PartRec, UPLOAD_LIFETIME_SECS, UploadRec};
use crate::service::{Credential, Ctx, Failure, Service, check_caller, refuse};
use crate::store::{Mode, Store, Tx};

/// How many uploads one account may have under way at once.
pub const MAX_UNDER_WAY: usize = 8;
/// The media type of a file: never one a browser would show or run.
pub const FILE_MIME: &str = "application/octet-stream";

/// Where an upload stands before a slice's bytes are written.
enum Stand {
    /// Write the slice to this upload.
    Write(UploadRec),
    /// The slice was taken already; the upload has this many bytes.
    Had(u64),
    /// Uploads given up on hold these blobs: remove them, then ask again (bytes go
    /// before the records that name them, so a crash between leaves nothing unnamed).
    Sweep(BTreeSet<BlobId>),
}

fn refused(e: BlobError) -> Failure {
    let code = match e {
        BlobError::Empty | BlobError::TooLarge { .. } | BlobError::SliceTooLarge { .. } => {
            ErrorCode::UploadTooLarge
        }
        BlobError::OverQuota { .. } => ErrorCode::UploadOverQuota,
        BlobError::OutOfOrder { .. }
        | BlobError::PastTheEnd { .. }
        | BlobError::Truncated { .. } => ErrorCode::UploadOutOfOrder,
        BlobError::PictureTooLarge { .. } | BlobError::NotAPicture => ErrorCode::NotAPicture,
        BlobError::Busy => ErrorCode::ServiceError,
    };
    Failure::Refused(code, e.to_string())
}

fn wanted(kind: UploadKind) -> Result<Wanted, Failure> {
    match kind {
        UploadKind::Picture => Ok(Wanted::Picture),
        UploadKind::File => Ok(Wanted::File),
        other => refuse(
            ErrorCode::InvalidPacket,
            format!(
                "File_Type {}: only pictures (1) and files (2) are kept",
                other.value()
            ),
        ),
    }
}

/// The slice's bytes, its base64 bounded before it is decoded.
fn slice_bytes(req: &pic_up::Request, limits: &Limits) -> Result<Vec<u8>, Failure> {
    if req.pkg_flag != PkgFlag::Base64 {
        return refuse(ErrorCode::InvalidPacket, "PkgFlag must be 1 (base64)");
    }
    let encoded = req.slice_data.len() as u64;
    if encoded > limits.max_slice_base64() {
        return Err(refused(BlobError::SliceTooLarge {
            size: encoded / 4 * 3,
            max: limits.max_slice,
        }));
    }
    let bytes = STANDARD
        .decode(req.slice_data.as_bytes())
        .map_err(|e| Failure::Refused(ErrorCode::InvalidPacket, format!("Slice_Data: {e}")))?;
    if bytes.len() as u64 != req.slice_size {
        return refuse(
            ErrorCode::InvalidPacket,
            format!(
                "Slice_Size says {} bytes; Slice_Data holds {}",
                req.slice_size,
                bytes.len()
            ),
        );
    }
    Ok(bytes)
}

/// The answer to a slice of an upload that is not finished.
fn under_way(next_offset: u64) -> pic_up::Response {
    pic_up::Response {
        is_finish: 0,
        next_offset,
        file_uuid: String::new(),
        url_info: Vec::new(),
        download_flag: None,
    }
}

/// An upload's name among its owner's: its slices repeat `Timestamp`, `Seq` and `Random`.
fn upload_name(req: &pic_up::Request) -> String {
    format!("{}-{}-{}", req.timestamp, req.seq, req.random)
}

mod messages;

pub use messages::{Download, MAX_FILE_NAME};
pub(crate) use messages::{apply_download, check_elems};

fn image_type(variant: Variant) -> ImageType {
    match variant {
        Variant::Original => ImageType::Origin,
        Variant::Large => ImageType::Large,
        Variant::Small => ImageType::Small,
    }
}

impl<S: Store, F: Files> Service<S, F> {
    /// `openpic/pic_up`: takes one slice; the last one finishes the upload.
    pub(crate) async fn pic_up(
        &self,
        ctx: &mut Ctx,
        req: pic_up::Request,
        command: Command,
    ) -> Result<pic_up::Response, Failure> {
        let want = wanted(req.file_type)?;
        let limits = self.files.limits();
        if limits.per_account == 0 {
            return refuse(
                ErrorCode::UploadOverQuota,
                "pictures and files are not kept by this service",
            );
        }
        let bytes = slice_bytes(&req, &limits)?;
        if req.to_account == ctx.me {
            return refuse(
                ErrorCode::InvalidAccount,
                "To_Account must be another account",
            );
        }
        let name = upload_name(&req);
        let offset = req.slice_offset;
        let mut gone = BTreeSet::new();
        let rec = loop {
            match self
                .stand(ctx, &req, want, &name, &bytes, command, &gone)
                .await?
            {
                Stand::Write(rec) => break rec,
                Stand::Had(received) => return Ok(under_way(received)),
                Stand::Sweep(blobs) => {
                    for blob in &blobs {
                        self.files.blobs().remove(blob).await?;
                    }
                    gone.extend(blobs);
                }
            }
        };
        self.files.blobs().write(&rec.blob, offset, &bytes).await?;
        let tx = self.store.begin(Mode::ReadWrite).await?;
        let db = Db::new(&tx);
        let mut now_rec = match db.upload(&ctx.me, &name).await? {
            Some(r) if r.blob == rec.blob => r,
            _ => return refuse(ErrorCode::UploadOutOfOrder, "the upload ended meanwhile"),
        };
        // A twin of this slice that raced it finds the upload moved on, and is refused.
        let progress = now_rec
            .upload
            .slice(offset, &bytes, &limits)
            .map_err(refused)?;
        db.put_upload(&ctx.me, &name, &now_rec).await?;
        tx.commit().await?;
        if !progress.finished {
            return Ok(under_way(progress.next_offset));
        }
        self.finish(ctx, &name, now_rec).await
    }

    /// Where the upload `name` stands before this slice's bytes are written: an upload
    /// under way, or a new one begun (and recorded) only if its first slice passes.
    /// Uploads given up on are swept on the way: their blobs first (`Stand::Sweep`), then,
    /// asked again with those blobs `gone`, their records.
    #[allow(clippy::too_many_arguments)]
    async fn stand(
        &self,
        ctx: &Ctx,
        req: &pic_up::Request,
        want: Wanted,
        name: &str,
        bytes: &[u8],
        command: Command,
        gone: &BTreeSet<BlobId>,
    ) -> Result<Stand, Failure> {
        let limits = self.files.limits();
        let me = &ctx.me;
        let tx = self.store.begin(Mode::ReadWrite).await?;
        let db = Db::new(&tx);
        let who = Credential::of(ctx);
        let (checked, recipient, existing) = join3(
            check_caller(&db, &who, command),
            db.account(&req.to_account),
            db.upload(me, name),
        )
        .await;
        checked?;
        if recipient?.is_none() {
            return refuse(
                ErrorCode::InvalidAccount,
                format!("no account {}", req.to_account),
            );
        }
        let mut sweep = BTreeSet::new();
        let (rec, new) = match existing? {
            Some(rec) => {
                let same = rec.to == req.to_account
                    && rec.upload.wanted() == want
                    && rec.upload.declared() == req.file_size;
                if !same {
                    return refuse(
                        ErrorCode::UploadOutOfOrder,
                        "the slice does not match its upload's recipient, type or size",
                    );
                }
                // The slice just taken, sent again because its answer was lost: taken
                // once, answered again.
                let received = rec.upload.received();
                let end = req.slice_offset.saturating_add(bytes.len() as u64);
                if req.slice_offset < received && end == received {
                    return Ok(Stand::Had(received));
                }
                (rec, false)
            }
            None => {
                let mut kept = db.kept_bytes(me).await?;
                let mut live = 0;
                for (other, up) in db.uploads(me, usize::MAX).await? {
                    if up.started.0.saturating_add(UPLOAD_LIFETIME_SECS) < ctx.now.0 {
                        // Its bytes are gone: its record and its quota go now.
                        if gone.contains(&up.blob) {
                            db.delete_upload(me, &other).await?;
                            kept = kept.saturating_sub(up.upload.declared());
                        } else {
                            sweep.extend(up.blobs());
                        }
                    } else {
                        live += 1;
                    }
                }
                if !sweep.is_empty() {
                    return Ok(Stand::Sweep(sweep));
                }
                if live >= MAX_UNDER_WAY {
                    return refuse(
                        ErrorCode::UploadOverQuota,
                        format!("{live} uploads are under way; finish one first"),
                    );
                }
                let upload = Upload::start(want, req.file_size, kept, &limits).map_err(refused)?;
                db.put_kept_bytes(me, kept + upload.declared()).await?;
                let rec = UploadRec {
                    blob: self.files.fresh_id(),
                    to: req.to_account.clone(),
                    started: ctx.now,
                    upload,
                };
                (rec, true)
            }
        };
        // Checked before anything is kept: a refused first slice leaves no trace.
        rec.upload
            .clone()
            .slice(req.slice_offset, bytes, &limits)
            .map_err(refused)?;
        if new {
            db.put_upload(me, name, &rec).await?;
        }
        tx.commit().await?;
        Ok(Stand::Write(rec))
    }

    /// Keeps a finished upload as an attachment and answers with its UUID (and a
    /// picture's sizes and addresses).
    async fn finish(
        &self,
        ctx: &Ctx,
        name: &str,
        rec: UploadRec,
    ) -> Result<pic_up::Response, Failure> {
        let kind = rec.upload.finish().map_err(refused)?;
        let declared = rec.upload.declared();
        self.files.blobs().finish(&rec.blob).await?;
        let parts = match kind {
            Kind::File => vec![PartRec {
                variant: Variant::Original,
                blob: rec.blob.clone(),
                size: declared,
                width: 0,
                height: 0,
                mime: FILE_MIME.to_owned(),
            }],
            Kind::Picture(format) => match self.keep_picture(&rec.blob, declared, format).await {
                Ok(parts) => parts,
                Err(refusal) => {
                    self.give_up(ctx, name, &rec).await?;
                    return Err(refusal);
                }
            },
        };
        let attachment = AttachmentRec {
            owner: ctx.me.clone(),
            to: rec.to.clone(),
            wanted: rec.upload.wanted(),
            parts,
            finished: ctx.now,
        };
        let tx = self.store.begin(Mode::ReadWrite).await?;
        let db = Db::new(&tx);
        let kept = db.kept_bytes(&ctx.me).await?;
        db.delete_upload(&ctx.me, name).await?;
        db.put_kept_bytes(&ctx.me, kept.saturating_sub(declared) + attachment.size())
            .await?;
        db.put_attachment(&rec.blob, &attachment).await?;
        tx.commit().await?;
        let url_info = match kind {
            Kind::File => Vec::new(),
            Kind::Picture(_) => attachment
                .parts
                .iter()
                .map(|p| UrlInfo {
                    pic_type: PicType::from(image_type(p.variant)),
                    pic_size: p.size,
                    pic_width: p.width,
                    pic_height: p.height,
                    down_url: self.files.link(&ctx.me, &rec.blob, p.variant, ctx.now),
                })
                .collect(),
        };
        Ok(pic_up::Response {
            is_finish: 1,
            next_offset: declared,
            file_uuid: rec.blob.to_string(),
            url_info,
            download_flag: None,
        })
    }

    /// The picture examined by the shell and kept in its three sizes; the upload's own
    /// bytes go.
    async fn keep_picture(
        &self,
        raw: &BlobId,
        size: u64,
        format: PictureFormat,
    ) -> Result<Vec<PartRec>, Failure> {
        let blobs = self.files.blobs();
        let Some(bytes) = blobs.read(raw, 0..size).await? else {
            return refuse(ErrorCode::UploadOutOfOrder, "the upload's bytes are gone");
        };
        let examined = self.files.examine(bytes, format).await.map_err(refused)?;
        let mut parts = Vec::with_capacity(3);
        for (variant, kept) in [
            (Variant::Original, examined.original),
            (Variant::Large, examined.large),
            (Variant::Small, examined.small),
        ] {
            let blob = raw.for_size(variant);
            // A size left by an earlier try that stopped half-way is written afresh.
            blobs.remove(&blob).await?;
            blobs.write(&blob, 0, &kept.bytes).await?;
            blobs.finish(&blob).await?;
            parts.push(PartRec {
                variant,
                blob,
                size: kept.bytes.len() as u64,
                width: kept.width,
                height: kept.height,
                mime: kept.format.mime().to_owned(),
            });
        }
        blobs.remove(raw).await?;
        Ok(parts)
    }

    /// Forgets a refused upload: its bytes, then its record and its share of the quota
    /// (a crash between leaves a record that names bytes gone, which the hour's sweep
    /// forgets; the other order would leave bytes nothing names).
    async fn give_up(&self, ctx: &Ctx, name: &str, rec: &UploadRec) -> Result<(), Failure> {
        for blob in rec.blobs() {
            self.files.blobs().remove(&blob).await?;
        }
        let tx = self.store.begin(Mode::ReadWrite).await?;
        let db = Db::new(&tx);
        let kept = db.kept_bytes(&ctx.me).await?;
        db.delete_upload(&ctx.me, name).await?;
        db.put_kept_bytes(&ctx.me, kept.saturating_sub(rec.upload.declared()))
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
