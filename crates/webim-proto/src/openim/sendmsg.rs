//! `openim/sendmsg`: send one C2C message (webim.js `sendMsg`, docs/protocol.md).

use serde::{Deserialize, Serialize};

use crate::{C2cMsg, Command, Endpoint, Timestamp};

/// The request is the message itself. The service takes `From_Account` from the caller
/// and refuses a request naming someone else (20003).
pub type Request = C2cMsg;

/// The response: the status, and the time the service stored the message at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `MsgTime`: when the service accepted the message (seconds). Absent from 1.x replies.
    #[serde(rename = "MsgTime", default, skip_serializing_if = "Option::is_none")]
    pub msg_time: Option<Timestamp>,
}

impl Endpoint for C2cMsg {
    const COMMAND: Command = Command::SendMsg;
    type Response = Response;
}
