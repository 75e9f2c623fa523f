//! `webim-load`: drives a running `webim-server` as many clients at once, from its own
//! process, over loopback, and prints what it measured as JSON. `cargo xtask bench` starts
//! the server (with the accounts below imported) and this, and reads the JSON.
//!
//! 1. Memory: the server's resident memory before and while `--polls` long polls are held
//!    (one per account `p0000…`), per poll.
//! 2. Throughput: with those polls held, `--senders` clients (`s00…`) each send as fast as
//!    their answers come, for `--secs` seconds; acknowledged sends per second.
//! 3. Latency: `--rate` sends per second (open loop) to `--receivers` accounts (`r000…`),
//!    each holding a long poll; the time from a send's request leaving to its receiver's
//!    long poll answering.
//!
//! `--base` and `--pid` take comma-separated lists for several processes sharing one
//! database: requests then go to each process in turn, so a send and the long poll that
//! hears of it are usually on different processes.
// A measuring tool: its report goes to standard output.
#![allow(clippy::print_stdout)]

mod clients;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::sync::Mutex;

use clients::{Load, Server};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn number(args: &[String], name: &str, default: u64) -> u64 {
    arg(args, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The accounts the server must have (for `webim-server account import`).
fn accounts(polls: u64, senders: u64, receivers: u64) -> Vec<String> {
    let mut all: Vec<String> = (0..polls).map(|i| format!("p{i:04}")).collect();
    all.extend((0..senders).map(|i| format!("s{i:02}")));
    all.extend((0..receivers).map(|i| format!("r{i:03}")));
    all
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (polls, senders, receivers) = (
        number(&args, "--polls", 2000),
        number(&args, "--senders", 32),
        number(&args, "--receivers", 100),
    );
    if args.first().map(String::as_str) == Some("accounts") {
        for id in accounts(polls, senders, receivers) {
            println!("{id}");
        }
        return;
    }
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let list = |name: &str| -> Vec<String> {
        arg(&args, name)
            .map(|v| v.split(',').map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let mut bases = list("--base");
    if bases.is_empty() {
        bases.push("http://127.0.0.1:8080".to_owned());
    }
    let server = Server {
        bases,
        sdk_app_id: number(&args, "--sdkappid", 1_104_620_500),
        key: arg(&args, "--key").unwrap_or_default(),
        pids: list("--pid")
            .iter()
            .filter_map(|p| p.parse().ok())
            .collect(),
    };
    let secs = number(&args, "--secs", 10);
    let rate = number(&args, "--rate", 1000);
    let load = Load::new(server);

    let rss_idle = load.server.rss_kb();
    let pollers: Vec<String> = (0..polls).map(|i| format!("p{i:04}")).collect();
    for id in &pollers {
        load.hold_poll(id.clone(), None);
    }
    let held = load.wait_held(polls, Duration::from_secs(60)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_held = load.server.rss_kb();
    let per_poll_kb = (rss_held.saturating_sub(rss_idle)) as f64 / polls.max(1) as f64;
    eprintln!("webim-load: {held} long polls held; rss {rss_idle} → {rss_held} kB");

    // Throughput with the polls held.
    let sender_ids: Vec<String> = (0..senders).map(|i| format!("s{i:02}")).collect();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let (server_cpu, own_cpu) = (load.server.cpu_ms(), clients::cpu_ms_of("/proc/self/stat"));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, from) in sender_ids.iter().enumerate() {
        let to = sender_ids[(i + 1) % sender_ids.len()].clone();
        let (load, from) = (load.clone(), from.clone());
        tasks.spawn(async move { load.send_until(&from, &to, deadline).await });
    }
    let (mut sent, mut failed) = (0u64, 0u64);
    while let Some(done) = tasks.join_next().await {
        let (ok, bad) = done.unwrap_or((0, 1));
        sent += ok;
        failed += bad;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let send_server_cpu = load.server.cpu_ms() - server_cpu;
    let send_client_cpu = clients::cpu_ms_of("/proc/self/stat") - own_cpu;
    let held_during = load.server.metric("webim_longpolls_held").await;
    eprintln!("webim-load: {sent} sends in {elapsed:.1} s ({failed} failed)");

    // Latency at a fixed rate, to receivers each holding a poll.
    let receiver_ids: Vec<String> = (0..receivers).map(|i| format!("r{i:03}")).collect();
    let sent_at: Arc<Mutex<BTreeMap<String, Vec<Instant>>>> = Arc::default();
    let latencies: Arc<Mutex<Vec<f64>>> = Arc::default();
    for id in &receiver_ids {
        load.hold_poll(
            id.clone(),
            Some((Arc::clone(&sent_at), Arc::clone(&latencies))),
        );
    }
    load.wait_held(polls + receivers, Duration::from_secs(60))
        .await;
    let total = rate * secs;
    let (server_cpu, own_cpu) = (load.server.cpu_ms(), clients::cpu_ms_of("/proc/self/stat"));
    let tick = Duration::from_secs_f64(1.0 / rate.max(1) as f64);
    let begin = tokio::time::Instant::now();
    let mut sends = tokio::task::JoinSet::new();
    for k in 0..total {
        tokio::time::sleep_until(begin + tick * k as u32).await;
        let from = sender_ids[(k % senders) as usize].clone();
        let to = receiver_ids[(k % receivers) as usize].clone();
        sent_at
            .lock()
            .await
            .entry(to.clone())
            .or_default()
            .push(Instant::now());
        let load = load.clone();
        sends.spawn(async move { load.send_one(&from, &to, k).await });
    }
    let achieved = total as f64 / begin.elapsed().as_secs_f64();
    let rate_server_cpu = load.server.cpu_ms() - server_cpu;
    let rate_client_cpu = clients::cpu_ms_of("/proc/self/stat") - own_cpu;
    while sends.join_next().await.is_some() {}
    let wait_until = Instant::now() + Duration::from_secs(30);
    while (latencies.lock().await.len() as u64) < total && Instant::now() < wait_until {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut ms = latencies.lock().await.clone();
    ms.sort_by(f64::total_cmp);
    eprintln!("webim-load: {} of {total} deliveries timed", ms.len());

    let report = json!({
        "server_longpolls_held": held_during,
        "server_rss_kb_idle": rss_idle,
        "server_rss_kb_with_polls": rss_held,
        "server_rss_kb_per_longpoll": (per_poll_kb * 100.0).round() / 100.0,
        "server_sends_per_s": (sent as f64 / elapsed).round(),
        "server_send_failures": failed,
        "server_cpu_us_per_send": (send_server_cpu * 1000.0 / sent.max(1) as f64).round(),
        "load_client_cpu_us_per_send": (send_client_cpu * 1000.0 / sent.max(1) as f64).round(),
        "server_cpu_share_during_sends": (send_server_cpu / (elapsed * 1000.0) * 100.0).round() / 100.0,
        "server_cpu_share_at_rate": (rate_server_cpu / (secs as f64 * 1000.0) * 100.0).round() / 100.0,
        "load_client_cpu_share_at_rate": (rate_client_cpu / (secs as f64 * 1000.0) * 100.0).round() / 100.0,
        "server_senders": senders,
        "server_delivery_rate_per_s": achieved.round(),
        "server_delivery_messages": total,
        "server_delivery_timed": ms.len(),
        "server_delivery_ms_p50": (percentile(&ms, 50.0) * 100.0).round() / 100.0,
        "server_delivery_ms_p99": (percentile(&ms, 99.0) * 100.0).round() / 100.0,
        "server_delivery_ms_max": ms.last().copied().unwrap_or(f64::NAN),
    });
    println!("{report}");
    std::process::exit(0);
}
