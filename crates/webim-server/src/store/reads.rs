//! A transaction's reads gathered into batches. The service reads what a command needs side
//! by side (a `join` of many `get`s); each `get` lists its key and yields once, so its
//! siblings list theirs, and the first to run again fetches every listed key in one
//! statement. The others then find their answer here. Pure: the database call is the
//! caller's.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use webim_service::store::Table;

/// A key of one table.
pub type TableKey = (Table, String);

/// A row a batch found: its table, key and value.
pub type FoundRow = (Table, String, String);

/// The keys asked for and the answers fetched so far.
#[derive(Debug, Default)]
pub struct Reads {
    wanted: Mutex<Vec<TableKey>>,
    /// `None`: the database has no such key.
    fetched: Mutex<BTreeMap<TableKey, Option<String>>>,
}

/// Locks a std mutex whose data stays whole through a panic (each change is one call).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Reads {
    /// The fetched answer for `key`, if it was fetched.
    pub fn fetched(&self, key: &TableKey) -> Option<Option<String>> {
        lock(&self.fetched).get(key).cloned()
    }

    /// Lists `key` for the next batch.
    pub fn want(&self, key: TableKey) {
        lock(&self.wanted).push(key);
    }

    /// The listed keys not fetched yet, sorted and once each; the list is emptied.
    pub fn take_wanted(&self) -> Vec<TableKey> {
        let fetched = lock(&self.fetched);
        let mut keys: Vec<TableKey> = lock(&self.wanted)
            .drain(..)
            .filter(|k| !fetched.contains_key(k))
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// Records a batch's answer: `rows` found, every other key of `keys` absent.
    pub fn record(&self, keys: Vec<TableKey>, rows: Vec<FoundRow>) {
        let mut fetched = lock(&self.fetched);
        for key in keys {
            fetched.insert(key, None);
        }
        for (table, key, value) in rows {
            fetched.insert((table, key), Some(value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_a_batch_asks_each_key_once_and_remembers_absent_keys() {
        let reads = Reads::default();
        reads.want((Table::Inbox, "b".to_owned()));
        reads.want((Table::Inbox, "a".to_owned()));
        reads.want((Table::Inbox, "b".to_owned()));
        let keys = reads.take_wanted();
        assert_eq!(
            keys,
            [
                (Table::Inbox, "a".to_owned()),
                (Table::Inbox, "b".to_owned())
            ]
        );
        reads.record(keys, vec![(Table::Inbox, "a".to_owned(), "1".to_owned())]);
        assert_eq!(
            reads.fetched(&(Table::Inbox, "a".to_owned())),
            Some(Some("1".to_owned()))
        );
        assert_eq!(reads.fetched(&(Table::Inbox, "b".to_owned())), Some(None));
        reads.want((Table::Inbox, "a".to_owned()));
        assert!(
            reads.take_wanted().is_empty(),
            "fetched keys are not asked again"
        );
    }
}
