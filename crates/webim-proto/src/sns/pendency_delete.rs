//! `sns/pendency_delete`: delete friend requests (webim.js `deletePendency`, the seed's
//! `deletePending`; docs/protocol.md).

use serde::{Deserialize, Serialize};

use super::PendencyType;
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
    /// `To_Account`: the other parties of the requests to delete.
    #[serde(rename = "To_Account")]
    pub to_account: Vec<AccountId>,
    /// `PendencyType`: which side the requests are on.
    #[serde(rename = "PendencyType")]
    pub pendency_type: PendencyType,
}

/// The response: one `ResultItem` per account.
pub type Response = BatchResponse;

impl Endpoint for Request {
    const COMMAND: Command = Command::PendencyDelete;
    type Response = Response;
}
