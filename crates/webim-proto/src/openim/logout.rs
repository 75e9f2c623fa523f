//! `openim/logout`: end this client's login on the service (webim.js `offline`,
//! docs/protocol.md). The body is `{}` both ways.

use serde::{Deserialize, Serialize};

use crate::{Command, Endpoint};

/// The request: `{}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {}

/// The response: only the status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {}

impl Endpoint for Request {
    const COMMAND: Command = Command::Logout;
    type Response = Response;
}
