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
    println!("\n==> the server and the load client (server build)");
    run::status(
        tools
            .cargo()
            .args(["build", "--locked", "--profile", "server"])
            .args(["-p", "webim-server", "-p", "webim-load"])
            .current_dir(root),
        "cargo build --profile server",
    )?;
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

fn one_run(bin: &Path, data: &Path) -> Result<Value, Error> {
    let _ = std::fs::remove_dir_all(data);
    let accounts = run::output(
        Command::new(bin.join("webim-load"))
            .args(["accounts", "--polls", POLLS, "--senders", SENDERS])
            .args(["--receivers", RECEIVERS]),
    )
    .ok_or_else(|| Error::StepFailed("webim-load accounts".to_owned()))?;
    let server = |args: &[&str]| {
        let mut cmd = Command::new(bin.join("webim-server"));
        cmd.arg("--data")
            .arg(data)
            .args(["--secret-key", KEY])
            .args(args)
            .env("WEBIM_LOG", "warn");
        cmd
    };
    let mut import = server(&["account", "import"])
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
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| project("a free port", e))?
        .port();
    let listen = format!("127.0.0.1:{port}");
    let missing = data.join("no-dist");
    let child = server(&["--listen", &listen, "--poll-timeout", "60", "--no-demo"])
        .arg("--dist")
        .arg(&missing)
        .spawn()
        .map_err(|e| project("start webim-server", e))?;
    let pid = child.id().to_string();
    let _server = Killed(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(&listen).is_err() {
        if Instant::now() > deadline {
            return Err(Error::StepFailed("webim-server did not listen".to_owned()));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = run::output(
        Command::new(bin.join("webim-load"))
            .args(["--base", &format!("http://{listen}"), "--key", KEY])
            .args(["--pid", &pid, "--polls", POLLS, "--senders", SENDERS])
            .args(["--receivers", RECEIVERS, "--rate", RATE, "--secs", SECS]),
    )
    .ok_or_else(|| Error::StepFailed("webim-load".to_owned()))?;
    let figures: Value = out
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
        .ok_or_else(|| Error::Project(format!("webim-load printed no figures: {out}")))?;
    println!("{figures}");
    Ok(figures)
}
