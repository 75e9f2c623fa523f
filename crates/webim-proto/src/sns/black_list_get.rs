//! `sns/black_list_get`: my blacklist, in pages (webim.js `getBlackList`, docs/protocol.md).
//! Items are `{To_Account, AddBlackTimeStamp}` (docs/protocol.md).

use serde::{Deserialize, Serialize};

use crate::{AccountId, Command, Endpoint, Timestamp};

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
    /// `StartIndex`: offset into the list.
    #[serde(rename = "StartIndex", default)]
    pub start_index: u32,
    /// `MaxLimited`: page size; 0 for all.
    #[serde(rename = "MaxLimited", default)]
    pub max_limited: u32,
    /// `LastSequence`: the list version held; 0 for all.
    #[serde(rename = "LastSequence", default)]
    pub last_sequence: u64,
}

/// The response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `BlackListItem`.
    #[serde(rename = "BlackListItem", default)]
    pub black_list_item: Vec<BlackListItem>,
    /// `StartIndex`: the next offset; 0 when the list is complete.
    #[serde(rename = "StartIndex", default)]
    pub start_index: u32,
    /// `CurrentSequence`: the list version now.
    #[serde(rename = "CurrentSequence", default)]
    pub current_sequence: u64,
}

/// One blacklisted account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlackListItem {
    /// `To_Account`.
    #[serde(rename = "To_Account")]
    pub to_account: AccountId,
    /// `AddBlackTimeStamp`: when it was added.
    #[serde(rename = "AddBlackTimeStamp")]
    pub add_black_time_stamp: Timestamp,
}

impl Endpoint for Request {
    const COMMAND: Command = Command::BlackListGet;
    type Response = Response;
}
