//! `cargo xtask bench`: builds the release app and a minimal Yew app with the same
//! profile, measures sizes, start-up, tab-to-tab delivery, a 10,000-message conversation
//! (in headless Chromium) and native throughput, and writes `benchmarks.json` and
//! `BENCHMARKS.md` at the repository root. Not part of the test command: it takes minutes
//! and measures, it does not judge.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

mod cluster;
mod report;
mod server;

use crate::error::Error;
use crate::run;
use crate::size::{self, FileSize};
use crate::test::release_build;
use crate::tools::{Needs, Toolchain};

const MINIMAL_MAIN: &str = r#"//! The floor: the smallest Yew app, built like WebIM's release build.
use yew::prelude::*;

#[component]
fn App() -> Html {
    html! { <h1 id="hello">{ "Hello, world" }</h1> }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
"#;

const MINIMAL_HTML: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8" /><title>minimal</title>
<link data-trunk rel="rust" data-bin="minimal-yew" data-wasm-opt="z" /></head><body></body></html>
"#;

/// Runs the whole benchmark.
pub fn run_all(root: &Path) -> Result<(), Error> {
    let tools = Toolchain::ensure(root, Needs::Everything)?;
    let mut figures = browser_figures(&tools, root)?;

    println!("\n==> native throughput");
    let merge = cargo_bench(&tools, root, "webim-sdk", "merge")?;
    let sends = cargo_bench(&tools, root, "webim-service", "sends")?;
    let merge_ratios = numbers_after(&merge, "x2: time ratio");
    merge_into(
        &mut figures,
        json!({
            "sdk_merge_msgs_per_s": number_before(&merge, "sdk_merge n=100000", "msgs/s"),
            // The worst doubling, so the figure never flatters; every doubling beside it.
            "sdk_merge_doubling_time_ratio": merge_ratios.iter().copied().fold(f64::NAN, f64::max),
            "sdk_merge_doubling_time_ratios": merge_ratios,
            "service_sends_per_s": number_before(&sends, "service_sends", "sends/s"),
        }),
        "machine",
    );

    let mut server_figures = server::run_all(&tools, root)?;
    merge_into(
        &mut server_figures,
        cluster::run_all(root)?,
        "cluster_machine",
    );
    merge_into(&mut figures, server_figures, "server_machine");
    println!("\n==> Lighthouse");
    merge_into(
        &mut figures,
        crate::audit::run_all(&tools, root)?,
        "audit_machine",
    );
    write(root, &figures)
}

/// `cargo xtask bench browser`: only the sizes and the figures measured in Chromium
/// (start-up, delivery, the long conversation), merged into the last run's.
pub fn run_browser(root: &Path) -> Result<(), Error> {
    let tools = Toolchain::ensure(root, Needs::Everything)?;
    let mut figures = last_run(root).unwrap_or_else(|| json!({}));
    merge_into(&mut figures, browser_figures(&tools, root)?, "machine");
    write(root, &figures)
}

/// The release build's sizes beside a minimal Yew app's, and what headless Chromium
/// measures of both.
fn browser_figures(tools: &Toolchain, root: &Path) -> Result<Value, Error> {
    let bench_dir = root.join("target/bench");
    fs::create_dir_all(&bench_dir)
        .map_err(|e| Error::Project(format!("create target/bench: {e}")))?;

    println!("\n==> release build of the app");
    release_build(tools, root)?;
    server::build(tools, root)?;
    println!("\n==> release build of a minimal Yew app (the floor)");
    let minimal = minimal_yew(tools, root, &bench_dir)?;

    let app_sizes = sizes(&root.join("dist"))?;
    // webim.js for other pages: its loader, glue and wasm.
    let sdk_sizes = sizes(&root.join("dist/sdk"))?;
    let minimal_sizes = sizes(&minimal)?;

    println!("\n==> in headless Chromium (several minutes)");
    let browser_json = bench_dir.join("browser.json");
    let mut cmd = tools.cargo();
    cmd.args([
        "run",
        "--release",
        "--locked",
        "-p",
        "webim-e2e",
        "--bin",
        "bench",
        "--",
    ])
    .arg("--app")
    .arg(root.join("dist"))
    .arg("--minimal")
    .arg(&minimal)
    .arg("--out")
    .arg(&browser_json)
    .env("CHROMEDRIVER", "/usr/bin/chromedriver")
    // The pictures' figures behind a server: the server build, as `bench server` runs it.
    .env("WEBIM_SERVER_BIN", root.join("target/server/webim-server"))
    .current_dir(root);
    run::status(&mut cmd, "the browser benchmark")?;
    let browser: Value = fs::read_to_string(&browser_json)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .ok_or_else(|| Error::Project("the browser benchmark wrote no figures".to_owned()))?;

    // What a page behind a server downloads, and the embedded service's worker beside it.
    let (worker_sizes, page_sizes): (Vec<FileSize>, Vec<FileSize>) =
        app_sizes.iter().cloned().partition(is_embedded_worker);
    let mut figures = json!({
        "size_gzip_bytes_app": total(&page_sizes, |f| f.gzip),
        "size_brotli_bytes_app": total(&page_sizes, |f| f.brotli),
        "size_raw_bytes_app": total(&page_sizes, |f| f.raw),
        "size_gzip_bytes_embedded": total(&worker_sizes, |f| f.gzip),
        "size_brotli_bytes_embedded": total(&worker_sizes, |f| f.brotli),
        "size_gzip_bytes_total": total(&app_sizes, |f| f.gzip),
        "size_brotli_bytes_total": total(&app_sizes, |f| f.brotli),
        "size_raw_bytes_total": total(&app_sizes, |f| f.raw),
        "size_gzip_bytes_minimal_yew": total(&minimal_sizes, |f| f.gzip),
        "size_brotli_bytes_minimal_yew": total(&minimal_sizes, |f| f.brotli),
        "size_files": app_sizes.iter().map(file_json).collect::<Vec<_>>(),
        "size_files_minimal_yew": minimal_sizes.iter().map(file_json).collect::<Vec<_>>(),
        "size_gzip_bytes_webim_js": total(&sdk_sizes, |f| f.gzip),
        "size_brotli_bytes_webim_js": total(&sdk_sizes, |f| f.brotli),
        "size_raw_bytes_webim_js": total(&sdk_sizes, |f| f.raw),
        "size_files_webim_js": sdk_sizes.iter().map(file_json).collect::<Vec<_>>(),
        "startup_login_ms_median": browser["startup_login_ms_median"],
        "startup_minimal_yew_ms_median": browser["startup_minimal_yew_ms_median"],
        "startup_chat_ms_median": browser["startup_chat_ms_median"],
        "startup_samples": {
            "login": browser["startup_login_ms"],
            "minimal_yew": browser["startup_minimal_yew_ms"],
            "chat": browser["startup_chat_ms"],
        },
        "delivery_messages": browser["delivery_messages"],
        "delivery_ms_p50": browser["delivery_ms_p50"],
        "delivery_ms_p99": browser["delivery_ms_p99"],
        "delivery_ms_max": browser["delivery_ms_max"],
        "delivery_pace_ms": browser["delivery_pace_ms"],
        "delivery_fallback_ms_p50": browser["delivery_fallback_ms_p50"],
        "delivery_fallback_ms_p99": browser["delivery_fallback_ms_p99"],
        "delivery_fallback_ms_max": browser["delivery_fallback_ms_max"],
        "delivery_floor_ms_p50": browser["delivery_floor_ms_p50"],
        "delivery_floor_ms_p99": browser["delivery_floor_ms_p99"],
        "long_messages": browser["long"]["messages"],
        "long_open_ms": browser["long"]["long_open_ms"],
        "long_enter_to_paint_ms": browser["long"]["long_enter_to_paint_ms"],
        "long_dom_message_nodes": browser["long"]["long_dom_message_nodes"],
        "long_js_heap_bytes": browser["long"]["js_heap_bytes"],
        "long_wasm_memory_bytes": browser["long"]["wasm_memory_bytes"],
        "long_pictures": browser["long"]["pictures"],
        "long_open_with_pictures_ms": browser["long"]["long_open_with_pictures_ms"],
        "long_enter_to_paint_with_pictures_ms":
            browser["long"]["long_enter_to_paint_with_pictures_ms"],
    });
    for key in PICTURE_KEYS {
        figures[key] = browser[key].clone();
    }
    figures["picture_samples"] = json!({
        "server_ms": browser["picture_send_to_thumb_ms_runs"],
        "in_browser_ms": browser["picture_send_to_thumb_ms_runs_in_browser"],
    });
    Ok(figures)
}

/// The pictures' figures, as the browser benchmark writes them.
const PICTURE_KEYS: [&str; 5] = [
    "picture_bytes",
    "picture_send_to_thumb_ms_p50",
    "picture_upload_mb_per_s",
    "picture_send_to_thumb_ms_p50_in_browser",
    "picture_upload_mb_per_s_in_browser",
];

/// `cargo xtask audit`: only Lighthouse's figures, merged into the last run's.
pub fn run_audit(root: &Path) -> Result<(), Error> {
    let tools = Toolchain::ensure(root, Needs::Everything)?;
    let mut figures = last_run(root).unwrap_or_else(|| json!({}));
    release_build(&tools, root)?;
    server::build(&tools, root)?;
    merge_into(
        &mut figures,
        crate::audit::run_all(&tools, root)?,
        "audit_machine",
    );
    write(root, &figures)
}

/// `cargo xtask bench server`: only the server's figures (SQLite and the cluster), merged
/// into the last full run's.
pub fn run_server(root: &Path) -> Result<(), Error> {
    let tools = Toolchain::ensure(root, Needs::Build)?;
    let mut figures = last_run(root).unwrap_or_else(|| json!({}));
    merge_into(
        &mut figures,
        server::run_all(&tools, root)?,
        "server_machine",
    );
    merge_into(&mut figures, cluster::run_all(root)?, "cluster_machine");
    write(root, &figures)
}

/// `cargo xtask bench cluster`: only the cluster rows, merged into the last run's.
pub fn run_cluster(root: &Path) -> Result<(), Error> {
    let tools = Toolchain::ensure(root, Needs::Everything)?;
    let mut figures = last_run(root).unwrap_or_else(|| json!({}));
    server::build(&tools, root)?;
    merge_into(&mut figures, cluster::run_all(root)?, "cluster_machine");
    write(root, &figures)
}

/// `cargo xtask bench report`: BENCHMARKS.md written again from benchmarks.json.
pub fn rewrite_report(root: &Path) -> Result<(), Error> {
    let figures =
        last_run(root).ok_or_else(|| Error::Project("no benchmarks.json to report".to_owned()))?;
    write(root, &figures)
}

/// The figures of the last run (`benchmarks.json`), if there is a readable one: the partial
/// commands merge theirs into it.
fn last_run(root: &Path) -> Option<Value> {
    fs::read_to_string(root.join("benchmarks.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
}

/// Adds `more` to `figures`, stamped with when and where under `stamp`.
fn merge_into(figures: &mut Value, more: Value, stamp: &str) {
    if let (Some(all), Value::Object(more)) = (figures.as_object_mut(), more) {
        all.extend(more);
        all.insert(stamp.to_owned(), machine());
    }
}

fn write(root: &Path, figures: &Value) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(figures).unwrap_or_default();
    fs::write(root.join("benchmarks.json"), text + "\n")
        .map_err(|e| Error::Project(format!("write benchmarks.json: {e}")))?;
    fs::write(root.join("BENCHMARKS.md"), report::report(figures))
        .map_err(|e| Error::Project(format!("write BENCHMARKS.md: {e}")))?;
    println!("\nwrote benchmarks.json and BENCHMARKS.md");
    Ok(())
}

fn minimal_yew(tools: &Toolchain, root: &Path, bench_dir: &Path) -> Result<PathBuf, Error> {
    let dir = bench_dir.join("minimal-yew");
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap_or(&dir))
            .and_then(|()| fs::write(&path, text))
            .map_err(|e| Error::Project(format!("write {}: {e}", path.display())))
    };
    let root_manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap_or_default();
    let profile = root_manifest
        .split("[profile.release]")
        .nth(1)
        .map(|rest| rest.split("\n[").next().unwrap_or(rest))
        .unwrap_or("\nopt-level = \"z\"\nlto = true\ncodegen-units = 1\npanic = \"abort\"\n");
    let wasm_bindgen = &tools.wasm_bindgen_version;
    write(
        "Cargo.toml",
        &format!(
            "[package]\nname = \"minimal-yew\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nyew = {{ version = \"0.23\", features = [\"csr\"] }}\nwasm-bindgen = \"={wasm_bindgen}\"\n\n\
             [profile.release]{profile}\n[workspace]\n"
        ),
    )?;
    write("src/main.rs", MINIMAL_MAIN)?;
    write("index.html", MINIMAL_HTML)?;
    write(
        "Trunk.toml",
        &fs::read_to_string(root.join("Trunk.toml")).unwrap_or_default(),
    )?;
    // The app's lock file, so both builds use the same versions of everything they share.
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| Error::Project(format!("copy Cargo.lock: {e}")))?;
    let mut cmd = tools.command("trunk");
    cmd.args(["build", "--release", "--offline"])
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env("CARGO_TARGET_DIR", bench_dir.join("minimal-target"))
        .current_dir(&dir);
    run::status(&mut cmd, "trunk build of the minimal Yew app")?;
    Ok(dir.join("dist"))
}

fn sizes(dist: &Path) -> Result<Vec<FileSize>, Error> {
    let mut all = Vec::new();
    for ext in ["wasm", "js", "css", "html"] {
        all.extend(size::of_files(dist, ext)?);
    }
    Ok(all)
}

/// The embedded service's worker files (see [`crate::fingerprint::is_embedded_worker`]).
fn is_embedded_worker(f: &FileSize) -> bool {
    f.path
        .file_name()
        .is_some_and(|n| crate::fingerprint::is_embedded_worker(&n.to_string_lossy()))
}

fn total(files: &[FileSize], pick: impl Fn(&FileSize) -> u64) -> u64 {
    files.iter().map(pick).sum()
}

fn file_json(f: &FileSize) -> Value {
    let name = f
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    json!({ "file": name, "raw": f.raw, "gzip": f.gzip, "brotli": f.brotli })
}

fn cargo_bench(
    tools: &Toolchain,
    root: &Path,
    package: &str,
    bench: &str,
) -> Result<String, Error> {
    let mut cmd = tools.cargo();
    cmd.args(["bench", "--locked", "-q", "-p", package, "--bench", bench])
        .current_dir(root);
    let out = run::output(&mut cmd)
        .ok_or_else(|| Error::StepFailed(format!("cargo bench -p {package}")))?;
    print!("{out}");
    Ok(out)
}

/// The number just before `unit` on the line that starts with `prefix`.
fn number_before(text: &str, prefix: &str, unit: &str) -> Value {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.split(unit).next())
        .and_then(|l| l.split_whitespace().last())
        .and_then(|n| n.parse::<f64>().ok())
        .map_or(Value::Null, Value::from)
}

/// The first number after `marker` anywhere in `text`.
/// Every number that follows `marker`, one per line that has it.
fn numbers_after(text: &str, marker: &str) -> Vec<f64> {
    text.lines()
        .filter_map(|l| l.split(marker).nth(1))
        .filter_map(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
        .collect()
}

fn machine() -> Value {
    let read = |cmd: &mut Command| {
        run::output(cmd)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines().next().map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<u64>()
                    .unwrap_or(0)
            })
        })
        .map_or(0, |kb| kb / 1024 / 1024);
    json!({
        "cpus": read(Command::new("nproc").arg("--all")),
        "cpu": cpu,
        "memory_gib": memory,
        "rustc": read(Command::new("rustc").arg("--version")),
        "chromium": read(Command::new("/usr/bin/chromium").arg("--version")),
        "date": read(Command::new("date").arg("-u").arg("+%Y-%m-%d %H:%M UTC")),
    })
}
