//! The WebIM IM service: the server side of every protocol command, written once over a
//! storage trait so the in-browser backend and `webim-server` cannot drift.
//!
//! Pure Rust: no IO, no web-sys, no tokio, no clock or random calls. The store is a trait
//! ([`store::Store`]); the time comes with each call.
#![warn(missing_docs)]

pub mod admin;
pub mod attachments;
pub mod batch;
pub mod blob;
pub mod codec;
pub mod db;
pub mod first_run;
pub mod long_poll;
pub mod messaging;
pub mod profile;
pub mod relationship;
pub mod service;
pub mod session;
pub mod store;

pub use admin::{AccountSummary, NewAccount};
pub use blob::{BlobId, BlobStore, MemoryBlobs};
pub use codec::{Codec, Json};
pub use long_poll::{PollWait, Waited};
pub use service::{Caller, Handled, Reported, Service, SessionTicket};
pub use store::{MemoryStore, Store};
