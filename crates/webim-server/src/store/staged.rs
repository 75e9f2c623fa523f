//! What a server transaction keeps in memory, the same for every database: whether it may
//! write, its writes until commit ([`Overlay`]), what it has read ([`Reads`]), how a `get`
//! joins its siblings' batch and how a scan lays the writes over the rows. A store's
//! transaction adds only its [`Connection`] (the statements it sends) and its commit; the
//! rest of its [`Tx`](webim_service::store::Tx) is [`staged_tx!`]. No database here.

use std::pin::Pin;
use std::sync::Mutex;

use webim_service::store::{Direction, KeyRange, Mode, StoreError, Table};

use super::reads::{FoundRow, Reads, TableKey, lock};
use webim_service::store::overlay::{Known, Overlay};

/// Rows on their way from a database. Boxed and `Send`, so the futures of every handler
/// stay `Send` whatever the store (the compiler sees it without following a generic).
pub type Rows<'a, T> = Pin<Box<dyn Future<Output = Result<Vec<T>, StoreError>> + Send + 'a>>;

/// A range of one table to read: up to `wanted` rows of `range`, in key order or reversed.
#[derive(Debug, Clone, Copy)]
pub struct Scan<'a> {
    /// The table.
    pub table: Table,
    /// The keys.
    pub range: &'a KeyRange,
    /// Which end first.
    pub direction: Direction,
    /// How many rows at most.
    pub wanted: usize,
}

/// What a store's transaction reads through: its own statements, nothing else.
pub trait Connection: Send {
    /// The rows of `keys`, in one statement.
    fn fetch<'a>(&'a mut self, keys: &'a [TableKey]) -> Rows<'a, FoundRow>;
    /// The rows of `scan`, in one statement.
    fn scan<'a>(&'a mut self, scan: Scan<'a>) -> Rows<'a, (String, String)>;
}

/// The [`Tx`](webim_service::store::Tx) methods every server store shares, for a
/// transaction with a `staged: Staged` and a `conn: tokio::sync::Mutex<impl Connection>`;
/// the store writes only its `commit`.
macro_rules! staged_tx {
    () => {
        async fn get(&self, table: Table, key: &str) -> Result<Option<String>, StoreError> {
            self.staged.get((table, key.to_owned()), &self.conn).await
        }

        async fn put(&self, table: Table, key: &str, value: &str) -> Result<(), StoreError> {
            self.staged.put(table, key, value)
        }

        async fn delete(&self, table: Table, key: &str) -> Result<(), StoreError> {
            self.staged.delete(table, key)
        }

        async fn scan(
            &self,
            table: Table,
            range: &KeyRange,
            direction: Direction,
            limit: usize,
        ) -> Result<Vec<(String, String)>, StoreError> {
            self.staged
                .scan(table, range, direction, limit, &self.conn)
                .await
        }

        async fn clear(&self, table: Table) -> Result<(), StoreError> {
            self.staged.clear(table)
        }
    };
}
pub(crate) use staged_tx;

/// A transaction's mode, pending writes and reads.
#[derive(Debug)]
pub struct Staged {
    mode: Mode,
    overlay: Mutex<Overlay>,
    /// Keys asked for and answers fetched (batched by the store).
    pub reads: Reads,
}

impl Staged {
    /// Nothing read or written yet.
    pub fn new(mode: Mode) -> Self {
        Self {
            mode,
            overlay: Mutex::default(),
            reads: Reads::default(),
        }
    }

    /// Refuses a write in a read-only transaction.
    pub fn writable(&self) -> Result<(), StoreError> {
        match self.mode {
            Mode::ReadWrite => Ok(()),
            Mode::ReadOnly => Err(StoreError::new("write in a read-only transaction")),
        }
    }

    /// The value of `key` if this transaction knows it without asking the database: it
    /// wrote it, or fetched it already.
    pub fn known(&self, key: &TableKey) -> Option<Option<String>> {
        match lock(&self.overlay).get(key.0, &key.1) {
            Known::Written(value) => Some(value),
            Known::Untouched => self.reads.fetched(key),
        }
    }

    /// The value at `key`: known here, or fetched in one batch with the keys its sibling
    /// `get`s ask for meanwhile, over `conn`.
    pub async fn get<C: Connection>(
        &self,
        key: TableKey,
        conn: &tokio::sync::Mutex<C>,
    ) -> Result<Option<String>, StoreError> {
        if let Some(value) = self.known(&key) {
            return Ok(value);
        }
        self.reads.want(key.clone());
        // Let the other reads of this `join` list their keys before the batch goes out.
        tokio::task::yield_now().await;
        let mut conn = conn.lock().await;
        if let Some(value) = self.reads.fetched(&key) {
            return Ok(value);
        }
        let keys = self.reads.take_wanted();
        if !keys.is_empty() {
            let rows = conn.fetch(&keys).await?;
            self.reads.record(keys, rows);
        }
        Ok(self.reads.fetched(&key).flatten())
    }

    /// Sets `key` at commit.
    pub fn put(&self, table: Table, key: &str, value: &str) -> Result<(), StoreError> {
        self.writable()?;
        lock(&self.overlay).put(table, key, value);
        Ok(())
    }

    /// Removes `key` at commit.
    pub fn delete(&self, table: Table, key: &str) -> Result<(), StoreError> {
        self.writable()?;
        lock(&self.overlay).delete(table, key);
        Ok(())
    }

    /// Empties `table` at commit.
    pub fn clear(&self, table: Table) -> Result<(), StoreError> {
        self.writable()?;
        lock(&self.overlay).clear(table);
        Ok(())
    }

    /// Up to `limit` entries of `range`: the database's rows, read over `conn`, with this
    /// transaction's writes laid over them.
    pub async fn scan<C: Connection>(
        &self,
        table: Table,
        range: &KeyRange,
        direction: Direction,
        limit: usize,
        conn: &tokio::sync::Mutex<C>,
    ) -> Result<Vec<(String, String)>, StoreError> {
        // Rows this transaction deleted may hide among the first `limit`: ask for that many
        // more. A table cleared here has no rows of the database's left to ask for.
        let extra = {
            let overlay = lock(&self.overlay);
            (!overlay.is_cleared(table)).then(|| overlay.touched_in(table, range))
        };
        let found = match extra {
            Some(touched) if limit > 0 => {
                let wanted = limit.saturating_add(touched);
                let scan = Scan {
                    table,
                    range,
                    direction,
                    wanted,
                };
                conn.lock().await.scan(scan).await?
            }
            _ => Vec::new(),
        };
        Ok(lock(&self.overlay).merge(table, range, found, direction, limit))
    }

    /// The writes to make at commit (refused in a read-only transaction).
    pub fn take_writes(&self) -> Result<Overlay, StoreError> {
        self.writable()?;
        Ok(std::mem::take(&mut *lock(&self.overlay)))
    }
}
