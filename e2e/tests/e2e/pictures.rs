//! Pictures and files on both backends. Through a real server, between people on
//! separate machines (separate browser profiles): a photo picked with the paper clip,
//! previewed and sent, seen by the peer live; a file sent and downloaded by the peer byte
//! for byte; a third account refused; the viewer by keyboard; a reload keeps both; the
//! new screens pass the accessibility gate. In the browser (two windows of one profile,
//! the service in their shared worker): the same photo and file, kept in IndexedDB.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thirtyfour::prelude::*;
use webim_e2e::app::{login, pick, picture_loaded, screenshot, wait_for, wait_gone, wait_text};
use webim_e2e::{Backend, Chromedriver, HarnessError, Site, axe, open_window};

const WAIT: Duration = Duration::from_secs(20);
const PEAKER: &str = "peakerdong";
const A16: &str = "qiyueluhuo2016";
const A17: &str = "qiyueluhuo2017";

/// Fetches `arguments[0]` from the page: its status, length and a checksum.
const FETCH: &str = r#"
const [url, done] = arguments;
fetch(url).then(r => r.arrayBuffer().then(b => {
  const a = new Uint8Array(b); let sum = 0;
  for (const x of a) sum = (sum * 31 + x) >>> 0;
  done({ status: r.status, len: a.length, sum });
})).catch(e => done({ error: String(e) }));
"#;

/// The checksum of `pick`'s file of `n` bytes, as [`FETCH`] computes it.
fn expected_sum(n: u32) -> u32 {
    (0..n).fold(0u32, |sum, i| {
        sum.wrapping_mul(31).wrapping_add((i * 7) % 251)
    })
}

async fn fetched(driver: &WebDriver, url: &str) -> Result<Value, HarnessError> {
    Ok(driver
        .execute_async(FETCH, vec![json!(url)])
        .await?
        .json()
        .clone())
}

/// The accessibility gate on what is on screen, in both themes and at both widths.
async fn clean_for_axe(driver: &WebDriver, screen: &str) -> Result<(), HarnessError> {
    let mut found = Vec::new();
    axe::audit(driver, screen, &mut found).await?;
    if found.is_empty() {
        Ok(())
    } else {
        Err(HarnessError::Timeout(format!(
            "{screen}: {}",
            found.join("\n")
        )))
    }
}

async fn scenario(site: &Site, windows: &[WebDriver]) -> Result<(), HarnessError> {
    let [a, b, c] = windows else {
        return Err(HarnessError::Timeout("three windows".into()));
    };
    let base = site.url();
    for (driver, who) in [(a, PEAKER), (b, A16), (c, A17)] {
        login(driver, &base, who).await?;
    }
    a.goto(format!("{base}/chat/{A16}")).await?;
    b.goto(format!("{base}/chat/{PEAKER}")).await?;

    // A photo: picked, previewed (and checked), sent; the peer sees it live.
    pick(a, 1600, 1200, "photo.png").await?;
    clean_for_axe(a, "the preview").await?;
    screenshot(a, "attach-preview").await?;
    a.find(By::Id("attach-send")).await?.click().await?;
    assert_eq!(
        picture_loaded(b).await?,
        720,
        "the large size, 720 pixels wide"
    );
    assert_eq!(picture_loaded(a).await?, 720);
    let alt = b
        .find(By::Css("#message-list .picture img"))
        .await?
        .attr("alt")
        .await?;
    assert_eq!(
        alt.as_deref(),
        Some("图片: photo.png"),
        "its name, read aloud"
    );
    wait_gone(a, "[data-upload]", WAIT).await?;
    wait_text(b, "#session-list", WAIT, |t| t.contains("[图片]")).await?;

    // A file: the peer downloads it byte for byte.
    let size = 300_000;
    pick(a, 0, size, "report.pdf").await?;
    a.find(By::Id("attach-send")).await?.click().await?;
    let card = wait_for(b, "#message-list a.file", WAIT).await?;
    wait_text(b, "#message-list a.file", WAIT, |t| {
        t.contains("report.pdf")
    })
    .await?;
    let href = card.attr("href").await?.unwrap_or_default();
    let got = fetched(b, &href).await?;
    assert_eq!(
        got,
        json!({"status": 200, "len": size, "sum": expected_sum(size)}),
        "byte for byte"
    );
    clean_for_axe(b, "a picture and a file in the conversation").await?;
    screenshot(b, "picture-and-file").await?;

    // Someone else, with the address bent to them: refused.
    let bent = href.replace(&format!("reader={A16}"), &format!("reader={A17}"));
    assert_eq!(fetched(c, &bent).await?["status"], 403);

    // A second picture; the viewer opens on the first, the arrows move, Escape closes
    // and focus goes back to the thumbnail.
    pick(a, 400, 300, "second.png").await?;
    a.find(By::Id("attach-send")).await?.click().await?;
    wait_text(b, "#message-list", WAIT, |_| true).await?;
    let start = Instant::now();
    while b.find_all(By::Css("#message-list .picture")).await?.len() < 2 {
        if start.elapsed() > WAIT {
            return Err(HarnessError::Timeout("the second picture".into()));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    b.find(By::Css("#message-list .picture"))
        .await?
        .click()
        .await?;
    wait_text(b, "#picture-viewer .count", WAIT, |t| t == "1 / 2").await?;
    let focused = "return document.activeElement && document.activeElement.className;";
    assert_eq!(b.execute(focused, vec![]).await?.json(), &json!("close"));
    clean_for_axe(b, "the viewer").await?;
    screenshot(b, "picture-viewer").await?;
    // Keys go where the focus is (the close button); the dialog hears them.
    b.active_element().await?.send_keys(Key::Right).await?;
    wait_text(b, "#picture-viewer .count", WAIT, |t| t == "2 / 2").await?;
    b.active_element().await?.send_keys(Key::Escape).await?;
    wait_gone(b, "#picture-viewer", WAIT).await?;
    let back =
        "return document.activeElement && document.activeElement.classList.contains('picture');";
    assert_eq!(
        b.execute(back, vec![]).await?.json(),
        &json!(true),
        "focus returns"
    );

    // A reload keeps both.
    b.refresh().await?;
    picture_loaded(b).await?;
    wait_text(b, "#message-list", WAIT, |t| t.contains("report.pdf")).await?;
    let dark = "document.documentElement.dataset.theme = 'dark';";
    b.execute(dark, vec![]).await?;
    b.set_window_rect(0, 0, 360, 740).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    screenshot(b, "pictures-360-dark").await?;
    Ok(())
}

#[tokio::test]
async fn a_photo_and_a_file_go_to_the_peer_through_the_server() {
    let site = Site::start(Backend::Server).expect("serve the app");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let mut windows = Vec::new();
    for _ in 0..3 {
        windows.push(
            open_window(&chromedriver, 1100, 760)
                .await
                .expect("open Chromium"),
        );
    }
    let result = scenario(&site, &windows).await;
    for w in windows {
        let _ = w.quit().await;
    }
    result.expect("pictures and files");
}

/// The in-browser backend: two windows of one browser, the bytes in its IndexedDB.
async fn in_browser(site: &Site, driver: &WebDriver) -> Result<(), HarnessError> {
    let base = site.url();
    let a = driver.window().await?;
    login(driver, &base, PEAKER).await?;
    driver.goto(format!("{base}/chat/{A16}")).await?;
    let b = driver.new_window().await?;
    driver.switch_to_window(b.clone()).await?;
    login(driver, &base, A16).await?;
    driver.goto(format!("{base}/chat/{PEAKER}")).await?;

    driver.switch_to_window(a.clone()).await?;
    pick(driver, 1600, 1200, "photo.png").await?;
    driver.find(By::Id("attach-send")).await?.click().await?;
    assert_eq!(picture_loaded(driver).await?, 720, "mine, from IndexedDB");
    let size = 200_000;
    pick(driver, 0, size, "report.pdf").await?;
    driver.find(By::Id("attach-send")).await?.click().await?;
    wait_gone(driver, "[data-upload]", WAIT).await?;

    driver.switch_to_window(b.clone()).await?;
    assert_eq!(picture_loaded(driver).await?, 720, "the peer's, live");
    wait_text(driver, "#message-list a.file", WAIT, |t| {
        t.contains("report.pdf")
    })
    .await?;
    let start = Instant::now();
    let href = loop {
        let card = driver.find(By::Css("#message-list a.file")).await?;
        let href = card.attr("href").await?.unwrap_or_default();
        if href.starts_with("blob:") || start.elapsed() > WAIT {
            break href;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let got = fetched(driver, &href).await?;
    assert_eq!(
        got,
        json!({"status": 200, "len": size, "sum": expected_sum(size)}),
        "byte for byte, from IndexedDB"
    );
    driver.refresh().await?;
    picture_loaded(driver).await?;
    Ok(())
}

#[tokio::test]
async fn a_photo_and_a_file_go_to_the_peer_in_the_browser() {
    let site = Site::start(Backend::Static).expect("serve the app");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let driver = open_window(&chromedriver, 1100, 760)
        .await
        .expect("open Chromium");
    let result = in_browser(&site, &driver).await;
    let _ = driver.quit().await;
    result.expect("pictures and files in the browser");
}
