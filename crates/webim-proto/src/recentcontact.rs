//! `recentcontact/get`: the session list as webim.js 1.7 asks it (`getRecentContactList`),
//! newest first, from the same conversations as `getmsg`'s unread counts
//! (docs/protocol.md, "The session list").

use serde::{Deserialize, Serialize};

use crate::{AccountId, Command, Endpoint, MsgRandom, MsgSeq, Timestamp};

/// Most sessions one request may ask for.
pub const MAX_COUNT: u32 = 1000;

int_enum! {
    /// `Type` of a session item.
    pub enum ContactType {
        /// 1: a one-to-one conversation.
        C2c = 1,
        /// 2: a group (never sent here).
        Group = 2,
    }
}

/// The request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// `From_Account`: the caller (the service checks it; it may be left out).
    #[serde(
        rename = "From_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub from_account: Option<AccountId>,
    /// `Count`: how many sessions, newest first (1 to [`MAX_COUNT`]).
    #[serde(rename = "Count")]
    pub count: u32,
}

/// The response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `SessionItem`: newest first.
    #[serde(rename = "SessionItem", default)]
    pub session_item: Vec<SessionItem>,
}

/// One session and its newest message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionItem {
    /// `Type`: always [`ContactType::C2c`].
    #[serde(rename = "Type")]
    pub kind: ContactType,
    /// `To_Account`: the other side.
    #[serde(rename = "To_Account")]
    pub to_account: AccountId,
    /// `MsgSeq` of the newest message.
    #[serde(rename = "MsgSeq")]
    pub msg_seq: MsgSeq,
    /// `MsgRandom` of the newest message.
    #[serde(rename = "MsgRandom")]
    pub msg_random: MsgRandom,
    /// `MsgTimeStamp` of the newest message.
    #[serde(rename = "MsgTimeStamp")]
    pub msg_time_stamp: Timestamp,
    /// `MsgShow`: the newest message as one line of text (emoticons by name).
    #[serde(rename = "MsgShow")]
    pub msg_show: String,
    /// `UnreadMsgCount`: received messages not yet read.
    #[serde(rename = "UnreadMsgCount")]
    pub unread_msg_count: u32,
}

impl Endpoint for Request {
    const COMMAND: Command = Command::RecentContactGet;
    type Response = Response;
}
