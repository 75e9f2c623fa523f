//! Every bound the server keeps against one person sending too much, with its default:
//! each has a flag (`webim-server --help`) and a line in SECURITY.md. The defaults are safe
//! to expose to the internet; the numbers in the tests are set small through here.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::throttle::Key;

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
    /// What one upload and one account may be.
    pub uploads: webim_service::blob::Limits,
    /// Pictures decoded at once.
    pub picture_workers: usize,
    /// Upload slices whose bodies are read at once, on the whole server.
    pub upload_bodies: usize,
    /// Of those, one account's at most.
    pub upload_bodies_per_account: usize,
    /// How long a slice waits for its turn before it is told to try again.
    pub upload_wait: Duration,
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
            uploads: webim_service::blob::Limits::default(),
            picture_workers: default_picture_workers(),
            upload_bodies: 16,
            upload_bodies_per_account: 2,
            upload_wait: Duration::from_secs(20),
        }
    }
}

/// One picture decoded per core, at most 2 (each may take 256 MiB).
pub fn default_picture_workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(2))
}

/// One password check per core, at most 4 (about 76 MiB).
pub fn default_login_hashes() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// Places held per client address (an IPv4 address, an IPv6 /64) under a cap: the
/// connections of one address, its held long polls. A place is given back when dropped.
#[derive(Debug, Default)]
pub struct PerAddress(Mutex<BTreeMap<String, usize>>);

/// One address's place in a [`PerAddress`].
#[derive(Debug)]
pub struct Place {
    tally: Arc<PerAddress>,
    address: String,
}

impl PerAddress {
    fn counts(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, usize>> {
        // Each change under the lock is one map operation: a panic cannot leave it torn.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A place for `from`, or `None` when it holds `cap` already.
    pub fn take(self: &Arc<Self>, from: IpAddr, cap: usize) -> Option<Place> {
        let address = Key::address(from).name;
        let mut counts = self.counts();
        let n = counts.entry(address.clone()).or_default();
        if *n >= cap {
            return None;
        }
        *n += 1;
        drop(counts);
        Some(Place {
            tally: Arc::clone(self),
            address,
        })
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut counts = self.tally.counts();
        if let Some(n) = counts.get_mut(&self.address) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                counts.remove(&self.address);
            }
        }
    }
}
