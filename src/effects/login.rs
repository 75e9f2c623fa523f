//! Logging in on either backend: a test account from the picker (the embedded service, or
//! a server in demo mode, which answers its userSig), a password (a server without demo
//! mode), or this tab's remembered login after a reload (a server's sig is reused until it
//! expires). A refused sig sends the person back to the login screen with a sentence.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use webim_proto::login::{ServerConfig, Signed};
use webim_proto::{AccountId, ErrorCode};
use webim_sdk::LoginInfo;

use super::{Effects, handle, prefs};
use crate::backends::Mode;
use crate::i18n::code_sentence;
use crate::remote::{self, LoginError};
use crate::store::Action;

/// Codes that mean the sig itself is no good: log in afresh.
fn sig_refused(code: ErrorCode) -> bool {
    use ErrorCode as C;
    matches!(
        code,
        C::SigExpired
            | C::SigMissing
            | C::SigMalformed
            | C::SigForged
            | C::SigOtherIdentity
            | C::SigOtherApp
            | C::NoSuchSdkAppId
            | C::AccountDisabled
            | C::NoSuchAccount
            | C::SignatureInvalid
    )
}

handle!(
    /// Logging in and out.
    LoginHandle,
    use_login
);

impl LoginHandle {
    /// Logs in as a test account (the picker): webim.js `init` with its sig. Where it
    /// stands is the store's `login`.
    pub fn login(&self, id: AccountId) {
        self.0.login(id);
    }

    /// Logs in with an identifier and a password (a server without demo mode).
    pub fn login_with_password(&self, identifier: String, password: String) {
        let fx = &self.0;
        let Mode::Server(config) = fx.mode.clone() else {
            return;
        };
        if let Ok(id) = AccountId::new(identifier.as_str()) {
            fx.store.dispatch(Action::LoginStarted(id));
        }
        let this = Rc::clone(fx);
        spawn_local(async move {
            let login = remote::password_login(&identifier, &password)
                .await
                .map(|signed| signed_in(&config, signed));
            this.finish(login).await;
        });
    }

    /// Logs out (webim.js `offline`) and returns to the picker.
    pub fn logout(&self) {
        self.0.end_session();
    }
}

impl Effects {
    fn login(self: &Rc<Self>, id: AccountId) {
        self.store.dispatch(Action::LoginStarted(id.clone()));
        let this = Rc::clone(self);
        spawn_local(async move {
            let login = match &this.mode {
                Mode::Embedded => Ok((LoginInfo::demo(id, "webim"), None)),
                Mode::Server(config) => remote::demo_login(id.as_str())
                    .await
                    .map(|signed| signed_in(config, signed)),
            };
            this.finish(login).await;
        });
    }

    /// Logs in again as this tab was before a reload.
    pub(super) fn resume(self: &Rc<Self>, remembered: prefs::Remembered) {
        let Ok(id) = AccountId::new(remembered.id.as_str()) else {
            prefs::forget_login();
            return;
        };
        match (&self.mode, remembered.valid_sig(now())) {
            (Mode::Server(config), Some(sig)) => {
                let login = remote::login_info(config, id.clone(), sig);
                self.store.dispatch(Action::LoginStarted(id));
                let this = Rc::clone(self);
                let expires = remembered.expires;
                spawn_local(async move { this.finish(Ok((login, expires))).await });
            }
            (Mode::Server(config), None) if !config.demo => prefs::forget_login(),
            _ => self.login(id),
        }
    }

    async fn finish(self: &Rc<Self>, login: Result<(LoginInfo, Option<u64>), LoginError>) {
        let lang = self.store.state().lang;
        let outcome = match login {
            Ok((login, expires)) => self.init(login, expires).await,
            Err(LoginError::Refused(code, _)) => Err(code_sentence(lang, code)),
            Err(LoginError::Unreachable(why)) => Err(format!(
                "{} ({why})",
                code_sentence(lang, ErrorCode::NetworkError)
            )),
        };
        if let Err(why) = outcome {
            prefs::forget_login();
            self.store.dispatch(Action::LoginFailed(why));
        }
    }

    /// webim.js `init`: starts the client, remembers the login (and until when a server's
    /// sig is good) for this tab.
    async fn init(self: &Rc<Self>, login: LoginInfo, expires: Option<u64>) -> Result<(), String> {
        let client = self.new_client();
        let id = login.identifier.clone();
        let remembered = prefs::Remembered::of(&login, expires);
        match client.init(login, Some(self.listener())).await {
            Err(e) if sig_refused(e.code) => {
                return Err(code_sentence(self.store.state().lang, e.code));
            }
            Err(e) if !e.is_transient() => return Err(e.to_string()),
            // Unreachable for now: logged in all the same; the client keeps trying.
            _ => {}
        }
        self.started(client, &id);
        prefs::remember_login(&remembered);
        Ok(())
    }
}

/// A server's answer as `loginInfo`, with when its sig expires.
fn signed_in(config: &ServerConfig, signed: Signed) -> (LoginInfo, Option<u64>) {
    let expires = now().saturating_add(signed.expire);
    let login = remote::login_info(config, signed.identifier, signed.user_sig);
    (login, Some(expires))
}

/// The browser's clock in Unix seconds.
fn now() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}
