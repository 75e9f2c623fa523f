//! `group_open_http_svc/get_joined_group_list`: webim.js 1.2 and 1.7 ask at login which
//! groups the user is in (1.7 fails its login without an answer). This product has only
//! one-to-one chat, so the truthful answer is none (docs/protocol.md).

use serde::{Deserialize, Serialize};

use crate::{AccountId, Command, Endpoint};

/// The request (only the fields read here; the SDKs send filters too).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// `Member_Account`: whose groups (the caller).
    #[serde(
        rename = "Member_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub member_account: Option<AccountId>,
}

/// The response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `TotalCount`: 0.
    #[serde(rename = "TotalCount")]
    pub total_count: u32,
    /// `GroupIdList`: empty.
    #[serde(rename = "GroupIdList")]
    pub group_id_list: Vec<JoinedGroup>,
}

/// A group the user is in (never sent here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinedGroup {
    /// `GroupId`.
    #[serde(rename = "GroupId")]
    pub group_id: String,
}

impl Endpoint for Request {
    const COMMAND: Command = Command::GetJoinedGroupList;
    type Response = Response;
}
