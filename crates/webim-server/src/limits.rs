//! Every bound the server keeps against one person sending too much, with its default:
//! each has a flag (`webim-server --help`) and a line in SECURITY.md. The defaults are safe
//! to expose to the internet; the numbers in the tests are set small through here.

use std::time::Duration;

/// The bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Password checks running at once (each Argon2 check takes about 19 MiB and a core).
    pub login_hashes: usize,
    /// Longest a connection may take to send a request's headers, counted from the end of
    /// the previous answer: it also closes a keep-alive connection left idle that long.
    pub header_timeout: Duration,
    /// Open connections at most (kept below the open-file limit).
    pub max_connections: usize,
    /// Open connections per client address (an IPv6 /64) at most; a trusted proxy's own
    /// connections are not counted.
    pub connections_per_address: usize,
    /// Long polls held at once per account; the oldest is answered when one more comes.
    pub polls_per_account: usize,
    /// Long polls held at once per client address; over it a new one is refused.
    pub polls_per_address: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            login_hashes: default_login_hashes(),
            header_timeout: Duration::from_secs(10),
            max_connections: 10_000,
            connections_per_address: 512,
            polls_per_account: 32,
            polls_per_address: 512,
        }
    }
}

/// One password check per core, at most 4 (about 76 MiB).
pub fn default_login_hashes() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}
