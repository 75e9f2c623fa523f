//! The SDK's two doors to the world, each one narrow trait: [`Transport`] carries protocol
//! requests (the network), [`Env`] gives the time, random numbers and a timer. Real
//! implementations live in the app (the embedded backend, HTTP); scripted doubles are in
//! [`crate::testing`].
#![allow(async_fn_in_trait)] // the SDK runs on one thread (the browser's); no Send bound

use webim_proto::{AccountId, Command, Timestamp};

/// webim.js `loginInfo`: who the SDK acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginInfo {
    /// `sdkAppID`: the application's id.
    pub sdk_app_id: u64,
    /// `appIDAt3rd`: the OAuth app id (the same as `sdkAppID` in the demo).
    pub app_id_at_3rd: u64,
    /// `accountType`.
    pub account_type: u32,
    /// `identifier`: the account.
    pub identifier: AccountId,
    /// `userSig`: the account's signature.
    pub user_sig: String,
}

impl LoginInfo {
    /// webim.js demo's `loginInfo` for a test account (sdkAppID 1104620500, accountType 107).
    pub fn demo(identifier: AccountId, user_sig: impl Into<String>) -> Self {
        Self {
            sdk_app_id: 1_104_620_500,
            app_id_at_3rd: 1_104_620_500,
            account_type: 107,
            identifier,
            user_sig: user_sig.into(),
        }
    }
}

/// A request that did not get an answer (webim.js `ajaxRequest`'s error branch).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The service could not be reached (offline, refused, closed database).
    #[error("the service cannot be reached: {0}")]
    Unreachable(String),
    /// An HTTP status other than 200 (webim.js: `[status]请求服务器失败`).
    #[error("[{0}]请求服务器失败")]
    Http(u16),
}

/// Carries one protocol command to the IM service and brings its answer back: the
/// webim.js `ajaxRequest`. A `longpolling` request may take up to its `Timeout`.
pub trait Transport {
    /// POSTs `body` (the command's JSON) as `login`'s account; returns the response JSON.
    async fn request(
        &self,
        command: Command,
        login: &LoginInfo,
        body: String,
    ) -> Result<String, TransportError>;
}

/// What webim.js took from the browser besides the network (`new Date()`, `Math.random`,
/// `setTimeout`): the clock, random numbers
/// and a timer. Passed in, so the SDK itself calls no clock and no RNG.
pub trait Env {
    /// The current Unix time in seconds.
    fn now(&self) -> Timestamp;
    /// A random number (for `MsgRandom`).
    fn random_u32(&self) -> u32;
    /// Waits `ms` milliseconds (the pause before polling again after an error).
    async fn sleep(&self, ms: u32);
}

impl<T: Transport + ?Sized> Transport for std::rc::Rc<T> {
    async fn request(
        &self,
        command: Command,
        login: &LoginInfo,
        body: String,
    ) -> Result<String, TransportError> {
        (**self).request(command, login, body).await
    }
}

impl<T: Env + ?Sized> Env for std::rc::Rc<T> {
    fn now(&self) -> Timestamp {
        (**self).now()
    }

    fn random_u32(&self) -> u32 {
        (**self).random_u32()
    }

    async fn sleep(&self, ms: u32) {
        (**self).sleep(ms).await;
    }
}
