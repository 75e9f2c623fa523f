//! The shell's top bar: who I am, the language and theme toggles, and log out.

use stylist::yew::styled_component;
use yew::prelude::*;

use super::{Avatar, PrefsToggles, t, use_lang};
use crate::effects::use_login;
use crate::i18n::Phrase;
use crate::store::hooks::use_selector;
use crate::store::{AppState, display_name, me};

/// The header bar.
#[styled_component]
pub fn Header() -> Html {
    let lang = use_lang();
    let effects = use_login();
    let (me, name) = use_selector((), |s: &AppState, _| {
        let me = me(s);
        let name = me
            .as_ref()
            .map(|id| display_name(s, id))
            .unwrap_or_default();
        (me, name)
    });
    let class = css!(
        r#"
        display: flex; align-items: center; gap: 10px; padding: 8px 12px;
        background: var(--webim-surface); border-bottom: 1px solid var(--webim-border);
        .me { display: flex; align-items: center; gap: 10px; min-width: 0; flex: 1; }
        .name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .id { color: var(--webim-muted); font-size: 12px; }
        button {
            border: 1px solid var(--webim-border); background: var(--webim-surface-2);
            border-radius: 8px; padding: 6px 10px; cursor: pointer; font-size: 13px;
        }
        button:hover { background: var(--webim-hover); }
        "#
    );
    let id = me.map(|m| m.to_string()).unwrap_or_default();
    let logout = Callback::from(move |_| effects.logout());
    html! {
        <header {class}>
            <div class="me">
                <Avatar id={id.clone()} name={name.clone()} size={36} />
                <div style="min-width:0">
                    <div class="name" id="my-name">{ name }</div>
                    <div class="id">{ id }</div>
                </div>
            </div>
            <PrefsToggles />
            <button id="logout" onclick={logout}>{ t(lang, Phrase::Logout) }</button>
        </header>
    }
}
