//! Attaching a picture or a file to the open conversation: by the composer's button, by
//! pasting, or by dropping it on the pane; a preview to send or cancel; and, once sent,
//! a row of the conversation showing its progress until it is a message (with retry and
//! cancel). Only behind a server, which keeps the bytes.

pub mod preview;
pub mod upload_item;

use web_sys::{DataTransfer, File};
use webim_proto::AccountId;
use yew::prelude::*;

pub use preview::AttachPreview;
pub use upload_item::UploadItem;

use super::attachment::clip_icon;
use super::{t, use_lang};
use crate::effects::use_chat;
use crate::i18n::Phrase;
use crate::store::AppState;
use crate::store::hooks::use_selector;

/// The first file of a drop or a paste, if it carries one.
pub fn first_file(data: Option<DataTransfer>) -> Option<File> {
    data?.files()?.get(0)
}

/// Props of [`AttachButton`].
#[derive(Debug, Properties, PartialEq)]
pub struct AttachButtonProps {
    /// A file was picked.
    pub on_pick: Callback<File>,
}

/// The composer's paper clip: opens the browser's file picker.
#[function_component]
pub fn AttachButton(props: &AttachButtonProps) -> Html {
    let lang = use_lang();
    let input = use_node_ref();
    let open = {
        let input = input.clone();
        Callback::from(move |_| {
            if let Some(i) = input.cast::<web_sys::HtmlInputElement>() {
                i.click();
            }
        })
    };
    let onchange = {
        let on_pick = props.on_pick.clone();
        Callback::from(move |e: Event| {
            let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            if let Some(file) = i.files().and_then(|f| f.get(0)) {
                on_pick.emit(file);
            }
            // The same file may be picked again.
            i.set_value("");
        })
    };
    html! {
        <>
            <input ref={input} type="file" id="attach-input" class="visually-hidden" tabindex="-1"
                aria-hidden="true" {onchange} />
            <button type="button" class="faces" id="attach" onclick={open}
                aria-label={t(lang, Phrase::Attach)} title={t(lang, Phrase::Attach)}>{ clip_icon() }</button>
        </>
    }
}

/// What the chat pane shows and hands on for attaching to `peer`.
#[derive(Debug)]
pub struct Attaching {
    /// For the composer's button and pastes.
    pub on_pick: Option<Callback<File>>,
    /// The preview of what was picked, above the composer.
    pub preview: Html,
    /// The uploads under way, as rows at the end of the conversation.
    pub rows: Html,
    /// Takes a file dropped on the pane.
    pub ondrop: Callback<DragEvent>,
    /// Lets the pane be a drop target.
    pub ondragover: Callback<DragEvent>,
}

/// Attaching to `peer`; `on_sent` runs when a picked file is sent (the view follows it).
#[hook]
pub fn use_attach(peer: &AccountId, on_sent: Callback<()>) -> Attaching {
    let chat = use_chat();
    let picked = use_state(|| None::<File>);
    let uploads = use_selector(peer.clone(), |s: &AppState, p| {
        s.uploads
            .iter()
            .filter(|r| r.peer == *p)
            .cloned()
            .collect::<Vec<_>>()
    });
    let on_pick = {
        let picked = picked.clone();
        Callback::from(move |file: File| picked.set(Some(file)))
    };
    // Accepting the drag is what makes the pane a drop target.
    let ondragover = Callback::from(move |e: DragEvent| e.prevent_default());
    let ondrop = {
        let on_pick = on_pick.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(file) = first_file(e.data_transfer()) {
                on_pick.emit(file);
            }
        })
    };
    let preview = match (*picked).clone() {
        Some(file) => {
            let on_cancel = {
                let picked = picked.clone();
                Callback::from(move |()| picked.set(None))
            };
            let on_send = {
                let (chat, peer, picked, file) =
                    (chat.clone(), peer.clone(), picked.clone(), file.clone());
                Callback::from(move |()| {
                    chat.attach(&peer, file.clone());
                    picked.set(None);
                    on_sent.emit(());
                })
            };
            html! { <AttachPreview {file} {on_send} {on_cancel} /> }
        }
        None => html! {},
    };
    let on_retry = {
        let chat = chat.clone();
        Callback::from(move |id: u32| chat.retry_upload(id))
    };
    let on_cancel = Callback::from(move |id: u32| chat.cancel_upload(id));
    let rows: Html = uploads
        .iter()
        .map(|row| {
            html! {
                <li key={format!("upload-{}", row.id)}>
                    <UploadItem row={row.clone()} on_retry={on_retry.clone()} on_cancel={on_cancel.clone()} />
                </li>
            }
        })
        .collect();
    Attaching {
        on_pick: Some(on_pick),
        preview,
        rows,
        ondrop,
        ondragover,
    }
}
