//! The floor under tab-to-tab delivery on this machine: plain JavaScript in two windows,
//! one IndexedDB commit in the sender, one BroadcastChannel hop, one read and one paint in
//! the receiver, at the same pace as the app's delivery run. The app cannot beat it, so the
//! report sets the app's figures beside it.

use std::path::Path;

use serde_json::json;
use thirtyfour::prelude::*;
use webim_e2e::{HarnessError, StaticServer};

const PAGE: &str = "<!doctype html><meta charset=utf-8><title>floor</title><p id=out></p>";

/// Opens the database `floor` (object store `m`) as `window.__db`, then calls `arguments[0]`
/// back through a global so both roles share the opening code.
const OPEN: &str = r#"
window.__open = (then) => {
    const open = indexedDB.open('floor', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('m');
    open.onsuccess = () => then(open.result);
};
"#;

const RECEIVE: &str = r#"
const done = arguments[arguments.length - 1];
window.__lat = [];
window.__open((db) => {
    const channel = new BroadcastChannel('floor');
    channel.onmessage = (e) => {
        const get = db.transaction('m', 'readonly').objectStore('m').get(e.data);
        get.onsuccess = () => {
            const sent = get.result;
            document.getElementById('out').textContent = String(e.data);
            requestAnimationFrame(() => window.__lat.push(performance.timeOrigin + performance.now() - sent));
        };
    };
    done(true);
});
"#;

const SEND: &str = r#"
const [count, pace, done] = arguments;
window.__open((db) => {
    const channel = new BroadcastChannel('floor');
    let i = 0;
    const tick = () => {
        if (i >= count) return;
        const key = i++;
        const tx = db.transaction('m', 'readwrite');
        tx.objectStore('m').put(performance.timeOrigin + performance.now(), key);
        tx.oncomplete = () => channel.postMessage(key);
        setTimeout(tick, pace);
    };
    tick();
    done(true);
});
"#;

/// Sends `count` writes `pace_ms` apart from one window to another; returns the
/// receiver's latencies.
pub async fn floor(
    driver: &WebDriver,
    dir: &Path,
    count: u32,
    pace_ms: u32,
) -> Result<Vec<f64>, HarnessError> {
    let fail = |e: std::io::Error| HarnessError::Timeout(format!("floor page: {e}"));
    std::fs::create_dir_all(dir).map_err(fail)?;
    std::fs::write(dir.join("index.html"), PAGE).map_err(fail)?;
    let server = StaticServer::start(dir).map_err(fail)?;

    let home = driver.window().await?;
    let sender = home.clone();
    driver.goto(server.url()).await?;
    driver.execute(OPEN, vec![]).await?;
    let receiver = driver.new_window().await?;
    driver.switch_to_window(receiver.clone()).await?;
    driver.goto(server.url()).await?;
    driver.execute(OPEN, vec![]).await?;
    driver.execute_async(RECEIVE, vec![]).await?;
    driver.switch_to_window(sender).await?;
    driver
        .execute_async(SEND, vec![json!(count), json!(pace_ms)])
        .await?;
    driver.switch_to_window(receiver).await?;

    let latencies = super::collect_latencies(driver, count, "floor-deliveries").await?;
    driver.close_window().await?;
    driver.switch_to_window(home).await?;
    Ok(latencies)
}
