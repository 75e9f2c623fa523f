//! The first screen: the product name and the five test accounts to log in as (WebIM 1.0
//! had no sign-up; docs/protocol.md, "The five test accounts"). Picking one logs in
//! (webim.js `init`).

use std::rc::Rc;

use stylist::yew::styled_component;
use webim_proto::AccountId;
use webim_proto::test_accounts::TEST_ACCOUNTS;
use yew::prelude::*;

use super::{AccountCard, PrefsToggles, t, use_lang};
use crate::effects::use_login;
use crate::i18n::Phrase;
use crate::store::hooks::use_selector;
use crate::store::{AppState, Login};

/// What the picker needs to know of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickerAccount {
    /// The identifier.
    pub id: AttrValue,
    /// The nick shown as the account's name.
    pub nick: AttrValue,
}

impl PickerAccount {
    /// The five test accounts with their first-run nicks, in the order the picker shows them.
    pub fn first_run() -> Rc<[PickerAccount]> {
        TEST_ACCOUNTS
            .iter()
            .map(|a| PickerAccount {
                id: AttrValue::Static(a.id),
                nick: AttrValue::Static(a.nick),
            })
            .collect()
    }
}

/// Props of [`LoginPicker`].
#[derive(Debug, Properties, PartialEq)]
pub struct LoginPickerProps {
    /// The accounts to offer.
    pub accounts: Rc<[PickerAccount]>,
}

/// The login picker: the product name and one card per test account.
#[styled_component]
pub fn LoginPicker(props: &LoginPickerProps) -> Html {
    let lang = use_lang();
    let effects = use_login();
    let login = use_selector((), |s: &AppState, _| s.login.clone());
    let class = css!(
        r#"
        min-height: 100vh; display: flex; align-items: center; justify-content: center;
        .prefs { position: fixed; top: 12px; right: 12px; }
        padding: 32px 16px;
        .panel { width: 100%; max-width: 420px; }
        h1 { font-size: 32px; font-weight: 700; letter-spacing: -0.5px; }
        .lead { margin: 6px 0 24px; color: var(--webim-muted); }
        ul { display: flex; flex-direction: column; gap: 10px; }
        .error { color: var(--webim-danger); margin-top: 16px; }
        "#
    );
    let on_pick = Callback::from(move |id: AttrValue| {
        if let Ok(id) = AccountId::new(id.as_str()) {
            effects.login(id);
        }
    });
    let busy = match &login {
        Login::InProgress(id) => Some(id.to_string()),
        _ => None,
    };
    html! {
        <main {class}>
            <div class="prefs"><PrefsToggles /></div>
            <div class="panel">
                <h1>{ "WebIM" }</h1>
                <p class="lead" id="picker-lead">
                    { t(lang, if busy.is_some() { Phrase::LoggingIn } else { Phrase::PickAccount }) }
                </p>
                <ul aria-labelledby="picker-lead">
                    { for props.accounts.iter().map(|a| html! {
                        <AccountCard key={a.id.as_str()} id={a.id.clone()} nick={a.nick.clone()}
                            on_pick={on_pick.clone()} busy={busy.as_deref() == Some(a.id.as_str())} />
                    }) }
                </ul>
                if let Login::Failed(why) = &login {
                    <p class="error" role="alert">{ format!("{}: {why}", t(lang, Phrase::LoginFailed)) }</p>
                }
            </div>
        </main>
    }
}
