//! `profile/portrait_get`: read the profiles of accounts (webim.js `getProfilePortrait`,
//! docs/protocol.md). Batch: one `UserProfileItem` per requested account.

use serde::{Deserialize, Serialize};

use crate::{AccountId, Command, Endpoint, ErrorCode, Tag, TagValue};

/// Most accounts one request may name.
pub const MAX_ACCOUNTS: usize = 100;

/// The request: whose profiles, which tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// `From_Account`: the caller (the service checks it; it may be left out).
    #[serde(
        rename = "From_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub from_account: Option<AccountId>,
    /// `To_Account`: the accounts to read (1 to [`MAX_ACCOUNTS`]).
    #[serde(rename = "To_Account")]
    pub to_account: Vec<AccountId>,
    /// `TagList`: the profile tags wanted.
    #[serde(rename = "TagList")]
    pub tag_list: Vec<Tag>,
    /// `LastStandardSequence`: the profile version the caller holds; 0 for all.
    #[serde(rename = "LastStandardSequence", default)]
    pub last_standard_sequence: u64,
}

/// The response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `UserProfileItem`: one per requested account.
    #[serde(rename = "UserProfileItem", default)]
    pub user_profile_item: Vec<UserProfileItem>,
    /// `CurrentStandardSequence`: the profile version now.
    #[serde(rename = "CurrentStandardSequence", default)]
    pub current_standard_sequence: u64,
    /// `Fail_Account`: accounts whose item failed.
    #[serde(rename = "Fail_Account", default)]
    pub fail_account: Vec<AccountId>,
    /// `Invalid_Account`: accounts that do not exist.
    #[serde(rename = "Invalid_Account", default)]
    pub invalid_account: Vec<AccountId>,
}

/// One account's profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserProfileItem {
    /// `To_Account`: whose profile.
    #[serde(rename = "To_Account")]
    pub to_account: AccountId,
    /// `ProfileItem`: the requested tags that have a value.
    #[serde(rename = "ProfileItem", default)]
    pub profile_item: Vec<TagValue>,
    /// `ResultCode`: 0, or why this account could not be read.
    #[serde(rename = "ResultCode")]
    pub result_code: ErrorCode,
    /// `ResultInfo`.
    #[serde(rename = "ResultInfo", default)]
    pub result_info: String,
}

impl Endpoint for Request {
    const COMMAND: Command = Command::PortraitGet;
    type Response = Response;
}
