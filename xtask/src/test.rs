//! `cargo xtask test`: every check and test, in order, stopping at the first failure, and
//! ending with one line `N passed, N failed` that totals every suite.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::error::Error;
use crate::run::{self, Tally};
use crate::size;
use crate::tools::{Needs, Toolchain};

/// Crates that must stay free of IO: they are the functional core.
const PURE_CRATES: [&str; 2] = ["webim-sdk", "webim-service"];
/// Crates that would bring IO or a runtime into the functional core.
const FORBIDDEN_IN_PURE: [&str; 8] = [
    "web-sys",
    "js-sys",
    "wasm-bindgen",
    "gloo",
    "yew",
    "tokio",
    "reqwest",
    "mio",
];
/// Crates compiled for the browser (clippy runs on them for wasm32 too).
const CLIENT_CRATES: [&str; 8] = [
    "webim",
    "webim-browser",
    "webim-embedded",
    "webim-js",
    "webim-js-values",
    "webim-sdk",
    "webim-proto",
    "webim-service",
];

/// Runs the whole test command. Whatever happens, its last line is the tally, so a failure
/// is reported here, before that line, and the caller must not print it again.
pub fn run_all(root: &Path) -> Result<(), Error> {
    let started = Instant::now();
    let mut tally = Tally::default();
    let result = steps(root, &mut tally);
    println!("\ntook {:.0?}", started.elapsed());
    // A step that failed without a failing test (a lint, a build) still counts as a failure.
    if result.is_err() && tally.failed == 0 {
        tally.failed = 1;
    }
    if let Err(err) = &result {
        println!("stopped: {err}");
    }
    println!("{} passed, {} failed", tally.passed, tally.failed);
    result
}

fn steps(root: &Path, tally: &mut Tally) -> Result<(), Error> {
    let tools = Toolchain::ensure(root, Needs::Everything)?;
    let cargo = |args: &[&str]| {
        let mut cmd = tools.cargo();
        cmd.args(args).current_dir(root);
        cmd
    };
    let client_packages: Vec<&str> = CLIENT_CRATES.iter().flat_map(|c| ["-p", c]).collect();

    step("format", || {
        run::status(
            &mut cargo(&["fmt", "--all", "--check"]),
            "cargo fmt --check",
        )
    })?;
    step("clippy (host)", || {
        let args = [
            "clippy",
            "--locked",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ];
        run::status(&mut cargo(&args), "clippy on the host")
    })?;
    step("clippy (wasm32, client crates)", || {
        let mut args = vec!["clippy", "--locked", "--target", "wasm32-unknown-unknown"];
        args.extend(&client_packages);
        args.extend(["--all-targets", "--", "-D", "warnings"]);
        run::status(&mut cargo(&args), "clippy for wasm32")
    })?;
    step("no IO in the functional core", || {
        check_pure_crates(&tools, root)
    })?;
    step("native tests", || {
        let args = ["test", "--locked", "--workspace", "--exclude", "webim-e2e"];
        counted(tally, &mut cargo(&args), "native tests")
    })?;
    step(
        "browser tests: components and the embedded backend (headless Chromium)",
        || {
            let args = [
                "test",
                "--locked",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                "webim",
                "--features",
                "webim/in-page-service",
                "--test",
                "components",
                "-p",
                "webim-embedded",
                "--test",
                "embedded",
            ];
            let mut cmd = cargo(&args);
            cmd.env("CHROMEDRIVER", "/usr/bin/chromedriver");
            counted(tally, &mut cmd, "browser tests")
        },
    )?;
    step("release build (trunk)", || release_build(&tools, root))?;
    step("the server binary for the end-to-end tests", || {
        run::status(
            &mut cargo(&["build", "--locked", "-p", "webim-server"]),
            "cargo build -p webim-server",
        )
    })?;
    step(
        "end-to-end tests (headless Chromium over WebDriver, both backends)",
        || {
            // One browser at a time: the machines have two cores, and the delivery test measures.
            let mut cmd = cargo(&[
                "test",
                "--locked",
                "-p",
                "webim-e2e",
                "--",
                "--test-threads=1",
            ]);
            cmd.env("WEBIM_DIST", root.join("dist"))
                .env(
                    "WEBIM_SERVER_BIN",
                    root.join("target").join("debug").join("webim-server"),
                )
                .env("CHROMEDRIVER", "/usr/bin/chromedriver");
            counted(tally, &mut cmd, "end-to-end tests")
        },
    )?;
    step(
        "end-to-end tests with Tencent's own webim.js 1.2 and 1.7 (../shared/real-clients)",
        || {
            let clients = root.join("..").join("shared").join("real-clients");
            if !clients.join("webim-1.7.0.js").is_file() {
                println!(
                    "not run: {} is absent, so Tencent's own clients were not tested \
                     (these tests are not counted)",
                    clients.display()
                );
                return Ok(());
            }
            let mut cmd = cargo(&[
                "test",
                "--locked",
                "-p",
                "webim-e2e",
                "--test",
                "e2e",
                "real_clients::",
                "--",
                "--ignored",
                "--test-threads=1",
            ]);
            cmd.env("WEBIM_DIST", root.join("dist"))
                .env(
                    "WEBIM_SERVER_BIN",
                    root.join("target").join("debug").join("webim-server"),
                )
                .env("WEBIM_REAL_CLIENTS", &clients)
                .env("CHROMEDRIVER", "/usr/bin/chromedriver");
            counted(tally, &mut cmd, "end-to-end tests with Tencent's clients")
        },
    )?;
    Ok(())
}

fn step(name: &str, body: impl FnOnce() -> Result<(), Error>) -> Result<(), Error> {
    println!("\n==> {name}");
    let started = Instant::now();
    let result = body();
    let mark = if result.is_ok() { "ok" } else { "FAILED" };
    println!("==> {name}: {mark} in {:.1?}", started.elapsed());
    result
}

fn counted(tally: &mut Tally, cmd: &mut Command, what: &str) -> Result<(), Error> {
    let (counts, result) = run::tests(cmd, what);
    println!("{what}: {} passed, {} failed", counts.passed, counts.failed);
    tally.add(counts);
    result
}

/// Fails if a pure crate's dependency tree (any target, normal and build edges) names a
/// crate that does IO or brings a runtime, and says through which path it arrives.
fn check_pure_crates(tools: &Toolchain, root: &Path) -> Result<(), Error> {
    for krate in PURE_CRATES {
        let mut cmd = tools.cargo();
        cmd.args([
            "tree",
            "--locked",
            "-p",
            krate,
            "-e",
            "normal,build",
            "--target",
            "all",
        ])
        .args(["--prefix", "none", "--format", "{p}"])
        .current_dir(root);
        let tree = run::output(&mut cmd)
            .ok_or_else(|| Error::StepFailed(format!("cargo tree -p {krate}")))?;
        let offending: BTreeSet<&str> = tree
            .lines()
            .filter_map(|line| line.split_whitespace().next())
            .filter(|name| FORBIDDEN_IN_PURE.iter().any(|f| is_same_family(name, f)))
            .collect();
        if let Some(first) = offending.first() {
            let mut why = tools.cargo();
            why.args([
                "tree",
                "-p",
                krate,
                "-i",
                first,
                "-e",
                "normal,build",
                "--target",
                "all",
            ])
            .current_dir(root);
            let path = run::output(&mut why).unwrap_or_default();
            return Err(Error::Project(format!(
                "{krate} must do no IO, but it depends on {}:\n{path}",
                offending.into_iter().collect::<Vec<_>>().join(", ")
            )));
        }
        println!("{krate}: none of {}", FORBIDDEN_IN_PURE.join(", "));
    }
    Ok(())
}

/// `gloo-timers` belongs to `gloo`, `yew-router` to `yew`, `tokio-util` to `tokio`.
fn is_same_family(name: &str, family: &str) -> bool {
    name == family
        || name
            .strip_prefix(family)
            .is_some_and(|rest| rest.starts_with('-'))
}

pub fn release_build(tools: &Toolchain, root: &Path) -> Result<(), Error> {
    let mut cmd = tools.command("trunk");
    cmd.args(["build", "--release", "--offline"])
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .current_dir(root);
    run::status(&mut cmd, "trunk build --release")?;
    let dist = root.join("dist");
    let worker = crate::fingerprint::fingerprint_embedded_worker(&dist)?;
    println!("embedded service's worker: {worker}");
    crate::sdk::build(tools, root, &dist)?;
    println!("webim.js: dist/sdk/");
    let kept = crate::pwa::write_service_worker(root, &dist)?;
    println!("service worker: dist/sw.js keeps {kept} files for offline use");
    let twins = size::precompress(&dist)?;
    println!("precompressed: {twins} .gz/.br files beside dist/'s files");
    for file in size::of_files(&dist, "wasm")? {
        let name = file
            .path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        println!(
            "release wasm {name}: {} bytes raw, {} bytes gzip ({:.1} kB gzip)",
            file.raw,
            file.gzip,
            file.gzip as f64 / 1000.0
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_crate_families_match_their_subcrates_only() {
        assert!(is_same_family("gloo-timers", "gloo"));
        assert!(is_same_family("yew", "yew"));
        assert!(!is_same_family("yewdux", "yew"));
        assert!(!is_same_family("tokio_x", "tokio"));
    }
}
