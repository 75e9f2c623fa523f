//! Benchmark: messages per second through the service with the in-memory store, the whole
//! way a client's request goes: JSON in, checks, both inboxes, dedup memory, JSON out.
//!
//! Run: `cargo bench -p webim-service --bench sends`. Best of several runs.
#![allow(clippy::print_stdout, clippy::unwrap_used)] // a benchmark prints its figures

use std::time::{Duration, Instant};

use futures::executor::block_on;
use webim_proto::{Command, Timestamp};
use webim_service::{MemoryStore, Service};

const SENDS: u64 = 20_000;
const RUNS: usize = 5;

fn body(i: u64) -> String {
    let (from, to) = if i.is_multiple_of(2) {
        ("qiyueluhuo2016", "peakerdong")
    } else {
        ("peakerdong", "qiyueluhuo2016")
    };
    format!(
        r#"{{"From_Account":"{from}","To_Account":"{to}","MsgSeq":{i},"MsgRandom":{},"MsgTimeStamp":0,"MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":"message number {i}"}}}}]}}"#,
        i * 7919 % 65_536
    )
}

fn run() -> Duration {
    let service = Service::new(MemoryStore::new());
    block_on(service.ensure_seeded(Timestamp(1))).unwrap();
    let bodies: Vec<(&str, String)> = (0..SENDS)
        .map(|i| {
            (
                if i.is_multiple_of(2) {
                    "qiyueluhuo2016"
                } else {
                    "peakerdong"
                },
                body(i),
            )
        })
        .collect();
    let start = Instant::now();
    for (who, body) in &bodies {
        let handled = block_on(service.handle(who, "sig", Command::SendMsg, body, Timestamp(2)));
        assert!(handled.reply.is_some_and(|r| r.contains("\"OK\"")));
    }
    start.elapsed()
}

fn main() {
    let best = (0..RUNS).map(|_| run()).min().unwrap();
    let per_sec = SENDS as f64 / best.as_secs_f64();
    println!(
        "service_sends n={SENDS}: {:.1} ms, {per_sec:.0} sends/s",
        best.as_secs_f64() * 1e3
    );
}
