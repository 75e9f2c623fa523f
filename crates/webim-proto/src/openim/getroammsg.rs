//! `openim/getroammsg`: the history of one conversation, newest first, in pages. Not in
//! WebIM 1.0 (this product adds it; docs/protocol.md, "History"), shaped after Tencent
//! IM's roaming-message call.

use serde::{Deserialize, Serialize};

use crate::{AccountId, C2cMsg, Command, Endpoint};

/// Most messages one page may hold.
pub const MAX_PAGE: u32 = 100;

/// The request: the peer, a page size and where the previous page ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// `Peer_Account`: the other side of the conversation.
    #[serde(rename = "Peer_Account")]
    pub peer_account: AccountId,
    /// `MaxCnt`: page size, 1 to [`MAX_PAGE`].
    #[serde(rename = "MaxCnt")]
    pub max_cnt: u32,
    /// `LastMsgKey`: the previous page's `LastMsgKey`; empty (or null) for the newest
    /// page. webim.js 1.7 names it `MsgKey`.
    #[serde(
        rename = "LastMsgKey",
        alias = "MsgKey",
        default,
        deserialize_with = "null_as_empty"
    )]
    pub last_msg_key: String,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

int_enum! {
    /// `Complete`: whether this page reaches the start of the conversation.
    pub enum Complete {
        /// 0: older messages remain.
        No = 0,
        /// 1: nothing older remains.
        Yes = 1,
    }
}

/// The response: one page, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `Complete`.
    #[serde(rename = "Complete")]
    pub complete: Complete,
    /// `MsgCnt`: how many messages this page holds.
    #[serde(rename = "MsgCnt")]
    pub msg_cnt: u32,
    /// `LastMsgKey`: pass it back to get the next older page.
    #[serde(rename = "LastMsgKey")]
    pub last_msg_key: String,
    /// `MsgList`: the messages, newest first.
    #[serde(rename = "MsgList")]
    pub msg_list: Vec<C2cMsg>,
    /// `MaxCnt`: the page's count, as webim.js 1.7 reads it (for 1.7 only).
    #[serde(rename = "MaxCnt", default, skip_serializing_if = "Option::is_none")]
    pub max_cnt: Option<u32>,
    /// `MsgKey`: `LastMsgKey`, as webim.js 1.7 reads it (for 1.7 only).
    #[serde(rename = "MsgKey", default, skip_serializing_if = "Option::is_none")]
    pub msg_key: Option<String>,
    /// `LastMsgTime`: the page's oldest message's time (for 1.7 only).
    #[serde(
        rename = "LastMsgTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_msg_time: Option<crate::Timestamp>,
}

impl Endpoint for Request {
    const COMMAND: Command = Command::GetRoamMsg;
    type Response = Response;
}
