//! What a server transaction keeps in memory, the same for every database: whether it may
//! write, its writes until commit ([`Overlay`]), what it has read ([`Reads`]), and how a
//! `get` joins its siblings' batch. A store's transaction adds only its connection and the
//! statements it sends; no database here.

use std::pin::Pin;
use std::sync::Mutex;

use webim_service::store::{Direction, KeyRange, Mode, StoreError, Table};

use super::overlay::{Known, Overlay};
use super::reads::{FoundRow, Reads, TableKey, lock};

/// A store's batched read: the rows of the keys, over its connection. A plain function
/// returning a boxed future, so the futures of every handler stay `Send` (a generic async
/// closure here would not let the compiler see it).
pub type Fetch<C> =
    for<'a> fn(
        &'a mut C,
        &'a [TableKey],
    ) -> Pin<Box<dyn Future<Output = Result<Vec<FoundRow>, StoreError>> + Send + 'a>>;

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
    /// `get`s ask for meanwhile. `fetch` runs with `conn` locked, given the batch's keys,
    /// and answers the rows it found.
    pub async fn get<C>(
        &self,
        key: TableKey,
        conn: &tokio::sync::Mutex<C>,
        fetch: Fetch<C>,
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
            let rows = fetch(&mut conn, &keys).await?;
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

    /// How many rows a scan of `range` must ask the database for beyond `limit` (rows this
    /// transaction deleted may hide there), or `None` if the table was cleared here (the
    /// database's rows no longer count).
    pub fn scan_extra(&self, table: Table, range: &KeyRange) -> Option<usize> {
        let overlay = lock(&self.overlay);
        (!overlay.is_cleared(table)).then(|| overlay.touched_in(table, range))
    }

    /// A scan's answer: the database's rows with this transaction's writes over them.
    pub fn merge(
        &self,
        table: Table,
        range: &KeyRange,
        found: Vec<(String, String)>,
        direction: Direction,
        limit: usize,
    ) -> Vec<(String, String)> {
        lock(&self.overlay).merge(table, range, found, direction, limit)
    }

    /// The writes to make at commit (refused in a read-only transaction).
    pub fn take_writes(&self) -> Result<Overlay, StoreError> {
        self.writable()?;
        Ok(std::mem::take(&mut *lock(&self.overlay)))
    }
}
