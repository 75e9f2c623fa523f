//! Pictures and files the person attaches: read from the browser's `File`, uploaded by
//! the SDK in slices (each slice's progress into the store), then sent as a message like
//! any other. Until then the upload is a row of its conversation that can be cancelled,
//! and retried if it failed; the `File` stays here for that.

use std::rc::Rc;

use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{File, Url};
use webim_proto::{AccountId, ErrorCode};
use webim_sdk::{CANCELLED, Cancel, Upload};

use super::{ChatHandle, Effects, Shown, code_of};
use crate::store::{Action, UploadAction, UploadRow};

/// The media types sent (and previewed) as pictures (the service reads the bytes to be
/// sure); anything else goes as a file.
const PICTURE_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/// True if `file` is sent as a picture.
pub fn is_picture(file: &File) -> bool {
    PICTURE_TYPES.contains(&file.type_().as_str())
}

/// A file attached, kept until it is sent or cancelled.
#[derive(Debug, Clone)]
pub(super) struct Attached {
    peer: AccountId,
    file: File,
    picture: bool,
    preview: Option<String>,
    cancel: Cancel,
}

impl ChatHandle {
    /// Uploads `file` for `peer` and then sends it. Returns at once: the upload's row
    /// and its progress arrive in the store.
    pub fn attach(&self, peer: &AccountId, file: File) {
        let fx = &self.0;
        let id = fx.next_upload.get() + 1;
        fx.next_upload.set(id);
        let picture = is_picture(&file);
        let preview = if picture {
            Url::create_object_url_with_blob(&file).ok()
        } else {
            None
        };
        let attached = Attached {
            peer: peer.clone(),
            file,
            picture,
            preview,
            cancel: Cancel::new(),
        };
        fx.attached.borrow_mut().insert(id, attached);
        start(fx, id);
    }

    /// Uploads a failed attachment again.
    pub fn retry_upload(&self, id: u32) {
        if let Some(a) = self.0.attached.borrow_mut().get_mut(&id) {
            a.cancel = Cancel::new();
        }
        start(&self.0, id);
    }

    /// Stops an attachment's upload (before its next slice) and forgets it.
    pub fn cancel_upload(&self, id: u32) {
        if let Some(a) = self.0.attached.borrow_mut().remove(&id) {
            a.cancel.cancel();
            forget(&a);
        }
        self.0
            .store
            .dispatch(Action::Upload(UploadAction::Ended(id)));
    }
}

impl Effects {
    /// Resolves the in-browser address `url` to an object URL of its bytes (asked of the
    /// worker once per tab; the answer is kept while the tab lives).
    pub(super) fn local_url(self: &Rc<Self>, url: &str, done: yew::Callback<Shown>) {
        if let Some(known) = self.local_urls.borrow().get(url) {
            return done.emit(Shown::At(known.clone()));
        }
        let worker = self.worker.borrow().clone();
        let me = crate::store::me(&self.store.state());
        let (Some(worker), Some(me)) = (worker, me) else {
            return done.emit(Shown::Gone);
        };
        let (fx, url) = (Rc::clone(self), url.to_owned());
        spawn_local(async move {
            let Ok((mime, bytes)) = worker.download(&me, &url).await else {
                return done.emit(Shown::Gone);
            };
            let parts = js_sys::Array::of1(&bytes);
            let options = web_sys::BlobPropertyBag::new();
            options.set_type(&mime);
            let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options);
            match blob
                .ok()
                .and_then(|b| Url::create_object_url_with_blob(&b).ok())
            {
                Some(object) => {
                    fx.local_urls.borrow_mut().insert(url, object.clone());
                    done.emit(Shown::At(object));
                }
                None => done.emit(Shown::Gone),
            }
        });
    }
}

fn forget(a: &Attached) {
    if let Some(url) = &a.preview {
        let _ = Url::revoke_object_url(url);
    }
}

fn start(fx: &Rc<Effects>, id: u32) {
    let Some(a) = fx.attached.borrow().get(&id).cloned() else {
        return;
    };
    let row = UploadRow {
        id,
        peer: a.peer.clone(),
        name: a.file.name(),
        size: a.file.size() as u64,
        preview: a.preview.clone(),
        sent: 0,
        failed: None,
    };
    fx.store
        .dispatch(Action::Upload(UploadAction::Started(row)));
    let fx = Rc::clone(fx);
    spawn_local(async move {
        match upload_and_send(&fx, id, &a).await {
            Ok(()) => {
                // The message shows the uploaded picture now: this tab's copy can go.
                if let Some(sent) = fx.attached.borrow_mut().remove(&id) {
                    forget(&sent);
                }
                fx.store.dispatch(Action::Upload(UploadAction::Ended(id)));
            }
            // Cancelled: its row went with the cancel.
            Err(code) if code == CANCELLED => {}
            Err(code) => fx
                .store
                .dispatch(Action::Upload(UploadAction::Failed(id, code))),
        }
    });
}

async fn upload_and_send(fx: &Rc<Effects>, id: u32, a: &Attached) -> Result<(), ErrorCode> {
    let client = fx.client().ok_or(ErrorCode::NotLoggedIn)?;
    // The browser could not read the file (it was moved or deleted since it was picked).
    let unreadable = ErrorCode::Other(-6);
    let buffer = JsFuture::from(a.file.array_buffer())
        .await
        .map_err(|_| unreadable)?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let what = if a.picture {
        Upload::Picture {
            name: Some(a.file.name()),
        }
    } else {
        Upload::File {
            name: a.file.name(),
        }
    };
    let store = fx.store.clone();
    let progress = move |sent, _| store.dispatch(Action::Upload(UploadAction::Progress(id, sent)));
    let elem = client
        .upload(&a.peer, &what, &bytes, &progress, &a.cancel)
        .await
        .map_err(|e| code_of(&e))?;
    let mut msg = client.create_msg(&a.peer).map_err(|e| code_of(&e))?;
    msg.add_elem(elem);
    let (store, key) = (fx.store.clone(), msg.key());
    spawn_local(async move { super::chat::keep_refusal(&store, key, client.send_msg(msg).await) });
    Ok(())
}
