//! The report's cluster rows: 1 and 3 `webim-server` processes on one PostgreSQL and one
//! NATS (`cargo xtask bench cluster`), beside the SQLite single-process rows.

use serde_json::Value;

use super::{f, row};

/// The rows, one group per process count.
pub fn rows(out: &mut String, v: &Value) {
    let Some(groups) = v["cluster_by_nodes"].as_array() else {
        return;
    };
    let load = &v["cluster_load"];
    let rate = load["rate_per_s"].as_str().unwrap_or("?");
    let senders = load["senders"].as_str().unwrap_or("?");
    let sqlite = f(&v["server_sends_per_s"]);
    for group in groups {
        let nodes = f(&group["nodes"]);
        let sends = f(&group["sends_per_s"]);
        row(
            out,
            &format!(
                "cluster sends, {nodes:.0} process(es) on PostgreSQL + NATS ({senders} senders, \
                 requests round-robin; median of 3 runs)"
            ),
            format!("{sends:.0} sends/s"),
            "—",
            None,
            format!(
                "{:.2}× SQLite's single process; the processes used {:.2} cores, {:.0} µs of \
                 CPU per send (PostgreSQL's own not counted); {:.3} transaction retries per send",
                sends / sqlite,
                f(&group["cpu_share_during_sends"]),
                f(&group["cpu_us_per_send"]),
                f(&group["retries_per_send"])
            ),
        );
        row(
            out,
            &format!("… delivery at {rate} sends/s, p50 / p99"),
            format!(
                "{:.1} / {:.1} ms",
                f(&group["delivery_ms_p50"]),
                f(&group["delivery_ms_p99"])
            ),
            "—",
            None,
            String::new(),
        );
        let runs: Vec<String> = group["runs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                format!(
                    "{:.0}/s, {:.1}/{:.1} ms",
                    f(&r["server_sends_per_s"]),
                    f(&r["server_delivery_ms_p50"]),
                    f(&r["server_delivery_ms_p99"])
                )
            })
            .collect();
        row(
            out,
            "… each run: sends, delivery p50/p99",
            runs.join("; "),
            "—",
            None,
            String::new(),
        );
    }
}

/// What the cluster rows show (from the measurements of 2026-12-02).
pub const BOUNDS: &str = "\
- **Cluster rows: what extra processes cost here.** This machine has two cores, and \
PostgreSQL, every server process and the load client share them, so a second and third \
process add no CPU, only work: three processes sent 1,221/s against one process's 1,533/s. \
The extra work is races and hops. Commands of different processes race on the same users' \
rows (each send writes the sender's and the receiver's `counters` row; in this load 32 \
senders form a ring, each writing to the next), and a refused command runs again: 0.38 \
retries per send with three processes, 0.14 with one (where at most 8 commands write at \
once). A delivery to a poll held by another process takes a NATS hop (p50 3.7 ms against \
2.7). The server processes together used about 0.55 of the 2 cores; the rest went to \
PostgreSQL and the load client. One process on PostgreSQL reaches about 0.8× the SQLite \
single process: every statement is a round trip over loopback TCP to another process \
(the SQLite figure is from an earlier run of the same day). Tried and dropped: \
`SERIALIZABLE` writers (more refusals, slower; see ARCHITECTURE.md), and skipping sqlx's \
ping before a connection is handed out (one process 1,545/s against 1,533, three \
processes 974–1,080/s against 1,157–1,258: no gain beyond the noise).\n\
- **… and what they buy on separate machines.** A server process spends 350–450 µs of CPU \
per send on HTTP, JSON, userSig checks and the service's rules, and holds every long poll's \
connection; on their own machines those costs add up across processes instead of \
competing, and a process can be killed or upgraded while the others serve (the fault \
tests). The ceiling then is PostgreSQL's rate of commits on hot rows, not the processes.";
