//! The server's databases behind the service's storage trait
//! ([`webim_service::store::Store`]): SQLite embedded by default, PostgreSQL for several
//! server processes. Each passes the shared conformance suite (`tests/it/store.rs`).
//! [`open_store`] picks one from the command line.

mod any;
pub mod postgres;
mod reads;
pub mod sqlite;
mod staged;

use crate::config::DataArgs;
use crate::error::ServerError;

pub use any::{ServerStore, ServerTx};
pub use postgres::{PgStore, PgTx};
pub use sqlite::{SqliteStore, SqliteTx};

/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "webim.sqlite3";

/// Opens the store named by `data`: `--database-url` if given, else the SQLite file in the
/// data directory (created with the directory).
pub async fn open_store(data: &DataArgs) -> Result<ServerStore, ServerError> {
    match &data.database_url {
        Some(url) if url.starts_with("sqlite:") => Ok(SqliteStore::open_url(url).await?.into()),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(PgStore::open(url).await?.into())
        }
        Some(url) => Err(ServerError::Config(format!(
            "--database-url {}: give a sqlite: or postgres:// URL",
            url.split(':').next().unwrap_or_default()
        ))),
        None => {
            crate::private::dir(&data.data)?;
            let file = data.data.join(DATABASE_FILE);
            for name in [DATABASE_FILE, "webim.sqlite3-wal", "webim.sqlite3-shm"] {
                let path = data.data.join(name);
                if name == DATABASE_FILE || path.exists() {
                    crate::private::file(&path)?;
                }
            }
            Ok(SqliteStore::open(&file).await?.into())
        }
    }
}
