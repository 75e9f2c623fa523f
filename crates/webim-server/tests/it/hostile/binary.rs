//! The real `webim-server` binary on a loopback port, for the attacks that need the whole
//! process: its memory, its log on standard error, its connections, a restart.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::harness::{APP_ID, KEY};

/// A running server; killed when dropped.
pub struct Binary {
    pub child: Child,
    pub base: String,
    /// Standard error, drained as it comes (a full pipe would stall the server).
    log: Arc<Mutex<Vec<u8>>>,
}

/// A free loopback port (bound and released: the server binds it next).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The binary with a data directory, the test key, no app build, and the log at info.
pub fn command(data: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_webim-server"));
    command
        .args(["--data", &data.display().to_string()])
        .args(["--sdkappid", &APP_ID.to_string(), "--secret-key", KEY])
        .args(["--dist", "/nonexistent"])
        .env("WEBIM_LOG", "info");
    command
}

impl Binary {
    /// Starts the binary on `data` and a free loopback port, with `args` after the usual
    /// ones; standard error is kept for [`Binary::log`].
    pub async fn start(data: &Path, args: &[&str]) -> Self {
        let port = free_port();
        Self::start_at(data, &format!("127.0.0.1:{port}"), args).await
    }

    /// [`Binary::start`] listening on `listen` (its port is where the tests connect, on
    /// 127.0.0.1).
    pub async fn start_at(data: &Path, listen: &str, args: &[&str]) -> Self {
        let port = listen.rsplit(':').next().unwrap();
        let mut child = command(data)
            .args(["--listen", listen])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server binary starts");
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut err = child.stderr.take().unwrap();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = err.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        });
        let mut server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = server.child.try_wait() {
                let log = String::from_utf8_lossy(&server.log()).into_owned();
                panic!("the server exited ({status}): {log}");
            }
            if client
                .get(format!("{}/healthz", server.base))
                .send()
                .await
                .is_ok()
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not come up at {}", server.base);
    }

    /// The most memory the process has had resident (kB, Linux's VmHWM).
    pub fn peak_resident_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    /// What the process wrote to standard error so far, as bytes.
    pub fn log(&self) -> Vec<u8> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
