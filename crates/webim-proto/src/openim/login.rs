//! `openim/login`: webim.js 1.7's first call, with `identifier` and `usersig` in the
//! query. The server answers a `TinyId` (stable per account) and an `A2Key`, the session
//! credential that every later call presents as `tinyid` and `a2` instead of the userSig
//! (docs/protocol.md, "Logging in as 1.7 does"). The shell answers it, not the service:
//! only the shell holds the signing key.

use serde::{Deserialize, Serialize};

/// The request: `{"State": "Online"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// `State`: `"Online"`.
    #[serde(rename = "State", default)]
    pub state: String,
}

/// The response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `TinyId`: the account's number, the same at every login.
    #[serde(rename = "TinyId")]
    pub tiny_id: u64,
    /// `A2Key`: the session credential.
    #[serde(rename = "A2Key")]
    pub a2_key: String,
}
