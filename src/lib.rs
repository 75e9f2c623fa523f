//! The WebIM app: a Yew single-page chat over the WebIM SDK, with the IM service embedded
//! in the browser by default.
//!
//! The library holds every component so that `tests/components.rs` mounts exactly what the
//! binary renders.

pub mod app;
pub mod components;
pub mod embedded;
pub mod lab;
pub mod route;
pub mod theme;

pub use app::App;
