//! The WebIM client SDK: every API of webim.js 1.0 (`init`, `offline`, `syncMsgs`,
//! `sendMsg`, `setAutoRead`, `MsgStore`, `Session`, `Msg`, `Tool`, …) with the same meaning.
//!
//! Pure Rust: no IO, no web-sys, no tokio, no clock or random calls. Time and randomness are
//! passed in and the network sits behind a trait, so every rule is tested natively.
#![warn(missing_docs)]

pub mod tool;

pub use tool::Tool;
