//! One transaction of the SQLite store: reads batched, writes held until commit.
//!
//! The service reads what a command needs side by side (`join` of many `get`s). Each
//! `get` here puts its key on a list and yields once, so its siblings add theirs; the first
//! to run again fetches every listed key in one SELECT, and the rest find their answer
//! fetched. Writes wait in an [`Overlay`] and go to the database as one script at commit.

use std::collections::BTreeMap;
use std::sync::Arc;

use sqlx::{AssertSqlSafe, Sqlite, SqliteConnection, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};
use webim_service::store::{Direction, KeyRange, Mode, StoreError, Table, Tx};

use super::{Writer, WriterState, sql, storage};
use crate::store::overlay::{Known, Overlay};

/// One SQLite transaction: a command's share of the writer's group transaction, or a read
/// transaction on a reader connection. Dropped without commit, nothing of it lands.
#[derive(Debug)]
pub struct SqliteTx {
    conn: Mutex<Conn>,
    mode: Mode,
    overlay: std::sync::Mutex<Overlay>,
    /// Keys asked for and not fetched yet.
    wanted: std::sync::Mutex<Vec<(Table, String)>>,
    /// Keys fetched from the database (`None`: no such key).
    fetched: std::sync::Mutex<BTreeMap<(Table, String), Option<String>>>,
}

#[derive(Debug)]
enum Conn {
    Writer {
        state: OwnedMutexGuard<WriterState>,
        writer: Arc<Writer>,
    },
    Reader(Transaction<'static, Sqlite>),
}

impl Conn {
    fn get(&mut self) -> Result<&mut SqliteConnection, StoreError> {
        match self {
            Self::Writer { state, .. } => state.conn(),
            Self::Reader(tx) => Ok(tx),
        }
    }
}

/// Locks a std mutex whose data stays whole through a panic (each change is one call).
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl SqliteTx {
    pub(super) fn writer(state: OwnedMutexGuard<WriterState>, writer: Arc<Writer>) -> Self {
        Self::new(Conn::Writer { state, writer }, Mode::ReadWrite)
    }

    pub(super) fn reader(tx: Transaction<'static, Sqlite>) -> Self {
        Self::new(Conn::Reader(tx), Mode::ReadOnly)
    }

    fn new(conn: Conn, mode: Mode) -> Self {
        Self {
            conn: Mutex::new(conn),
            mode,
            overlay: std::sync::Mutex::default(),
            wanted: std::sync::Mutex::default(),
            fetched: std::sync::Mutex::default(),
        }
    }

    fn writable(&self) -> Result<(), StoreError> {
        match self.mode {
            Mode::ReadWrite => Ok(()),
            Mode::ReadOnly => Err(StoreError("write in a read-only transaction".to_owned())),
        }
    }

    /// Fetches every wanted key not fetched yet, in one SELECT.
    async fn fetch_wanted(&self, conn: &mut Conn) -> Result<(), StoreError> {
        let keys: Vec<(Table, String)> = {
            let fetched = lock(&self.fetched);
            let mut wanted = lock(&self.wanted);
            let mut keys: Vec<(Table, String)> = wanted
                .drain(..)
                .filter(|k| !fetched.contains_key(k))
                .collect();
            keys.sort();
            keys.dedup();
            keys
        };
        if keys.is_empty() {
            return Ok(());
        }
        let text = sql::batch_get(&keys);
        let mut query = sqlx::query_as::<_, (i64, String, String)>(AssertSqlSafe(text));
        for key in sql::batch_binds(&keys) {
            query = query.bind(key.to_owned());
        }
        let rows = query.fetch_all(conn.get()?).await.map_err(storage)?;
        let mut fetched = lock(&self.fetched);
        for key in keys {
            fetched.insert(key, None);
        }
        for (t, key, value) in rows {
            let table = usize::try_from(t)
                .ok()
                .and_then(|i| Table::ALL.get(i).copied())
                .ok_or_else(|| StoreError(format!("sqlite: no table {t}")))?;
            fetched.insert((table, key), Some(value));
        }
        Ok(())
    }
}

/// Sends one command's writes into the group transaction, all or nothing.
async fn write_out(state: &mut WriterState, overlay: Overlay) -> Result<(), StoreError> {
    let (cleared, tables) = overlay.into_commit();
    if cleared.is_empty() && tables.is_empty() {
        return Ok(());
    }
    let conn = state.conn()?;
    let result = match sql::write_script(&cleared, &tables) {
        Some(script) => sqlx::raw_sql(AssertSqlSafe(script))
            .execute(&mut *conn)
            .await
            .map(|_| ()),
        None => write_bound(conn, &cleared, &tables).await,
    };
    if let Err(e) = result {
        let undo = format!("ROLLBACK TO {sp}; RELEASE {sp};", sp = sql::SAVEPOINT);
        let _ = sqlx::raw_sql(AssertSqlSafe(undo)).execute(&mut *conn).await;
        return Err(storage(e));
    }
    Ok(())
}

/// The writes of one command with bound parameters (for text a literal cannot hold).
async fn write_bound(
    conn: &mut SqliteConnection,
    cleared: &std::collections::BTreeSet<Table>,
    tables: &BTreeMap<Table, crate::store::overlay::TableWrites>,
) -> Result<(), sqlx::Error> {
    let savepoint = format!("SAVEPOINT {}", sql::SAVEPOINT);
    sqlx::query(AssertSqlSafe(savepoint))
        .execute(&mut *conn)
        .await?;
    for table in cleared {
        let text = format!("DELETE FROM {}", table.name());
        sqlx::query(AssertSqlSafe(text)).execute(&mut *conn).await?;
    }
    for (table, writes) in tables {
        for (key, value) in &writes.upserts {
            let text = format!(
                "INSERT OR REPLACE INTO {} (key, value) VALUES (?, ?)",
                table.name()
            );
            sqlx::query(AssertSqlSafe(text))
                .bind(key)
                .bind(value)
                .execute(&mut *conn)
                .await?;
        }
        for key in &writes.deletes {
            let text = format!("DELETE FROM {} WHERE key = ?", table.name());
            sqlx::query(AssertSqlSafe(text))
                .bind(key)
                .execute(&mut *conn)
                .await?;
        }
    }
    let release = format!("RELEASE {}", sql::SAVEPOINT);
    sqlx::query(AssertSqlSafe(release))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Tx for SqliteTx {
    async fn get(&self, table: Table, key: &str) -> Result<Option<String>, StoreError> {
        if let Known::Written(value) = lock(&self.overlay).get(table, key) {
            return Ok(value);
        }
        let id = (table, key.to_owned());
        if let Some(value) = lock(&self.fetched).get(&id) {
            return Ok(value.clone());
        }
        lock(&self.wanted).push(id.clone());
        // Let the other reads of this `join` list their keys before the batch goes out.
        tokio::task::yield_now().await;
        let mut conn = self.conn.lock().await;
        if let Some(value) = lock(&self.fetched).get(&id) {
            return Ok(value.clone());
        }
        self.fetch_wanted(&mut conn).await?;
        Ok(lock(&self.fetched).get(&id).cloned().flatten())
    }

    async fn put(&self, table: Table, key: &str, value: &str) -> Result<(), StoreError> {
        self.writable()?;
        lock(&self.overlay).put(table, key, value);
        Ok(())
    }

    async fn delete(&self, table: Table, key: &str) -> Result<(), StoreError> {
        self.writable()?;
        lock(&self.overlay).delete(table, key);
        Ok(())
    }

    async fn scan(
        &self,
        table: Table,
        range: &KeyRange,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let (cleared, touched) = {
            let overlay = lock(&self.overlay);
            (overlay.is_cleared(table), overlay.touched_in(table, range))
        };
        let found = if cleared || limit == 0 {
            Vec::new()
        } else {
            let (text, binds, limit) =
                sql::scan(table, range, direction, limit.saturating_add(touched));
            let mut query = sqlx::query_as::<_, (String, String)>(AssertSqlSafe(text));
            for bind in binds {
                query = query.bind(bind);
            }
            let mut conn = self.conn.lock().await;
            query
                .bind(limit)
                .fetch_all(conn.get()?)
                .await
                .map_err(storage)?
        };
        Ok(lock(&self.overlay).merge(table, range, found, direction, limit))
    }

    async fn clear(&self, table: Table) -> Result<(), StoreError> {
        self.writable()?;
        lock(&self.overlay).clear(table);
        Ok(())
    }

    async fn commit(self) -> Result<(), StoreError> {
        self.writable()?;
        let Conn::Writer { mut state, writer } = self.conn.into_inner() else {
            return Err(StoreError("commit of a read transaction".to_owned()));
        };
        let overlay = std::mem::take(&mut *lock(&self.overlay));
        write_out(&mut state, overlay).await?;
        let done = writer.join_group(&mut state);
        // The next command may run now; this one is answered when its group commits.
        drop(state);
        done.await
            .unwrap_or_else(|_| Err(StoreError("sqlite: the writer stopped".to_owned())))
    }
}
