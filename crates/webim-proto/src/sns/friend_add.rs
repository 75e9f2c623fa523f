//! `sns/friend_add`: ask to add friends (webim.js `applyAddFriend`, docs/protocol.md).
//! AllowAny makes friends at once, NeedConfirm creates a request (30539), DenyAny refuses.

use serde::{Deserialize, Serialize};

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
    /// `AddFriendItem`: one per account to add.
    #[serde(rename = "AddFriendItem")]
    pub add_friend_item: Vec<AddFriendItem>,
}

/// One account to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddFriendItem {
    /// `To_Account`.
    #[serde(rename = "To_Account")]
    pub to_account: AccountId,
    /// `Remark`: my remark on them (≤ 96 bytes).
    #[serde(rename = "Remark", default, skip_serializing_if = "String::is_empty")]
    pub remark: String,
    /// `AddSource`: `AddSource_Type_` and a keyword.
    #[serde(rename = "AddSource")]
    pub add_source: String,
    /// `AddWording`: the message sent with the request (≤ 120 bytes).
    #[serde(
        rename = "AddWording",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub add_wording: String,
}

/// The response: one `ResultItem` per account.
pub type Response = BatchResponse;

impl Endpoint for Request {
    const COMMAND: Command = Command::FriendAdd;
    type Response = Response;
}
