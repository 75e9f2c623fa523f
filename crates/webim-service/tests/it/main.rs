//! The service's rules, command by command, over the in-memory store: every ResultCode of
//! docs/protocol.md (relationship rules, limits, sync and unread), and bad input of every kind.
// Helpers outside #[test] functions may panic too: a panic is the test failing.
#![allow(clippy::unwrap_used)]

mod harness;

mod attachments;
mod dialects;
mod held;
mod messaging;
mod property;
mod relationship;
mod robustness;
mod sdk;
mod sync;
