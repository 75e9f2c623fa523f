//! The red count of unread messages on a session row: `99+` above 99, nothing at 0.

use stylist::yew::styled_component;
use yew::prelude::*;

use super::{t, use_lang};
use crate::i18n::Phrase;
use crate::store::badge_text;

/// Props of [`UnreadBadge`].
#[derive(Debug, Properties, PartialEq)]
pub struct UnreadBadgeProps {
    /// Unread messages.
    pub count: u32,
}

/// An unread badge; renders nothing when there is nothing unread.
#[styled_component]
pub fn UnreadBadge(props: &UnreadBadgeProps) -> Html {
    let lang = use_lang();
    if props.count == 0 {
        return html! {};
    }
    let class = css!(
        r#"
        min-width: 20px; height: 20px; padding: 0 6px; border-radius: 10px;
        background: var(--webim-badge); color: #fff; font-size: 12px; font-weight: 600;
        display: inline-flex; align-items: center; justify-content: center; flex: none;
        "#
    );
    let label = format!("{} {}", props.count, t(lang, Phrase::UnreadLabel));
    html! { <span class={classes!(class, "unread-badge")} aria-label={label}>{ badge_text(props.count) }</span> }
}
