//! `openim/authkey`: webim.js 1.2 and 1.7 ask it at login for the addresses and ticket of
//! picture, voice and file downloads. This product has no such messages yet, so the
//! answer names no download address and an empty ticket: the SDKs keep them and never
//! use them (docs/protocol.md, "Answered so that logins work").

use serde::{Deserialize, Serialize};

use crate::{Command, Endpoint, Timestamp};

/// The request: `{}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {}

/// The response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `AuthKey`: the download ticket (empty: nothing to download).
    #[serde(rename = "AuthKey")]
    pub auth_key: String,
    /// `ExpireTime`: when the ticket expires.
    #[serde(rename = "ExpireTime")]
    pub expire_time: Timestamp,
    /// `IpList`: download hosts (none).
    #[serde(rename = "IpList")]
    pub ip_list: Vec<String>,
}

impl Endpoint for Request {
    const COMMAND: Command = Command::AuthKey;
    type Response = Response;
}
