//! The server's databases behind the service's storage trait
//! ([`webim_service::store::Store`]): SQLite embedded by default. Each passes the shared
//! conformance suite (`tests/it/store.rs`).

mod overlay;
pub mod sqlite;

pub use sqlite::{SqliteStore, SqliteTx};
