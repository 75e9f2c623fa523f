//! What the app keeps in the browser's storage: the language and theme (for the origin),
//! this tab's login (sessionStorage: two tabs can be two people, and a reload stays
//! logged in), and drafts per account.

use std::collections::BTreeMap;

use gloo::storage::{LocalStorage, SessionStorage, Storage};
use webim_proto::AccountId;

use crate::i18n::Lang;
use crate::store::hooks::Store;
use crate::store::{Action, ThemeChoice};

const LOGIN: &str = "webim.login";
const LANG: &str = "webim.lang";
const THEME: &str = "webim.theme";

fn drafts_key(me: &AccountId) -> String {
    format!("webim.drafts.{me}")
}

/// Applies the stored language and theme.
pub fn restore(store: &Store) {
    let lang = LocalStorage::get::<String>(LANG)
        .ok()
        .and_then(|c| Lang::from_code(&c))
        .unwrap_or_default();
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

/// Sets and keeps the language.
pub fn set_lang(store: &Store, lang: Lang) {
    // Storage may be unavailable (private mode); the choice then lasts for this page.
    let _ = LocalStorage::set(LANG, lang.code());
    apply_lang(lang);
    store.dispatch(Action::Lang(lang));
}

/// Sets and keeps the theme.
pub fn set_theme(store: &Store, theme: ThemeChoice) {
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

/// This tab's remembered login.
pub fn remembered_login() -> Option<AccountId> {
    SessionStorage::get::<String>(LOGIN)
        .ok()
        .and_then(|id| AccountId::new(id).ok())
}

/// Remembers this tab's login.
pub fn remember_login(id: &AccountId) {
    let _ = SessionStorage::set(LOGIN, id.as_str());
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
