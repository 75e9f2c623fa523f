//! The reading side of attachments: what a message may say of its picture or file, the
//! addresses each reader is given, and which blob a reader may fetch. The upload's
//! steps, which make what these read, are in `attachments.rs`.

use webim_proto::openpic::apply_download;
use webim_proto::{AccountId, C2cMsg, Command, ErrorCode, ImageInfo, ImageType, MsgElem};

use super::image_type;
use crate::blob::{BlobId, Files, Variant, Wanted};
use crate::db::{AttachmentRec, Db};
use crate::service::{Credential, Ctx, Failure, Outcome, Service, check_caller, refuse};
use crate::store::{Mode, Store, Tx};

/// The longest file name a message may carry, in bytes.
pub const MAX_FILE_NAME: usize = 255;

/// Where a reader's download is: which blob, how large, served as what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// The blob to send.
    pub blob: BlobId,
    /// Its bytes.
    pub size: u64,
    /// Its media type.
    pub mime: String,
    /// A picture (shown inline) or a file (always a download).
    pub wanted: Wanted,
}

fn variant_of(kind: ImageType) -> Variant {
    match kind {
        ImageType::Origin => Variant::Original,
        ImageType::Large => Variant::Large,
        ImageType::Small => Variant::Small,
    }
}

impl<S: Store, F: Files> Service<S, F> {
    /// Writes, into every picture and file of `msgs`, the addresses at which the caller
    /// fetches them.
    pub(crate) fn link_msgs(&self, ctx: &Ctx, msgs: &mut [C2cMsg]) {
        for elem in msgs.iter_mut().flat_map(|m| m.msg_body.iter_mut()) {
            match elem {
                MsgElem::Image(image) => {
                    let Some(uuid) = BlobId::parse(&image.uuid) else {
                        continue;
                    };
                    for info in &mut image.image_info_array {
                        info.url = self
                            .files
                            .link(&ctx.me, &uuid, variant_of(info.kind), ctx.now);
                    }
                }
                MsgElem::File(file) => {
                    if let Some(uuid) = BlobId::parse(&file.uuid) {
                        file.url = self.files.link(&ctx.me, &uuid, Variant::Original, ctx.now);
                    }
                }
                MsgElem::Text(_) | MsgElem::Face(_) => {}
            }
        }
    }

    /// Which blob `reader` fetches for `variant` of the attachment `uuid`: refused unless
    /// `reader` is its sender or its recipient (and the same refusal if there is none, so
    /// nobody learns what exists).
    pub async fn download(
        &self,
        reader: &AccountId,
        uuid: &BlobId,
        variant: Variant,
    ) -> Result<Download, Failure> {
        let tx = self.store.begin(Mode::ReadOnly).await?;
        let db = Db::new(&tx);
        let who = Credential {
            me: reader.clone(),
            session: None,
            issued: None,
        };
        let (checked, rec) = futures_util::future::join(
            check_caller(&db, &who, Command::ApplyDownload),
            db.attachment(uuid),
        )
        .await;
        checked?;
        let found = rec?.filter(|r| r.readable_by(reader));
        let Some((rec, part)) = found.as_ref().and_then(|r| Some((r, r.part(variant)?))) else {
            return refuse(
                ErrorCode::NoSuchAttachment,
                "there is no such picture or file",
            );
        };
        Ok(Download {
            blob: part.blob.clone(),
            size: part.size,
            mime: part.mime.clone(),
            wanted: rec.wanted,
        })
    }
}

/// The attachment `uuid` if the caller uploaded it, finished, for `to`, as `want`.
async fn attachment_for<T: Tx>(
    db: &Db<'_, T>,
    ctx: &Ctx,
    to: &AccountId,
    uuid: &str,
    want: Wanted,
) -> Result<(BlobId, AttachmentRec), Failure> {
    let missing = || {
        refuse(
            ErrorCode::NoSuchAttachment,
            format!("{uuid:?} is not a finished upload of yours for {to}"),
        )
    };
    let Some(id) = BlobId::parse(uuid) else {
        return missing();
    };
    match db.attachment(&id).await? {
        Some(rec) if rec.owner == ctx.me && rec.to == *to && rec.wanted == want => Ok((id, rec)),
        _ => missing(),
    }
}

/// Checks a message's picture or file (at most one) against what the sender uploaded for
/// this recipient, and writes its sizes as kept (the sender's own are not trusted; the
/// addresses are written for each reader as the message is read).
pub(crate) async fn check_elems<T: Tx>(
    db: &Db<'_, T>,
    ctx: &Ctx,
    to: &AccountId,
    body: &mut [MsgElem],
) -> Result<(), Failure> {
    let attached = body
        .iter()
        .filter(|e| matches!(e, MsgElem::Image(_) | MsgElem::File(_)))
        .count();
    if attached > 1 {
        return refuse(
            ErrorCode::InvalidPacket,
            "a message carries at most one picture or file",
        );
    }
    for elem in body {
        match elem {
            MsgElem::Image(image) => {
                if let Some(name) = &image.file_name {
                    check_name(name)?;
                }
                let (id, rec) = attachment_for(db, ctx, to, &image.uuid, Wanted::Picture).await?;
                image.uuid = id.to_string();
                image.image_info_array = rec
                    .parts
                    .iter()
                    .map(|p| ImageInfo {
                        kind: image_type(p.variant),
                        size: p.size,
                        width: p.width,
                        height: p.height,
                        url: String::new(),
                    })
                    .collect();
            }
            MsgElem::File(file) => {
                check_name(&file.file_name)?;
                let (id, rec) = attachment_for(db, ctx, to, &file.uuid, Wanted::File).await?;
                file.uuid = id.to_string();
                file.file_size = rec.size();
                file.download_flag = None;
                file.url.clear();
            }
            MsgElem::Text(_) | MsgElem::Face(_) => {}
        }
    }
    Ok(())
}

/// A picture's or file's name is shown: 1 to [`MAX_FILE_NAME`] bytes, not only spaces.
fn check_name(name: &str) -> Result<(), Failure> {
    if name.trim().is_empty() || name.len() > MAX_FILE_NAME {
        return refuse(
            ErrorCode::InvalidPacket,
            format!("a FileName of 1 to {MAX_FILE_NAME} bytes"),
        );
    }
    Ok(())
}

/// `openpic/apply_download`: the caller's address for a file (or a picture's original)
/// of a message it sent or received.
pub(crate) async fn apply_download<T: Tx, F: Files>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: apply_download::Request,
    files: &F,
) -> Outcome<apply_download::Response> {
    let Some(info) = req.request_info.first() else {
        return refuse(ErrorCode::InvalidPacket, "request_info names no file");
    };
    let missing = || refuse(ErrorCode::NoSuchAttachment, "there is no such file");
    let Some(uuid) = BlobId::parse(&info.uuid) else {
        return missing();
    };
    match db.attachment(&uuid).await? {
        Some(rec) if rec.readable_by(&ctx.me) => Ok(Some(apply_download::Response {
            error_code: 0,
            response_info: apply_download::ResponseInfo {
                url: files.link(&ctx.me, &uuid, Variant::Original, ctx.now),
            },
        })),
        _ => missing(),
    }
}
