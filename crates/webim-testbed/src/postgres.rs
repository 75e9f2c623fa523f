//! A private PostgreSQL: `initdb` into a temporary directory, `postgres` on a free loopback
//! port (its socket in that directory too), trust authentication for the `postgres` role.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

use tempfile::TempDir;

use crate::TestbedError;
use crate::process::{command_as, free_port, is_root, signal, user_ids, wait_until, watchdog};

/// The variable naming a PostgreSQL server to use instead of a private one.
pub const POSTGRES_ENV: &str = "WEBIM_TEST_POSTGRES_URL";

/// A private PostgreSQL server. Dropped, it stops and its directory goes.
#[derive(Debug)]
pub struct Postgres {
    dir: TempDir,
    bin: PathBuf,
    port: u16,
    user: Option<String>,
    child: Option<Child>,
}

fn fail(what: &str, e: impl std::fmt::Display) -> TestbedError {
    TestbedError(format!("private PostgreSQL: {what}: {e}"))
}

/// The newest PostgreSQL's programs under /usr/lib/postgresql (Debian's layout), or the
/// directory of an `initdb` on PATH.
fn bin_dir() -> Result<PathBuf, TestbedError> {
    let debian = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(debian)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .find(|dir| dir.join("initdb").is_file())
        .ok_or_else(|| {
            TestbedError(
                "private PostgreSQL: no initdb (install Debian's postgresql package: \
                 `cargo xtask setup` does), or set WEBIM_TEST_POSTGRES_URL"
                    .to_owned(),
            )
        })
}

impl Postgres {
    /// Creates a cluster and starts it.
    pub fn start() -> Result<Self, TestbedError> {
        let bin = bin_dir()?;
        let dir = tempfile::Builder::new()
            .prefix("webim-pg-")
            .tempdir()
            .map_err(|e| fail("temporary directory", e))?;
        // PostgreSQL will not run as root: hand the directory to an unprivileged user.
        let user = if is_root() {
            let name = if user_ids("postgres").is_some() {
                "postgres"
            } else {
                "nobody"
            };
            let (uid, gid) = user_ids(name).ok_or_else(|| fail("no user", name))?;
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))
                .map_err(|e| fail("chown", e))?;
            Some(name.to_owned())
        } else {
            None
        };
        let status = command_as(user.as_deref(), &bin.join("initdb"))
            .arg("-D")
            .arg(dir.path().join("data"))
            .args(["-U", "postgres", "--auth=trust", "--encoding=UTF8"])
            .args(["--locale=C", "--no-sync"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| fail("initdb", e))?;
        if !status.status.success() {
            return Err(fail("initdb", String::from_utf8_lossy(&status.stderr)));
        }
        let mut server = Self {
            dir,
            bin,
            port: free_port()?,
            user,
            child: None,
        };
        server.start_again()?;
        Ok(server)
    }

    /// Starts the server again after [`Postgres::stop`], on the same port and data.
    pub fn start_again(&mut self) -> Result<(), TestbedError> {
        let log = std::fs::File::create(self.dir.path().join("postgres.log"))
            .map_err(|e| fail("log file", e))?;
        let child = command_as(self.user.as_deref(), &self.bin.join("postgres"))
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .arg("-k")
            .arg(self.dir.path())
            .args(["-p", &self.port.to_string()])
            .args(["-c", "listen_addresses=127.0.0.1"])
            .args(["-c", "max_connections=200"])
            // As SQLite's WAL with synchronous=NORMAL: a commit is in the operating
            // system's hands when answered, flushed to disk a moment later.
            .args(["-c", "synchronous_commit=off"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| fail("postgres", e))?;
        watchdog(child.id(), None);
        self.child = Some(child);
        let isready = self.bin.join("pg_isready");
        let port = self.port.to_string();
        let up = wait_until(Duration::from_secs(60), || {
            Command::new(&isready)
                .args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres", "-q"])
                .status()
                .is_ok_and(|s| s.success())
        });
        if up {
            Ok(())
        } else {
            let log =
                std::fs::read_to_string(self.dir.path().join("postgres.log")).unwrap_or_default();
            Err(fail("did not start within 60 s", log))
        }
    }

    /// Stops the server (a fast shutdown: sessions are cut, commits are kept).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            signal(child.id(), "INT");
            let _ = child.wait();
        }
    }

    /// The URL of database `db` on this server.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Creates an empty database; its URL.
    pub fn create_database(&self, name: &str) -> Result<String, TestbedError> {
        create_on(&self.bin, &self.url("postgres"), name)?;
        Ok(self.url(name))
    }

    /// Leaks the server to a watchdog that stops it and removes its directory once this
    /// process is gone (for one server shared by a whole test binary).
    fn keep_until_exit(mut self) -> u16 {
        if let Some(child) = self.child.take() {
            watchdog(child.id(), Some(self.dir.path()));
        }
        let port = self.port;
        // The watchdog stops the server and removes the directory from here on.
        std::mem::forget(self);
        port
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `CREATE DATABASE name` through psql, on the server at `admin_url`.
fn create_on(bin: &Path, admin_url: &str, name: &str) -> Result<(), TestbedError> {
    let psql = if bin.join("psql").is_file() {
        bin.join("psql")
    } else {
        PathBuf::from("psql")
    };
    let out = Command::new(psql)
        .args(["-q", "-v", "ON_ERROR_STOP=1", "-d", admin_url, "-c"])
        .arg(format!("CREATE DATABASE \"{name}\""))
        .output()
        .map_err(|e| fail("psql", e))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(fail(
            &format!("CREATE DATABASE {name}"),
            String::from_utf8_lossy(&out.stderr),
        ))
    }
}

/// The URL of a new, empty database for one test: on `WEBIM_TEST_POSTGRES_URL`'s server
/// if set, else on a private server shared by this test process (started on first use).
pub fn fresh_database() -> Result<String, TestbedError> {
    static SHARED: OnceLock<Mutex<Option<u16>>> = OnceLock::new();
    static COUNT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("webim_test_{}_{n}", std::process::id());
    if let Ok(url) = std::env::var(POSTGRES_ENV) {
        let bin = bin_dir().unwrap_or_default();
        create_on(&bin, &url, &name)?;
        let base = url.rsplit_once('/').map_or(url.as_str(), |(base, _)| base);
        return Ok(format!("{base}/{name}"));
    }
    let mut shared = SHARED
        .get_or_init(|| Mutex::new(None))
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let port = match *shared {
        Some(port) => port,
        None => {
            let port = Postgres::start()?.keep_until_exit();
            *shared = Some(port);
            port
        }
    };
    drop(shared);
    let admin = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    create_on(&bin_dir()?, &admin, &name)?;
    Ok(format!("postgres://postgres@127.0.0.1:{port}/{name}"))
}
