//! The server half of the benchmark: `webim-server` (the server build, SQLite in a fresh
//! directory) and the load client `webim-load`, each its own process, on loopback. Three
//! runs; each figure is the median of the runs, and every run is kept beside it.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::run;
use crate::tools::Toolchain;

const RUNS: usize = 3;
const KEY: &str = "bench-secret-key";
const POLLS: &str = "2000";
const SENDERS: &str = "32";
const RECEIVERS: &str = "100";
const RATE: &str = "1000";
const SECS: &str = "10";

/// The figures the report names.
pub const KEYS: [&str; 9] = [
    "server_sends_per_s",
    "server_delivery_ms_p50",
    "server_delivery_ms_p99",
    "server_longpolls_held",
    "server_rss_kb_per_longpoll",
    "server_cpu_us_per_send",
    "server_cpu_share_during_sends",
    "server_cpu_share_at_rate",
    "load_client_cpu_share_at_rate",
];

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn project(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Project(format!("{what}: {e}"))
}

/// Builds both programs and measures; the figures as JSON.
pub fn run_all(tools: &Toolchain, root: &Path) -> Result<Value, Error> {
    build(tools, root)?;
    let bin = root.join("target/server");
    let mut runs = Vec::new();
    for i in 0..RUNS {
        println!("\n==> server load, run {} of {RUNS} (about 30 s)", i + 1);
        runs.push(one_run(
            &bin,
            &root.join(format!("target/bench/server-{i}")),
        )?);
    }
    let mut figures = Map::new();
    for key in KEYS {
        let mut values: Vec<f64> = runs.iter().filter_map(|r| r[key].as_f64()).collect();
        values.sort_by(f64::total_cmp);
        if let Some(median) = values.get(values.len() / 2) {
            figures.insert(key.to_owned(), json!(median));
        }
    }
    figures.insert("server_runs".to_owned(), Value::Array(runs));
    figures.insert(
        "server_load".to_owned(),
        json!({"polls": POLLS, "senders": SENDERS, "receivers": RECEIVERS,
               "rate_per_s": RATE, "secs": SECS}),
    );
    Ok(Value::Object(figures))
}

/// Where the servers of one run keep their data.
pub enum Deployment<'a> {
    /// One process on an SQLite file in this (emptied) directory.
    Sqlite(&'a Path),
    /// `nodes` processes on one PostgreSQL database, woken through one NATS bus; their
    /// data directories (no data in them) under `dirs`.
    Postgres {
        url: String,
        nats: String,
        nodes: usize,
        dirs: &'a Path,
    },
}

/// The load of one run (webim-load's flags).
pub struct Shape {
    pub polls: &'static str,
    pub senders: &'static str,
    pub receivers: &'static str,
    pub rate: &'static str,
    pub secs: &'static str,
}

/// The SQLite run's load.
pub const SQLITE_LOAD: Shape = Shape {
    polls: POLLS,
    senders: SENDERS,
    receivers: RECEIVERS,
    rate: RATE,
    secs: SECS,
};

/// Builds the server and the load client (the server profile) into `target/server`.
pub fn build(tools: &Toolchain, root: &Path) -> Result<(), Error> {
    println!("\n==> the server and the load client (server build)");
    run::status(
        tools
            .cargo()
            .args(["build", "--locked", "--profile", "server"])
            .args(["-p", "webim-server", "-p", "webim-load"])
            .current_dir(root),
        "cargo build --profile server",
    )
}

fn one_run(bin: &Path, data: &Path) -> Result<Value, Error> {
    let _ = std::fs::remove_dir_all(data);
    run_on(bin, &Deployment::Sqlite(data), &SQLITE_LOAD)
}

fn free_port() -> Result<u16, Error> {
    Ok(TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| project("a free port", e))?
        .port())
}

/// One run: the accounts imported, the servers started, webim-load's figures (with the
/// servers' transaction retries per send added).
pub fn run_on(bin: &Path, deployment: &Deployment<'_>, shape: &Shape) -> Result<Value, Error> {
    let accounts = run::output(
        Command::new(bin.join("webim-load"))
            .args([
                "accounts",
                "--polls",
                shape.polls,
                "--senders",
                shape.senders,
            ])
            .args(["--receivers", shape.receivers]),
    )
    .ok_or_else(|| Error::StepFailed("webim-load accounts".to_owned()))?;
    let server = |args: &[&str], dir: &Path| {
        let mut cmd = Command::new(bin.join("webim-server"));
        cmd.arg("--data")
            .arg(dir)
            .args(["--secret-key", KEY])
            .args(args)
            .env("WEBIM_LOG", "warn");
        if let Deployment::Postgres { url, nats, .. } = deployment {
            cmd.args(["--database-url", url]);
            // The bus is the serving processes' (a flag of `serve` only).
            if args.first() != Some(&"account") {
                cmd.args(["--nats", nats]);
            }
        }
        cmd
    };
    let (nodes, dirs) = match deployment {
        Deployment::Sqlite(data) => (1, *data),
        Deployment::Postgres { nodes, dirs, .. } => (*nodes, *dirs),
    };
    let mut import = server(&["account", "import"], dirs)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| project("webim-server account import", e))?;
    if let Some(mut stdin) = import.stdin.take() {
        stdin
            .write_all(accounts.as_bytes())
            .map_err(|e| project("account import", e))?;
    }
    if !import.wait().is_ok_and(|s| s.success()) {
        return Err(Error::StepFailed("webim-server account import".to_owned()));
    }
    let mut servers = Vec::new();
    let (mut bases, mut pids) = (Vec::new(), Vec::new());
    for node in 0..nodes {
        let listen = format!("127.0.0.1:{}", free_port()?);
        let dir = match deployment {
            Deployment::Sqlite(data) => data.to_path_buf(),
            Deployment::Postgres { .. } => dirs.join(format!("node{node}")),
        };
        // Every simulated client comes from 127.0.0.1: the per-address caps, a defence
        // against one person, would count them all as one.
        let child = server(
            &[
                "--listen",
                &listen,
                "--poll-timeout",
                "60",
                "--no-demo",
                "--max-connections-per-address",
                "100000",
                "--max-polls-per-address",
                "100000",
            ],
            &dir,
        )
        .arg("--dist")
        .arg(dirs.join("no-dist"))
        .spawn()
        .map_err(|e| project("start webim-server", e))?;
        pids.push(child.id().to_string());
        servers.push(Killed(child));
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(&listen).is_err() {
            if Instant::now() > deadline {
                return Err(Error::StepFailed("webim-server did not listen".to_owned()));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        bases.push(format!("http://{listen}"));
    }
    let out = run::output(
        Command::new(bin.join("webim-load"))
            .args(["--base", &bases.join(","), "--key", KEY])
            .args(["--pid", &pids.join(","), "--polls", shape.polls])
            .args(["--senders", shape.senders, "--receivers", shape.receivers])
            .args(["--rate", shape.rate, "--secs", shape.secs]),
    )
    .ok_or_else(|| Error::StepFailed("webim-load".to_owned()))?;
    let mut figures: Value = out
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
        .ok_or_else(|| Error::Project(format!("webim-load printed no figures: {out}")))?;
    let retries: f64 = bases.iter().map(|b| retries_of(b)).sum();
    let sends = figures["server_delivery_messages"].as_f64().unwrap_or(0.0)
        + figures["server_sends_per_s"].as_f64().unwrap_or(0.0)
            * shape.secs.parse::<f64>().unwrap_or(0.0);
    figures["server_transaction_retries"] = json!(retries);
    figures["server_retries_per_send"] =
        json!((retries / sends.max(1.0) * 1000.0).round() / 1000.0);
    println!("{figures}");
    Ok(figures)
}

/// `webim_transaction_retries_total` from a server's /metrics (a plain HTTP/1.0 GET).
fn retries_of(base: &str) -> f64 {
    use std::io::Read;
    let Some(address) = base.strip_prefix("http://") else {
        return 0.0;
    };
    let Ok(mut stream) = TcpStream::connect(address) else {
        return 0.0;
    };
    let _ = stream.write_all(b"GET /metrics HTTP/1.0\r\n\r\n");
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    text.lines()
        .find_map(|l| {
            l.strip_prefix("webim_transaction_retries_total ")?
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or(0.0)
}
