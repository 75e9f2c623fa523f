//! The SDK's two doors to the world, each one narrow trait: [`Transport`] carries protocol
//! requests (the network), [`Env`] gives the time, random numbers and a timer. Real
//! implementations live in the app (the embedded backend, HTTP); scripted doubles are in
//! [`crate::testing`].
//!
//! The transport carries the protocol's values, not text: a transport that crosses HTTP
//! writes and reads the protocol's JSON ([`to_json`], [`from_json`]); one that stays inside
//! the browser hands the values over in its own form, with no JSON made at all.
#![allow(async_fn_in_trait)] // the SDK runs on one thread (the browser's); no Send bound

use serde::de::DeserializeOwned;
use webim_proto::{AccountId, Endpoint, Status, Timestamp};

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
    /// The request cannot be written in the transport's form (nothing was sent).
    #[error("the request cannot be encoded: {0}")]
    Unencodable(String),
    /// An answer came, but it is not a WebIM reply of the command's shape.
    #[error("{0}")]
    Garbled(String),
}

/// What the service answered: on `ActionStatus: OK` the command's own fields, otherwise
/// its status (`ErrorCode`, `ErrorInfo`).
pub type Answer<B> = Result<B, Status>;

/// Carries one protocol request to the IM service and brings its answer back: the
/// webim.js `ajaxRequest`. A `longpolling` request may take up to its `Timeout`.
pub trait Transport {
    /// Sends `request` (its command is `R::COMMAND`) as `login`'s account.
    async fn request<R: Endpoint>(
        &self,
        login: &LoginInfo,
        request: &R,
    ) -> Result<Answer<R::Response>, TransportError>;
}

/// A request as the protocol's JSON body, for a transport that crosses HTTP.
pub fn to_json<R: Endpoint>(request: &R) -> Result<String, TransportError> {
    serde_json::to_string(request).map_err(|e| TransportError::Unencodable(e.to_string()))
}

/// Reads the protocol's JSON answer: a `FAIL` status is the service's refusal; an `OK`
/// one must carry the command's fields.
pub fn from_json<B: DeserializeOwned>(text: &str) -> Result<Answer<B>, TransportError> {
    let status: Status = serde_json::from_str(text).map_err(|e| {
        TransportError::Garbled(format!("the service's answer is not a WebIM reply: {e}"))
    })?;
    if !status.is_ok() {
        return Ok(Err(status));
    }
    // The command's fields sit beside the status fields (ignored here): read straight,
    // without `Reply`'s flattening and the buffering it costs.
    serde_json::from_str::<B>(text)
        .map(Ok)
        .map_err(|e| TransportError::Garbled(format!("the service's answer does not parse: {e}")))
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
    async fn request<R: Endpoint>(
        &self,
        login: &LoginInfo,
        request: &R,
    ) -> Result<Answer<R::Response>, TransportError> {
        (**self).request(login, request).await
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
