//! `openim/msgreaded`: the C2C read report (webim.js `setAutoRead` / `c2CMsgReaded`,
//! docs/protocol.md, "Read reports"). Note the wire's spelling `LastedMsgTime`.

use serde::{Deserialize, Serialize};

use crate::{AccountId, Command, Endpoint, Timestamp};

/// Most items one read report may carry (one per conversation; the SDKs send one).
pub const MAX_ITEMS: usize = 100;

/// The request: `{C2CMsgReaded: {Cookie, C2CMsgReadedItem: [...]}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// `C2CMsgReaded`.
    #[serde(rename = "C2CMsgReaded")]
    pub c2c_msg_readed: C2cMsgReaded,
}

/// `C2CMsgReaded`: the reader's sync cookie and one item per conversation read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct C2cMsgReaded {
    /// `Cookie`: `MsgStore`'s current cookie (informational).
    #[serde(rename = "Cookie", default)]
    pub cookie: String,
    /// `C2CMsgReadedItem`.
    #[serde(rename = "C2CMsgReadedItem")]
    pub items: Vec<C2cMsgReadedItem>,
}

/// One conversation read up to a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct C2cMsgReadedItem {
    /// `To_Account`: the peer of the conversation.
    #[serde(rename = "To_Account")]
    pub to_account: AccountId,
    /// `LastedMsgTime`: everything up to this time is read (the session's `time()`).
    #[serde(rename = "LastedMsgTime")]
    pub lasted_msg_time: Timestamp,
}

/// The response: only the status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {}

impl Endpoint for Request {
    const COMMAND: Command = Command::MsgReaded;
    type Response = Response;
}
