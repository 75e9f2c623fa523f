//! From a photo's Send to the peer's thumbnail painted, and how fast the photo goes up:
//! one person's window sends a photo of noise (about 3 MB as PNG: nothing in it
//! compresses, so every byte travels), the other's, with the conversation open, paints
//! its thumbnail. Both times are read from each page's `performance.timeOrigin +
//! performance.now()` (one machine, one clock), the paint at the first frame after the
//! thumbnail has loaded.

use std::time::{Duration, Instant};

use serde_json::json;
use thirtyfour::prelude::*;
use webim_e2e::HarnessError;
use webim_e2e::app::{login, wait_for};

/// The photo's side in pixels: noise this large is about 3 MB as PNG.
const SIDE: u32 = 935;
const WAIT: Duration = Duration::from_secs(90);

/// Draws `arguments[0]`² pixels of noise and puts them, as a PNG, into the paper clip's
/// input; resolves with the file's size.
const PICK_NOISE: &str = r#"
const [side, done] = arguments;
const c = document.createElement('canvas'); c.width = side; c.height = side;
const g = c.getContext('2d'); const img = g.createImageData(side, side);
for (let i = 0; i < img.data.length; i += 4) {
  img.data[i] = Math.random() * 256; img.data[i + 1] = Math.random() * 256;
  img.data[i + 2] = Math.random() * 256; img.data[i + 3] = 255;
}
g.putImageData(img, 0, 0);
c.toBlob(b => {
  const dt = new DataTransfer(); dt.items.add(new File([b], 'noise.png', { type: 'image/png' }));
  const input = document.getElementById('attach-input'); input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  done(b.size);
}, 'image/png');
"#;

/// In the reader's window: `window.__thumb` becomes the time of the first frame after the
/// `arguments[0]`-th picture of the conversation has loaded.
const WATCH: &str = r#"
const [n] = arguments; window.__thumb = null;
const check = () => {
  const img = document.querySelectorAll('#message-list .picture img')[n - 1];
  if (img && img.complete && img.naturalWidth > 0) {
    requestAnimationFrame(() => { window.__thumb = performance.timeOrigin + performance.now(); });
  } else {
    requestAnimationFrame(check);
  }
};
check();
"#;

/// What the runs measured.
pub struct Pictures {
    /// The photo's bytes (the last run's; each is about the same).
    pub bytes: u64,
    /// Send to the peer's thumbnail painted, per run (ms).
    pub to_thumb_ms: Vec<f64>,
    /// Send to the upload's end in the sender's window, per run (MB/s).
    pub upload_mb_per_s: Vec<f64>,
}

async fn until(driver: &WebDriver, script: &str, what: &str) -> Result<f64, HarnessError> {
    let start = Instant::now();
    loop {
        if let Some(at) = driver.execute(script, vec![]).await?.json().as_f64() {
            return Ok(at);
        }
        if start.elapsed() > WAIT {
            return Err(HarnessError::Timeout(what.to_owned()));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// `runs` photos from peakerdong to 七月流火2016 on the app at `base`.
pub async fn measure(
    driver: &WebDriver,
    base: &str,
    runs: usize,
) -> Result<Pictures, HarnessError> {
    let sender = driver.window().await?;
    super::to_picker(driver, base).await?;
    login(driver, base, "peakerdong").await?;
    driver.goto(format!("{base}/chat/qiyueluhuo2016")).await?;
    let reader = driver.new_window().await?;
    driver.switch_to_window(reader.clone()).await?;
    login(driver, base, "qiyueluhuo2016").await?;
    driver.goto(format!("{base}/chat/peakerdong")).await?;
    let mut figures = Pictures {
        bytes: 0,
        to_thumb_ms: Vec::new(),
        upload_mb_per_s: Vec::new(),
    };
    for n in 1..=runs {
        driver.switch_to_window(reader.clone()).await?;
        driver.execute(WATCH, vec![json!(n)]).await?;
        driver.switch_to_window(sender.clone()).await?;
        wait_for(driver, "#attach", WAIT).await?;
        let bytes = driver.execute_async(PICK_NOISE, vec![json!(SIDE)]).await?;
        figures.bytes = bytes.json().as_u64().unwrap_or(0);
        wait_for(driver, "#attach-send", WAIT).await?;
        let sent = driver
            .execute(
                "const t = performance.timeOrigin + performance.now(); \
                 document.getElementById('attach-send').click(); return t;",
                vec![],
            )
            .await?
            .json()
            .as_f64()
            .unwrap_or(0.0);
        // Up: the photo is a message in the sender's conversation (it was a row before).
        let up = format!(
            "return document.querySelectorAll('#message-list .picture').length >= {n} \
             ? performance.timeOrigin + performance.now() : null;"
        );
        let uploaded = until(driver, &up, "the upload's end").await?;
        driver.switch_to_window(reader.clone()).await?;
        let painted = until(driver, "return window.__thumb;", "the thumbnail").await?;
        let seconds = ((uploaded - sent) / 1000.0).max(0.001);
        figures.to_thumb_ms.push(painted - sent);
        figures
            .upload_mb_per_s
            .push(figures.bytes as f64 / 1e6 / seconds);
        println!(
            "  photo {n}: {:.0} ms to the thumbnail, {:.1} MB/s up",
            painted - sent,
            figures.bytes as f64 / 1e6 / seconds
        );
    }
    driver.close_window().await?;
    driver.switch_to_window(sender).await?;
    Ok(figures)
}
