//! The long conversation: opening 10,000 messages and typing into them, first as text
//! only, then with photos at its end, where it opens (each thumbnail must have loaded
//! and painted before the open counts as done). Also how windowed the list stays while
//! scrolling back, and the memory it takes.

use std::time::Duration;

use serde_json::{Value, json};
use thirtyfour::prelude::*;
use webim_e2e::app::{login, pick, wait_for, wait_gone};
use webim_e2e::{HarnessError, Lab};

use super::median;

/// Photos sent into the conversation's end before it is opened again.
const PICTURES: usize = 12;

/// Clicks the conversation's row; resolves with the time to the first frame showing its
/// last `h<count>` message among at least 40, every picture in view loaded.
const OPEN: &str = r#"
const [count, pictures, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const t0 = performance.now();
document.querySelector('[data-peer="qiyueluhuo2019"]').click();
const last = 'h' + count;
const inView = (list, el) => {
    const [a, b] = [list.getBoundingClientRect(), el.getBoundingClientRect()];
    return b.bottom > a.top && b.top < a.bottom;
};
const check = () => {
    const list = document.querySelector('#message-list');
    let ok = list && list.textContent.includes(last) && list.querySelectorAll('[data-key]').length >= 40;
    if (ok && pictures) {
        const shown = [...list.querySelectorAll('.picture')].filter(p => inView(list, p));
        ok = shown.length > 0 && shown.every(p => {
            const img = p.querySelector('img');
            return img && img.complete && img.naturalWidth > 0;
        });
    }
    ok ? requestAnimationFrame(() => done(performance.now() - t0)) : requestAnimationFrame(check);
};
check();
"#;

/// Types `arguments[0]` and presses Enter; resolves with the time to the first frame
/// showing it.
const ENTER: &str = r#"
const [text, done] = [arguments[0], arguments[arguments.length - 1]];
const input = document.querySelector('#composer-input');
input.value = text;
input.dispatchEvent(new InputEvent('input', { bubbles: true }));
setTimeout(() => {
    const observer = new MutationObserver(() => {
        if (document.querySelector('#message-list').textContent.includes(text)) {
            observer.disconnect();
            requestAnimationFrame(() => done(performance.now() - t0));
        }
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    const t0 = performance.now();
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
}, 50);
"#;

/// Opens the imported conversation as peakerdong and measures it; then sends photos into
/// it and measures again.
pub async fn conversation(
    driver: &WebDriver,
    base: &str,
    count: u32,
) -> Result<Value, HarnessError> {
    imported(driver).await?;
    // Read it all as peakerdong, so opening is about the conversation, not about 10,000
    // unread messages.
    let reader = Lab::open_here(driver, base, "peakerdong", "qiyueluhuo2019").await?;
    reader.read().await?;
    tokio::time::sleep(Duration::from_millis(500)).await;

    let (open, enter) = open_and_type(driver, base, count, false).await?;
    let most_nodes = scroll_back(driver).await?;
    let memory = driver
        .execute(
            "if (window.gc) gc();
             return { js_heap: performance.memory ? performance.memory.usedJSHeapSize : null,
                      wasm: window.__webim_wasm_memory ? window.__webim_wasm_memory.buffer.byteLength : null }",
            vec![],
        )
        .await?
        .json()
        .clone();

    send_pictures(driver).await?;
    let (open_pictures, enter_pictures) = open_and_type(driver, base, count, true).await?;
    Ok(json!({
        "messages": count,
        "long_open_ms": open,
        "long_enter_to_paint_ms": median(&enter),
        "long_enter_to_paint_samples": enter,
        "long_dom_message_nodes": most_nodes,
        "js_heap_bytes": memory["js_heap"],
        "wasm_memory_bytes": memory["wasm"],
        "pictures": PICTURES,
        "long_open_with_pictures_ms": open_pictures,
        "long_enter_to_paint_with_pictures_ms": median(&enter_pictures),
        "long_enter_to_paint_with_pictures_samples": enter_pictures,
    }))
}

/// Waits until the lab reports the import done.
async fn imported(driver: &WebDriver) -> Result<(), HarnessError> {
    let deadline = std::time::Instant::now() + Duration::from_secs(180);
    loop {
        let status = driver
            .execute(
                "return document.querySelector('#lab-status').textContent",
                vec![],
            )
            .await?;
        if status
            .json()
            .as_str()
            .is_some_and(|s| s.starts_with("imported"))
        {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            return Err(HarnessError::Timeout("the import".to_owned()));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Logs in afresh as peakerdong, opens the conversation (timed), and sends ten messages
/// (each timed from Enter to paint).
async fn open_and_type(
    driver: &WebDriver,
    base: &str,
    count: u32,
    pictures: bool,
) -> Result<(f64, Vec<f64>), HarnessError> {
    // This window may have logged in before (sessionStorage): start from the picker.
    driver.execute("sessionStorage.clear()", vec![]).await?;
    login(driver, base, "peakerdong").await?;
    let row = "[data-peer=\"qiyueluhuo2019\"]";
    wait_for(driver, row, Duration::from_secs(30)).await?;
    let open = driver
        .execute_async(OPEN, vec![json!(count), json!(pictures)])
        .await?
        .json()
        .as_f64()
        .unwrap_or(f64::NAN);
    let mut enter = Vec::new();
    for i in 0..10 {
        let text = format!("enter-{i}-{}", tag());
        let ms = driver.execute_async(ENTER, vec![json!(text)]).await?;
        enter.push(ms.json().as_f64().unwrap_or(f64::NAN));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok((open, enter))
}

/// Scrolls back a long way; the most message nodes the list held meanwhile.
async fn scroll_back(driver: &WebDriver) -> Result<u64, HarnessError> {
    let mut most_nodes = 0u64;
    for _ in 0..30 {
        let nodes = driver
            .execute(
                "const l = document.querySelector('#message-list'); l.scrollTop = 0; l.dispatchEvent(new Event('scroll'));
                 return document.querySelectorAll('#message-list [data-key]').length;",
                vec![],
            )
            .await?
            .json()
            .as_u64()
            .unwrap_or(0);
        most_nodes = most_nodes.max(nodes);
        tokio::time::sleep(Duration::from_millis(120)).await;
    }
    Ok(most_nodes)
}

/// Sends [`PICTURES`] photos into the open conversation and waits until they are up.
async fn send_pictures(driver: &WebDriver) -> Result<(), HarnessError> {
    for i in 0..PICTURES {
        pick(driver, 800, 600, &format!("harbour-{i}.png")).await?;
        driver.find(By::Id("attach-send")).await?.click().await?;
        wait_gone(driver, "[data-upload]", Duration::from_secs(60)).await?;
    }
    Ok(())
}

fn tag() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}
