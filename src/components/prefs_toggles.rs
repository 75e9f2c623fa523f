//! The language and theme toggles: in the shell's top bar, and on the login screens, so a
//! person can switch both before logging in.

use stylist::yew::styled_component;
use yew::prelude::*;

use super::{t, use_lang};
use crate::effects::use_prefs;
use crate::i18n::Phrase;
use crate::store::hooks::use_selector;
use crate::store::{AppState, ThemeChoice};

/// Two buttons: the other language, and light or dark.
#[styled_component]
pub fn PrefsToggles() -> Html {
    let lang = use_lang();
    let effects = use_prefs();
    let theme = use_selector((), |s: &AppState, _| s.theme);
    let class = css!(
        r#"
        display: flex; gap: 10px;
        button {
            border: 1px solid var(--webim-border); background: var(--webim-surface-2);
            color: var(--webim-text); border-radius: 8px; padding: 6px 10px; cursor: pointer;
            font-size: 13px;
        }
        button:hover { background: var(--webim-hover); }
        "#
    );
    let toggle_lang = {
        let effects = effects.clone();
        Callback::from(move |_| effects.set_lang(lang.other()))
    };
    let dark_now = theme == ThemeChoice::Dark || (theme == ThemeChoice::System && prefers_dark());
    let toggle_theme = {
        let next = if dark_now {
            ThemeChoice::Light
        } else {
            ThemeChoice::Dark
        };
        Callback::from(move |_| effects.set_theme(next))
    };
    html! {
        <div {class}>
            <button id="toggle-lang" onclick={toggle_lang}>{ t(lang, Phrase::OtherLanguage) }</button>
            <button id="toggle-theme" onclick={toggle_theme} aria-label={t(lang, Phrase::ToggleTheme)}
                title={t(lang, Phrase::ToggleTheme)} aria-pressed={dark_now.to_string()}>
                { if dark_now { "☀" } else { "☾" } }
            </button>
        </div>
    }
}

fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}
