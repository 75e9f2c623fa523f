//! The SDK's behaviour, scenario by scenario, against the scripted transport: one module
//! per area of docs/sdk.md, each test named for the behaviour it checks.
// Helpers outside #[test] functions may panic too: a panic is the test failing.
#![allow(clippy::unwrap_used)]

mod harness;

mod history;
mod lifecycle;
mod long_poll;
mod relationship;
mod send;
mod session;
mod sync;
mod unread;
