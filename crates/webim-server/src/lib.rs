//! The WebIM server: the seed's HTTP protocol (`POST /v4/openim/sendmsg?usersig=…`) around
//! the shared IM service (`webim-service`), with its data in SQLite (or PostgreSQL, shared by several processes woken through NATS), userSigs in Tencent's
//! TLSSigAPIv2 format, password logins for real accounts, and the app's `dist/` served
//! beside it. The rules stay in the service; this crate is the shell: HTTP, the database,
//! the clock, wake-ups.

pub mod a2;
pub mod accept;
pub mod app;
pub mod attempts;
pub mod backend;
pub mod blobs;
pub mod cli;
pub mod config;
pub mod credentials;
pub mod error;
pub mod files;
pub mod hints;
pub mod limits;
pub mod metrics;
pub mod origin;
pub mod pictures;
pub mod private;
pub mod proxy;
pub mod routes;
pub mod state;
pub mod store;
pub mod throttle;
pub mod tickets;
pub mod upload_gate;
pub mod usersig;
pub mod wake;

pub use app::app;
pub use error::ServerError;
pub use state::{AppState, Settings};
