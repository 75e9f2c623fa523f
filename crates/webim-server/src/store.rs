//! The server's databases behind the service's storage trait
//! ([`webim_service::store::Store`]): SQLite embedded by default, PostgreSQL for several
//! server processes. Each passes the shared conformance suite (`tests/it/store.rs`).

mod any;
mod overlay;
pub mod postgres;
mod reads;
pub mod sqlite;
mod staged;

pub use any::{ServerStore, ServerTx};
pub use postgres::{PgStore, PgTx};
pub use sqlite::{SqliteStore, SqliteTx};
