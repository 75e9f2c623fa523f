//! Installable and offline: once the service worker has the app, the app opens with the
//! network gone, shows its history, and (with the in-browser backend) a message still goes
//! to another tab.

use std::time::{Duration, Instant};

use thirtyfour::prelude::*;
use webim_e2e::app::{login, wait_for, wait_text};
use webim_e2e::{Backend, Chromedriver, HarnessError, Site, open_window};

const WAIT: Duration = Duration::from_secs(20);

async fn say(driver: &WebDriver, text: &str) -> Result<(), HarnessError> {
    let input = wait_for(driver, "#composer-input", WAIT).await?;
    input.send_keys(text).await?;
    input.send_keys(Key::Enter).await?;
    Ok(())
}

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
    let started = Instant::now();
    loop {
        let controlled = driver
            .execute("return !!navigator.serviceWorker.controller;", Vec::new())
            .await?;
        if controlled.json().as_bool() == Some(true) {
            break;
        }
        if started.elapsed() > WAIT {
            return Err(HarnessError::Timeout(
                "the service worker to take the page".to_owned(),
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The network goes: the host stops, and this tab is offline.
    site.stop_static();
    let devtools = driver.cdp();
    devtools
        .send_raw("Network.enable", serde_json::json!({}))
        .await?;
    devtools
        .send_raw(
            "Network.emulateNetworkConditions",
            serde_json::json!({"offline": true, "latency": 0,
                "downloadThroughput": -1, "uploadThroughput": -1}),
        )
        .await?;
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
