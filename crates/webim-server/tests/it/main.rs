//! The server's integration tests: the real store on a real SQLite file, the real router on
//! a loopback port, a real HTTP client.
#![allow(clippy::unwrap_used)]

mod auth;
mod bad_input;
mod blobs;
mod cli;
mod cluster;
mod crash;
mod delivery;
mod harness;
mod hostile;
mod pictures;
mod protocol;
mod store;
mod tencent_sig;
mod v17;
mod web;
