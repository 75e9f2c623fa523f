//! `sns/friend_delete`: delete friends (webim.js `deleteFriend`, docs/protocol.md).

use serde::{Deserialize, Serialize};

use super::DeleteType;
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
    /// `To_Account`: the friends to delete.
    #[serde(rename = "To_Account")]
    pub to_account: Vec<AccountId>,
    /// `DeleteType`.
    #[serde(rename = "DeleteType")]
    pub delete_type: DeleteType,
}

/// The response: one `ResultItem` per account.
pub type Response = BatchResponse;

impl Endpoint for Request {
    const COMMAND: Command = Command::FriendDelete;
    type Response = Response;
}
