//! The app as a person reaches it, on either backend: `dist/` on a static host (the
//! service runs in the browser), or `dist/` served by a real `webim-server` process (its
//! own data directory, a free loopback port), which a test can stop and start again; or
//! several `webim-server` processes on one PostgreSQL database and one NATS bus, each on
//! its own port, as people on different machines behind different front doors.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::{HarnessError, StaticServer, dist_dir};

/// Which backend the app runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A static host: the IM service runs in the browser (IndexedDB).
    Static,
    /// `webim-server` in demo mode, over SQLite.
    Server,
}

/// A running site; its server (if any) is killed when dropped.
#[derive(Debug)]
pub struct Site {
    base: String,
    _static: Option<StaticServer>,
    server: Option<ServerProcess>,
    /// The bus the processes of a cluster share (a private one stops with its last site).
    _bus: Option<Arc<Option<webim_testbed::Nats>>>,
}

#[derive(Debug)]
struct ServerProcess {
    child: Option<Child>,
    /// The app's files it served (its debug access log), over every start.
    served: Arc<Mutex<Vec<String>>>,
    port: u16,
    demo: bool,
    data: tempfile::TempDir,
    /// More flags (a cluster's database and bus).
    extra: Vec<String>,
}

/// The `webim-server` binary: `$WEBIM_SERVER_BIN`, else the workspace's debug build.
pub fn server_bin() -> PathBuf {
    std::env::var_os("WEBIM_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/debug/webim-server")
        })
}

fn harness(e: impl std::fmt::Display) -> HarnessError {
    HarnessError::Timeout(format!("the site: {e}"))
}

impl ServerProcess {
    fn spawn(&mut self) -> Result<(), HarnessError> {
        let bin = server_bin();
        let mut cmd = Command::new(&bin);
        cmd.args(["--data", &self.data.path().display().to_string()])
            .args(["--listen", &format!("127.0.0.1:{}", self.port)])
            .args(["--dist", &dist_dir().display().to_string()])
            .args(&self.extra)
            // warnings, and the access log of the app's files (read below)
            .env("WEBIM_LOG", "warn,webim_server::files=debug")
            .env("WEBIM_LOG_FORMAT", "text")
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if !self.demo {
            cmd.arg("--no-demo");
        }
        let mut child = cmd.spawn().map_err(|e| {
            harness(format!(
                "cannot run {} ({e}): build it with `cargo build -p webim-server`",
                bin.display()
            ))
        })?;
        if let Some(stderr) = child.stderr.take() {
            let served = Arc::clone(&self.served);
            std::thread::spawn(move || {
                for line in std::io::BufReader::new(stderr)
                    .lines()
                    .map_while(Result::ok)
                {
                    match served_path(&line) {
                        Some(path) => served.lock().map(|mut s| s.push(path)).unwrap_or(()),
                        None => eprintln!("{line}"),
                    }
                }
            });
        }
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if Instant::now() > deadline {
                return Err(harness("webim-server did not start listening"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

impl Site {
    /// Serves `dist/` on `backend` (a server in demo mode).
    pub fn start(backend: Backend) -> Result<Self, HarnessError> {
        match backend {
            Backend::Static => {
                let server = StaticServer::start(&dist_dir()).map_err(harness)?;
                Ok(Self {
                    base: server.url(),
                    _static: Some(server),
                    server: None,
                    _bus: None,
                })
            }
            Backend::Server => Self::server(true),
        }
    }

    /// A `webim-server` on a free port, with demo mode on or off.
    pub fn server(demo: bool) -> Result<Self, HarnessError> {
        Self::server_with(demo, Vec::new(), None)
    }

    /// A demo-mode `webim-server` that lets pages of `origins` call it
    /// (`--allow-origin`).
    pub fn server_allowing(origins: &[String]) -> Result<Self, HarnessError> {
        let extra = vec!["--allow-origin".to_owned(), origins.join(",")];
        Self::server_with(true, extra, None)
    }

    fn server_with(
        demo: bool,
        extra: Vec<String>,
        bus: Option<Arc<Option<webim_testbed::Nats>>>,
    ) -> Result<Self, HarnessError> {
        let port = webim_testbed::free_port().map_err(harness)?;
        let mut server = ServerProcess {
            child: None,
            served: Arc::default(),
            port,
            demo,
            data: tempfile::tempdir().map_err(harness)?,
            extra,
        };
        server.spawn()?;
        Ok(Self {
            base: format!("http://127.0.0.1:{port}"),
            _static: None,
            server: Some(server),
            _bus: bus,
        })
    }

    /// `n` demo-mode servers on one fresh PostgreSQL database and one NATS bus
    /// (`WEBIM_TEST_POSTGRES_URL` / `WEBIM_TEST_NATS_URL`, else private ones), each its
    /// own site on its own port. They share nothing else: not a data directory, not a key
    /// file (the userSig key is in the database).
    pub fn cluster(n: usize) -> Result<Vec<Self>, HarnessError> {
        let database = webim_testbed::fresh_database().map_err(harness)?;
        let (nats_url, nats) = webim_testbed::nats_url().map_err(harness)?;
        let bus = Arc::new(nats);
        (0..n)
            .map(|_| {
                let extra = vec![
                    "--database-url".to_owned(),
                    database.clone(),
                    "--nats".to_owned(),
                    nats_url.clone(),
                ];
                Self::server_with(true, extra, Some(Arc::clone(&bus)))
            })
            .collect()
    }

    /// The base URL.
    pub fn url(&self) -> String {
        self.base.clone()
    }

    /// Every path of the app's files this site has served so far (its access log).
    pub fn requested(&self) -> Vec<String> {
        match (&self._static, &self.server) {
            (Some(host), _) => host.requested(),
            (_, Some(server)) => server.served.lock().map(|s| s.clone()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// On a static host, every path asked for with what the browser fetched it as
    /// (`Sec-Fetch-Dest`); behind a server, empty.
    pub fn requested_as(&self) -> Vec<(String, String)> {
        self._static
            .as_ref()
            .map(StaticServer::requested_as)
            .unwrap_or_default()
    }

    /// Stops the static host (the network is gone, as far as the app can tell).
    pub fn stop_static(&mut self) {
        self._static = None;
    }

    /// Kills the server (SIGKILL: it has no chance to say goodbye).
    pub fn stop_server(&mut self) {
        if let Some(server) = &mut self.server {
            server.kill();
        }
    }

    /// Starts the server again on the same port and data.
    pub fn start_server(&mut self) -> Result<(), HarnessError> {
        match &mut self.server {
            Some(server) => server.spawn(),
            None => Err(harness("this site has no server")),
        }
    }

    /// Runs the server's command line on this site's data (e.g. `account add …`), with
    /// `stdin` as its input.
    pub fn server_command(&self, args: &[&str], stdin: &str) -> Result<String, HarnessError> {
        use std::io::Write;
        let Some(server) = &self.server else {
            return Err(harness("this site has no server"));
        };
        let mut child = Command::new(server_bin())
            .args(["--data", &server.data.path().display().to_string()])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(harness)?;
        if let Some(mut input) = child.stdin.take() {
            input.write_all(stdin.as_bytes()).map_err(harness)?;
        }
        let out = child.wait_with_output().map_err(harness)?;
        if !out.status.success() {
            return Err(harness(String::from_utf8_lossy(&out.stderr)));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// A userSig for test account `who` from the demo's one-click login, and the
    /// server's SDKAppID.
    pub async fn demo_sig(&self, who: &str) -> Result<(String, u64), HarnessError> {
        let text = reqwest::Client::new()
            .post(format!("{}/demo/login", self.base))
            .body(json!({"Identifier": who}).to_string())
            .send()
            .await
            .map_err(harness)?
            .text()
            .await
            .map_err(harness)?;
        let signed: Value = serde_json::from_str(&text).map_err(harness)?;
        let (sig, app) = (signed["UserSig"].as_str(), signed["SdkAppID"].as_u64());
        let (Some(sig), Some(app)) = (sig, app) else {
            return Err(harness(format!("no sig for {who}: {signed}")));
        };
        Ok((sig.to_owned(), app))
    }

    /// Sends `texts` from `from` to `to` through the server's protocol, as another client
    /// would (a test account's sig from the demo login).
    pub async fn send_via_server(
        &self,
        from: &str,
        to: &str,
        texts: &[String],
    ) -> Result<(), HarnessError> {
        let client = reqwest::Client::new();
        let post = |url: String, body: Value| {
            let client = client.clone();
            async move {
                let text = client
                    .post(url)
                    .body(body.to_string())
                    .send()
                    .await
                    .map_err(harness)?
                    .text()
                    .await
                    .map_err(harness)?;
                serde_json::from_str::<Value>(&text).map_err(harness)
            }
        };
        let (sig, app) = self.demo_sig(from).await?;
        let url = format!(
            "{}/v4/openim/sendmsg?usersig={sig}&identifier={from}&sdkappid={app}&contenttype=json",
            self.base
        );
        // A fresh MsgRandom per call: this client's messages never collide with another's.
        let random = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(7, |d| d.subsec_nanos());
        for (i, text) in texts.iter().enumerate() {
            let body = json!({"From_Account": from, "To_Account": to,
                "MsgSeq": i + 1, "MsgRandom": random, "MsgTimeStamp": 0,
                "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": text}}]});
            let answer = post(url.clone(), body).await?;
            if answer["ActionStatus"] != "OK" {
                return Err(harness(format!("send {text}: {answer}")));
            }
        }
        Ok(())
    }
}

/// The path in a line of the server's access log of files (`… served a file path=/x …`).
fn served_path(line: &str) -> Option<String> {
    if !line.contains("served a file") {
        return None;
    }
    // Without colour codes, should the log have them after all.
    let mut plain = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|c| c.is_ascii_alphabetic());
        } else {
            plain.push(c);
        }
    }
    let rest = &plain[plain.find("path=")? + "path=".len()..];
    Some(rest.split_whitespace().next()?.to_owned())
}

/// Runs `check` in one Chromium window (1000×700) on a fresh site of `backend`. The
/// browser is closed whatever happens; then a failed scenario panics with its error.
pub async fn in_browser<F, Fut>(backend: Backend, check: F)
where
    F: FnOnce(thirtyfour::WebDriver, Site) -> Fut,
    Fut: Future<Output = Result<(), HarnessError>>,
{
    let site = Site::start(backend).expect("start the site");
    let chromedriver = crate::Chromedriver::start().expect("start chromedriver");
    let driver = crate::open_window(&chromedriver, 1000, 700)
        .await
        .expect("open Chromium");
    let result = check(driver.clone(), site).await;
    let quit = driver.quit().await;
    result.expect("scenario");
    quit.expect("close Chromium");
}
