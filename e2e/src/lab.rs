//! Driving the lab page (`/lab?me=…&peer=…`) in one window of a browser session: every
//! window of a session shares one profile, so one IndexedDB, like tabs of one origin.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thirtyfour::prelude::*;

use crate::HarnessError;

/// Which worker the embedded service runs in (the app's `webim.worker` choice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerKind {
    /// One SharedWorker for every tab (the default where the browser has it).
    Shared,
    /// One dedicated worker per tab (the fallback).
    Dedicated,
}

impl WorkerKind {
    /// The name the app and the lab use for it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Shared => "shared",
            Self::Dedicated => "dedicated",
        }
    }
}

/// Makes every tab of this browser profile on `base`'s origin use `kind` from its next
/// start (set on the login picker, which asks nothing of the service yet).
pub async fn choose_worker(
    driver: &WebDriver,
    base: &str,
    kind: WorkerKind,
) -> Result<(), HarnessError> {
    driver.goto(base).await?;
    driver
        .execute(
            "localStorage.setItem('webim.worker', arguments[0])",
            vec![json!(kind.name())],
        )
        .await?;
    Ok(())
}

/// One window showing the lab page.
#[derive(Debug, Clone)]
pub struct Lab {
    driver: WebDriver,
    handle: WindowHandle,
}

impl Lab {
    /// Opens the lab in the session's current window.
    pub async fn open_here(
        driver: &WebDriver,
        base: &str,
        me: &str,
        peer: &str,
    ) -> Result<Self, HarnessError> {
        let lab = Self {
            driver: driver.clone(),
            handle: driver.window().await?,
        };
        lab.goto(base, me, peer).await?;
        Ok(lab)
    }

    /// Opens the lab in a new window of the same session (same profile, same database).
    pub async fn open_window(
        driver: &WebDriver,
        base: &str,
        me: &str,
        peer: &str,
    ) -> Result<Self, HarnessError> {
        let handle = driver.new_window().await?;
        let lab = Self {
            driver: driver.clone(),
            handle,
        };
        lab.goto(base, me, peer).await?;
        Ok(lab)
    }

    async fn goto(&self, base: &str, me: &str, peer: &str) -> Result<(), HarnessError> {
        self.focus().await?;
        self.driver
            .goto(format!("{base}/lab?me={me}&peer={peer}"))
            .await?;
        self.wait_ready().await
    }

    async fn focus(&self) -> Result<(), HarnessError> {
        Ok(self.driver.switch_to_window(self.handle.clone()).await?)
    }

    /// Runs `js` in this window and returns its value.
    pub async fn script(&self, js: &str, args: Vec<Value>) -> Result<Value, HarnessError> {
        self.focus().await?;
        Ok(self.driver.execute(js, args).await?.json().clone())
    }

    /// Waits until the page says it is ready (logged in, history loaded).
    pub async fn wait_ready(&self) -> Result<(), HarnessError> {
        self.wait_for(
            "the lab to be ready",
            Duration::from_secs(20),
            |lab| async move {
                let status = lab
                    .script(
                        "return document.querySelector('#lab-status')?.textContent",
                        vec![],
                    )
                    .await?;
                match status.as_str() {
                    Some(s) if s.starts_with("error") => {
                        Err(HarnessError::Timeout(format!("lab failed: {s}")))
                    }
                    s => Ok(s == Some("ready")),
                }
            },
        )
        .await
    }

    /// The conversation as shown, oldest first, each text without its `|send time`.
    pub async fn texts(&self) -> Result<Vec<String>, HarnessError> {
        let texts = self
            .script("return Array.from(document.querySelectorAll('#lab-msgs li'), li => li.textContent.trim())", vec![])
            .await?;
        Ok(texts
            .as_array()
            .map(|all| {
                all.iter()
                    .filter_map(Value::as_str)
                    .map(|t| t.split('|').next().unwrap_or(t).to_owned())
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The statuses of the shown messages (`Pending`, `Sent`, `Failed`).
    pub async fn statuses(&self) -> Result<Vec<String>, HarnessError> {
        let all = self
            .script("return Array.from(document.querySelectorAll('#lab-msgs li'), li => li.dataset.status)", vec![])
            .await?;
        Ok(all
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The conversation's unread count as shown.
    pub async fn unread(&self) -> Result<u32, HarnessError> {
        let text = self
            .script(
                "return document.querySelector('#lab-unread').textContent",
                vec![],
            )
            .await?;
        Ok(text
            .as_str()
            .and_then(|t| t.parse().ok())
            .unwrap_or(u32::MAX))
    }

    /// Sends `count` messages `{prefix}1…{prefix}count`, `pause_ms` apart (0: all at once).
    pub async fn send(&self, count: u32, pause_ms: u32, prefix: &str) -> Result<(), HarnessError> {
        let js = "const set = (id, v) => { document.querySelector(id).value = v; };
                  set('#lab-count', arguments[0]); set('#lab-interval', arguments[1]);
                  set('#lab-prefix', arguments[2]); document.querySelector('#lab-send').click();";
        self.script(js, vec![json!(count), json!(pause_ms), json!(prefix)])
            .await
            .map(|_| ())
    }

    /// Clicks "read": the conversation is read here (and so in every window).
    pub async fn read(&self) -> Result<(), HarnessError> {
        self.script("document.querySelector('#lab-read').click()", vec![])
            .await
            .map(|_| ())
    }

    /// The delivery latencies (ms) this window measured for received messages.
    pub async fn latencies(&self) -> Result<Vec<f64>, HarnessError> {
        let text = self
            .script(
                "return document.querySelector('#lab-latency').textContent",
                vec![],
            )
            .await?;
        Ok(text
            .as_str()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default())
    }

    /// Which worker this window's service runs in, as the lab says.
    pub async fn worker(&self) -> Result<String, HarnessError> {
        let text = self
            .script(
                "return document.querySelector('#lab-worker').textContent",
                vec![],
            )
            .await?;
        Ok(text.as_str().unwrap_or_default().to_owned())
    }

    /// Stops the embedded service's worker under this window, as a browser killing it.
    pub async fn kill_worker(&self) -> Result<(), HarnessError> {
        self.script("document.querySelector('#lab-kill').click()", vec![])
            .await
            .map(|_| ())
    }

    /// Reloads the window and waits until the lab is ready again.
    pub async fn reload(&self) -> Result<(), HarnessError> {
        self.focus().await?;
        self.driver.refresh().await?;
        self.wait_ready().await
    }

    /// Polls `check` every 50 ms until it says yes, fails, or `limit` passes.
    pub async fn wait_for<F, Fut>(
        &self,
        what: &str,
        limit: Duration,
        check: F,
    ) -> Result<(), HarnessError>
    where
        F: Fn(Self) -> Fut,
        Fut: Future<Output = Result<bool, HarnessError>>,
    {
        let start = Instant::now();
        while start.elapsed() < limit {
            if check(self.clone()).await? {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(HarnessError::Timeout(what.to_owned()))
    }

    /// Waits until the window shows `n` messages.
    pub async fn wait_for_count(&self, n: usize, limit: Duration) -> Result<(), HarnessError> {
        self.wait_for(&format!("{n} messages"), limit, |lab| async move {
            Ok(lab.texts().await?.len() >= n)
        })
        .await
    }
}

/// The `p`-th percentile (0–100) of `samples`, nearest rank.
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
