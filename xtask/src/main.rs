//! `cargo xtask`: the project's commands, in Rust so they run wherever cargo runs.
//!
//! - `cargo xtask serve`: install what the build needs, build the release app and
//!   `webim-server`, and serve on http://127.0.0.1:8080 with SQLite in `./webim-data`;
//!   `--static` instead runs `trunk serve` with the in-browser backend.
//! - `cargo xtask test`: install what is missing, then every check and test, ending with one
//!   line `N passed, N failed` that totals every suite.
//! - `cargo xtask audit`: Lighthouse's mobile audit of the release build served by
//!   `webim-server`, into BENCHMARKS.md.
//! - `cargo xtask size`: what the release wasm is made of, by crate and by function.
//! - `cargo xtask build`: the release app in `dist/` (with its service worker and
//!   precompressed twins), as `serve` and the tests use it.
//! - `cargo xtask screenshots`: the README's pictures from the last test run.
//! - `cargo xtask setup`: only the installs.
// A command-line tool: printing to stdout is its job.
#![allow(clippy::print_stdout)]

mod audit;
mod bench;
mod deploy;
mod error;
mod fingerprint;
mod pwa;
mod run;
mod sdk;
mod size;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::Command;
use std::process::ExitCode;
use std::time::Instant;

use error::Error;

const USAGE: &str =
    "usage: cargo xtask <serve [--static]|test|build|setup|bench|audit|size|screenshots>

  serve   build the release app and webim-server, and serve on
          http://127.0.0.1:8080 with SQLite in ./webim-data (extra arguments
          after -- go to webim-server, e.g. -- --no-demo)
          --static: trunk serve instead, the IM service in the browser
  test    run every check and test: fmt, clippy (host and wasm32), the no-IO
          dependency check, native tests, browser component tests, a release
          build with its size, and the end-to-end tests in headless Chromium
  bench   measure size, start-up, delivery, a long conversation, native
          throughput and the server under load; write BENCHMARKS.md and
          benchmarks.json (minutes). `bench server`: only the server's figures
          (SQLite, and 1 and 3 processes on PostgreSQL + NATS), merged into the
          last full run's; `bench cluster`: only the PostgreSQL + NATS rows;
          `bench browser`: only the sizes and what Chromium measures (start-up,
          delivery, the long conversation); `bench report`: BENCHMARKS.md
          again from benchmarks.json
  audit   Lighthouse (mobile) on the release build served by webim-server,
          three runs, the median's scores and metrics merged into
          benchmarks.json and BENCHMARKS.md (about a minute)
  size    the release wasm by crate and by function (names kept in a twin
          build in target/size/; the report is printed and kept there)
  build   only the release app in dist/ (service worker, .gz/.br twins)
  screenshots
          copy the pictures the last test run took (target/screenshots/) over
          the README's in docs/screenshots/ (a test run never writes there)
  setup   only install what is missing (wasm32 target, trunk, wasm-bindgen-cli,
          npm's wasm-opt, Debian's chromium, chromium-driver, postgresql and
          nats-server)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let started = Instant::now();
    let outcome = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        // run_all reports its own failure before the closing `N passed, N failed` line,
        // which must stay the last line printed.
        Some("test") => {
            return match test::run_all(&workspace_root()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::FAILURE,
            };
        }
        Some("bench") if args.get(1).map(String::as_str) == Some("server") => {
            bench::run_server(&workspace_root())
        }
        Some("bench") if args.get(1).map(String::as_str) == Some("browser") => {
            bench::run_browser(&workspace_root())
        }
        Some("bench") if args.get(1).map(String::as_str) == Some("cluster") => {
            bench::run_cluster(&workspace_root())
        }
        Some("bench") if args.get(1).map(String::as_str) == Some("report") => {
            bench::rewrite_report(&workspace_root())
        }
        Some("bench") => bench::run_all(&workspace_root()),
        Some("audit") => bench::run_audit(&workspace_root()),
        Some("size") => tools::Toolchain::ensure(&workspace_root(), tools::Needs::Build)
            .and_then(|tools| size::report::run(&tools, &workspace_root())),
        Some("build") => tools::Toolchain::ensure(&workspace_root(), tools::Needs::Build)
            .and_then(|tools| test::release_build(&tools, &workspace_root())),
        Some("screenshots") => screenshots(&workspace_root()),
        Some("setup") => tools::Toolchain::ensure(&workspace_root(), tools::Needs::Everything)
            .map(|_| println!("setup: everything is installed")),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(Error::Usage(format!(
            "unknown command {:?}\n\n{USAGE}",
            other.unwrap_or("")
        ))),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("\nxtask: {err}");
            eprintln!("xtask: stopped after {:.0?}", started.elapsed());
            ExitCode::FAILURE
        }
    }
}

fn serve(args: &[String]) -> Result<(), Error> {
    let root = workspace_root();
    let tools = tools::Toolchain::ensure(&root, tools::Needs::Build)?;
    if args.first().map(String::as_str) == Some("--static") {
        println!("serving on http://127.0.0.1:8080 with the in-browser backend (Ctrl+C stops)");
        let mut cmd = tools.command("trunk");
        cmd.args([
            "serve",
            "--offline",
            "--address",
            "127.0.0.1",
            "--port",
            "8080",
        ])
        .current_dir(&root);
        return run::status(&mut cmd, "trunk serve");
    }
    test::release_build(&tools, &root)?;
    run::status(
        tools
            .cargo()
            .args([
                "build",
                "--locked",
                "--profile",
                "server",
                "-p",
                "webim-server",
            ])
            .current_dir(&root),
        "cargo build --profile server -p webim-server",
    )?;
    let passed: Vec<&String> = args.iter().skip_while(|a| *a == "--").collect();
    println!("serving on http://127.0.0.1:8080 with SQLite in ./webim-data (Ctrl+C stops)");
    let mut cmd = Command::new(root.join("target/server/webim-server"));
    cmd.args([
        "--listen",
        "127.0.0.1:8080",
        "--data",
        "webim-data",
        "--dist",
        "dist",
    ])
    .args(passed)
    .current_dir(&root);
    run::status(&mut cmd, "webim-server")
}

/// Copies the end-to-end tests' pictures over the README's: only on purpose, so that a
/// test run leaves `git status` clean.
fn screenshots(root: &std::path::Path) -> Result<(), Error> {
    let from = root.join("target/screenshots");
    let to = root.join("docs/screenshots");
    let io = |what: &str, e: std::io::Error| Error::Project(format!("{what}: {e}"));
    let entries = std::fs::read_dir(&from).map_err(|e| {
        io(
            &format!("{} (run `cargo xtask test` first)", from.display()),
            e,
        )
    })?;
    let mut copied = 0;
    for entry in entries {
        let path = entry.map_err(|e| io("read target/screenshots", e))?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("png") {
            continue;
        }
        let Some(name) = path.file_name() else {
            continue;
        };
        std::fs::copy(&path, to.join(name)).map_err(|e| io(&path.display().to_string(), e))?;
        copied += 1;
    }
    println!("screenshots: {copied} pictures copied into docs/screenshots/");
    Ok(())
}

/// The workspace root: the parent of this crate's folder.
fn workspace_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}
