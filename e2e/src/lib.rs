//! The end-to-end harness: serves a built `dist/` the way a static host would, starts
//! Debian's chromedriver, and opens headless Chromium windows on the app.
//!
//! A library (not test-only code) so the benchmarks can drive the browser the same way.

pub mod app;
pub mod axe;
mod browser;
pub mod devtools;
mod lab;
pub mod real_clients;
mod site;
mod static_server;

pub use browser::{
    Chromedriver, HarnessError, open_window, open_window_in, open_window_with_devtools,
};
pub use lab::{Lab, WorkerKind, choose_worker, percentile};
pub use site::{Backend, Site, in_browser, server_bin};
pub use static_server::StaticServer;

/// Where the release build is: `$WEBIM_DIST`, else `dist/` at the workspace root.
pub fn dist_dir() -> std::path::PathBuf {
    std::env::var_os("WEBIM_DIST")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist"))
}
