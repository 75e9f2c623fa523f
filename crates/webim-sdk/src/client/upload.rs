//! Pictures and files on their way up: webim.js 1.7's `uploadPic`, in the protocol's
//! slices (1,080 KB, as 1.7 sends them), with progress after each slice and a cancel
//! between them. The finished upload comes back as the element a message carries
//! (docs/sdk.md, "Pictures and files"); sending it is [`Client::send_msg`] as for text.

use std::cell::Cell;
use std::rc::Rc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use webim_proto::openpic::apply_download::{self, RequestInfo};
use webim_proto::openpic::pic_up::{self, PkgFlag, UploadKind};
use webim_proto::{AccountId, ErrorCode, FileElem, ImageElem, ImageInfo, ImageType};

use super::Client;
use crate::error::{ErrorOrigin, Result, WebimError};
use crate::msg::Elem;
use crate::transport::{Env, Transport};

/// The bytes one slice carries (webim.js 1.7's).
pub const SLICE_BYTES: usize = 1_080 * 1024;
/// How many times a slice the network lost, or the service was too busy to read, is sent
/// again before the upload fails.
const SLICE_TRIES: u32 = 4;

/// What is uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upload {
    /// A picture (PNG, JPEG, GIF or WebP; the service checks), with the name it was
    /// picked under, if any (its text alternative).
    Picture {
        /// The picture's file name.
        name: Option<String>,
    },
    /// A file, with the name it is offered under.
    File {
        /// The file's name.
        name: String,
    },
}

/// Ends an upload between two slices; clones share it.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Rc<Cell<bool>>);

impl Cancel {
    /// A cancel not yet pulled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Ends the upload before its next slice.
    pub fn cancel(&self) {
        self.0.set(true);
    }

    /// True once pulled.
    pub fn is_cancelled(&self) -> bool {
        self.0.get()
    }
}

/// The code of an upload ended by its [`Cancel`] (the SDK's own, as -4 is).
pub const CANCELLED: ErrorCode = ErrorCode::Other(-5);

fn picture_of(answer: &pic_up::Response, file_name: Option<String>) -> ImageElem {
    let image_info_array = answer
        .url_info
        .iter()
        .map(|size| ImageInfo {
            kind: ImageType::from(size.pic_type),
            size: size.pic_size,
            width: size.pic_width,
            height: size.pic_height,
            url: size.down_url.clone(),
        })
        .collect();
    ImageElem {
        uuid: answer.file_uuid.clone(),
        image_info_array,
        file_name,
    }
}

impl<T: Transport, E: Env> Client<T, E> {
    /// webim.js 1.7 `uploadPic`: uploads `bytes` for `to`, slice by slice, calling
    /// `progress(sent, total)` after each; a slice the network lost, or the service was
    /// too busy to read, is sent again (the service takes a repeated slice once). Resolves to the element a message to `to`
    /// carries: a picture with its three sizes, or a file with its name, size and my
    /// address for it. Refused: not logged in (-4), nothing to upload (91001), cancelled
    /// ([`CANCELLED`]), or whatever the service refuses (too large, not a picture, over
    /// the quota: docs/protocol.md, "Pictures and files").
    pub async fn upload(
        &self,
        to: &AccountId,
        what: &Upload,
        bytes: &[u8],
        progress: &dyn Fn(u64, u64),
        cancel: &Cancel,
    ) -> Result<Elem> {
        let me = self.me()?;
        if bytes.is_empty() {
            return Err(WebimError::local(
                ErrorCode::UploadTooLarge,
                "nothing to upload",
            ));
        }
        let total = bytes.len() as u64;
        let (seq, random, timestamp) = (
            u64::from(self.env.random_u32()),
            u64::from(self.env.random_u32()),
            self.env.now().0,
        );
        let file_type = match what {
            Upload::Picture { .. } => UploadKind::Picture,
            Upload::File { .. } => UploadKind::File,
        };
        let mut offset = 0usize;
        let mut answer = None;
        while offset < bytes.len() {
            if cancel.is_cancelled() {
                return Err(WebimError::local(CANCELLED, "the upload was cancelled"));
            }
            let slice = &bytes[offset..(offset + SLICE_BYTES).min(bytes.len())];
            let request = pic_up::Request {
                from_account: Some(me.clone()),
                to_account: to.clone(),
                busi_id: 2,
                file_type,
                file_str_md5: String::new(),
                pkg_flag: PkgFlag::Base64,
                file_size: total,
                slice_offset: offset as u64,
                slice_size: slice.len() as u64,
                slice_data: STANDARD.encode(slice),
                seq,
                timestamp,
                random,
            };
            let got = self.slice(&request).await?;
            offset = usize::try_from(got.next_offset).unwrap_or(usize::MAX);
            progress(got.next_offset.min(total), total);
            if got.is_finish == 1 {
                answer = Some(got);
                break;
            }
        }
        let Some(done) = answer else {
            return Err(WebimError::service(
                ErrorCode::UploadOutOfOrder,
                "the service did not finish the upload",
            ));
        };
        match what {
            Upload::Picture { name } => Ok(Elem::Image(picture_of(&done, name.clone()))),
            Upload::File { name } => {
                let url = self.file_url(&done.file_uuid).await.unwrap_or_default();
                Ok(Elem::File(FileElem {
                    uuid: done.file_uuid,
                    file_name: name.clone(),
                    file_size: total,
                    download_flag: None,
                    url,
                }))
            }
        }
    }

    /// One slice, sent again while the network loses it or the service is busy.
    async fn slice(&self, request: &pic_up::Request) -> Result<pic_up::Response> {
        let mut tries = 0;
        loop {
            match self.call(request).await {
                Err(e) if again(&e) && tries + 1 < SLICE_TRIES => {
                    tries += 1;
                    self.env.sleep(500 << tries).await;
                }
                other => return other,
            }
        }
    }

    /// webim.js 1.7 `applyDownload`: my address for the file `uuid` (one I sent or
    /// received).
    pub async fn file_url(&self, uuid: &str) -> Result<String> {
        let request = apply_download::Request {
            from_account: None,
            request_info: vec![RequestInfo {
                uuid: uuid.to_owned(),
                busi_id: 2,
                kind: 1,
            }],
        };
        Ok(self.call(&request).await?.response_info.url)
    }
}

/// Whether a slice that failed so is worth sending again: the network lost it, or the
/// service had too many slices to read (it did not read this one).
fn again(e: &WebimError) -> bool {
    e.origin == ErrorOrigin::Transport || e.code == ErrorCode::TooManyRequests
}
