//! `openim/getmsg`: pull new C2C messages in pages (webim.js `syncMsgs`, docs/protocol.md, "Sync").
//!
//! An empty `Cookie` starts a sync for one client; while the reply's `SyncFlag` is
//! [`SyncFlag::More`] the client asks again with the reply's `Cookie`.

use serde::{Deserialize, Serialize};

use crate::{AccountId, C2cMsg, Command, Endpoint};

int_enum! {
    /// `SyncFlag`: where a pull stands.
    #[derive(Default)]
    pub enum SyncFlag {
        /// 0: a new pull (what the client sends to start).
        #[default]
        Start = 0,
        /// 1: more messages are waiting: ask again with the returned `Cookie`.
        More = 1,
        /// 2: the pull is finished.
        Done = 2,
    }
}

/// The request: `{Cookie, SyncFlag}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// `Cookie`: the position returned by the last pull; empty for a fresh start.
    #[serde(rename = "Cookie", default)]
    pub cookie: String,
    /// `SyncFlag`: the last reply's flag, or 0.
    #[serde(rename = "SyncFlag", default)]
    pub sync_flag: SyncFlag,
}

/// The response: a page of messages and where to continue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `MsgList`: the messages of this page, oldest first.
    #[serde(rename = "MsgList", default)]
    pub msg_list: Vec<C2cMsg>,
    /// `Cookie`: the position after this page.
    #[serde(rename = "Cookie")]
    pub cookie: String,
    /// `SyncFlag`: [`SyncFlag::More`] or [`SyncFlag::Done`].
    #[serde(rename = "SyncFlag")]
    pub sync_flag: SyncFlag,
    /// `C2CUnreadList`: on the first page of a sync started with an empty cookie, every
    /// conversation with unread messages and how many (the service keeps read positions, so
    /// unread is right after a reload and in every tab). Not in WebIM 1.0.
    #[serde(
        rename = "C2CUnreadList",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub unread_list: Vec<UnreadItem>,
}

/// One conversation's unread count at the start of a sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreadItem {
    /// `Peer_Account`: the other side of the conversation.
    #[serde(rename = "Peer_Account")]
    pub peer_account: AccountId,
    /// `UnreadCount`: received messages after the last read report.
    #[serde(rename = "UnreadCount")]
    pub unread_count: u32,
}

impl Endpoint for Request {
    const COMMAND: Command = Command::GetMsg;
    type Response = Response;
}
