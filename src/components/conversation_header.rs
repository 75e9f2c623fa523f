//! The bar above an open conversation: the peer's avatar, name and id, and on narrow screens
//! a back button to the session list (there the list and the conversation take turns), and
//! the conversation's mute button.

use stylist::yew::styled_component;
use webim_proto::AccountId;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{Avatar, MuteToggle, t, use_lang};
use crate::i18n::Phrase;
use crate::route::Route;

/// Props of [`ConversationHeader`].
#[derive(Debug, Properties, PartialEq)]
pub struct ConversationHeaderProps {
    /// The other party.
    pub peer: AccountId,
    /// Their display name.
    pub name: AttrValue,
}

/// The conversation's header.
#[styled_component]
pub fn ConversationHeader(props: &ConversationHeaderProps) -> Html {
    let lang = use_lang();
    let navigator = use_navigator();
    let back = Callback::from(move |_| {
        if let Some(n) = &navigator {
            n.push(&Route::Chats);
        }
    });
    let class = css!(
        r#"
        display: flex; align-items: center; gap: 10px; padding: 10px 14px;
        background: var(--webim-surface); border-bottom: 1px solid var(--webim-border);
        h2 { font-size: 16px; }
        .id { font-size: 12px; color: var(--webim-muted); }
        .back { display: none; border: 0; background: transparent; font-size: 20px; cursor: pointer; padding: 4px 8px; }
        @media (max-width: 719px) { .back { display: inline-block; } }
        "#
    );
    let id = props.peer.to_string();
    html! {
        <header {class}>
            <button class="back" onclick={back} aria-label={t(lang, Phrase::Back)}>{ "‹" }</button>
            <Avatar id={id.clone()} name={props.name.clone()} size={36} />
            <div>
                <h2 id="chat-title">{ props.name.clone() }</h2>
                <div class="id">{ id }</div>
            </div>
            <MuteToggle peer={props.peer.clone()} />
        </header>
    }
}
