//! `openim/longpollinglogout`: webim.js 1.7's `logout` for one client; its A2Key ends
//! (docs/protocol.md, "Logging in as 1.7 does").

use serde::{Deserialize, Serialize};

use crate::{Command, Endpoint};

/// The request: `{LongPollingId}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// `LongPollingId`: the client's, as `getlongpollingid` gave it (may be null).
    #[serde(rename = "LongPollingId", default)]
    pub long_polling_id: Option<String>,
}

/// The response: only the status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {}

impl Endpoint for Request {
    const COMMAND: Command = Command::LongPollingLogout;
    type Response = Response;
}
