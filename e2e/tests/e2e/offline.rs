//! Installable and offline: once the service worker has the app, the app opens with the
//! network gone, shows its history, and (with the in-browser backend) a message still goes
//! to another tab; behind a server it opens offline too, says it is offline, keeps what is
//! typed as pending and sends it when the network returns; a new build deployed is offered
//! in a banner and taken after the reload.

use std::time::{Duration, Instant};

use thirtyfour::prelude::*;
use webim_e2e::app::{login, say, wait_controlled, wait_for, wait_gone, wait_text};
use webim_e2e::{Backend, Chromedriver, HarnessError, Site, open_window};

const WAIT: Duration = Duration::from_secs(20);

async fn offline(driver: &WebDriver, site: &mut Site) -> Result<(), HarnessError> {
    let base = site.url();
    let a = driver.window().await?;
    login(driver, &base, "qiyueluhuo2016").await?;
    driver.goto(format!("{base}/chat/peakerdong")).await?;
    say(driver, "离线之前").await?;
    wait_text(driver, "#message-list", WAIT, |t| t.contains("离线之前")).await?;
    let manifest = driver
        .execute(
            "return document.querySelector('link[rel=manifest]').href;",
            Vec::new(),
        )
        .await?;
    assert!(
        manifest
            .json()
            .as_str()
            .unwrap_or_default()
            .ends_with(".webmanifest")
    );
    // The worker installs and takes the page.
    wait_controlled(driver, WAIT).await?;

    // The network goes: the host stops, and this tab is offline.
    site.stop_static();
    set_offline(driver, true).await?;
    driver.refresh().await?;
    wait_text(driver, "#message-list", WAIT, |t| t.contains("离线之前")).await?;

    // Another tab opens from the worker too, logs in, and hears a message sent offline.
    let b = driver.new_window().await?;
    driver.switch_to_window(b.clone()).await?;
    login(driver, &base, "peakerdong").await?;
    driver.switch_to_window(a).await?;
    say(driver, "离线也能发").await?;
    driver.switch_to_window(b).await?;
    driver.goto(format!("{base}/chat/qiyueluhuo2016")).await?;
    wait_text(driver, "#message-list", WAIT, |t| t.contains("离线也能发")).await?;
    Ok(())
}

#[tokio::test]
async fn once_installed_the_app_opens_and_chats_offline() {
    let mut site = Site::start(Backend::Static).expect("serve dist/");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let driver = open_window(&chromedriver, 1100, 760)
        .await
        .expect("open Chromium");
    let result = offline(&driver, &mut site).await;
    let quit = driver.quit().await;
    result.expect("offline");
    quit.expect("close Chromium");
}

/// Cuts this tab's network (`true`) or gives it back.
async fn set_offline(driver: &WebDriver, offline: bool) -> Result<(), HarnessError> {
    let devtools = driver.cdp();
    devtools
        .send_raw("Network.enable", serde_json::json!({}))
        .await?;
    devtools
        .send_raw(
            "Network.emulateNetworkConditions",
            serde_json::json!({"offline": offline, "latency": 0,
                "downloadThroughput": -1, "uploadThroughput": -1}),
        )
        .await?;
    Ok(())
}

async fn behind_server(a: &WebDriver, b: &WebDriver, base: &str) -> Result<(), HarnessError> {
    login(a, base, "qiyueluhuo2016").await?;
    login(b, base, "peakerdong").await?;
    a.goto(format!("{base}/chat/peakerdong")).await?;
    say(a, "联网的时候").await?;
    b.goto(format!("{base}/chat/qiyueluhuo2016")).await?;
    wait_text(b, "#message-list", WAIT, |t| t.contains("联网的时候")).await?;
    wait_controlled(a, WAIT).await?;

    // A's network goes (the server stays, for B): a reload still opens the app, which
    // says it is offline and keeps what is typed as pending.
    set_offline(a, true).await?;
    a.refresh().await?;
    wait_for(a, "#connection-banner", WAIT).await?;
    let online = a.execute("return navigator.onLine;", Vec::new()).await?;
    assert_eq!(online.json(), &serde_json::json!(false));
    say(a, "断网时写的").await?;
    wait_for(a, "#message-list [data-status=\"Pending\"]", WAIT).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let seen = wait_for(b, "#message-list", WAIT).await?.text().await?;
    assert!(
        !seen.contains("断网时写的"),
        "nothing leaves offline: {seen}"
    );

    // The network returns: the banner goes at once, the message is sent, B gets it once.
    set_offline(a, false).await?;
    wait_gone(a, "#connection-banner", WAIT).await?;
    wait_text(b, "#message-list", WAIT, |t| t.contains("断网时写的")).await?;
    wait_gone(a, "#message-list [data-status=\"Pending\"]", WAIT).await?;
    let seen = wait_for(b, "#message-list", WAIT).await?.text().await?;
    assert_eq!(seen.matches("断网时写的").count(), 1, "once: {seen}");
    Ok(())
}

#[tokio::test]
async fn behind_a_server_the_app_opens_offline_and_sends_when_the_network_returns() {
    let site = Site::server(true).expect("start webim-server");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let a = open_window(&chromedriver, 1000, 700)
        .await
        .expect("open Chromium");
    let b = open_window(&chromedriver, 1000, 700)
        .await
        .expect("open Chromium");
    let result = behind_server(&a, &b, &site.url()).await;
    let (qa, qb) = (a.quit().await, b.quit().await);
    result.expect("offline behind the server");
    qa.and(qb).expect("close Chromium");
}

/// Copies the build in `from` to `to` (a new host's files).
fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

async fn cache_names(driver: &WebDriver) -> Result<Vec<String>, HarnessError> {
    let keys = driver.execute("return caches.keys();", Vec::new()).await?;
    Ok(webim_e2e::app::strings(keys.json()))
}

async fn update(driver: &WebDriver, dir: &std::path::Path, base: &str) -> Result<(), HarnessError> {
    driver.goto(base).await?;
    wait_for(driver, "li[data-account]", WAIT).await?;
    wait_controlled(driver, WAIT).await?;
    let before = cache_names(driver).await?;
    assert_eq!(before.len(), 1, "{before:?}");

    // A new build is deployed: the worker names a new version.
    let io = |e: std::io::Error| HarnessError::Timeout(format!("deploy: {e}"));
    let worker = std::fs::read_to_string(dir.join("sw.js")).map_err(io)?;
    let old = before[0].trim_start_matches("webim-").to_owned();
    std::fs::write(dir.join("sw.js"), worker.replace(&old, "0123456789abcdef")).map_err(io)?;
    driver
        .execute(
            "return navigator.serviceWorker.getRegistration().then(r => r.update());",
            Vec::new(),
        )
        .await?;
    wait_for(driver, "#update-banner", WAIT).await?;
    click_reload(driver).await?;
    let started = Instant::now();
    loop {
        let names = cache_names(driver).await?;
        let banner = driver.find_all(By::Css("#update-banner")).await?;
        if names == ["webim-0123456789abcdef"] && banner.is_empty() {
            break;
        }
        if started.elapsed() > WAIT {
            return Err(HarnessError::Timeout(format!(
                "the new build to take over: {names:?}"
            )));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_for(driver, "li[data-account]", WAIT).await?;
    Ok(())
}

async fn click_reload(driver: &WebDriver) -> Result<(), HarnessError> {
    wait_for(driver, "#update-reload", WAIT)
        .await?
        .click()
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_new_build_is_offered_and_taken_after_the_reload() {
    let dir = tempfile::tempdir().expect("a temporary host directory");
    copy_dir(&webim_e2e::dist_dir(), dir.path()).expect("copy dist/");
    let host = webim_e2e::StaticServer::start(dir.path()).expect("serve the copy");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let driver = open_window(&chromedriver, 1000, 700)
        .await
        .expect("open Chromium");
    let result = update(&driver, dir.path(), &host.url()).await;
    let quit = driver.quit().await;
    result.expect("the update");
    quit.expect("close Chromium");
}
