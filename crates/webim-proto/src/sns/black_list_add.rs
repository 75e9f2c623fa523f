//! `sns/black_list_add`: add accounts to the blacklist (webim.js `addBlackList`, docs/protocol.md).
//! Adding dissolves any friendship both ways and drops requests between the two.

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
    /// `To_Account`: the accounts to blacklist.
    #[serde(rename = "To_Account")]
    pub to_account: Vec<AccountId>,
}

/// The response: one `ResultItem` per account.
pub type Response = BatchResponse;

impl Endpoint for Request {
    const COMMAND: Command = Command::BlackListAdd;
    type Response = Response;
}
