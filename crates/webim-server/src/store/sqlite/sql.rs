//! The SQL text the SQLite store sends, built from the service's tables and key ranges.
//! Pure, so the exact statements are tested without a database.
//!
//! Table names come only from [`Table::name`] (fixed words), never from a request.
//! Statements carry their keys and values as quoted literals, so several statements travel
//! as one script in one round trip to SQLite's thread (a transaction's `BEGIN` rides with
//! its first read; a command's writes and the group's `COMMIT` go together). [`literal`]
//! quotes, and refuses text that holds a NUL (which would end a script early): values with
//! one are written with bound parameters instead; keys never hold one (they are built from
//! account identifiers and numbers), and a read of such a key is refused.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::ops::Bound;

use webim_service::store::{Direction, KeyRange, Table};

use webim_service::store::overlay::TableWrites;

/// The name of the savepoint around one command's writes inside a group commit.
pub const SAVEPOINT: &str = "webim_command";

/// `text` as an SQLite string literal, or `None` if it holds a NUL.
pub fn literal(text: &str) -> Option<String> {
    if text.contains('\0') {
        return None;
    }
    Some(format!("'{}'", text.replace('\'', "''")))
}

/// One command's writes as a script: a savepoint, the cleared tables emptied, the upserts
/// and deletes, the savepoint released (empty when there is nothing to write). `None` if
/// some text cannot be a literal.
pub fn write_script(
    cleared: &BTreeSet<Table>,
    tables: &BTreeMap<Table, TableWrites>,
) -> Option<String> {
    if cleared.is_empty() && tables.is_empty() {
        return Some(String::new());
    }
    let mut sql = format!("SAVEPOINT {SAVEPOINT};\n");
    for table in cleared {
        let _ = writeln!(sql, "DELETE FROM {};", table.name());
    }
    for (table, writes) in tables {
        if !writes.upserts.is_empty() {
            let _ = write!(
                sql,
                "INSERT OR REPLACE INTO {} (key, value) VALUES ",
                table.name()
            );
            for (i, (key, value)) in writes.upserts.iter().enumerate() {
                let sep = if i == 0 { "" } else { ", " };
                let _ = write!(sql, "{sep}({}, {})", literal(key)?, literal(value)?);
            }
            sql.push_str(";\n");
        }
        if !writes.deletes.is_empty() {
            let keys: Option<Vec<String>> = writes.deletes.iter().map(|k| literal(k)).collect();
            let _ = writeln!(
                sql,
                "DELETE FROM {} WHERE key IN ({});",
                table.name(),
                keys?.join(", ")
            );
        }
    }
    let _ = write!(sql, "RELEASE {SAVEPOINT};");
    Some(sql)
}

/// A SELECT reading many keys of several tables at once: rows of (table position in
/// [`Table::ALL`], key, value). `None` if a key holds a NUL.
pub fn batch_get(keys: &[(Table, String)]) -> Option<String> {
    let mut by_table: BTreeMap<Table, Vec<String>> = BTreeMap::new();
    for (table, key) in keys {
        by_table.entry(*table).or_default().push(literal(key)?);
    }
    let parts: Vec<String> = by_table
        .iter()
        .map(|(table, keys)| {
            format!(
                "SELECT {} AS t, key, value FROM {} WHERE key IN ({})",
                table_index(*table),
                table.name(),
                keys.join(", ")
            )
        })
        .collect();
    Some(parts.join(" UNION ALL "))
}

/// A table's position in [`Table::ALL`].
pub fn table_index(table: Table) -> usize {
    Table::ALL.iter().position(|t| *t == table).unwrap_or(0)
}

/// The SELECT of a scan. `None` if a bound holds a NUL.
pub fn scan(table: Table, range: &KeyRange, direction: Direction, limit: usize) -> Option<String> {
    let mut conditions = Vec::new();
    for (bound, inclusive, exclusive) in [(&range.start, ">=", ">"), (&range.end, "<=", "<")] {
        match bound {
            Bound::Included(k) => conditions.push(format!("key {inclusive} {}", literal(k)?)),
            Bound::Excluded(k) => conditions.push(format!("key {exclusive} {}", literal(k)?)),
            Bound::Unbounded => {}
        }
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    let order = match direction {
        Direction::Forward => "ASC",
        Direction::Reverse => "DESC",
    };
    // SQLite reads a negative LIMIT as "no limit".
    let limit = i64::try_from(limit).unwrap_or(-1);
    Some(format!(
        "SELECT key, value FROM {}{filter} ORDER BY key {order} LIMIT {limit}",
        table.name()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_literals_double_quotes_and_refuse_nul() {
        assert_eq!(literal("it's").as_deref(), Some("'it''s'"));
        assert_eq!(literal("").as_deref(), Some("''"));
        assert_eq!(literal("a\0b"), None);
    }

    #[test]
    fn test_a_write_script_is_wrapped_in_a_savepoint() {
        let mut tables = BTreeMap::new();
        tables.insert(
            Table::Inbox,
            TableWrites {
                upserts: vec![("u/1".to_owned(), "{\"a\":\"x'y\"}".to_owned())],
                deletes: vec!["u/0".to_owned()],
            },
        );
        let cleared: BTreeSet<Table> = [Table::Meta].into_iter().collect();
        let script = write_script(&cleared, &tables).unwrap();
        assert_eq!(
            script,
            "SAVEPOINT webim_command;\nDELETE FROM meta;\n\
             INSERT OR REPLACE INTO inbox (key, value) VALUES ('u/1', '{\"a\":\"x''y\"}');\n\
             DELETE FROM inbox WHERE key IN ('u/0');\nRELEASE webim_command;"
        );
        assert_eq!(
            write_script(&BTreeSet::new(), &BTreeMap::new()).as_deref(),
            Some("")
        );
        tables.insert(
            Table::Meta,
            TableWrites {
                upserts: vec![("k".to_owned(), "nul\0".to_owned())],
                deletes: Vec::new(),
            },
        );
        assert_eq!(write_script(&cleared, &tables), None);
    }

    #[test]
    fn test_a_batch_get_groups_keys_by_table() {
        let keys = vec![
            (Table::Counters, "b".to_owned()),
            (Table::Accounts, "a'".to_owned()),
            (Table::Counters, "c".to_owned()),
        ];
        assert_eq!(
            batch_get(&keys).unwrap(),
            "SELECT 1 AS t, key, value FROM accounts WHERE key IN ('a''') UNION ALL \
             SELECT 9 AS t, key, value FROM counters WHERE key IN ('b', 'c')"
        );
        assert_eq!(batch_get(&[(Table::Meta, "\0".to_owned())]), None);
    }

    #[test]
    fn test_scan_bounds_become_conditions() {
        let range = KeyRange::prefix_after("u/", "u/5");
        let sql = scan(Table::Inbox, &range, Direction::Reverse, 10).unwrap();
        assert_eq!(
            sql,
            format!(
                "SELECT key, value FROM inbox WHERE key > 'u/5' AND key < 'u/{}' \
                 ORDER BY key DESC LIMIT 10",
                '\u{ffff}'
            )
        );
        let all = scan(
            Table::Inbox,
            &KeyRange::prefix(""),
            Direction::Forward,
            usize::MAX,
        );
        assert!(all.unwrap().ends_with("LIMIT -1"));
    }
}
