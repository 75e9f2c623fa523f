//! `sns/pendency_get`: friend requests sent to me or by me (webim.js `getPendency`, the
//! seed's `getPending`; docs/protocol.md).

use serde::{Deserialize, Serialize};

use super::PendencyType;
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
    /// `PendencyType`: incoming or outgoing.
    #[serde(rename = "PendencyType")]
    pub pendency_type: PendencyType,
    /// `StartTime`: only requests from this time on; 0 for all.
    #[serde(rename = "StartTime", default)]
    pub start_time: Timestamp,
    /// `MaxLimited`: most items wanted; 0 for no limit.
    #[serde(rename = "MaxLimited", default)]
    pub max_limited: u32,
    /// `LastSequence`: the list version held; 0 for all.
    #[serde(rename = "LastSequence", default)]
    pub last_sequence: u64,
}

/// The response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `PendencyItem`: newest first.
    #[serde(rename = "PendencyItem", default)]
    pub pendency_item: Vec<PendencyItem>,
    /// `StartTime`: the time to pass next.
    #[serde(rename = "StartTime", default)]
    pub start_time: Timestamp,
    /// `UnreadPendencyCount`: incoming requests not yet seen.
    #[serde(rename = "UnreadPendencyCount", default)]
    pub unread_pendency_count: u32,
    /// `CurrentSequence`: the list version now.
    #[serde(rename = "CurrentSequence", default)]
    pub current_sequence: u64,
}

/// One friend request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendencyItem {
    /// `To_Account`: the other party.
    #[serde(rename = "To_Account")]
    pub to_account: AccountId,
    /// `AddTime`: when it was made.
    #[serde(rename = "AddTime")]
    pub add_time: Timestamp,
    /// `AddSource`.
    #[serde(rename = "AddSource", default)]
    pub add_source: String,
    /// `AddWording`: the requester's message.
    #[serde(rename = "AddWording", default)]
    pub add_wording: String,
    /// `Nick`: the other party's nick.
    #[serde(rename = "Nick", default)]
    pub nick: String,
}

impl Endpoint for Request {
    const COMMAND: Command = Command::PendencyGet;
    type Response = Response;
}
