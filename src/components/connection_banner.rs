//! A banner across the top while the backend cannot be reached; gone when it answers.

use stylist::yew::styled_component;
use webim_sdk::ConnectionState;
use yew::prelude::*;

use super::{t, use_lang};
use crate::i18n::Phrase;
use crate::store::AppState;
use crate::store::hooks::use_selector;

/// The connection banner.
#[styled_component]
pub fn ConnectionBanner() -> Html {
    let lang = use_lang();
    let offline = use_selector((), |s: &AppState, _| {
        s.connection == Some(ConnectionState::Offline)
    });
    if !offline {
        return html! {};
    }
    let class = css!(
        r#"
        padding: 8px 16px; text-align: center; font-size: 14px;
        background: var(--webim-banner); color: var(--webim-banner-text);
        "#
    );
    html! { <div {class} id="connection-banner" role="status">{ t(lang, Phrase::Offline) }</div> }
}
