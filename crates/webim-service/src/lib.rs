//! The WebIM IM service: the server side of every protocol command, written once over a
//! storage trait so the in-browser backend and the later Rust server cannot drift.
//!
//! Pure Rust: no IO, no web-sys, no tokio, no clock or random calls.
#![warn(missing_docs)]

pub mod first_run;

pub use first_run::{FIRST_RUN_ACCOUNTS, FirstRunAccount};
