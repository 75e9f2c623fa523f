//! The line under the composer: why a text was refused, and a byte counter near the
//! 12000-byte limit so the refusal never comes as a surprise.

use stylist::yew::styled_component;
use webim_sdk::client::MAX_C2C_MSG_BYTES;
use yew::prelude::*;

use crate::components::{t, use_lang};
use crate::i18n::Phrase;

/// Bytes from which the counter shows.
const COUNTER_FROM: usize = 10_000;

/// Props of [`ComposerStatus`].
#[derive(Debug, Properties, PartialEq)]
pub struct ComposerStatusProps {
    /// Why the last text was refused, if it was.
    pub error: Option<Phrase>,
    /// The text's size in bytes as the service counts it.
    pub bytes: usize,
}

/// The composer's status line.
#[styled_component]
pub fn ComposerStatus(props: &ComposerStatusProps) -> Html {
    let lang = use_lang();
    let bytes = props.bytes;
    let class = css!(
        r#"
        display: flex; justify-content: space-between; font-size: 13px; min-height: 0;
        .error { color: var(--webim-danger); }
        .count { margin-left: auto; color: var(--webim-muted); }
        .count.over { color: var(--webim-danger); font-weight: 600; }
        "#
    );
    html! {
        <div {class} id="composer-status">
            if let Some(e) = props.error { <span class="error" role="alert">{ t(lang, e) }</span> }
            if bytes > COUNTER_FROM {
                <span class={classes!("count", (bytes > MAX_C2C_MSG_BYTES).then_some("over"))}>
                    { format!("{bytes} / {MAX_C2C_MSG_BYTES}") }
                </span>
            }
        </div>
    }
}
