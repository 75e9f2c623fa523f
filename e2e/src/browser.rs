//! Debian's chromedriver as a child process, and headless Chromium windows opened through it.

use std::io;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

/// What can go wrong while setting up the browser.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// chromedriver could not be started or did not answer.
    #[error("chromedriver: {0}")]
    Chromedriver(String),
    /// The WebDriver session failed.
    #[error("webdriver: {0}")]
    WebDriver(#[from] WebDriverError),
    /// The page did not reach the expected state in time.
    #[error("timed out waiting for {0}")]
    Timeout(String),
}

/// A running chromedriver on a free loopback port; killed when dropped.
#[derive(Debug)]
pub struct Chromedriver {
    child: Child,
    port: u16,
}

impl Chromedriver {
    /// Starts `$CHROMEDRIVER` (default `/usr/bin/chromedriver`) and waits until it listens.
    pub fn start() -> Result<Self, HarnessError> {
        let binary =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".to_owned());
        let port = free_port().map_err(|e| HarnessError::Chromedriver(e.to_string()))?;
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| HarnessError::Chromedriver(format!("cannot run {binary}: {e}")))?;
        let driver = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err(HarnessError::Chromedriver(format!(
                    "no answer on port {port}"
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }

    /// The WebDriver endpoint.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Opens a new headless Chromium window (its own profile, so its own storage) of the given
/// size, for a person whose browser asks for Chinese (as the seed's users). Close it with
/// `quit()`.
pub async fn open_window(
    driver: &Chromedriver,
    width: u32,
    height: u32,
) -> Result<WebDriver, HarnessError> {
    open_window_in(driver, width, height, "zh-CN,zh").await
}

/// As [`open_window`], for a browser whose preferred languages are `accept_languages`
/// (e.g. `en-US,en`).
pub async fn open_window_in(
    driver: &Chromedriver,
    width: u32,
    height: u32,
    accept_languages: &str,
) -> Result<WebDriver, HarnessError> {
    open(driver, width, height, accept_languages, None).await
}

/// As [`open_window`], with the browser's DevTools endpoint on a free loopback port, which
/// is returned: for what WebDriver cannot reach, such as the service worker.
pub async fn open_window_with_devtools(
    driver: &Chromedriver,
    width: u32,
    height: u32,
) -> Result<(WebDriver, u16), HarnessError> {
    let port = free_port().map_err(|e| HarnessError::Chromedriver(e.to_string()))?;
    Ok((
        open(driver, width, height, "zh-CN,zh", Some(port)).await?,
        port,
    ))
}

async fn open(
    driver: &Chromedriver,
    width: u32,
    height: u32,
    accept_languages: &str,
    devtools_port: Option<u16>,
) -> Result<WebDriver, HarnessError> {
    let mut caps = DesiredCapabilities::chrome();
    caps.add_experimental_option(
        "prefs",
        serde_json::json!({"intl": {"accept_languages": accept_languages}}),
    )?;
    caps.set_binary("/usr/bin/chromium")?;
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        // this machine has no internet: stop Chromium from reaching for it
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        // several windows of one profile work at once in these tests; none may be slowed
        // down for being in the background
        "--disable-background-timer-throttling",
        "--disable-renderer-backgrounding",
        "--disable-backgrounding-occluded-windows",
        // the bench reads the JS heap after a collection, exactly, not a rounded figure
        // that depends on when the collector last ran
        "--js-flags=--expose-gc",
        "--enable-precise-memory-info",
        &format!("--window-size={width},{height}"),
        &format!(
            "--lang={}",
            accept_languages.split(',').next().unwrap_or("zh-CN")
        ),
    ] {
        caps.add_arg(arg)?;
    }
    if let Some(port) = devtools_port {
        // chromedriver keeps a port it is given instead of choosing one
        caps.add_arg(&format!("--remote-debugging-port={port}"))?;
    }
    Ok(WebDriver::new(driver.url(), caps).await?)
}
