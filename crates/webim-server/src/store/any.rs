//! The store a server runs on, chosen at start by `--database-url`: one type for the rest
//! of the server, so the service, the routes and the command line are written once.

use webim_service::store::{Direction, KeyRange, Mode, Store, StoreError, Table, Tx};

use super::{PgStore, PgTx, SqliteStore, SqliteTx};

/// SQLite (one process) or PostgreSQL (several).
#[derive(Debug, Clone)]
pub enum ServerStore {
    /// An SQLite file.
    Sqlite(SqliteStore),
    /// A PostgreSQL database.
    Postgres(PgStore),
}

/// A transaction of either store.
#[derive(Debug)]
pub enum ServerTx {
    /// On SQLite.
    Sqlite(SqliteTx),
    /// On PostgreSQL.
    Postgres(PgTx),
}

impl ServerStore {
    /// True if other processes may share the database (so writes must be announced to
    /// them, and long polls must look again now and then).
    pub fn is_shared(&self) -> bool {
        matches!(self, Self::Postgres(_))
    }

    /// Checks that the database answers (readiness).
    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(s) => s.ping().await,
            Self::Postgres(s) => s.ping().await,
        }
    }

    /// Closes the database's connections.
    pub async fn close(&self) {
        match self {
            Self::Sqlite(s) => s.close().await,
            Self::Postgres(s) => s.close().await,
        }
    }
}

impl From<SqliteStore> for ServerStore {
    fn from(store: SqliteStore) -> Self {
        Self::Sqlite(store)
    }
}

impl From<PgStore> for ServerStore {
    fn from(store: PgStore) -> Self {
        Self::Postgres(store)
    }
}

impl Store for ServerStore {
    type Tx = ServerTx;

    async fn begin(&self, mode: Mode) -> Result<ServerTx, StoreError> {
        Ok(match self {
            Self::Sqlite(s) => ServerTx::Sqlite(s.begin(mode).await?),
            Self::Postgres(s) => ServerTx::Postgres(s.begin(mode).await?),
        })
    }
}

impl Tx for ServerTx {
    async fn get(&self, table: Table, key: &str) -> Result<Option<String>, StoreError> {
        match self {
            Self::Sqlite(tx) => tx.get(table, key).await,
            Self::Postgres(tx) => tx.get(table, key).await,
        }
    }

    async fn put(&self, table: Table, key: &str, value: &str) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(tx) => tx.put(table, key, value).await,
            Self::Postgres(tx) => tx.put(table, key, value).await,
        }
    }

    async fn delete(&self, table: Table, key: &str) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(tx) => tx.delete(table, key).await,
            Self::Postgres(tx) => tx.delete(table, key).await,
        }
    }

    async fn scan(
        &self,
        table: Table,
        range: &KeyRange,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        match self {
            Self::Sqlite(tx) => tx.scan(table, range, direction, limit).await,
            Self::Postgres(tx) => tx.scan(table, range, direction, limit).await,
        }
    }

    async fn clear(&self, table: Table) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(tx) => tx.clear(table).await,
            Self::Postgres(tx) => tx.clear(table).await,
        }
    }

    async fn commit(self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(tx) => tx.commit().await,
            Self::Postgres(tx) => tx.commit().await,
        }
    }
}
