//! Driving the chat app as a person does: log in from the picker, click, type, read what
//! is on screen, take screenshots for the README.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

use crate::HarnessError;

/// Waits up to `limit` until `css` matches an element whose text satisfies `ok`; returns it.
pub async fn wait_text(
    driver: &WebDriver,
    css: &str,
    limit: Duration,
    ok: impl Fn(&str) -> bool,
) -> Result<WebElement, HarnessError> {
    let start = Instant::now();
    let mut last = String::new();
    while start.elapsed() < limit {
        for el in driver.find_all(By::Css(css)).await? {
            if let Ok(text) = el.text().await {
                if ok(&text) {
                    return Ok(el);
                }
                last = text;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(HarnessError::Timeout(format!(
        "{css} (last text seen: {last:?})"
    )))
}

/// Waits up to `limit` until `css` matches something.
pub async fn wait_for(
    driver: &WebDriver,
    css: &str,
    limit: Duration,
) -> Result<WebElement, HarnessError> {
    wait_text(driver, css, limit, |_| true).await
}

/// Waits up to `limit` until nothing matches `css`.
pub async fn wait_gone(driver: &WebDriver, css: &str, limit: Duration) -> Result<(), HarnessError> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if driver.find_all(By::Css(css)).await?.is_empty() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(HarnessError::Timeout(format!("{css} to go away")))
}

/// Waits up to `limit` until the tab's title is `title`.
pub async fn wait_title(
    driver: &WebDriver,
    title: &str,
    limit: Duration,
) -> Result<(), HarnessError> {
    let start = Instant::now();
    let mut last = String::new();
    while start.elapsed() < limit {
        last = driver.title().await?;
        if last == title {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(HarnessError::Timeout(format!(
        "title {title:?} (was {last:?})"
    )))
}

/// Types `text` into the open conversation's composer and sends it with Enter.
pub async fn say(driver: &WebDriver, text: &str) -> Result<(), HarnessError> {
    let input = wait_for(driver, "#composer-input", Duration::from_secs(20)).await?;
    input.send_keys(text).await?;
    input.send_keys(Key::Enter).await?;
    Ok(())
}

/// Puts a file into the paper clip's input as the browser's picker would, and waits for
/// the preview: a picture drawn in the page (`width` × `height` PNG, `name`), or, when
/// `width` is 0, `height` patterned bytes (`(i * 7) % 251`) named `name`.
const PICK: &str = r#"
const [w, n, name, done] = arguments;
const give = (file) => {
  const dt = new DataTransfer(); dt.items.add(file);
  const input = document.getElementById('attach-input');
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  done(file.size);
};
if (w === 0) {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (i * 7) % 251;
  give(new File([bytes], name, { type: 'application/pdf' }));
} else {
  const c = document.createElement('canvas'); c.width = w; c.height = n;
  const g = c.getContext('2d');
  for (let y = 0; y < n; y += 40) for (let x = 0; x < w; x += 40) {
    g.fillStyle = `rgb(${x % 256},${y % 256},${(x + y) % 256})`; g.fillRect(x, y, 40, 40);
  }
  c.toBlob(b => give(new File([b], name, { type: 'image/png' })), 'image/png');
}
"#;

/// Picks a picture (`width` × `height`) or, with `width` 0, a file of `height` bytes, named
/// `name`, in the open conversation; returns once its preview shows.
pub async fn pick(
    driver: &WebDriver,
    width: u32,
    height: u32,
    name: &str,
) -> Result<(), HarnessError> {
    wait_for(driver, "#attach", Duration::from_secs(20)).await?;
    let args = vec![
        serde_json::json!(width),
        serde_json::json!(height),
        serde_json::json!(name),
    ];
    driver.execute_async(PICK, args).await?;
    wait_text(driver, "#attach-preview", Duration::from_secs(20), |t| {
        t.contains(name)
    })
    .await?;
    Ok(())
}

/// Waits until the conversation shows a loaded picture; its natural width.
pub async fn picture_loaded(driver: &WebDriver) -> Result<u64, HarnessError> {
    let script = "const i = document.querySelector('#message-list .picture img'); \
                  return i && i.complete && i.naturalWidth > 0 ? i.naturalWidth : 0;";
    let start = Instant::now();
    loop {
        let width = driver
            .execute(script, vec![])
            .await?
            .json()
            .as_u64()
            .unwrap_or(0);
        if width > 0 {
            return Ok(width);
        }
        if start.elapsed() > Duration::from_secs(20) {
            return Err(HarnessError::Timeout(
                "a loaded picture in the conversation".into(),
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits up to `limit` until the page is controlled by the app's service worker.
pub async fn wait_controlled(driver: &WebDriver, limit: Duration) -> Result<(), HarnessError> {
    let started = Instant::now();
    loop {
        let controlled = driver
            .execute("return !!navigator.serviceWorker.controller;", Vec::new())
            .await?;
        if controlled.json().as_bool() == Some(true) {
            return Ok(());
        }
        if started.elapsed() > limit {
            return Err(HarnessError::Timeout(
                "the service worker to take the page".to_owned(),
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The strings of a JSON array a script returned (anything else in it is skipped).
pub fn strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Opens the app at `base` and logs in as `account` from the picker.
pub async fn login(driver: &WebDriver, base: &str, account: &str) -> Result<(), HarnessError> {
    driver.goto(base).await?;
    let card = format!("li[data-account=\"{account}\"] button");
    // The picker may be drawn again between finding a card and clicking it (the loading
    // shell gives way to the app): then the card is found again.
    for attempt in 1.. {
        let found = wait_for(driver, &card, Duration::from_secs(20)).await?;
        match found.click().await {
            Ok(()) => break,
            Err(e)
                if attempt < 3
                    && matches!(
                        *e,
                        thirtyfour::error::WebDriverErrorInner::StaleElementReference(..)
                    ) =>
            {
                continue;
            }
            Err(e) => return Err(e.into()),
        }
    }
    wait_for(driver, "#shell", Duration::from_secs(20)).await?;
    Ok(())
}

/// Where the screenshots go: `target/screenshots/` at the workspace root. A test run leaves
/// the work tree as it found it; `cargo xtask screenshots` copies the run's pictures over
/// the README's in `docs/screenshots/` when someone means to change them.
pub fn screenshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots")
}

/// Saves a screenshot of the window as `target/screenshots/{name}.png`.
pub async fn screenshot(driver: &WebDriver, name: &str) -> Result<(), HarnessError> {
    let png = driver.screenshot_as_png().await?;
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir)
        .map_err(|e| HarnessError::Timeout(format!("create {}: {e}", dir.display())))?;
    std::fs::write(dir.join(format!("{name}.png")), png)
        .map_err(|e| HarnessError::Timeout(format!("write {name}.png: {e}")))
}
