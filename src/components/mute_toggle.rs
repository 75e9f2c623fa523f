//! The bell in a conversation's header: mutes the conversation's desktop notifications
//! (kept per account; the unread count still counts). A toggle button, so assistive
//! technology reads whether it is pressed.

use stylist::yew::styled_component;
use webim_proto::AccountId;
use yew::prelude::*;

use super::{t, use_lang};
use crate::effects::use_notifications;
use crate::i18n::Phrase;
use crate::store::hooks::use_selector;
use crate::store::is_muted;

/// Props of [`MuteToggle`].
#[derive(Debug, Properties, PartialEq)]
pub struct MuteToggleProps {
    /// The conversation.
    pub peer: AccountId,
}

/// The mute button.
#[styled_component]
pub fn MuteToggle(props: &MuteToggleProps) -> Html {
    let lang = use_lang();
    let effects = use_notifications();
    let muted = use_selector(props.peer.clone(), is_muted);
    let onclick = {
        let peer = props.peer.clone();
        Callback::from(move |_| effects.set_muted(&peer, !muted))
    };
    let class = css!(
        r#"
        margin-left: auto; border: 1px solid var(--webim-border); border-radius: 8px;
        background: transparent; color: var(--webim-text); padding: 4px 10px; cursor: pointer;
        line-height: 0;
        &[aria-pressed="true"] { background: var(--webim-active); }
        "#
    );
    html! {
        <button {class} id="mute-toggle" type="button" {onclick} aria-pressed={muted.to_string()}
            aria-label={t(lang, Phrase::Mute)} title={t(lang, Phrase::Mute)}>
            { bell_icon(muted, 18) }
        </button>
    }
}

/// A bell (struck through when `muted`), drawn inline so it looks the same without an
/// emoji font; decorative: the control it sits in carries the name.
pub fn bell_icon(muted: bool, size: u32) -> Html {
    let size = size.to_string();
    html! {
        <svg width={size.clone()} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false"
            fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            <path d="M12 3a5 5 0 0 0-5 5v4l-2 3h14l-2-3V8a5 5 0 0 0-5-5z" />
            <path d="M10 18a2 2 0 0 0 4 0" />
            if muted { <path d="M4 4l16 16" /> }
        </svg>
    }
}
