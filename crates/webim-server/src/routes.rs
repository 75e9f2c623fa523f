//! The HTTP routes, one router per area: the protocol, the logins, the operator's, the
//! app's files. Every refusal is the
//! protocol's error JSON (`ActionStatus`, `ErrorCode`, `ErrorInfo`) with a fitting HTTP
//! status, never a panic or a bare 500.

pub mod blob;
pub mod body;
pub mod caller;
pub mod login;
pub mod ops;
pub mod protocol;
pub mod web;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use webim_proto::{ErrorCode, Status};

/// A request refused at the door.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status.
    pub status: StatusCode,
    /// The protocol's code.
    pub code: ErrorCode,
    /// A sentence for the developer.
    pub info: String,
}

impl Refusal {
    /// A refusal with `status`, `code` and `info`.
    pub fn new(status: StatusCode, code: ErrorCode, info: impl Into<String>) -> Self {
        Self {
            status,
            code,
            info: info.into(),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = serde_json::to_string(&Status::fail(self.code, self.info)).unwrap_or_default();
        json(self.status, body)
    }
}

/// A 400 refusal with `code`.
pub fn bad(code: ErrorCode, info: impl Into<String>) -> Refusal {
    Refusal::new(StatusCode::BAD_REQUEST, code, info)
}

/// A JSON response.
pub fn json(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// The answer to a path that is neither the protocol, a login nor a file of the app.
pub async fn not_found() -> Refusal {
    Refusal::new(
        StatusCode::NOT_FOUND,
        ErrorCode::NoSuchCommand,
        "no such path: the protocol is POST /v4/openim/{command}, /v3/sns/{command}, \
         /v3/profile/{command} (or /v4/… for every service, as webim.js 1.7 sends them)",
    )
}
