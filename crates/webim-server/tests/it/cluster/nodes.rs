//! Several real `webim-server` processes on one PostgreSQL database and one NATS server,
//! and clients that send each request to a randomly chosen live process, retrying on
//! another when one fails (as a load balancer with health checks would have them do).

use std::process::{Child, Command as Process, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use webim_proto::Command;
use webim_server::usersig::SigKey;
use webim_testbed::{Nats, Postgres, free_port};

use crate::harness::{APP_ID, KEY, now};

/// Where the database and the bus are: private servers (owned here, so a test can stop
/// them) or the ones named by `WEBIM_TEST_*` (then only `database_url` is created).
pub struct Services {
    pub database_url: String,
    pub nats_url: String,
    pub postgres: Mutex<Option<Postgres>>,
    pub nats: Mutex<Option<Nats>>,
}

impl Services {
    /// A fresh database and a bus, from the environment or private; `own` asks for
    /// private ones even when the environment names servers (a test that stops them).
    pub fn start(own: bool) -> Self {
        if own {
            let postgres = Postgres::start().unwrap();
            let nats = Nats::start().unwrap();
            return Self {
                database_url: postgres.create_database("webim").unwrap(),
                nats_url: nats.url(),
                postgres: Mutex::new(Some(postgres)),
                nats: Mutex::new(Some(nats)),
            };
        }
        let (nats_url, nats) = webim_testbed::nats_url().unwrap();
        Self {
            database_url: webim_testbed::fresh_database().unwrap(),
            nats_url,
            postgres: Mutex::new(None),
            nats: Mutex::new(nats),
        }
    }
}

/// One cluster test at a time: each runs three servers and a database on two cores, and
/// some measure a delivery against a bound.
pub static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// One server process.
pub struct Node {
    pub base: String,
    port: u16,
    child: Mutex<Option<Child>>,
}

/// The processes, the clients' view of which are alive, and an HTTP client.
pub struct Cluster {
    pub services: Services,
    pub nodes: Vec<Node>,
    alive: Mutex<Vec<String>>,
    pub client: reqwest::Client,
    pub key: SigKey,
    _data: tempfile::TempDir,
}

fn server(args: &[&str], database_url: &str) -> Process {
    let mut cmd = Process::new(env!("CARGO_BIN_EXE_webim-server"));
    cmd.args(["--database-url", database_url])
        .args(["--sdkappid", &APP_ID.to_string(), "--secret-key", KEY])
        .args(args)
        .env("WEBIM_LOG", "warn,sqlx::postgres::notice=error")
        .stdin(Stdio::null());
    cmd
}

/// A small random-number generator (xorshift), one per client task.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

impl Cluster {
    /// `n` processes on `services`, with `accounts` imported first.
    pub async fn start(services: Services, n: usize, accounts: &[String]) -> Self {
        let mut import = server(&["account", "import"], &services.database_url);
        let status = import
            .args(accounts)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "account import");
        let mut cluster = Self {
            services,
            nodes: Vec::new(),
            alive: Mutex::new(Vec::new()),
            client: reqwest::Client::new(),
            key: SigKey::new(APP_ID, KEY),
            _data: tempfile::tempdir().unwrap(),
        };
        for _ in 0..n {
            let port = free_port().unwrap();
            cluster.nodes.push(Node {
                base: format!("http://127.0.0.1:{port}"),
                port,
                child: Mutex::new(None),
            });
        }
        for i in 0..n {
            cluster.start_node(i).await;
        }
        cluster
    }

    /// Starts process `i` (again) and waits until it is ready.
    pub async fn start_node(&self, i: usize) {
        let data = self._data.path().join(format!("node{i}"));
        let node = &self.nodes[i];
        let child = server(
            &[
                "--listen",
                &format!("127.0.0.1:{}", node.port),
                "--nats",
                &self.services.nats_url,
                "--data",
                &data.display().to_string(),
                "--dist",
                "/nonexistent",
                "--poll-timeout",
                "10",
            ],
            &self.services.database_url,
        )
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
        *node.child.lock().unwrap() = Some(child);
        let base = node.base.clone();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ready = self.client.get(format!("{base}/readyz")).send().await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            assert!(Instant::now() < deadline, "{base} did not become ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.alive.lock().unwrap().push(base);
    }

    /// Kills process `i` with SIGKILL (clients stop choosing it first: its requests in
    /// flight fail and are retried elsewhere).
    pub fn kill_node(&self, i: usize) {
        let node = &self.nodes[i];
        self.alive.lock().unwrap().retain(|b| *b != node.base);
        if let Some(mut child) = node.child.lock().unwrap().take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    /// Sends SIGTERM to process `i`; its exit status once it has stopped, if within `limit`.
    pub async fn terminate_node(
        &self,
        i: usize,
        limit: Duration,
    ) -> Option<std::process::ExitStatus> {
        let node = &self.nodes[i];
        self.alive.lock().unwrap().retain(|b| *b != node.base);
        let mut child = node.child.lock().unwrap().take()?;
        let status = Process::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -TERM");
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = child.try_wait().unwrap() {
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        None
    }

    /// A live process, chosen by `dice`.
    pub fn pick(&self, dice: &mut Dice) -> String {
        let alive = self.alive.lock().unwrap();
        alive[dice.below(alive.len())].clone()
    }

    /// The URL of `command` for `who` on `base`, as our SDK builds it.
    pub fn url(&self, base: &str, who: &str, command: Command) -> String {
        let version = webim_proto::Dialect::Rust.version(command.area());
        format!(
            "{base}/{version}/{}?identifier={who}&usersig={}&sdkappid={APP_ID}&contenttype=json\
             &dialect=rust",
            command.path(),
            self.key.mint(who, now(), 3600)
        )
    }

    /// `command` for `who` on process `i`; the answer, which must be OK.
    pub async fn on(&self, i: usize, who: &str, command: Command, body: &Value) -> Value {
        let url = self.url(&self.nodes[i].base, who, command);
        let text = crate::harness::text_of(self.client.post(url).body(body.to_string())).await;
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            value["ActionStatus"], "OK",
            "{who} {command:?} on node {i}: {value}"
        );
        value
    }

    /// `who`'s long poll cookie once nothing is pending (asked of process `i`).
    pub async fn settled_cookie(&self, i: usize, who: &str) -> (u64, u64) {
        let (mut notify, mut notice) = (0, 0);
        loop {
            let answer = self
                .on(i, who, Command::LongPolling, &poll_body(notify, notice, 0))
                .await;
            notify = answer["Cookie"]["NotifySeq"].as_u64().unwrap();
            notice = answer["Cookie"]["NoticeSeq"].as_u64().unwrap();
            if answer["EventArray"].as_array().is_none_or(Vec::is_empty) {
                return (notify, notice);
            }
        }
    }

    /// `command` for `who` on a random live process, once; the answer if it was OK.
    pub async fn try_call(
        &self,
        dice: &mut Dice,
        who: &str,
        command: Command,
        body: &Value,
        timeout: Duration,
    ) -> Option<Value> {
        let base = self.pick(dice);
        let sent = self
            .client
            .post(self.url(&base, who, command))
            .timeout(timeout)
            .body(body.to_string())
            .send()
            .await
            .ok()?;
        let value: Value = serde_json::from_str(&sent.text().await.ok()?).ok()?;
        (value["ActionStatus"] == "OK").then_some(value)
    }

    /// `command` for `who`, retried (same body: same identity) on random live processes
    /// until it is answered OK, for at most `limit`; how many tries it took.
    pub async fn call(
        &self,
        dice: &mut Dice,
        who: &str,
        command: Command,
        body: &Value,
        limit: Duration,
    ) -> (Value, u32) {
        let deadline = Instant::now() + limit;
        let mut tries = 1;
        loop {
            let timeout = Duration::from_secs(15);
            if let Some(answer) = self.try_call(dice, who, command, body, timeout).await {
                return (answer, tries);
            }
            assert!(
                Instant::now() < deadline,
                "{who} {command:?} was not answered OK within {limit:?}"
            );
            tries += 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Metrics of every live process, concatenated.
    pub async fn metrics(&self) -> String {
        let mut all = String::new();
        let alive = self.alive.lock().unwrap().clone();
        for base in alive {
            let text = crate::harness::text_of(self.client.get(format!("{base}/metrics"))).await;
            all.push_str(&text);
        }
        all
    }

    /// Stops every process.
    pub fn stop(&self) {
        for i in 0..self.nodes.len() {
            self.kill_node(i);
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A long poll's body.
pub fn poll_body(notify: u64, notice: u64, timeout: u64) -> Value {
    json!({"Timeout": timeout, "Cookie": {"NotifySeq": notify, "NoticeSeq": notice}})
}

/// Sum of one counter over the concatenated metrics of several processes.
pub fn metric_sum(metrics: &str, name: &str) -> f64 {
    metrics
        .lines()
        .filter_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .filter_map(|v| v.trim().parse::<f64>().ok())
        .sum()
}
