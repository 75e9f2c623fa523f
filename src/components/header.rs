//! The shell's top bar: who I am, the language and theme toggles, and log out.

use stylist::yew::styled_component;
use yew::prelude::*;

use super::{Avatar, t, use_lang};
use crate::effects::use_effects;
use crate::i18n::Phrase;
use crate::store::hooks::use_selector;
use crate::store::{AppState, ThemeChoice, display_name, me};

/// The header bar.
#[styled_component]
pub fn Header() -> Html {
    let lang = use_lang();
    let effects = use_effects();
    let (me, name, theme) = use_selector((), |s: &AppState, _| {
        let me = me(s);
        let name = me
            .as_ref()
            .map(|id| display_name(s, id))
            .unwrap_or_default();
        (me, name, s.theme)
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
    let toggle_lang = {
        let effects = effects.clone();
        Callback::from(move |_| effects.set_lang(lang.other()))
    };
    let dark_now = theme == ThemeChoice::Dark || (theme == ThemeChoice::System && prefers_dark());
    let toggle_theme = {
        let effects = effects.clone();
        let next = if dark_now {
            ThemeChoice::Light
        } else {
            ThemeChoice::Dark
        };
        Callback::from(move |_| effects.set_theme(next))
    };
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
            <button id="toggle-lang" onclick={toggle_lang}>{ t(lang, Phrase::OtherLanguage) }</button>
            <button id="toggle-theme" onclick={toggle_theme} aria-label={t(lang, Phrase::ToggleTheme)}
                title={t(lang, Phrase::ToggleTheme)} aria-pressed={dark_now.to_string()}>
                { if dark_now { "☀" } else { "☾" } }
            </button>
            <button id="logout" onclick={logout}>{ t(lang, Phrase::Logout) }</button>
        </header>
    }
}

fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}
