//! A private NATS server (Debian's `nats-server`) on a free loopback port; it can be
//! stopped and started again on the same port, for the tests of a bus that goes away.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::TestbedError;
use crate::process::{free_port, signal, wait_until, watchdog};

/// The variable naming a NATS server to use instead of a private one.
pub const NATS_ENV: &str = "WEBIM_TEST_NATS_URL";

/// A private NATS server. Dropped, it stops.
#[derive(Debug)]
pub struct Nats {
    port: u16,
    child: Option<Child>,
}

fn program() -> Result<PathBuf, TestbedError> {
    ["/usr/bin/nats-server", "/usr/sbin/nats-server"]
        .iter()
        .map(PathBuf::from)
        .chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .map(|d| d.join("nats-server")),
        )
        .find(|p| p.is_file())
        .ok_or_else(|| {
            TestbedError(
                "private NATS: no nats-server (install Debian's nats-server package: \
                 `cargo xtask setup` does), or set WEBIM_TEST_NATS_URL"
                    .to_owned(),
            )
        })
}

impl Nats {
    /// Starts a server on a free port.
    pub fn start() -> Result<Self, TestbedError> {
        let mut nats = Self {
            port: free_port()?,
            child: None,
        };
        nats.start_again()?;
        Ok(nats)
    }

    /// Starts the server again after [`Nats::stop`], on the same port.
    pub fn start_again(&mut self) -> Result<(), TestbedError> {
        let child = Command::new(program()?)
            .args(["-a", "127.0.0.1", "-p", &self.port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| TestbedError(format!("private NATS: {e}")))?;
        watchdog(child.id(), None);
        self.child = Some(child);
        let address = format!("127.0.0.1:{}", self.port);
        if wait_until(Duration::from_secs(20), || {
            TcpStream::connect(&address).is_ok()
        }) {
            Ok(())
        } else {
            Err(TestbedError(format!(
                "private NATS: not listening on {address} within 20 s"
            )))
        }
    }

    /// Stops the server (it is gone at once: clients see the connection drop).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            signal(child.id(), "KILL");
            let _ = child.wait();
        }
    }

    /// The server's URL.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A NATS URL for one test: `WEBIM_TEST_NATS_URL` if set, else a private server's, which
/// the caller keeps alive for as long as it is needed.
pub fn nats_url() -> Result<(String, Option<Nats>), TestbedError> {
    if let Ok(url) = std::env::var(NATS_ENV) {
        return Ok((url, None));
    }
    let nats = Nats::start()?;
    Ok((nats.url(), Some(nats)))
}
