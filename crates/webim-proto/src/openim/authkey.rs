//! `openim/authkey`: webim.js 1.2 and 1.7 ask it at login for the host and key of voice
//! and file downloads. webim.js 1.7 builds a received file's address from them; the
//! server answers its host and a key for the caller (docs/protocol.md, "Messages").

use serde::{Deserialize, Serialize};

use crate::{Command, Endpoint, Timestamp};

/// The request: `{}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {}

/// The response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `AuthKey`: the caller's download key (empty where none is served).
    #[serde(rename = "AuthKey")]
    pub auth_key: String,
    /// `ExpireTime`: when the ticket expires.
    #[serde(rename = "ExpireTime")]
    pub expire_time: Timestamp,
    /// `IpList`: the download hosts (`host:port`, no scheme).
    #[serde(rename = "IpList")]
    pub ip_list: Vec<String>,
}

impl Endpoint for Request {
    const COMMAND: Command = Command::AuthKey;
    type Response = Response;
}
