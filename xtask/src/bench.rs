//! `cargo xtask bench`: builds the release app and a minimal Yew app with the same
//! profile, measures sizes, start-up, tab-to-tab delivery, a 10,000-message conversation
//! (in headless Chromium) and native throughput, and writes `benchmarks.json` and
//! `BENCHMARKS.md` at the repository root. Not part of the test command: it takes minutes
//! and measures, it does not judge.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

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
    let bench_dir = root.join("target/bench");
    fs::create_dir_all(&bench_dir)
        .map_err(|e| Error::Project(format!("create target/bench: {e}")))?;

    println!("\n==> release build of the app");
    release_build(&tools, root)?;
    println!("\n==> release build of a minimal Yew app (the floor)");
    let minimal = minimal_yew(&tools, root, &bench_dir)?;

    let app_sizes = sizes(&root.join("dist"))?;
    let minimal_sizes = sizes(&minimal)?;

    println!("\n==> native throughput");
    let merge = cargo_bench(&tools, root, "webim-sdk", "merge")?;
    let sends = cargo_bench(&tools, root, "webim-service", "sends")?;
    let merge_per_s = number_before(&merge, "sdk_merge n=100000", "msgs/s");
    let merge_ratio = number_after(&merge, "x2: time ratio");
    let sends_per_s = number_before(&sends, "service_sends", "sends/s");

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
    .current_dir(root);
    run::status(&mut cmd, "the browser benchmark")?;
    let browser: Value = fs::read_to_string(&browser_json)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .ok_or_else(|| Error::Project("the browser benchmark wrote no figures".to_owned()))?;

    let figures = json!({
        "size_gzip_bytes_total": total(&app_sizes, |f| f.gzip),
        "size_brotli_bytes_total": total(&app_sizes, |f| f.brotli),
        "size_raw_bytes_total": total(&app_sizes, |f| f.raw),
        "size_gzip_bytes_minimal_yew": total(&minimal_sizes, |f| f.gzip),
        "size_brotli_bytes_minimal_yew": total(&minimal_sizes, |f| f.brotli),
        "size_files": app_sizes.iter().map(file_json).collect::<Vec<_>>(),
        "size_files_minimal_yew": minimal_sizes.iter().map(file_json).collect::<Vec<_>>(),
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
        "long_messages": browser["long"]["messages"],
        "long_open_ms": browser["long"]["long_open_ms"],
        "long_enter_to_paint_ms": browser["long"]["long_enter_to_paint_ms"],
        "long_dom_message_nodes": browser["long"]["long_dom_message_nodes"],
        "long_js_heap_bytes": browser["long"]["js_heap_bytes"],
        "long_wasm_memory_bytes": browser["long"]["wasm_memory_bytes"],
        "sdk_merge_msgs_per_s": merge_per_s,
        "sdk_merge_doubling_time_ratio": merge_ratio,
        "service_sends_per_s": sends_per_s,
        "machine": machine(),
    });
    let text = serde_json::to_string_pretty(&figures).unwrap_or_default();
    fs::write(root.join("benchmarks.json"), text + "\n")
        .map_err(|e| Error::Project(format!("write benchmarks.json: {e}")))?;
    fs::write(root.join("BENCHMARKS.md"), report(&figures))
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
fn number_after(text: &str, marker: &str) -> Value {
    text.lines()
        .find_map(|l| l.split(marker).nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .map_or(Value::Null, Value::from)
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

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// One row of the report: figure, measured, target, and how far from it.
fn row(
    out: &mut String,
    name: &str,
    measured: String,
    target: &str,
    met: Option<bool>,
    distance: String,
) {
    let mark = match met {
        Some(true) => "met",
        Some(false) => "missed",
        None => "—",
    };
    let _ = writeln!(
        out,
        "| {name} | {measured} | {target} | {mark} | {distance} |"
    );
}

fn report(v: &Value) -> String {
    let mut out = String::new();
    let m = &v["machine"];
    let _ = writeln!(out, "# Benchmarks\n");
    let _ = writeln!(
        out,
        "Written by `cargo xtask bench` on {}: {} CPUs ({}), {} GiB, {}, {}. Shared, noisy \
         machines: start-up is a median of the runs listed in `benchmarks.json`, delivery a \
         percentile over every message, native figures the best of several runs.\n",
        m["date"].as_str().unwrap_or(""),
        m["cpus"].as_str().unwrap_or("?"),
        m["cpu"].as_str().unwrap_or("?"),
        m["memory_gib"],
        m["rustc"].as_str().unwrap_or(""),
        m["chromium"].as_str().unwrap_or("")
    );
    let _ = writeln!(
        out,
        "| figure | measured | target | | how far |\n|---|---|---|---|---|"
    );
    let gzip = f(&v["size_gzip_bytes_total"]);
    row(
        &mut out,
        "whole app, gzip (wasm + js + css + html)",
        format!("{:.1} kB", gzip / 1000.0),
        "≤ 200 kB",
        Some(gzip <= 200_000.0),
        format!("{:.2}× the target", gzip / 200_000.0),
    );
    let minimal = f(&v["size_gzip_bytes_minimal_yew"]);
    row(
        &mut out,
        "minimal Yew app, gzip (the floor)",
        format!("{:.1} kB", minimal / 1000.0),
        "—",
        None,
        format!("the app is {:.1}× the floor", gzip / minimal),
    );
    let (login, floor) = (
        f(&v["startup_login_ms_median"]),
        f(&v["startup_minimal_yew_ms_median"]),
    );
    row(
        &mut out,
        "login picker painted (median)",
        format!("{login:.0} ms"),
        "≤ 1.3× the minimal app",
        Some(login <= 1.3 * floor),
        format!("{:.2}× the minimal app's {floor:.0} ms", login / floor),
    );
    let chat = f(&v["startup_chat_ms_median"]);
    row(
        &mut out,
        "logged-in conversation with history painted (median)",
        format!("{chat:.0} ms"),
        "—",
        None,
        String::new(),
    );
    let (p50, p99) = (f(&v["delivery_ms_p50"]), f(&v["delivery_ms_p99"]));
    let n = &v["delivery_messages"];
    row(
        &mut out,
        &format!("tab-to-tab delivery p50 ({n} messages)"),
        format!("{p50:.1} ms"),
        "≤ 5 ms",
        Some(p50 <= 5.0),
        format!("{:.1}× the target", p50 / 5.0),
    );
    row(
        &mut out,
        "tab-to-tab delivery p99",
        format!("{p99:.1} ms"),
        "≤ 30 ms",
        Some(p99 <= 30.0),
        format!("{:.1}× the target", p99 / 30.0),
    );
    let open = f(&v["long_open_ms"]);
    let count = &v["long_messages"];
    row(
        &mut out,
        &format!("{count}-message conversation: open"),
        format!("{open:.0} ms"),
        "≤ 100 ms",
        Some(open <= 100.0),
        format!("{:.1}× the target", open / 100.0),
    );
    let enter = f(&v["long_enter_to_paint_ms"]);
    row(
        &mut out,
        "… Enter to the new message painted (median)",
        format!("{enter:.1} ms"),
        "≤ 16 ms (one frame)",
        Some(enter <= 16.0),
        format!("{:.1}× the target", enter / 16.0),
    );
    let nodes = f(&v["long_dom_message_nodes"]);
    row(
        &mut out,
        "… message nodes in the DOM (most seen while scrolling back)",
        format!("{nodes:.0}"),
        "≤ 200",
        Some(nodes <= 200.0),
        "windowed: at most 200 messages are rendered".to_owned(),
    );
    let heap = f(&v["long_js_heap_bytes"]);
    let wasm = f(&v["long_wasm_memory_bytes"]);
    row(
        &mut out,
        "… JS heap / wasm memory",
        format!("{:.1} MB / {:.1} MB", heap / 1e6, wasm / 1e6),
        "—",
        None,
        String::new(),
    );
    let merge = f(&v["sdk_merge_msgs_per_s"]);
    row(
        &mut out,
        "SDK merge of synced messages (100,000)",
        format!("{:.2} M msgs/s", merge / 1e6),
        "≥ 1 M msgs/s",
        Some(merge >= 1e6),
        format!(
            "doubling the input: {:.2}× the time",
            f(&v["sdk_merge_doubling_time_ratio"])
        ),
    );
    let sends = f(&v["service_sends_per_s"]);
    row(
        &mut out,
        "service sends, in-memory store",
        format!("{:.0} sends/s", sends),
        "—",
        None,
        String::new(),
    );
    let _ = writeln!(
        out,
        "\n## Transfer sizes\n\n| file | raw | gzip | brotli |\n|---|---|---|---|"
    );
    for file in v["size_files"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(v["size_files_minimal_yew"].as_array().into_iter().flatten())
    {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            file["file"].as_str().unwrap_or(""),
            file["raw"],
            file["gzip"],
            file["brotli"]
        );
    }
    let _ = writeln!(
        out,
        "\nThe emoticon images (67 SVGs, about 24 kB gzip together) load only when shown and are \
         not counted. How each figure is taken: `xtask/src/bench.rs`, `e2e/src/bin/bench.rs`, \
         `crates/webim-sdk/benches/merge.rs`, `crates/webim-service/benches/sends.rs`."
    );
    out
}
