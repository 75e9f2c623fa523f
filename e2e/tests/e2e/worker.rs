//! Who downloads the embedded service: behind a server, nobody (the app's files only, the
//! service worker included); on a static host, one SharedWorker serves every open tab (a
//! tab joining, or reloading, while another is open starts nothing), and the service
//! worker keeps its files for offline.

use std::time::Duration;

use thirtyfour::prelude::*;
use webim_e2e::app::{login, say, strings, wait_controlled, wait_text};
use webim_e2e::{Backend, HarnessError, Site, in_browser};

const WAIT: Duration = Duration::from_secs(20);

fn is_worker_file(path: &str) -> bool {
    path.starts_with("/embedded-worker") || path.starts_with("/webim-worker")
}

/// Two people chat in two tabs of one browser; the first tab is reloaded once the
/// service worker runs it (and so has fetched what it keeps). `opened` is called once both
/// tabs are open, before the reload.
async fn chat_in_two_tabs(
    driver: &WebDriver,
    base: &str,
    mut opened: impl FnMut(),
) -> Result<(), HarnessError> {
    let a = driver.window().await?;
    login(driver, base, "qiyueluhuo2016").await?;
    driver.goto(format!("{base}/chat/peakerdong")).await?;
    say(driver, "谁下载了服务").await?;
    wait_text(driver, "#message-list", WAIT, |t| {
        t.contains("谁下载了服务")
    })
    .await?;
    let b = driver.new_window().await?;
    driver.switch_to_window(b).await?;
    login(driver, base, "peakerdong").await?;
    driver.goto(format!("{base}/chat/qiyueluhuo2016")).await?;
    wait_text(driver, "#message-list", WAIT, |t| {
        t.contains("谁下载了服务")
    })
    .await?;
    opened();
    driver.switch_to_window(a).await?;
    wait_controlled(driver, WAIT).await?;
    driver.refresh().await?;
    wait_text(driver, "#message-list", WAIT, |t| {
        t.contains("谁下载了服务")
    })
    .await?;
    Ok(())
}

/// The names of every file the service worker keeps.
async fn cached(driver: &WebDriver) -> Result<Vec<String>, HarnessError> {
    let js = "const done = arguments[arguments.length - 1];
              (async () => {
                const out = [];
                for (const name of await caches.keys()) {
                  const cache = await caches.open(name);
                  for (const r of await cache.keys()) out.push(new URL(r.url).pathname);
                }
                return out;
              })().then(done, () => done([]));";
    Ok(strings(driver.execute_async(js, Vec::new()).await?.json()))
}

#[tokio::test]
async fn behind_a_server_the_embedded_service_is_never_downloaded() {
    in_browser(Backend::Server, |driver, site| async move {
        chat_in_two_tabs(&driver, &site.url(), || {}).await?;
        let requested = site.requested();
        assert!(
            requested.iter().any(|p| p.ends_with("_bg.wasm")),
            "the access log sees the app's own files: {requested:?}"
        );
        let worker: Vec<&String> = requested.iter().filter(|p| is_worker_file(p)).collect();
        assert!(
            worker.is_empty(),
            "the server served the worker: {worker:?}"
        );
        let kept = cached(&driver).await?;
        assert!(!kept.is_empty(), "the service worker keeps the app");
        assert!(
            !kept.iter().any(|p| is_worker_file(p)),
            "nor does the service worker fetch it ahead: {kept:?}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn on_a_static_host_one_download_of_the_service_serves_every_tab() {
    in_browser(Backend::Static, |driver, site| async move {
        let starts = |site: &Site| {
            let requested = site.requested_as();
            let started = requested
                .iter()
                .filter(|(path, dest)| path == "/embedded-worker.js" && dest == "sharedworker")
                .count();
            (started, requested)
        };
        let mut before = 0;
        chat_in_two_tabs(&driver, &site.url(), || before = starts(&site).0).await?;
        let (after, requested) = starts(&site);
        assert!(before >= 1, "a shared worker was started: {requested:?}");
        assert_eq!(
            after, before,
            "the second tab and the first tab's reload joined the running worker: {requested:?}"
        );
        let kept = cached(&driver).await?;
        assert!(
            kept.iter().any(|p| p.starts_with("/webim-worker-")),
            "the service worker keeps the service once used, for offline: {kept:?}"
        );
        Ok(())
    })
    .await;
}
