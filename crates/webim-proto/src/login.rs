//! The server's own doors in, beside Tencent's protocol (which assumes the app's backend
//! mints userSigs): a password login, the demo's one-click login for the five test
//! accounts, and the configuration a page reads to know it runs behind a server. The field
//! names follow the protocol's style.

use serde::{Deserialize, Serialize};

use crate::AccountId;

/// `POST /login`: an identifier and a password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordLogin {
    /// The account (as typed; it may not be a valid identifier).
    #[serde(rename = "Identifier")]
    pub identifier: String,
    /// The password.
    #[serde(rename = "Password")]
    pub password: String,
}

/// `POST /demo/login`: one of the test accounts (demo mode only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoLogin {
    /// The test account.
    #[serde(rename = "Identifier")]
    pub identifier: String,
}

/// What a successful login answers (inside a [`crate::Reply`]): the `loginInfo` fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    /// `identifier`.
    #[serde(rename = "Identifier")]
    pub identifier: AccountId,
    /// `userSig`, in TLSSigAPIv2 format.
    #[serde(rename = "UserSig")]
    pub user_sig: String,
    /// `sdkAppID`.
    #[serde(rename = "SdkAppID")]
    pub sdk_app_id: u64,
    /// Seconds the sig stays valid from now.
    #[serde(rename = "Expire")]
    pub expire: u64,
}

/// The id of the `<script type="application/json">` element that carries a
/// [`ServerConfig`] in a page the server serves (the server writes it, the app reads it).
pub const CONFIG_ELEMENT_ID: &str = "webim-config";

/// What the server tells the page about itself (`GET /webim/config`, and embedded in the
/// page it serves as `<script id="webim-config" type="application/json">`). A static host
/// has none: the page then runs the service in the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerConfig {
    /// `sdkAppID` of this server.
    #[serde(rename = "SdkAppID")]
    pub sdk_app_id: u64,
    /// True in demo mode: the five test accounts log in with one click.
    #[serde(rename = "Demo")]
    pub demo: bool,
}
