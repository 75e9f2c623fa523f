//! `profile/portrait_set`: set the caller's own profile (webim.js `setProfilePortrait`,
//! docs/protocol.md). Only `Tag_Profile_IM_*` tags; only one's own profile.

use serde::{Deserialize, Serialize};

use crate::{AccountId, Command, Endpoint, TagValue};

/// The request: the fields to change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// `From_Account`: the caller (the service checks it; it may be left out).
    #[serde(
        rename = "From_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub from_account: Option<AccountId>,
    /// `ProfileItem`: the new values.
    #[serde(rename = "ProfileItem")]
    pub profile_item: Vec<TagValue>,
}

/// The response: only the status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {}

impl Endpoint for Request {
    const COMMAND: Command = Command::PortraitSet;
    type Response = Response;
}
