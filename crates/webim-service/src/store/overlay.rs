//! A transaction's writes held in memory until commit, over whatever the store has
//! committed: later reads of the same transaction see them (the service reads its own
//! writes), a scan lays them over the committed rows, and the commit applies them all at
//! once: in memory for [`super::MemoryStore`], as a few multi-row statements for the
//! server's SQLite and PostgreSQL stores. One write buffer for every store that buffers.
//! Pure: no database.

use std::collections::{BTreeMap, BTreeSet};

use super::{Direction, KeyRange, Table};

/// What the overlay knows of one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known {
    /// Written (`Some`) or deleted (`None`) in this transaction.
    Written(Option<String>),
    /// Not touched: the database has the answer.
    Untouched,
}

/// One table's share of a commit.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TableWrites {
    /// Keys set, with their values.
    pub upserts: Vec<(String, String)>,
    /// Keys removed.
    pub deletes: Vec<String>,
}

/// The tables a transaction emptied: a bit each, in [`Table::ALL`]'s order (a set of a
/// handful of tables, kept without a tree's code in the browser's download).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Cleared(u32);

impl Cleared {
    fn bit(table: Table) -> u32 {
        let index = Table::ALL.iter().position(|t| *t == table).unwrap_or(0);
        1 << index
    }

    fn insert(&mut self, table: Table) {
        self.0 |= Self::bit(table);
    }

    /// True if `table` was emptied.
    pub fn contains(self, table: Table) -> bool {
        self.0 & Self::bit(table) != 0
    }

    /// True if no table was emptied.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The emptied tables, in [`Table::ALL`]'s order.
    pub fn tables(self) -> impl Iterator<Item = Table> {
        Table::ALL.into_iter().filter(move |t| self.contains(*t))
    }
}

/// Each written key's new value (`None`: removed), in key order.
pub type Writes = BTreeMap<(Table, String), Option<String>>;

/// The pending writes of one transaction.
#[derive(Debug, Default)]
pub struct Overlay {
    cleared: Cleared,
    writes: Writes,
}

impl Overlay {
    /// What this transaction did to `key`, if anything.
    pub fn get(&self, table: Table, key: &str) -> Known {
        match self.writes.get(&(table, key.to_owned())) {
            Some(value) => Known::Written(value.clone()),
            None if self.cleared.contains(table) => Known::Written(None),
            None => Known::Untouched,
        }
    }

    /// Sets `key`.
    pub fn put(&mut self, table: Table, key: &str, value: &str) {
        self.writes
            .insert((table, key.to_owned()), Some(value.to_owned()));
    }

    /// Removes `key`.
    pub fn delete(&mut self, table: Table, key: &str) {
        self.writes.insert((table, key.to_owned()), None);
    }

    /// Removes every key of `table`, those written before in this transaction included.
    pub fn clear(&mut self, table: Table) {
        self.writes.retain(|(t, _), _| *t != table);
        self.cleared.insert(table);
    }

    /// True if the database's rows of `table` no longer count (the table was cleared).
    pub fn is_cleared(&self, table: Table) -> bool {
        self.cleared.contains(table)
    }

    /// How many written keys fall in `range`: a scan must fetch that many more rows, as
    /// deletions here may hide rows there.
    pub fn touched_in(&self, table: Table, range: &KeyRange) -> usize {
        self.in_range(table, range).count()
    }

    fn in_range<'a>(
        &'a self,
        table: Table,
        range: &'a KeyRange,
    ) -> impl Iterator<Item = (&'a String, &'a Option<String>)> + 'a {
        self.writes
            .range((table, String::new())..)
            .take_while(move |((t, _), _)| *t == table)
            .filter(move |((_, k), _)| range.contains(k))
            .map(|((_, k), v)| (k, v))
    }

    /// A scan's answer: the database's rows (`found`, any order, at least `limit` plus
    /// [`Overlay::touched_in`] of them when there are that many) with this transaction's
    /// writes laid over them.
    pub fn merge(
        &self,
        table: Table,
        range: &KeyRange,
        found: Vec<(String, String)>,
        direction: Direction,
        limit: usize,
    ) -> Vec<(String, String)> {
        let mut view: BTreeMap<String, String> = if self.is_cleared(table) {
            BTreeMap::new()
        } else {
            found.into_iter().collect()
        };
        for (key, value) in self.in_range(table, range) {
            match value {
                Some(v) => view.insert(key.clone(), v.clone()),
                None => view.remove(key),
            };
        }
        let entries = view.into_iter();
        match direction {
            Direction::Forward => entries.take(limit).collect(),
            Direction::Reverse => entries.rev().take(limit).collect(),
        }
    }

    /// True if this transaction has written nothing (nor cleared anything).
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty() && self.cleared.is_empty()
    }

    /// The writes to make at commit, as they are kept: the tables to empty first, then
    /// each key's new value (`None`: removed), in key order.
    pub fn into_parts(self) -> (Cleared, Writes) {
        (self.cleared, self.writes)
    }

    /// The writes to make at commit, grouped for statements: the tables to empty first,
    /// then each table's upserts and deletes.
    pub fn into_commit(self) -> (BTreeSet<Table>, BTreeMap<Table, TableWrites>) {
        let (cleared, writes) = self.into_parts();
        let mut tables: BTreeMap<Table, TableWrites> = BTreeMap::new();
        for ((table, key), value) in writes {
            let writes = tables.entry(table).or_default();
            match value {
                Some(v) => writes.upserts.push((key, v)),
                None => writes.deletes.push(key),
            }
        }
        (cleared.tables().collect(), tables)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn test_writes_shadow_the_database_and_deletes_hide_its_rows() {
        let mut o = Overlay::default();
        o.put(Table::Inbox, "u/2", "new");
        o.delete(Table::Inbox, "u/3");
        let range = KeyRange::prefix("u/");
        assert_eq!(o.touched_in(Table::Inbox, &range), 2);
        let found = rows(&[("u/1", "a"), ("u/2", "old"), ("u/3", "c"), ("u/4", "d")]);
        assert_eq!(
            o.merge(Table::Inbox, &range, found.clone(), Direction::Forward, 3),
            rows(&[("u/1", "a"), ("u/2", "new"), ("u/4", "d")])
        );
        assert_eq!(
            o.merge(Table::Inbox, &range, found, Direction::Reverse, 2),
            rows(&[("u/4", "d"), ("u/2", "new")])
        );
        assert_eq!(o.get(Table::Inbox, "u/3"), Known::Written(None));
        assert_eq!(o.get(Table::Inbox, "u/1"), Known::Untouched);
        assert_eq!(o.get(Table::Friends, "u/2"), Known::Untouched);
    }

    #[test]
    fn test_a_cleared_table_forgets_the_database_and_earlier_writes() {
        let mut o = Overlay::default();
        o.put(Table::Meta, "a", "1");
        o.clear(Table::Meta);
        o.put(Table::Meta, "b", "2");
        assert_eq!(o.get(Table::Meta, "a"), Known::Written(None));
        let range = KeyRange::prefix("");
        let merged = o.merge(
            Table::Meta,
            &range,
            rows(&[("z", "db")]),
            Direction::Forward,
            10,
        );
        assert_eq!(merged, rows(&[("b", "2")]));
        let (cleared, tables) = o.into_commit();
        assert!(cleared.contains(&Table::Meta));
        assert_eq!(tables[&Table::Meta].upserts, rows(&[("b", "2")]));
    }
}
