//! Running the servers' programs: free ports, running as an unprivileged user when we are
//! root (PostgreSQL refuses to run as root), and a watchdog per server process.

use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::TestbedError;

/// A loopback port nobody listens on (free when asked; taken by the caller soon after).
pub fn free_port() -> Result<u16, TestbedError> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .map_err(|e| TestbedError(format!("no free loopback port: {e}")))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| TestbedError(format!("no free loopback port: {e}")))
}

/// True if this process runs as root.
pub fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// The uid and gid of `user` from /etc/passwd.
pub fn user_ids(user: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        match fields.as_slice() {
            [name, _, uid, gid, ..] if *name == user => {
                Some((uid.parse().ok()?, gid.parse().ok()?))
            }
            _ => None,
        }
    })
}

/// `program` run as `user` when `user` is given (through util-linux's `setpriv`, which
/// execs the program itself, so its pid is the server's).
pub fn command_as(user: Option<&str>, program: &Path) -> Command {
    match user {
        Some(user) => {
            let mut cmd = Command::new("setpriv");
            cmd.args(["--reuid", user, "--regid", user, "--init-groups", "--"])
                .arg(program);
            cmd
        }
        None => Command::new(program),
    }
}

/// Starts a watchdog that stops `pid` (SIGINT, then SIGKILL) once this process is gone,
/// then removes `dir` if given. It ends by itself when `pid` ends first.
pub fn watchdog(pid: u32, dir: Option<&Path>) {
    let parent = std::process::id();
    let cleanup = dir
        .map(|d| {
            format!(
                "rm -rf '{}'",
                d.display().to_string().replace('\'', "'\\''")
            )
        })
        .unwrap_or_default();
    let script = format!(
        "while kill -0 {parent} 2>/dev/null; do kill -0 {pid} 2>/dev/null || exit 0; sleep 1; done; \
         kill -INT {pid} 2>/dev/null; for i in 1 2 3 4 5 6 7 8 9 10; do \
         kill -0 {pid} 2>/dev/null || break; sleep 1; done; kill -KILL {pid} 2>/dev/null; {cleanup}"
    );
    let _ = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}

/// Sends `signal` (a name: INT, TERM, KILL) to `pid`.
pub fn signal(pid: u32, signal: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status();
}

/// Waits until `ready` holds, for at most `limit`.
pub fn wait_until(limit: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        if ready() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    ready()
}
