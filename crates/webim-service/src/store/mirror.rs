//! A store whose reads are answered from memory: a copy of a backing store's data, kept by
//! a process that is that store's only writer (the SharedWorker: one service for every tab
//! of the origin). A read-only transaction then costs no trip to the database: of the three
//! transactions a delivered message takes, only the send's goes there (the woken long
//! poll's read and `getmsg`'s are answered here). Writes still go to the backing store, and reach the copy once they
//! have committed there, so a reader never sees what may yet be rolled back.
//!
//! The copy is bounded: past its limit of text it is dropped and reads go back to the
//! backing store. It is also dropped ([`Mirrored::forget`]) as soon as another writer of
//! the backing store is seen, since that writer's commits would never reach it.

use std::cell::RefCell;
use std::ops::Bound;
use std::rc::Rc;

use super::memory::MemoryTx;
use super::{Direction, KeyRange, MemoryStore, Mode, Store, StoreError, Table, Tx};

/// How many entries a load reads per scan (bounds the memory a load holds at once beyond
/// the copy itself).
const LOAD_CHUNK: usize = 2000;

/// A backing store with a copy of its data in memory, once [`Mirrored::load`] made one.
/// Clones share the copy.
#[derive(Debug, Clone)]
pub struct Mirrored<S> {
    backing: S,
    copy: Rc<RefCell<Option<Copy>>>,
}

/// The copy and what it holds.
#[derive(Debug)]
struct Copy {
    data: MemoryStore,
    bytes: usize,
    limit: usize,
}

/// One write of a read-write transaction, kept until it commits.
#[derive(Debug)]
enum Change {
    Put(Table, String, String),
    Delete(Table, String),
    Clear(Table),
}

impl<S: Store> Mirrored<S> {
    /// `backing`, read directly until a copy is loaded.
    pub fn new(backing: S) -> Self {
        Self {
            backing,
            copy: Rc::default(),
        }
    }

    /// Copies the backing store's data into memory, unless it holds more than `limit`
    /// bytes of keys and values (then there is no copy, and `Ok(false)`).
    ///
    /// Call it before anything writes, or where the backing store orders a read-only
    /// transaction after the writers begun before it (IndexedDB does): a write that
    /// commits while the load runs is then either in what the load reads or applied after.
    pub async fn load(&self, limit: usize) -> Result<bool, StoreError> {
        let data = MemoryStore::new();
        let mut bytes = 0usize;
        let tx = self.backing.begin(Mode::ReadOnly).await?;
        for table in Table::ALL {
            let mut range = KeyRange {
                start: Bound::Unbounded,
                end: Bound::Unbounded,
            };
            loop {
                let chunk = tx
                    .scan(table, &range, Direction::Forward, LOAD_CHUNK)
                    .await?;
                let full = chunk.len() == LOAD_CHUNK;
                for (key, value) in &chunk {
                    bytes = bytes.saturating_add(key.len() + value.len());
                    if bytes > limit {
                        return Ok(false);
                    }
                    data.set(table, key, Some(value));
                }
                match chunk.into_iter().last() {
                    Some((last, _)) if full => range.start = Bound::Excluded(last),
                    _ => break,
                }
            }
        }
        drop(tx);
        *self.copy.borrow_mut() = Some(Copy { data, bytes, limit });
        Ok(true)
    }

    /// Drops the copy: another writer changes the backing store, so it would go stale.
    /// Reads go to the backing store from now on.
    pub fn forget(&self) {
        self.copy.borrow_mut().take();
    }

    /// True while reads are answered from the copy.
    pub fn is_mirrored(&self) -> bool {
        self.copy.borrow().is_some()
    }

    /// Bytes of keys and values in the copy (0 without one).
    pub fn mirrored_bytes(&self) -> usize {
        self.copy.borrow().as_ref().map_or(0, |c| c.bytes)
    }
}

impl Copy {
    /// Applies a committed transaction's writes, in order; false if the copy outgrew its
    /// limit and is to be dropped.
    fn apply(&mut self, changes: Vec<Change>) -> bool {
        for change in changes {
            match change {
                Change::Put(table, key, value) => {
                    let grown = self.data.set(table, &key, Some(&value));
                    self.bytes = self.bytes.saturating_add_signed(grown);
                }
                Change::Delete(table, key) => {
                    let grown = self.data.set(table, &key, None);
                    self.bytes = self.bytes.saturating_add_signed(grown);
                }
                Change::Clear(table) => {
                    self.bytes = self.bytes.saturating_sub(self.data.clear_table(table));
                }
            }
        }
        self.bytes <= self.limit
    }
}

/// A transaction of a [`Mirrored`] store: a read-only one on the copy when there is one,
/// any other on the backing store.
#[derive(Debug)]
pub struct MirroredTx<T>(Kind<T>);

#[derive(Debug)]
enum Kind<T> {
    /// Reads from the copy.
    Copy(MemoryTx),
    /// The backing store's transaction, with its writes so far (in order) for the copy.
    Backing {
        tx: T,
        changes: RefCell<Vec<Change>>,
        copy: Rc<RefCell<Option<Copy>>>,
    },
}

impl<S: Store> Store for Mirrored<S> {
    type Tx = MirroredTx<S::Tx>;

    async fn begin(&self, mode: Mode) -> Result<Self::Tx, StoreError> {
        if mode == Mode::ReadOnly {
            let copy = self.copy.borrow().as_ref().map(|c| c.data.clone());
            if let Some(data) = copy {
                return Ok(MirroredTx(Kind::Copy(data.begin(Mode::ReadOnly).await?)));
            }
        }
        Ok(MirroredTx(Kind::Backing {
            tx: self.backing.begin(mode).await?,
            changes: RefCell::default(),
            copy: Rc::clone(&self.copy),
        }))
    }
}

impl<T: Tx> MirroredTx<T> {
    fn record(&self, change: impl FnOnce() -> Change) {
        if let Kind::Backing { changes, .. } = &self.0 {
            changes.borrow_mut().push(change());
        }
    }
}

impl<T: Tx> Tx for MirroredTx<T> {
    async fn get(&self, table: Table, key: &str) -> Result<Option<String>, StoreError> {
        match &self.0 {
            Kind::Copy(tx) => tx.get(table, key).await,
            Kind::Backing { tx, .. } => tx.get(table, key).await,
        }
    }

    async fn put(&self, table: Table, key: &str, value: &str) -> Result<(), StoreError> {
        match &self.0 {
            Kind::Copy(tx) => tx.put(table, key, value).await,
            Kind::Backing { tx, .. } => {
                tx.put(table, key, value).await?;
                self.record(|| Change::Put(table, key.to_owned(), value.to_owned()));
                Ok(())
            }
        }
    }

    async fn delete(&self, table: Table, key: &str) -> Result<(), StoreError> {
        match &self.0 {
            Kind::Copy(tx) => tx.delete(table, key).await,
            Kind::Backing { tx, .. } => {
                tx.delete(table, key).await?;
                self.record(|| Change::Delete(table, key.to_owned()));
                Ok(())
            }
        }
    }

    async fn scan(
        &self,
        table: Table,
        range: &KeyRange,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        match &self.0 {
            Kind::Copy(tx) => tx.scan(table, range, direction, limit).await,
            Kind::Backing { tx, .. } => tx.scan(table, range, direction, limit).await,
        }
    }

    async fn clear(&self, table: Table) -> Result<(), StoreError> {
        match &self.0 {
            Kind::Copy(tx) => tx.clear(table).await,
            Kind::Backing { tx, .. } => {
                tx.clear(table).await?;
                self.record(|| Change::Clear(table));
                Ok(())
            }
        }
    }

    async fn commit(self) -> Result<(), StoreError> {
        match self.0 {
            Kind::Copy(tx) => tx.commit().await,
            Kind::Backing { tx, changes, copy } => {
                tx.commit().await?;
                // Now, and not before: a reader of the copy must not see a write that
                // could still fail. The copy has it before the writer hears of the commit.
                let changes = changes.into_inner();
                let mut slot = copy.borrow_mut();
                if !changes.is_empty()
                    && let Some(copy) = slot.as_mut()
                    && !copy.apply(changes)
                {
                    slot.take();
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests;
