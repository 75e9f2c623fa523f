//! One message: text as text (never HTML), emoticons as inline images, the time, and for
//! my own messages whether they are sending or failed (with a retry).

use stylist::yew::styled_component;
use webim_sdk::{Elem, Msg, SendStatus, emoticon};
use yew::prelude::*;

use super::attachment::{FileCard, PictureThumb};
use super::emoticon_picker::face_src;
use super::{t, use_lang};
use crate::i18n::Phrase;

/// Props of [`MessageItem`].
#[derive(Debug, Properties, PartialEq)]
pub struct MessageItemProps {
    /// The message.
    pub msg: Msg,
    /// The sender's name, shown above the first message of a group.
    pub name: Option<AttrValue>,
    /// The time as shown (`hh:mm`).
    pub time: AttrValue,
    /// Retry this (failed) message.
    pub on_retry: Callback<Msg>,
    /// Why it failed, as a sentence (for my failed messages).
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

fn elem_html(elem: &Elem) -> Html {
    match elem {
        Elem::Text(text) => html! { { text.text() } },
        Elem::Face(face) => match emoticon::by_index(face.index()) {
            Some(e) => html! {
                <img class={classes!("face", (e.index == 47).then_some("mirror"))} src={face_src(e.index)}
                    alt={face.data().to_owned()} title={e.label()} width="22" height="22" />
            },
            // An index this app does not know: its name, as text.
            None => html! { { face.data() } },
        },
        Elem::Image(image) => html! { <PictureThumb image={image.clone()} /> },
        Elem::File(file) => html! { <FileCard file={file.clone()} /> },
    }
}

/// A message bubble.
#[styled_component]
pub fn MessageItem(props: &MessageItemProps) -> Html {
    let lang = use_lang();
    let msg = &props.msg;
    let mine = msg.is_send();
    let class = css!(
        r#"
        display: flex; flex-direction: column; align-items: flex-start; padding: 1px 12px;
        &.mine { align-items: flex-end; }
        .name { font-size: 12px; color: var(--webim-muted); margin: 8px 4px 2px; }
        .bubble {
            max-width: min(72%, 560px); padding: 7px 10px 5px; border-radius: 14px;
            background: var(--webim-theirs); color: var(--webim-theirs-text);
            box-shadow: var(--webim-shadow); white-space: pre-wrap; overflow-wrap: anywhere;
        }
        &.mine .bubble { background: var(--webim-mine); color: var(--webim-mine-text); }
        .face { width: 22px; height: 22px; vertical-align: -5px; margin: 0 1px; }
        .mirror { transform: scaleX(-1); }
        .meta { display: block; text-align: right; font-size: 11px; opacity: 0.9; margin-top: 2px; }
        .failed { color: var(--webim-danger); font-size: 12px; margin: 2px 4px; }
        .failed button { border: 0; background: transparent; color: var(--webim-accent); cursor: pointer; text-decoration: underline; }
        "#
    );
    let status = match msg.status() {
        SendStatus::Pending if mine => Some(t(lang, Phrase::Sending)),
        _ => None,
    };
    let retry = {
        let (on_retry, msg) = (props.on_retry.clone(), msg.clone());
        Callback::from(move |_| on_retry.emit(msg.clone()))
    };
    let key = msg.key();
    html! {
        <div class={classes!(class, mine.then_some("mine"))} data-key={format!("{}/{}/{}", key.from, key.seq, key.random.0)}
            data-status={msg.status().as_str()}>
            if let Some(name) = &props.name { <span class="name">{ name.clone() }</span> }
            <div class="bubble">
                <span class="text">{ for msg.elems().iter().map(elem_html) }</span>
                <span class="meta">
                    { props.time.clone() }
                    if let Some(s) = status { { " · " }{ s } }
                </span>
            </div>
            if mine && msg.status() == SendStatus::Failed {
                <span class="failed" role="status">
                    { props.error.clone().unwrap_or_else(|| t(lang, Phrase::NotSent).into()) }{ " · " }
                    <button type="button" class="retry" onclick={retry}>{ t(lang, Phrase::Retry) }</button>
                </span>
            }
        </div>
    }
}
