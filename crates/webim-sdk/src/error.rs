//! The SDK's one error type: what webim.js passed to `cbErr`, typed. It keeps the
//! protocol's `ErrorCode` and `ErrorInfo`, and for batch calls the per-account lines.

use webim_proto::{ErrorCode, ResultItem};

/// Where an error came from, which decides whether trying again can help (webim.js told
/// these apart only by the `ErrorInfo` text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorOrigin {
    /// The SDK refused before sending anything (not logged in, bad input).
    Local,
    /// The transport failed: the service may not have seen the request.
    Transport,
    /// The service answered with a failure.
    Service,
    /// Not sent yet: the message waits behind an earlier one that could not be delivered,
    /// and leaves when that one is retried. Not a failure of this message.
    Held,
}

/// A failed SDK call (webim.js `cbErr(err)` with `err.ErrorCode` and `err.ErrorInfo`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("[{code}]{info}")]
pub struct WebimError {
    /// `ErrorCode`.
    pub code: ErrorCode,
    /// `ErrorInfo`. For a batch failure (99999): one `[code]info` line per failed account.
    pub info: String,
    /// Where it came from.
    pub origin: ErrorOrigin,
    /// For a batch failure: every account's line (`ResultItem`), failed or not.
    pub results: Vec<ResultItem>,
}

/// `Result` with [`WebimError`].
pub type Result<T, E = WebimError> = std::result::Result<T, E>;

impl WebimError {
    /// An error the SDK raises itself, before any request (webim.js `Tool.getReturnError`).
    pub fn local(code: ErrorCode, info: impl Into<String>) -> Self {
        Self {
            code,
            info: info.into(),
            origin: ErrorOrigin::Local,
            results: Vec::new(),
        }
    }

    /// -4: a call before `init` or after `offline` (webim.js 1.7's `请登录`).
    pub fn not_logged_in() -> Self {
        Self::local(ErrorCode::NotLoggedIn, "请登录 (not logged in)")
    }

    /// The service answered `ActionStatus: FAIL` (webim.js `cbErr(resp)`).
    pub fn service(code: ErrorCode, info: impl Into<String>) -> Self {
        Self {
            code,
            info: info.into(),
            origin: ErrorOrigin::Service,
            results: Vec::new(),
        }
    }

    /// The transport could not deliver the request or its answer (webim.js
    /// `[status]请求服务器失败`).
    pub fn transport(info: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::NetworkError,
            info: info.into(),
            origin: ErrorOrigin::Transport,
            results: Vec::new(),
        }
    }

    /// True for transport errors (webim.js: no `ErrorCode`): the request may not have reached the
    /// service, so sending it again (with the same identity) is safe and may succeed.
    pub fn is_transient(&self) -> bool {
        self.origin == ErrorOrigin::Transport
    }

    /// True for a message held in the send queue behind an undelivered one: it is still
    /// pending and will be sent; nothing failed.
    pub fn is_held(&self) -> bool {
        self.origin == ErrorOrigin::Held
    }
}
