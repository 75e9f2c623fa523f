//! Benchmark: merging synced messages into `MsgStore` (what every `syncMsgs` does after
//! its pages arrive): decode each wire message into a `Msg`, de-duplicate, append, and
//! sort the timeline. Reports messages per second for 100,000, 200,000 and 400,000
//! messages, and how the time grows when the input doubles (it should at most double).
//!
//! Run: `cargo bench -p webim-sdk --bench merge`. Best of several runs, since the machines
//! are shared and noisy.
//!
//! The runs keep the memory they free, as the app's wasm memory does (it only grows): glibc
//! otherwise hands large freed blocks back to the kernel, and then only the bigger inputs
//! pay page faults on every run, which reads as a superlinear merge. The bench starts
//! itself again with `GLIBC_TUNABLES` set for that (other allocators ignore it).
#![allow(clippy::print_stdout, clippy::unwrap_used)] // a benchmark prints its figures

use std::hint::black_box;
use std::time::{Duration, Instant};

use webim_sdk::proto::{AccountId, C2cMsg, MsgElem, MsgRandom, MsgSeq, TextElem, Timestamp};
use webim_sdk::{Msg, MsgStore};

const PEERS: usize = 20;

/// `WEBIM_BENCH_SIZES=100000,200000` and `WEBIM_BENCH_RUNS=1` override the defaults (for
/// counting instructions under valgrind, where one run is enough).
fn setting(name: &str, default: &str) -> Vec<usize> {
    std::env::var(name)
        .unwrap_or_else(|_| default.to_owned())
        .split(',')
        .map(|n| n.trim().parse().expect("a number"))
        .collect()
}

fn synced(n: usize, me: &AccountId) -> Vec<C2cMsg> {
    let peers: Vec<AccountId> = (0..PEERS)
        .map(|i| AccountId::new(format!("peer{i}")).unwrap())
        .collect();
    (0..n)
        .map(|i| {
            let peer = &peers[i % PEERS];
            let mine = i % 3 == 0;
            let (from, to) = if mine { (me, peer) } else { (peer, me) };
            C2cMsg {
                from_account: from.clone(),
                to_account: to.clone(),
                msg_seq: MsgSeq(i as u64 + 1),
                msg_random: MsgRandom((i as u32).wrapping_mul(2_654_435_761)),
                msg_time_stamp: Timestamp(1_448_000_000 + i as u64),
                msg_body: vec![MsgElem::Text(TextElem {
                    text: format!("message number {i}"),
                })],
            }
        })
        .collect()
}

#[inline(never)]
fn merge(pulled: Vec<C2cMsg>, me: &AccountId) -> MsgStore {
    let mut store = MsgStore::default();
    for wire in pulled {
        store.add_msg(Msg::from_wire(wire, me));
    }
    store.update_timeline();
    store
}

fn best_time(pulled: &[C2cMsg], me: &AccountId, runs: usize) -> Duration {
    (0..runs)
        .map(|_| {
            let input = pulled.to_vec();
            let start = Instant::now();
            let store = merge(black_box(input), me);
            let took = start.elapsed();
            assert_eq!(store.sess_map().len(), PEERS);
            black_box(store);
            took
        })
        .min()
        .unwrap()
}

/// Keeps freed memory in the process: blocks up to 32 MiB come from the heap (not `mmap`)
/// and the heap is never trimmed.
const HOLD_MEMORY: &str =
    "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1099511627776";

/// Runs this bench again with [`HOLD_MEMORY`] unless the caller chose tunables itself.
fn rerun_holding_memory() -> Option<i32> {
    if std::env::var_os("GLIBC_TUNABLES").is_some() {
        return None;
    }
    let status = std::process::Command::new(std::env::current_exe().ok()?)
        .args(std::env::args_os().skip(1))
        .env("GLIBC_TUNABLES", HOLD_MEMORY)
        .status()
        .ok()?;
    Some(status.code().unwrap_or(1))
}

fn main() {
    if let Some(code) = rerun_holding_memory() {
        std::process::exit(code);
    }
    let me = AccountId::new("qiyueluhuo2016").unwrap();
    let runs = setting("WEBIM_BENCH_RUNS", "7")[0];
    let mut previous: Option<(usize, Duration)> = None;
    for n in setting("WEBIM_BENCH_SIZES", "100000,200000,400000") {
        let pulled = synced(n, &me);
        let took = best_time(&pulled, &me, runs);
        let per_sec = n as f64 / took.as_secs_f64();
        println!(
            "sdk_merge n={n}: {:.1} ms, {:.0} msgs/s",
            took.as_secs_f64() * 1e3,
            per_sec
        );
        if let Some((pn, pt)) = previous {
            let ratio = took.as_secs_f64() / pt.as_secs_f64();
            println!(
                "sdk_merge x{}: time ratio {ratio:.2} (linear = 2.00)",
                n / pn
            );
        }
        previous = Some((n, took));
    }
}
