//! The in-memory store: the same transaction semantics as IndexedDB (read-your-writes,
//! all-or-nothing commit, nothing on drop), for native tests and the property test.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::{Direction, KeyRange, Mode, Store, StoreError, Table, Tx};

type Data = BTreeMap<(Table, String), String>;

/// A store held in memory; clones share the same data.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    data: Rc<RefCell<Data>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
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

/// A transaction on a [`MemoryStore`]: writes are buffered until commit.
#[derive(Debug)]
pub struct MemoryTx {
    data: Rc<RefCell<Data>>,
    mode: Mode,
    /// Pending writes: `Some` to put, `None` to delete.
    writes: RefCell<BTreeMap<(Table, String), Option<String>>>,
}

impl Store for MemoryStore {
    type Tx = MemoryTx;

    async fn begin(&self, mode: Mode) -> Result<MemoryTx, StoreError> {
        Ok(MemoryTx {
            data: Rc::clone(&self.data),
            mode,
            writes: RefCell::default(),
        })
    }
}

impl MemoryTx {
    fn writable(&self) -> Result<(), StoreError> {
        match self.mode {
            Mode::ReadWrite => Ok(()),
            Mode::ReadOnly => Err(StoreError("write in a read-only transaction".to_owned())),
        }
    }
}

impl Tx for MemoryTx {
    async fn get(&self, table: Table, key: &str) -> Result<Option<String>, StoreError> {
        let id = (table, key.to_owned());
        if let Some(pending) = self.writes.borrow().get(&id) {
            return Ok(pending.clone());
        }
        Ok(self.data.borrow().get(&id).cloned())
    }

    async fn put(&self, table: Table, key: &str, value: &str) -> Result<(), StoreError> {
        self.writable()?;
        self.writes
            .borrow_mut()
            .insert((table, key.to_owned()), Some(value.to_owned()));
        Ok(())
    }

    async fn delete(&self, table: Table, key: &str) -> Result<(), StoreError> {
        self.writable()?;
        self.writes
            .borrow_mut()
            .insert((table, key.to_owned()), None);
        Ok(())
    }

    async fn scan(
        &self,
        table: Table,
        range: &KeyRange,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        // Committed data overlaid with this transaction's own writes.
        let mut view: BTreeMap<String, String> = BTreeMap::new();
        let low = (table, String::new());
        for ((t, k), v) in self.data.borrow().range(low..) {
            if *t != table {
                break;
            }
            if range.contains(k) {
                view.insert(k.clone(), v.clone());
            }
        }
        for ((t, k), v) in self.writes.borrow().iter() {
            if *t == table && range.contains(k) {
                match v {
                    Some(v) => view.insert(k.clone(), v.clone()),
                    None => view.remove(k),
                };
            }
        }
        let entries = view.into_iter();
        Ok(match direction {
            Direction::Forward => entries.take(limit).collect(),
            Direction::Reverse => entries.rev().take(limit).collect(),
        })
    }

    async fn clear(&self, table: Table) -> Result<(), StoreError> {
        self.writable()?;
        let keys: Vec<String> = self
            .data
            .borrow()
            .keys()
            .filter(|(t, _)| *t == table)
            .map(|(_, k)| k.clone())
            .collect();
        let mut writes = self.writes.borrow_mut();
        writes.retain(|(t, _), _| *t != table);
        for key in keys {
            writes.insert((table, key), None);
        }
        Ok(())
    }

    async fn commit(self) -> Result<(), StoreError> {
        let mut data = self.data.borrow_mut();
        for (id, value) in self.writes.into_inner() {
            match value {
                Some(v) => data.insert(id, v),
                None => data.remove(&id),
            };
        }
        Ok(())
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
