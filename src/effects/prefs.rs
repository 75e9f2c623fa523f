//! What the app keeps in the browser's storage: the language and theme (for the origin),
//! this tab's login (sessionStorage: two tabs can be two people, and a reload stays
//! logged in; behind a server, with its userSig until that expires), and drafts per
//! account.

use std::collections::BTreeMap;

use gloo::storage::{LocalStorage, SessionStorage, Storage};
use webim_proto::AccountId;

use super::handle;
use crate::i18n::Lang;
use crate::store::hooks::AppStore;
use crate::store::{Action, ThemeChoice};

handle!(
    /// The language and the colour theme, kept for next time.
    PrefsHandle,
    use_prefs
);

impl PrefsHandle {
    /// Switches the UI language (kept for next time).
    pub fn set_lang(&self, lang: Lang) {
        set_lang(&self.0.store, lang);
    }

    /// Switches the colour theme (kept for next time).
    pub fn set_theme(&self, theme: ThemeChoice) {
        set_theme(&self.0.store, theme);
    }
}

const LOGIN: &str = "webim.login";
const LANG: &str = "webim.lang";
const THEME: &str = "webim.theme";

fn drafts_key(me: &AccountId) -> String {
    format!("webim.drafts.{me}")
}

/// Applies the stored language and theme; on a first visit, the browser's language.
pub fn restore(store: &AppStore) {
    let lang = LocalStorage::get::<String>(LANG)
        .ok()
        .and_then(|c| Lang::from_code(&c))
        .unwrap_or_else(browser_lang);
    apply_lang(lang);
    store.dispatch(Action::Lang(lang));
    let theme = match LocalStorage::get::<String>(THEME).ok().as_deref() {
        Some("light") => ThemeChoice::Light,
        Some("dark") => ThemeChoice::Dark,
        _ => ThemeChoice::System,
    };
    apply_theme(theme);
    store.dispatch(Action::Theme(theme));
}

/// The browser's preferred language, as far as the app speaks it.
fn browser_lang() -> Lang {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return Lang::default();
    };
    let tags: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .chain(navigator.language())
        .collect();
    Lang::preferred(tags.iter().map(String::as_str))
}

/// Sets and keeps the language.
fn set_lang(store: &AppStore, lang: Lang) {
    // Storage may be unavailable (private mode); the choice then lasts for this page.
    let _ = LocalStorage::set(LANG, lang.code());
    apply_lang(lang);
    store.dispatch(Action::Lang(lang));
}

/// Sets and keeps the theme.
fn set_theme(store: &AppStore, theme: ThemeChoice) {
    let code = match theme {
        ThemeChoice::System => "system",
        ThemeChoice::Light => "light",
        ThemeChoice::Dark => "dark",
    };
    let _ = LocalStorage::set(THEME, code);
    apply_theme(theme);
    store.dispatch(Action::Theme(theme));
}

fn apply_lang(lang: Lang) {
    if let Some(root) = gloo::utils::document().document_element() {
        let _ = root.set_attribute("lang", lang.code());
    }
}

fn apply_theme(theme: ThemeChoice) {
    let Some(root) = gloo::utils::document().document_element() else {
        return;
    };
    let _ = match theme {
        ThemeChoice::System => root.remove_attribute("data-theme"),
        ThemeChoice::Light => root.set_attribute("data-theme", "light"),
        ThemeChoice::Dark => root.set_attribute("data-theme", "dark"),
    };
}

/// A tab's login as kept across a reload.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Remembered {
    /// The account.
    pub id: String,
    /// The server's userSig (none for the embedded backend).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sig: Option<String>,
    /// When the sig expires (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<u64>,
}

/// How long before its expiry a sig is no longer reused (a fresh login instead).
const SIG_MARGIN_SECS: u64 = 60;

impl Remembered {
    /// What to keep of `login`: a server's sig with when it expires, or just the account.
    pub fn of(login: &webim_sdk::LoginInfo, expires: Option<u64>) -> Self {
        Self {
            id: login.identifier.to_string(),
            sig: expires.map(|_| login.user_sig.clone()),
            expires,
        }
    }

    /// The kept sig, if it is still good at `now`.
    pub fn valid_sig(&self, now: u64) -> Option<String> {
        let expires = self.expires?;
        (now + SIG_MARGIN_SECS < expires)
            .then(|| self.sig.clone())
            .flatten()
    }
}

/// This tab's remembered login (a plain identifier, as kept before sigs were, still reads).
pub fn remembered_login() -> Option<Remembered> {
    let text = SessionStorage::get::<serde_json::Value>(LOGIN).ok()?;
    match text {
        serde_json::Value::String(id) => Some(Remembered {
            id,
            sig: None,
            expires: None,
        }),
        other => serde_json::from_value(other).ok(),
    }
}

/// Remembers this tab's login.
pub fn remember_login(login: &Remembered) {
    let _ = SessionStorage::set(LOGIN, login);
}

/// Forgets this tab's login.
pub fn forget_login() {
    SessionStorage::delete(LOGIN);
}

/// The drafts of `me`.
pub fn drafts(me: &AccountId) -> BTreeMap<AccountId, String> {
    LocalStorage::get(drafts_key(me)).unwrap_or_default()
}

/// Keeps the drafts of `me`.
pub fn save_drafts(me: &AccountId, drafts: &BTreeMap<AccountId, String>) {
    let _ = LocalStorage::set(drafts_key(me), drafts);
}
