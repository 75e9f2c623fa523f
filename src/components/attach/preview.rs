//! What was picked, before it is sent: the picture itself (read from the file in this
//! tab, nothing uploaded yet) or the file's name and size, with Send and Cancel. Send
//! has the focus; Escape cancels.

use stylist::yew::styled_component;
use web_sys::{File, Url};
use yew::prelude::*;

use crate::components::attachment::{file_icon, human_size};
use crate::components::{t, use_lang};
use crate::effects::is_picture;
use crate::i18n::Phrase;

/// Props of [`AttachPreview`].
#[derive(Debug, Properties, PartialEq)]
pub struct AttachPreviewProps {
    /// The file picked.
    pub file: File,
    /// Send it.
    pub on_send: Callback<()>,
    /// Do not.
    pub on_cancel: Callback<()>,
}

/// The preview bar above the composer.
#[styled_component]
pub fn AttachPreview(props: &AttachPreviewProps) -> Html {
    let lang = use_lang();
    let send = use_node_ref();
    let picture = is_picture(&props.file);
    // An object URL for this file while the preview shows it, given back after.
    let url = use_memo(props.file.clone(), move |file| {
        picture
            .then(|| Url::create_object_url_with_blob(file).ok())
            .flatten()
    });
    {
        let (url, send) = (url.clone(), send.clone());
        use_effect_with(props.file.clone(), move |_| {
            if let Some(b) = send.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
            move || {
                if let Some(u) = url.as_ref() {
                    let _ = Url::revoke_object_url(u);
                }
            }
        });
    }
    let onkeydown = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_cancel.emit(());
            }
        })
    };
    let class = css!(
        r#"
        display: flex; align-items: center; gap: 10px; padding: 8px 10px; margin: 0 8px;
        border: 1px solid var(--webim-border); border-radius: 12px; background: var(--webim-surface);
        img { max-width: 96px; max-height: 72px; border-radius: 8px; object-fit: cover; }
        .about { flex: 1; min-width: 0; display: flex; flex-direction: column; }
        .name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .size { font-size: 12px; color: var(--webim-muted); }
        button { border: 0; border-radius: 10px; padding: 8px 12px; cursor: pointer; }
        .send { background: var(--webim-accent); color: var(--webim-accent-text); font-weight: 600; }
        .cancel { background: var(--webim-surface-2); color: inherit; }
        "#
    );
    let file = &props.file;
    let on_send = props.on_send.reform(|_: MouseEvent| ());
    let on_cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div {class} id="attach-preview" role="group" aria-label={t(lang, Phrase::AttachPreview)} {onkeydown}>
            if let Some(u) = url.as_ref() { <img src={u.clone()} alt={file.name()} /> }
            else { { file_icon() } }
            <span class="about">
                <span class="name">{ file.name() }</span>
                <span class="size">{ human_size(file.size() as u64) }</span>
            </span>
            <button type="button" class="cancel" id="attach-cancel" onclick={on_cancel}>{ t(lang, Phrase::Cancel) }</button>
            <button ref={send} type="button" class="send" id="attach-send" onclick={on_send}>{ t(lang, Phrase::Send) }</button>
        </div>
    }
}
