//! The server backend, from the page's side: the SDK's HTTP transport, long polls shared
//! between tabs, and the server's own logins (a password, or a test account in demo mode)
//! that answer a userSig.

mod fetch;
pub mod poll_share;
mod transport;

use serde::de::DeserializeOwned;
use webim_js_values as values;
use webim_proto::login::{DemoLogin, PasswordLogin, ServerConfig, Signed};
use webim_proto::{AccountId, ErrorCode};
use webim_sdk::LoginInfo;

pub use poll_share::PollShare;
pub use transport::HttpTransport;

/// A login's answer arrives within this long.
const LOGIN_TIMEOUT_MS: u32 = 20_000;

/// Why a login did not give a userSig.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginError {
    /// The server refused, with its code and sentence.
    Refused(ErrorCode, String),
    /// The server cannot be reached.
    Unreachable(String),
}

async fn post<B: serde::Serialize, R: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<R, LoginError> {
    let body = values::to_js(body).map_err(LoginError::Unreachable)?;
    let (status, answer) = fetch::post_json(path, &body, LOGIN_TIMEOUT_MS)
        .await
        .map_err(|e| LoginError::Unreachable(e.0))?;
    match answer.map(values::answer::<R>) {
        Ok(Ok(Ok(body))) => Ok(body),
        Ok(Ok(Err(s))) => Err(LoginError::Refused(s.error_code, s.error_info)),
        Ok(Err(e)) if status == 200 => {
            Err(LoginError::Unreachable(format!("unexpected answer: {e}")))
        }
        _ => Err(LoginError::Unreachable(format!("HTTP {status}"))),
    }
}

/// `POST /login`: a userSig for the identifier and password.
pub async fn password_login(identifier: &str, password: &str) -> Result<Signed, LoginError> {
    let body = PasswordLogin {
        identifier: identifier.to_owned(),
        password: password.to_owned(),
    };
    post("/login", &body).await
}

/// `POST /demo/login`: a userSig for a test account (demo mode).
pub async fn demo_login(identifier: &str) -> Result<Signed, LoginError> {
    let body = DemoLogin {
        identifier: identifier.to_owned(),
    };
    post("/demo/login", &body).await
}

/// webim.js `loginInfo` for `identifier` signed with `user_sig` by the server.
pub fn login_info(config: &ServerConfig, identifier: AccountId, user_sig: String) -> LoginInfo {
    LoginInfo {
        sdk_app_id: config.sdk_app_id,
        app_id_at_3rd: config.sdk_app_id,
        account_type: 0,
        identifier,
        user_sig,
    }
}
