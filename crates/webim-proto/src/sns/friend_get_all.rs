//! `sns/friend_get_all`: the friend list, in pages (webim.js `getAllFriend`,
//! docs/protocol.md).

use serde::{Deserialize, Serialize};

use super::NeedUpdateAll;
use crate::{AccountId, Command, Endpoint, Tag, TagValue, Timestamp};

/// Largest page (`GetCount`): Tencent's official 1.7 demo asks for 200 at once.
pub const MAX_PAGE: u32 = 1000;
/// The page when `GetCount` is left out.
pub const DEFAULT_PAGE: u32 = 100;

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
    /// `TimeStamp`: time of the last pull; 0 for everything.
    #[serde(rename = "TimeStamp", default)]
    pub time_stamp: Timestamp,
    /// `StartIndex`: offset into the list.
    #[serde(rename = "StartIndex", default)]
    pub start_index: u32,
    /// `TagList`: profile and friendship tags wanted for each friend.
    #[serde(rename = "TagList", default)]
    pub tag_list: Vec<Tag>,
    /// `LastStandardSequence`: the list version held; 0 for all.
    #[serde(rename = "LastStandardSequence", default)]
    pub last_standard_sequence: u64,
    /// `GetCount`: page size, 1 to [`MAX_PAGE`].
    #[serde(rename = "GetCount", default = "default_count")]
    pub get_count: u32,
}

fn default_count() -> u32 {
    DEFAULT_PAGE
}

/// The response: one page of friends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `NeedUpdateAll`.
    #[serde(rename = "NeedUpdateAll")]
    pub need_update_all: NeedUpdateAll,
    /// `TimeStampNow`: send it back as the next `TimeStamp`.
    #[serde(rename = "TimeStampNow")]
    pub time_stamp_now: Timestamp,
    /// `StartIndex`: the next offset; 0 when the list is complete.
    #[serde(rename = "StartIndex")]
    pub start_index: u32,
    /// `InfoItem`: the friends of this page.
    #[serde(rename = "InfoItem", default)]
    pub info_item: Vec<InfoItem>,
    /// `CurrentStandardSequence`: the list version now.
    #[serde(rename = "CurrentStandardSequence", default)]
    pub current_standard_sequence: u64,
    /// `FriendNum`: how many friends in all.
    #[serde(rename = "FriendNum")]
    pub friend_num: u32,
}

/// One friend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InfoItem {
    /// `Info_Account`: the friend.
    #[serde(rename = "Info_Account")]
    pub info_account: AccountId,
    /// `SnsProfileItem`: the requested tags that have a value.
    #[serde(rename = "SnsProfileItem", default)]
    pub sns_profile_item: Vec<TagValue>,
}

impl Endpoint for Request {
    const COMMAND: Command = Command::FriendGetAll;
    type Response = Response;
}
