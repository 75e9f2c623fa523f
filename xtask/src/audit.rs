//! `cargo xtask audit`: Lighthouse (npm, pinned in package.json to a version that runs on
//! the machine's Node) against the release build served by `webim-server`, as a phone
//! sees it (Lighthouse's mobile profile: a mid-range phone's CPU, slow 4G). Five runs;
//! the median by performance score is kept. The scores and key metrics go into
//! `benchmarks.json` and BENCHMARKS.md beside the other figures.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::error::Error;
use crate::run;
use crate::tools::Toolchain;

/// Lighthouse's own advice: the median of five runs (its simulated timings vary with what
/// the unthrottled page load happened to do first).
const RUNS: usize = 5;
/// What a phone would be shown first: the login picker of a server in demo mode.
const CATEGORIES: &str = "performance,accessibility,best-practices";

fn project(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Project(format!("{what}: {e}"))
}

/// The server on a free loopback port, stopped when dropped.
struct Served {
    child: Child,
    url: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &Path, data: &Path) -> Result<Served, Error> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| project("a free port", e))?
        .port();
    let listen = format!("127.0.0.1:{port}");
    let child = Command::new(root.join("target/server/webim-server"))
        .args(["--listen", &listen, "--dist"])
        .arg(root.join("dist"))
        .arg("--data")
        .arg(data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| project("start webim-server", e))?;
    let served = Served {
        child,
        url: format!("http://{listen}/"),
    };
    let started = Instant::now();
    while TcpStream::connect(&listen).is_err() {
        if started.elapsed() > Duration::from_secs(30) {
            return Err(Error::Project(
                "webim-server did not listen in 30 s".to_owned(),
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(served)
}

/// Runs Lighthouse `RUNS` times and returns the figures of the median run.
pub fn run_all(tools: &Toolchain, root: &Path) -> Result<Value, Error> {
    let cli = root.join("node_modules/lighthouse/cli/index.js");
    if !cli.is_file() {
        return Err(Error::Missing(
            "Lighthouse (npm ci installs it from package.json)".to_owned(),
        ));
    }
    let dir = root.join("target/audit");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(|e| project("create target/audit", e))?;
    let server = serve(root, &dir.join("data"))?;
    let mut runs = Vec::new();
    for i in 0..RUNS {
        println!("\n==> Lighthouse, mobile, run {} of {RUNS}", i + 1);
        let out = dir.join(format!("lighthouse-{i}.json"));
        let mut cmd = tools.command("node");
        cmd.arg(&cli)
            .arg(&server.url)
            .arg(format!("--only-categories={CATEGORIES}"))
            .args(["--output=json", "--quiet"])
            .arg(format!("--output-path={}", out.display()))
            .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu")
            .env("CHROME_PATH", "/usr/bin/chromium")
            .current_dir(root);
        run::status(&mut cmd, "lighthouse")?;
        let report: Value = fs::read_to_string(&out)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .ok_or_else(|| Error::Project(format!("no report in {}", out.display())))?;
        let figures = figures_of(&report);
        println!(
            "performance {} · accessibility {} · best practices {} · LCP {} ms",
            figures["lighthouse_performance"],
            figures["lighthouse_accessibility"],
            figures["lighthouse_best_practices"],
            figures["lcp_ms_mobile"]
        );
        runs.push(figures);
    }
    drop(server);
    Ok(median_run(runs))
}

/// The run with the median performance score, with every run's headline figures beside it.
fn median_run(mut runs: Vec<Value>) -> Value {
    let score = |v: &Value| v["lighthouse_performance"].as_f64().unwrap_or(0.0);
    runs.sort_by(|a, b| score(a).total_cmp(&score(b)));
    let each: Vec<Value> = runs
        .iter()
        .map(|r| json!({"performance": r["lighthouse_performance"], "lcp_ms": r["lcp_ms_mobile"]}))
        .collect();
    let mut median = runs
        .get(runs.len() / 2)
        .cloned()
        .unwrap_or_else(|| json!({}));
    if let Some(all) = median.as_object_mut() {
        all.insert("lighthouse_runs".to_owned(), Value::from(each));
    }
    median
}

/// The figures of one Lighthouse report: the three scores (0–1), the mobile metrics in
/// milliseconds, and the audits that did not pass.
pub fn figures_of(report: &Value) -> Value {
    let audits = &report["audits"];
    let ms = |id: &str| audits[id]["numericValue"].as_f64().map(f64::round);
    // Per category, the audits that count towards its score and did not pass.
    let failing: serde_json::Map<String, Value> = report["categories"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(category, c)| {
            let ids: Vec<Value> = c["auditRefs"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|r| r["weight"].as_f64().is_some_and(|w| w > 0.0))
                .filter_map(|r| r["id"].as_str())
                .filter(|id| audits[*id]["score"].as_f64().is_some_and(|s| s < 1.0))
                .map(Value::from)
                .collect();
            (category.clone(), Value::from(ids))
        })
        .collect();
    let observed = &audits["metrics"]["details"]["items"][0];
    json!({
        "lighthouse_performance": report["categories"]["performance"]["score"],
        "lighthouse_accessibility": report["categories"]["accessibility"]["score"],
        "lighthouse_best_practices": report["categories"]["best-practices"]["score"],
        "lcp_ms_mobile": ms("largest-contentful-paint"),
        "fcp_ms_mobile": ms("first-contentful-paint"),
        "tbt_ms_mobile": ms("total-blocking-time"),
        "tti_ms_mobile": ms("interactive"),
        "cls_mobile": audits["cumulative-layout-shift"]["numericValue"],
        "lcp_element_mobile": audits["largest-contentful-paint-element"]["details"]["items"][0]
            ["items"][0]["node"]["selector"],
        "lighthouse_failing_audits": failing,
        "lcp_observed_ms": observed["observedLargestContentfulPaint"],
        "fcp_observed_ms": observed["observedFirstContentfulPaint"],
        "lighthouse_version": report["lighthouseVersion"],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(performance: f64, lcp: f64) -> Value {
        json!({
            "lighthouseVersion": "12.8.2",
            "categories": {
                "performance": {"score": performance, "auditRefs": [
                    {"id": "largest-contentful-paint", "weight": 25},
                ]},
                "accessibility": {"score": 1.0, "auditRefs": []},
                "best-practices": {"score": 0.96, "auditRefs": [
                    {"id": "errors-in-console", "weight": 1},
                    {"id": "valid-source-maps", "weight": 0},
                ]},
            },
            "audits": {
                "largest-contentful-paint": {"numericValue": lcp, "scoreDisplayMode": "numeric", "score": 0.9},
                "first-contentful-paint": {"numericValue": 801.4},
                "cumulative-layout-shift": {"numericValue": 0.0},
                "errors-in-console": {"scoreDisplayMode": "binary", "score": 0.0},
                "valid-source-maps": {"scoreDisplayMode": "binary", "score": 0.0},
                "metrics": {"details": {"items": [{"observedLargestContentfulPaint": 70}]}},
            },
        })
    }

    #[test]
    fn test_a_report_reads_as_scores_metrics_and_failing_audits() {
        let figures = figures_of(&report(0.97, 812.6));
        assert_eq!(figures["lighthouse_performance"], 0.97);
        assert_eq!(figures["lighthouse_best_practices"], 0.96);
        assert_eq!(figures["lcp_ms_mobile"], 813.0);
        assert_eq!(figures["fcp_ms_mobile"], 801.0);
        assert_eq!(figures["tbt_ms_mobile"], Value::Null, "absent stays absent");
        assert_eq!(
            figures["lighthouse_failing_audits"],
            json!({
                "performance": ["largest-contentful-paint"],
                "accessibility": [],
                "best-practices": ["errors-in-console"],
            }),
            "only audits that weigh on a score, per category"
        );
        assert_eq!(figures["lcp_observed_ms"], 70);
    }

    #[test]
    fn test_the_median_run_by_performance_is_kept_with_every_run() {
        let runs = [0.99, 0.91, 0.95].map(|p| figures_of(&report(p, 1000.0 * p)));
        let kept = median_run(runs.to_vec());
        assert_eq!(kept["lighthouse_performance"], 0.95);
        assert_eq!(kept["lighthouse_runs"].as_array().map(Vec::len), Some(3));
    }
}
