//! The browser half of `cargo xtask bench`: start-up (the app and a minimal Yew app),
//! tab-to-tab delivery, and a 10,000-message conversation, measured in headless Chromium
//! with the page's own clock (`performance.now()` after the next animation frame, so
//! "painted" means the frame that shows it). Writes one JSON object to `--out`.
//!
//! Usage: `bench --app DIST --minimal DIST --out FILE [--runs 12] [--delivery 1000] [--pace 25] [--long 10000]`
#![allow(clippy::print_stdout)] // a benchmark prints its progress

mod floor;
mod long;
mod pictures;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};
use thirtyfour::prelude::*;
use webim_e2e::app::{login, wait_for};
use webim_e2e::{
    Backend, Chromedriver, HarnessError, Lab, Site, StaticServer, WorkerKind, choose_worker,
    open_window, percentile,
};

/// Photos sent per backend.
const PICTURE_RUNS: usize = 5;

/// Resolves with `performance.now()` at the first frame after `selector` matches
/// (`arguments[0]`), polling every frame.
const PAINTED: &str = r#"
const [selector, done] = [arguments[0], arguments[arguments.length - 1]];
const check = () => document.querySelector(selector)
    ? requestAnimationFrame(() => done(performance.now()))
    : requestAnimationFrame(check);
check();
"#;

struct Args {
    app: PathBuf,
    minimal: PathBuf,
    out: PathBuf,
    runs: usize,
    delivery: u32,
    long: u32,
    /// Milliseconds between one send finishing and the next starting.
    pace: u32,
}

fn args() -> Result<Args, String> {
    let mut all = std::env::args().skip(1);
    let mut args = Args {
        app: PathBuf::from("dist"),
        minimal: PathBuf::new(),
        out: PathBuf::from("browser.json"),
        runs: 12,
        delivery: 1000,
        long: 10_000,
        pace: 25,
    };
    while let Some(flag) = all.next() {
        let value = all.next().ok_or(format!("{flag} needs a value"))?;
        let number = || value.parse::<u32>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--app" => args.app = value.clone().into(),
            "--minimal" => args.minimal = value.clone().into(),
            "--out" => args.out = value.clone().into(),
            "--runs" => args.runs = number()? as usize,
            "--delivery" => args.delivery = number()?,
            "--long" => args.long = number()?,
            "--pace" => args.pace = number()?,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(args)
}

fn median(samples: &[f64]) -> f64 {
    percentile(samples, 50.0)
}

async fn painted(driver: &WebDriver, selector: &str) -> Result<f64, HarnessError> {
    let ret = driver.execute_async(PAINTED, vec![json!(selector)]).await?;
    Ok(ret.json().as_f64().unwrap_or(f64::NAN))
}

/// Navigation start to `selector` painted, `runs` times, each a fresh navigation.
async fn startup(
    driver: &WebDriver,
    url: &str,
    selector: &str,
    runs: usize,
) -> Result<Vec<f64>, HarnessError> {
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        driver.goto("about:blank").await?;
        driver.goto(url).await?;
        samples.push(painted(driver, selector).await?);
    }
    Ok(samples)
}

async fn measure(args: &Args) -> Result<Value, HarnessError> {
    let app = StaticServer::start(&args.app).map_err(|e| HarnessError::Timeout(e.to_string()))?;
    let minimal =
        StaticServer::start(&args.minimal).map_err(|e| HarnessError::Timeout(e.to_string()))?;
    let chromedriver = Chromedriver::start()?;
    let driver = open_window(&chromedriver, 1280, 800).await?;
    driver.set_script_timeout(Duration::from_secs(120)).await?;
    let result = run(&driver, args, &app.url(), &minimal.url()).await;
    let _ = driver.quit().await;
    result
}

async fn run(
    driver: &WebDriver,
    args: &Args,
    base: &str,
    minimal: &str,
) -> Result<Value, HarnessError> {
    println!(
        "start-up: the login picker and a minimal Yew app, {} runs each",
        args.runs
    );
    let login_runs = startup(driver, base, "li[data-account]", args.runs).await?;
    let minimal_runs = startup(driver, minimal, "#hello", args.runs).await?;

    println!("start-up: a logged-in conversation with its history");
    let lab = Lab::open_here(driver, base, "qiyueluhuo2016", "peakerdong").await?;
    lab.send(30, 0, "history").await?;
    lab.wait_for_count(30, Duration::from_secs(30)).await?;
    driver
        .execute(
            "sessionStorage.setItem('webim.login', '\"peakerdong\"')",
            vec![],
        )
        .await?;
    let chat_url = format!("{base}/chat/qiyueluhuo2016");
    let mut chat_runs = Vec::new();
    for _ in 0..args.runs {
        driver.goto(&chat_url).await?;
        chat_runs.push(painted(driver, "#message-list [data-key]").await?);
    }

    println!(
        "delivery floor: {} plain IndexedDB writes and BroadcastChannel hops",
        args.delivery
    );
    let floor_dir = args.out.with_file_name("floor");
    let floor = floor::floor(driver, &floor_dir, args.delivery, args.pace).await?;

    println!(
        "delivery: {} messages from one window to another",
        args.delivery
    );
    let latencies = delivery(driver, base, ["qiyueluhuo2017", "qiyueluhuo2018"], args).await?;
    println!(
        "delivery with a dedicated worker per tab (the fallback): {} messages",
        args.delivery
    );
    choose_worker(driver, base, WorkerKind::Dedicated).await?;
    let fallback = delivery(driver, base, ["qiyueluhuo2016", "peakerdong"], args).await?;
    choose_worker(driver, base, WorkerKind::Shared).await?;

    println!("long conversation: {} messages", args.long);
    Lab::open_here(driver, base, "qiyueluhuo2019", "peakerdong").await?;
    driver.execute(
        "document.querySelector('#lab-count').value = arguments[0]; document.querySelector('#lab-import').click();",
        vec![json!(args.long)],
    ).await?;
    let long = long::conversation(driver, base, args.long).await?;

    println!("pictures: a photo of about 3 MB, {PICTURE_RUNS} times in the browser");
    let local = pictures::measure(driver, base, PICTURE_RUNS).await?;
    println!(
        "pictures: the same behind a server ({})",
        webim_e2e::server_bin().display()
    );
    let site = Site::start(Backend::Server)?;
    let server = pictures::measure(driver, &site.url(), PICTURE_RUNS).await?;

    Ok(json!({
        "startup_login_ms": login_runs,
        "startup_minimal_yew_ms": minimal_runs,
        "startup_chat_ms": chat_runs,
        "startup_login_ms_median": median(&login_runs),
        "startup_minimal_yew_ms_median": median(&minimal_runs),
        "startup_chat_ms_median": median(&chat_runs),
        "delivery_messages": latencies.len(),
        "delivery_pace_ms": args.pace,
        "delivery_ms_p50": percentile(&latencies, 50.0),
        "delivery_ms_p99": percentile(&latencies, 99.0),
        "delivery_ms_max": percentile(&latencies, 100.0),
        "delivery_fallback_ms_p50": percentile(&fallback, 50.0),
        "delivery_fallback_ms_p99": percentile(&fallback, 99.0),
        "delivery_fallback_ms_max": percentile(&fallback, 100.0),
        "delivery_floor_ms_p50": percentile(&floor, 50.0),
        "delivery_floor_ms_p99": percentile(&floor, 99.0),
        "long": long,
        "picture_bytes": server.bytes,
        "picture_send_to_thumb_ms_p50": median(&server.to_thumb_ms),
        "picture_send_to_thumb_ms_runs": server.to_thumb_ms,
        "picture_upload_mb_per_s": median(&server.upload_mb_per_s),
        "picture_send_to_thumb_ms_p50_in_browser": median(&local.to_thumb_ms),
        "picture_send_to_thumb_ms_runs_in_browser": local.to_thumb_ms,
        "picture_upload_mb_per_s_in_browser": median(&local.upload_mb_per_s),
    }))
}

/// Records, in the page, how long after its send time each received `d<n>|<ms>` message
/// is painted: a MutationObserver sees it inserted, the next animation frame is the paint.
const OBSERVE_DELIVERY: &str = r#"
window.__lat = []; const seen = new Set();
new MutationObserver(() => {
    for (const el of document.querySelectorAll('#message-list .text')) {
        const m = /^d\d+\|([\d.]+)$/.exec(el.textContent);
        if (m && !seen.has(el.textContent)) {
            seen.add(el.textContent);
            const sent = parseFloat(m[1]);
            requestAnimationFrame(() => window.__lat.push(performance.timeOrigin + performance.now() - sent));
        }
    }
}).observe(document.body, { childList: true, subtree: true, characterData: true });
"#;

/// Types and sends `count` messages in the app's composer, `pace` ms apart, each text
/// carrying the time of its Enter.
const SEND_BURST: &str = r#"
const [count, pace] = arguments;
const input = document.querySelector('#composer-input');
let i = 0;
const next = () => {
    if (i >= count) return;
    i += 1;
    input.value = 'd' + i + '|' + (performance.timeOrigin + performance.now()).toFixed(3);
    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    setTimeout(next, pace);
};
next();
"#;

/// Window A (the app as `accounts[0]`) sends `args.delivery` messages `args.pace` ms apart;
/// window B (the app as `accounts[1]`, with the conversation open) paints them. Returns
/// B's latencies, Enter in A to the frame in B; B's window is closed after.
async fn delivery(
    driver: &WebDriver,
    base: &str,
    [from, to]: [&str; 2],
    args: &Args,
) -> Result<Vec<f64>, HarnessError> {
    let sender = driver.window().await?;
    to_picker(driver, base).await?;
    logged_in(driver, base, from).await?;
    driver.goto(format!("{base}/chat/{to}")).await?;
    wait_for(driver, "#composer-input", Duration::from_secs(30)).await?;
    let receiver = driver.new_window().await?;
    driver.switch_to_window(receiver.clone()).await?;
    logged_in(driver, base, to).await?;
    driver.goto(format!("{base}/chat/{from}")).await?;
    wait_for(driver, "#composer-input", Duration::from_secs(30)).await?;
    driver.execute(OBSERVE_DELIVERY, vec![]).await?;
    driver.switch_to_window(sender.clone()).await?;
    driver
        .execute(SEND_BURST, vec![json!(args.delivery), json!(args.pace)])
        .await?;
    driver.switch_to_window(receiver).await?;
    let latencies = collect_latencies(driver, args.delivery, "deliveries").await;
    driver.close_window().await?;
    driver.switch_to_window(sender).await?;
    latencies
}

/// Brings this window to the login picker at `base`. It may have been logged in before:
/// once the app has logged it back in, it logs out as a person would. (Clearing
/// sessionStorage during the app's start-up raced it: the login on its way wrote itself
/// there again, and the next load was logged in before the picker could be clicked.)
pub(crate) async fn to_picker(driver: &WebDriver, base: &str) -> Result<(), HarnessError> {
    driver.goto(base).await?;
    let remembered = driver
        .execute(
            "return sessionStorage.getItem('webim.login') !== null",
            vec![],
        )
        .await?;
    if remembered.json().as_bool() == Some(true) {
        wait_for(driver, "#logout", Duration::from_secs(30))
            .await?
            .click()
            .await?;
    }
    wait_for(driver, "li[data-account] button", Duration::from_secs(30)).await?;
    Ok(())
}

/// Logs in as `who`; when that fails, keeps what the window showed
/// (`target/bench/login-timeout.png` and `.html`) to see why.
async fn logged_in(driver: &WebDriver, base: &str, who: &str) -> Result<(), HarnessError> {
    let result = login(driver, base, who).await;
    if result.is_err() {
        if let Ok(png) = driver.screenshot_as_png().await {
            let _ = std::fs::write("target/bench/login-timeout.png", png);
        }
        let page = driver
            .execute(
                "return location.href + '\\n' + document.documentElement.outerHTML",
                vec![],
            )
            .await;
        if let Ok(page) = page {
            let text = page.json().as_str().unwrap_or_default().to_owned();
            let _ = std::fs::write("target/bench/login-timeout.html", text);
        }
    }
    result
}

/// Waits until this window's `window.__lat` holds `count` latencies and returns them; on
/// time-out keeps a screenshot (`target/bench/{what}-timeout.png`) to see why.
async fn collect_latencies(
    driver: &WebDriver,
    count: u32,
    what: &str,
) -> Result<Vec<f64>, HarnessError> {
    let deadline = std::time::Instant::now() + Duration::from_secs(20 + u64::from(count) / 5);
    loop {
        let got = driver.execute("return window.__lat", vec![]).await?;
        let latencies: Vec<f64> = got
            .json()
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default();
        if latencies.len() >= count as usize {
            return Ok(latencies);
        }
        if std::time::Instant::now() > deadline {
            if let Ok(png) = driver.screenshot_as_png().await {
                let _ = std::fs::write(format!("target/bench/{what}-timeout.png"), png);
            }
            return Err(HarnessError::Timeout(format!(
                "{count} {what} (got {})",
                latencies.len()
            )));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bench: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match measure(&args).await {
        Ok(result) => match std::fs::write(&args.out, result.to_string()) {
            Ok(()) => {
                println!("browser figures written to {}", args.out.display());
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("bench: cannot write {}: {e}", args.out.display());
                std::process::ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
