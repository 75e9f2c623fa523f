//! The in-memory store: the same transaction semantics as IndexedDB (read-your-writes,
//! all-or-nothing commit, nothing on drop, one read-write transaction at a time), for native
//! tests and the property test.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::future::poll_fn;
use std::ops::Bound;
use std::rc::Rc;
use std::task::{Poll, Waker};

use super::overlay::{Known, Overlay};
use super::{Direction, KeyRange, Mode, Store, StoreError, Table, Tx};

type Data = BTreeMap<Key, String>;

/// A store held in memory; clones share the same data.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    data: Rc<RefCell<Data>>,
    writer: Rc<WriterLock>,
    /// Entries handed out by gets and scans: a command's work, counted where no clock
    /// could (tests bound it).
    read: Rc<Cell<u64>>,
    /// Read-write transactions begun (tests see a command's parts).
    writers: Rc<Cell<u64>>,
}

/// Lets one read-write transaction run at a time, as IndexedDB and SQLite do: a second one
/// waits for the first to commit or drop, so neither loses the other's update.
#[derive(Debug, Default)]
struct WriterLock {
    busy: Cell<bool>,
    waiting: RefCell<VecDeque<Waker>>,
}

impl WriterLock {
    async fn acquire(self: &Rc<Self>) -> WriterGuard {
        poll_fn(|cx| {
            if self.busy.replace(true) {
                self.waiting.borrow_mut().push_back(cx.waker().clone());
                Poll::Pending
            } else {
                Poll::Ready(())
            }
        })
        .await;
        WriterGuard(Rc::clone(self))
    }
}

/// Held by a read-write transaction; lets the next one in when dropped.
#[derive(Debug)]
struct WriterGuard(Rc<WriterLock>);

impl Drop for WriterGuard {
    fn drop(&mut self) {
        self.0.busy.set(false);
        // All of them: a waiter may have been dropped since it queued, and the rest would
        // then wait forever for a wake-up it swallowed. The first to run takes the lock.
        let waiting: Vec<Waker> = self.0.waiting.borrow_mut().drain(..).collect();
        for waker in waiting {
            waker.wake();
        }
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many read-write transactions have begun so far (for tests).
    pub fn write_transactions(&self) -> u64 {
        self.writers.get()
    }

    /// How many entries every transaction has read so far (for tests).
    pub fn entries_read(&self) -> u64 {
        self.read.get()
    }

    /// How many entries the table holds (for tests).
    pub fn len(&self, table: Table) -> usize {
        self.data
            .borrow()
            .keys()
            .filter(|(t, _)| *t == table)
            .count()
    }
}

/// A transaction on a [`MemoryStore`]: writes are buffered until commit (the [`Overlay`]
/// the server's stores use too).
#[derive(Debug)]
pub struct MemoryTx {
    data: Rc<RefCell<Data>>,
    read: Rc<Cell<u64>>,
    mode: Mode,
    _writer: Option<WriterGuard>,
    writes: RefCell<Overlay>,
}

impl Store for MemoryStore {
    type Tx = MemoryTx;

    async fn begin(&self, mode: Mode) -> Result<MemoryTx, StoreError> {
        let writer = match mode {
            Mode::ReadWrite => {
                self.writers.set(self.writers.get() + 1);
                Some(self.writer.acquire().await)
            }
            Mode::ReadOnly => None,
        };
        Ok(MemoryTx {
            data: Rc::clone(&self.data),
            read: Rc::clone(&self.read),
            mode,
            _writer: writer,
            writes: RefCell::default(),
        })
    }
}

impl MemoryTx {
    fn writable(&self) -> Result<(), StoreError> {
        match self.mode {
            Mode::ReadWrite => Ok(()),
            Mode::ReadOnly => Err(StoreError::new(
                "write in a read-only transaction".to_owned(),
            )),
        }
    }

    /// A scan's entries: committed data overlaid with this transaction's own writes.
    fn scan_all(
        &self,
        table: Table,
        range: &KeyRange,
        direction: Direction,
        limit: usize,
    ) -> Vec<(String, String)> {
        let data = self.data.borrow();
        let Some(bounds) = bounds(table, range) else {
            return Vec::new();
        };
        let committed = data.range(bounds).map(|((_, k), v)| (k, v));
        let writes = self.writes.borrow();
        let owned = |(k, v): (&String, &String)| (k.clone(), v.clone());
        if writes.is_empty() {
            // A read-only transaction (the mirror's every read): straight from the tree.
            return match direction {
                Direction::Forward => committed.take(limit).map(owned).collect(),
                Direction::Reverse => committed.rev().take(limit).map(owned).collect(),
            };
        }
        let found = if writes.is_cleared(table) {
            Vec::new()
        } else {
            committed.map(owned).collect()
        };
        writes.merge(table, range, found, direction, limit)
    }
}

impl Tx for MemoryTx {
    async fn get(&self, table: Table, key: &str) -> Result<Option<String>, StoreError> {
        self.read.set(self.read.get() + 1);
        if let Known::Written(pending) = self.writes.borrow().get(table, key) {
            return Ok(pending);
        }
        Ok(self.data.borrow().get(&(table, key.to_owned())).cloned())
    }

    async fn put(&self, table: Table, key: &str, value: &str) -> Result<(), StoreError> {
        self.writable()?;
        self.writes.borrow_mut().put(table, key, value);
        Ok(())
    }

    async fn delete(&self, table: Table, key: &str) -> Result<(), StoreError> {
        self.writable()?;
        self.writes.borrow_mut().delete(table, key);
        Ok(())
    }

    async fn scan(
        &self,
        table: Table,
        range: &KeyRange,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let found = self.scan_all(table, range, direction, limit);
        self.read.set(self.read.get() + found.len() as u64);
        Ok(found)
    }

    async fn clear(&self, table: Table) -> Result<(), StoreError> {
        self.writable()?;
        self.writes.borrow_mut().clear(table);
        Ok(())
    }

    async fn commit(self) -> Result<(), StoreError> {
        let (cleared, writes) = self.writes.into_inner().into_parts();
        let mut data = self.data.borrow_mut();
        if !cleared.is_empty() {
            data.retain(|(t, _), _| !cleared.contains(*t));
        }
        for (id, value) in writes {
            match value {
                Some(v) => data.insert(id, v),
                None => data.remove(&id),
            };
        }
        Ok(())
    }
}

type Key = (Table, String);

/// `range` of `table` as bounds of the tree, or `None` when it holds no key (the tree's
/// `range` panics on crossed ends).
fn bounds(table: Table, range: &KeyRange) -> Option<(Bound<Key>, Bound<Key>)> {
    let key = |k: &String| (table, k.clone());
    let start = match &range.start {
        Bound::Included(k) => Bound::Included(key(k)),
        Bound::Excluded(k) => Bound::Excluded(key(k)),
        Bound::Unbounded => Bound::Included((table, String::new())),
    };
    let end = match &range.end {
        Bound::Included(k) => Bound::Included(key(k)),
        Bound::Excluded(k) => Bound::Excluded(key(k)),
        // Up to the next table's first key: tables sort in `Table::ALL`'s order.
        Bound::Unbounded => match Table::ALL.iter().position(|t| *t == table) {
            Some(i) if i + 1 < Table::ALL.len() => {
                Bound::Excluded((Table::ALL[i + 1], String::new()))
            }
            _ => Bound::Unbounded,
        },
    };
    let crossed = match (&start, &end) {
        (Bound::Included(low), Bound::Included(high)) => low > high,
        (
            Bound::Included(low) | Bound::Excluded(low),
            Bound::Included(high) | Bound::Excluded(high),
        ) => low >= high,
        _ => false,
    };
    (!crossed).then_some((start, end))
}

impl MemoryStore {
    /// Sets or (with `None`) removes `key` outside any transaction, for a mirror that
    /// follows another store's commits. Returns the bytes of text added (negative: freed).
    pub(super) fn set(&self, table: Table, key: &str, value: Option<&str>) -> isize {
        let mut data = self.data.borrow_mut();
        let id = (table, key.to_owned());
        let size = |v: &str| (key.len() + v.len()) as isize;
        let (added, replaced) = match value {
            Some(v) => (size(v), data.insert(id, v.to_owned())),
            None => (0, data.remove(&id)),
        };
        added - replaced.map_or(0, |old| size(&old))
    }

    /// Removes every key of `table` outside any transaction; returns the bytes freed.
    pub(super) fn clear_table(&self, table: Table) -> usize {
        let mut data = self.data.borrow_mut();
        let mut freed = 0;
        data.retain(|(t, k), v| {
            let keep = *t != table;
            if !keep {
                freed += k.len() + v.len();
            }
            keep
        });
        freed
    }
}

#[cfg(test)]
mod tests {
    use super::MemoryStore;
    use crate::store::conformance;

    macro_rules! memory_case {
        ($case:ident) => {
            #[test]
            fn $case() {
                futures::executor::block_on(conformance::$case(MemoryStore::new()));
            }
        };
    }

    crate::for_each_store_case!(memory_case);
}
