//! The WebIM client SDK: every API of webim.js 1.0 (`init`, `offline`, `syncMsgs`,
//! `sendMsg`, `setAutoRead`, `MsgStore`, `Session`, `Msg`, emoticons, `Tool`, the profile
//! and relationship calls, the error codes) with the same meaning, in Rust.
//!
//! Pure Rust: no IO, no web-sys, no tokio, no clock or random calls. The network is a
//! [`Transport`], the clock and randomness an [`Env`]; both are passed in, so every rule is
//! tested natively with the doubles in [`testing`].
#![warn(missing_docs)]

/// webim.js's top-level functions.
pub mod client;
mod dedup;
/// webim.js `EmotionPicDataIndex` and the demo's emoticon parser.
pub mod emoticon;
/// webim.js `cbErr`'s error object.
pub mod error;
/// webim.js `listeners`.
pub mod event;
/// webim.js `Msg` and `Msg.Elem`.
pub mod msg;
/// webim.js `MsgStore`.
pub mod msg_store;
mod send_queue;
/// webim.js `Session`.
pub mod session;
/// webim.js `Tool`.
pub mod tool;
/// webim.js `ajaxRequest` and the browser APIs it used, as traits.
pub mod transport;

/// Test doubles (not in webim.js).
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use client::{CANCELLED, Cancel, Client, HistoryPage, SLICE_BYTES, Upload};
pub use error::{ErrorOrigin, Result, WebimError};
pub use event::{ConnectionState, Listener, SdkEvent};
pub use msg::{Elem, FILE_TEXT, Face, Msg, MsgKey, PICTURE_TEXT, SendStatus, Text};
pub use msg_store::MsgStore;
pub use session::{Session, SessionKey, SessionType};
pub use tool::Tool;
pub use transport::{Answer, Env, LoginInfo, Transport, TransportError, from_json, to_json};
pub use webim_proto as proto;
