//! Private PostgreSQL and NATS servers for the tests and benchmarks. A test that needs one
//! uses `WEBIM_TEST_POSTGRES_URL` / `WEBIM_TEST_NATS_URL` when set, and otherwise starts a
//! private instance from Debian's packages (`postgresql`, `nats-server`) on a free loopback
//! port; it stops when the test is done, or, if the test process dies first, when a small
//! watchdog sees it gone. Nothing here is a stand-in: these are the real servers.

mod nats;
mod postgres;
mod process;

pub use nats::{Nats, nats_url};
pub use postgres::{Postgres, fresh_database};
pub use process::free_port;

/// Why a server could not be started.
#[derive(Debug)]
pub struct TestbedError(pub String);

impl std::fmt::Display for TestbedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TestbedError {}
