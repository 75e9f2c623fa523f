//! The cluster half of the server benchmark: 1 and 3 `webim-server` processes on one
//! PostgreSQL database and one NATS bus (private servers from Debian's packages, started
//! here and stopped after), driven by `webim-load` round-robin across the processes. Three
//! runs each; each figure is the median, every run kept beside it.

use std::path::Path;

use serde_json::{Map, Value, json};
use webim_testbed::{Nats, Postgres};

use super::server::{Deployment, Shape, run_on};
use crate::error::Error;

const RUNS: usize = 3;
/// The process counts measured.
const NODES: [usize; 2] = [1, 3];
/// As the SQLite rows, but fewer held polls (memory is the SQLite rows' question) and half
/// the rate: one PostgreSQL on these 2 cores does not keep up with 1,000 sends/s, and a
/// queue would measure its length, not the delivery.
pub const CLUSTER_LOAD: Shape = Shape {
    polls: "200",
    senders: "32",
    receivers: "100",
    rate: "500",
    secs: "10",
};

/// Figures kept per run and given as medians.
const FIGURES: [&str; 6] = [
    "server_sends_per_s",
    "server_delivery_ms_p50",
    "server_delivery_ms_p99",
    "server_cpu_share_during_sends",
    "server_cpu_us_per_send",
    "server_retries_per_send",
];

fn testbed(e: impl std::fmt::Display) -> Error {
    Error::Project(format!("the cluster benchmark: {e}"))
}

/// Runs both process counts; the figures as JSON (`cluster_*`: the three-process run's
/// medians; `cluster_by_nodes`: each count's medians and runs).
pub fn run_all(root: &Path) -> Result<Value, Error> {
    let bin = root.join("target/server");
    println!("\n==> a private PostgreSQL and NATS for the cluster rows");
    let postgres = Postgres::start().map_err(testbed)?;
    let nats = Nats::start().map_err(testbed)?;
    let mut by_nodes = Vec::new();
    for nodes in NODES {
        let mut runs = Vec::new();
        for i in 0..RUNS {
            println!(
                "\n==> {nodes} process(es) on PostgreSQL + NATS, run {} of {RUNS}",
                i + 1
            );
            let url = postgres
                .create_database(&format!("bench_{nodes}_{i}"))
                .map_err(testbed)?;
            let dirs = root.join(format!("target/bench/cluster-{nodes}-{i}"));
            let _ = std::fs::remove_dir_all(&dirs);
            let deployment = Deployment::Postgres {
                url,
                nats: nats.url(),
                nodes,
                dirs: &dirs,
            };
            runs.push(run_on(&bin, &deployment, &CLUSTER_LOAD)?);
        }
        let mut medians = Map::new();
        medians.insert("nodes".to_owned(), json!(nodes));
        for key in FIGURES {
            let mut values: Vec<f64> = runs.iter().filter_map(|r| r[key].as_f64()).collect();
            values.sort_by(f64::total_cmp);
            if let Some(median) = values.get(values.len() / 2) {
                medians.insert(key.replacen("server_", "", 1), json!(median));
            }
        }
        medians.insert("runs".to_owned(), Value::Array(runs));
        by_nodes.push(Value::Object(medians));
    }
    let headline = by_nodes.last().cloned().unwrap_or_default();
    Ok(json!({
        "cluster_nodes": headline["nodes"],
        "cluster_sends_per_s": headline["sends_per_s"],
        "cluster_delivery_ms_p50": headline["delivery_ms_p50"],
        "cluster_delivery_ms_p99": headline["delivery_ms_p99"],
        "cluster_by_nodes": by_nodes,
        "cluster_load": {"polls": CLUSTER_LOAD.polls, "senders": CLUSTER_LOAD.senders,
            "receivers": CLUSTER_LOAD.receivers, "rate_per_s": CLUSTER_LOAD.rate,
            "secs": CLUSTER_LOAD.secs},
    }))
}
