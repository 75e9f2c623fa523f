//! The first screen behind a server without demo mode: an account and a password. The
//! server answers a userSig (or a refusal that never says which of the two was wrong).

use stylist::yew::styled_component;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{PrefsToggles, t, use_lang};
use crate::effects::use_login;
use crate::i18n::Phrase;
use crate::store::hooks::use_selector;
use crate::store::{AppState, Login};

/// The login form.
#[styled_component]
pub fn LoginForm() -> Html {
    let lang = use_lang();
    let effects = use_login();
    let login = use_selector((), |s: &AppState, _| s.login.clone());
    let account = use_node_ref();
    let password = use_node_ref();
    let incomplete = use_state(|| false);
    let busy = matches!(login, Login::InProgress(_));
    let onsubmit = {
        let (account, password, incomplete) =
            (account.clone(), password.clone(), incomplete.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let (id, secret) = (value(&account).trim().to_owned(), value(&password));
            if id.is_empty() || secret.is_empty() {
                incomplete.set(true);
                return;
            }
            incomplete.set(false);
            effects.login_with_password(id, secret);
        })
    };
    let class = css!(
        r#"
        min-height: 100vh; display: flex; align-items: center; justify-content: center;
        .prefs { position: fixed; top: 12px; right: 12px; }
        padding: 32px 16px;
        form { width: 100%; max-width: 380px; display: flex; flex-direction: column; gap: 14px; }
        h1 { font-size: 32px; font-weight: 700; letter-spacing: -0.5px; }
        .lead { color: var(--webim-muted); margin-bottom: 6px; }
        label { display: flex; flex-direction: column; gap: 6px; font-weight: 600; }
        input {
            padding: 10px 12px; border: 1px solid var(--webim-border); border-radius: 10px;
            background: var(--webim-surface); font-weight: 400;
        }
        button {
            border: 0; border-radius: 10px; padding: 11px 14px; cursor: pointer; font-weight: 600;
            background: var(--webim-accent); color: var(--webim-accent-text);
        }
        button[disabled] { opacity: 0.7; cursor: progress; }
        .error { color: var(--webim-danger); }
        "#
    );
    let error = match (&login, *incomplete) {
        (_, true) => Some(t(lang, Phrase::LoginIncomplete).to_owned()),
        (Login::Failed(why), _) => Some(format!("{}: {why}", t(lang, Phrase::LoginFailed))),
        _ => None,
    };
    html! {
        <main {class}>
            <div class="prefs"><PrefsToggles /></div>
            <form id="login-form" {onsubmit} aria-busy={busy.to_string()} novalidate=true>
                <h1>{ "WebIM" }</h1>
                <p class="lead">{ t(lang, if busy { Phrase::LoggingIn } else { Phrase::LoginLead }) }</p>
                <label>{ t(lang, Phrase::Account) }
                    <input ref={account} id="login-account" name="username" autocomplete="username"
                        autocapitalize="none" spellcheck="false" />
                </label>
                <label>{ t(lang, Phrase::Password) }
                    <input ref={password} id="login-password" name="password" type="password"
                        autocomplete="current-password" />
                </label>
                <button type="submit" id="login-submit" disabled={busy}>{ t(lang, Phrase::LogIn) }</button>
                if let Some(error) = error {
                    <p class="error" role="alert" id="login-error">{ error }</p>
                }
            </form>
        </main>
    }
}
