//! The WebIM app: a Yew single-page chat over the WebIM SDK, with the IM service embedded
//! in the browser by default.
//!
//! The library holds every component so that `tests/components.rs` mounts exactly what the
//! binary renders.

pub mod app;
pub mod backends;
pub mod components;
pub mod effects;
pub mod embedded;
pub mod i18n;
pub mod lab;
pub mod notify;
pub mod route;
pub mod store;
pub mod theme;

pub use app::App;
/// The server backend from the page's side (shared with webim.js).
pub use webim_browser::remote;
