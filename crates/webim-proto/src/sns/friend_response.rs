//! `sns/friend_response`: answer friend requests (webim.js `responseFriend`,
//! docs/protocol.md).

use serde::{Deserialize, Serialize};

use super::ResponseAction;
use crate::{AccountId, BatchResponse, Command, Endpoint};

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
    /// `ResponseFriendItem`: one per request answered.
    #[serde(rename = "ResponseFriendItem")]
    pub response_friend_item: Vec<ResponseFriendItem>,
}

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseFriendItem {
    /// `To_Account`: who asked.
    #[serde(rename = "To_Account")]
    pub to_account: AccountId,
    /// `Remark`: my remark on them (≤ 96 bytes).
    #[serde(rename = "Remark", default, skip_serializing_if = "String::is_empty")]
    pub remark: String,
    /// `ResponseAction`.
    #[serde(rename = "ResponseAction")]
    pub response_action: ResponseAction,
}

/// The response: one `ResultItem` per answer.
pub type Response = BatchResponse;

impl Endpoint for Request {
    const COMMAND: Command = Command::FriendResponse;
    type Response = Response;
}
