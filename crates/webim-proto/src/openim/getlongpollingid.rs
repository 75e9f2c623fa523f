//! `openim/getlongpollingid`: webim.js 1.7 asks it before its first long poll and sends
//! the id back in every long poll's `Cookie` (docs/protocol.md, "Long polls"). Here an id
//! marks where one client's stream of notices starts: notices from before it were already
//! in what the client read at login. A second id for the same account is a second client;
//! neither is logged out by the other.

use serde::{Deserialize, Serialize};

use crate::{Command, Endpoint};

/// The request: `{}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {}

/// The response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `LongPollingId`: send it in each long poll's `Cookie`.
    #[serde(rename = "LongPollingId")]
    pub long_polling_id: String,
    /// `Timeout`: the seconds the client should give each long poll (1.7 also sets its
    /// request's own timeout from it, so it is longer than the server holds a poll).
    #[serde(rename = "Timeout")]
    pub timeout: u32,
}

impl Endpoint for Request {
    const COMMAND: Command = Command::GetLongPollingId;
    type Response = Response;
}

/// The id of a client whose notices start after notice sequence `start`.
pub fn id_from(start: u64) -> String {
    format!("n{start}")
}

/// Where the notices of the client with `id` start, if `id` is one of ours.
pub fn start_of(id: &str) -> Option<u64> {
    id.strip_prefix('n')?.parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn test_an_id_keeps_its_start() {
        assert_eq!(super::start_of(&super::id_from(42)), Some(42));
        assert_eq!(super::start_of("n"), None);
        assert_eq!(super::start_of("42"), None);
        assert_eq!(super::start_of("n18446744073709551616"), None);
    }
}
