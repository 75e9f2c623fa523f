//! One transaction of the PostgreSQL store: reads batched ([`Reads`]), writes held in an
//! [`Overlay`] and sent at commit as one statement. Dropped without commit, sqlx rolls it
//! back before the connection is used again.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Bound;

use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, Postgres, Row, Transaction};
use tokio::sync::{Mutex, OwnedSemaphorePermit};
use webim_service::store::{Direction, KeyRange, Mode, StoreError, Table, Tx};

use super::storage;
use crate::store::reads::{FoundRow, TableKey};
use crate::store::staged::{Connection, Rows, Scan, Staged, staged_tx};

/// One PostgreSQL transaction.
#[derive(Debug)]
pub struct PgTx {
    conn: Mutex<Option<Transaction<'static, Postgres>>>,
    staged: Staged,
    /// A writer's turn among this process's writers, held until it ends.
    _turn: Option<OwnedSemaphorePermit>,
}

fn over() -> StoreError {
    StoreError::new("postgres: the transaction is over")
}

fn index(table: Table) -> i16 {
    Table::ALL
        .iter()
        .position(|t| *t == table)
        .and_then(|i| i16::try_from(i).ok())
        .unwrap_or(-1)
}

fn text(bytes: Vec<u8>) -> Result<String, StoreError> {
    String::from_utf8(bytes).map_err(|e| StoreError::new(format!("postgres: a value: {e}")))
}

/// `SELECT table, key, value` for every key, one `= ANY($n)` per table, and the key
/// arrays to bind in order.
fn batch_get(keys: &[(Table, String)]) -> (String, Vec<Vec<String>>) {
    let mut by_table: BTreeMap<Table, Vec<String>> = BTreeMap::new();
    for (table, key) in keys {
        by_table.entry(*table).or_default().push(key.clone());
    }
    let mut sql = String::new();
    for (n, table) in by_table.keys().enumerate() {
        if n > 0 {
            sql.push_str(" UNION ALL ");
        }
        let _ = write!(
            sql,
            "SELECT {}::int2, key, value FROM {} WHERE key = ANY(${})",
            index(*table),
            table.name(),
            n + 1
        );
    }
    (sql, by_table.into_values().collect())
}

/// `SELECT key, value` over a key range, and the bounds to bind in order.
fn scan(table: Table, range: &KeyRange, direction: Direction) -> (String, Vec<String>) {
    let mut sql = format!("SELECT key, value FROM {} WHERE true", table.name());
    let mut binds = Vec::new();
    for (bound, incl, excl) in [(&range.start, ">=", ">"), (&range.end, "<=", "<")] {
        let (op, key) = match bound {
            Bound::Included(k) => (incl, k),
            Bound::Excluded(k) => (excl, k),
            Bound::Unbounded => continue,
        };
        binds.push(key.clone());
        let _ = write!(sql, " AND key {op} ${}", binds.len());
    }
    let order = match direction {
        Direction::Forward => "ASC",
        Direction::Reverse => "DESC",
    };
    let _ = write!(sql, " ORDER BY key {order} LIMIT ${}", binds.len() + 1);
    (sql, binds)
}

impl PgTx {
    pub(super) fn new(
        tx: Transaction<'static, Postgres>,
        mode: Mode,
        turn: Option<OwnedSemaphorePermit>,
    ) -> Self {
        Self {
            conn: Mutex::new(Some(tx)),
            staged: Staged::new(mode),
            _turn: turn,
        }
    }
}

impl Connection for Option<Transaction<'static, Postgres>> {
    fn fetch<'a>(&'a mut self, keys: &'a [TableKey]) -> Rows<'a, FoundRow> {
        Box::pin(fetch(self, keys))
    }

    fn scan<'a>(&'a mut self, scan: Scan<'a>) -> Rows<'a, (String, String)> {
        Box::pin(scan_rows(self, scan))
    }
}

/// Up to `wanted` rows of `range`, in one SELECT.
async fn scan_rows(
    tx: &mut Option<Transaction<'static, Postgres>>,
    of: Scan<'_>,
) -> Result<Vec<(String, String)>, StoreError> {
    let (sql, binds) = scan(of.table, of.range, of.direction);
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for bind in binds {
        query = query.bind(bind);
    }
    let tx = tx.as_mut().ok_or_else(over)?;
    let rows = query
        .bind(i64::try_from(of.wanted).unwrap_or(i64::MAX))
        .fetch_all(&mut **tx)
        .await
        .map_err(storage)?;
    rows.into_iter()
        .map(|row| {
            let key: String = row.try_get(0).map_err(storage)?;
            let value: Vec<u8> = row.try_get(1).map_err(storage)?;
            Ok((key, text(value)?))
        })
        .collect()
}

/// The rows of `keys`, in one SELECT.
async fn fetch(
    tx: &mut Option<Transaction<'static, Postgres>>,
    keys: &[TableKey],
) -> Result<Vec<FoundRow>, StoreError> {
    let tx = tx.as_mut().ok_or_else(over)?;
    let (sql, arrays) = batch_get(keys);
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for array in arrays {
        query = query.bind(array);
    }
    let rows: Vec<PgRow> = query.fetch_all(&mut **tx).await.map_err(storage)?;
    let mut found = Vec::with_capacity(rows.len());
    for row in rows {
        let t: i16 = row.try_get(0).map_err(storage)?;
        let table = usize::try_from(t)
            .ok()
            .and_then(|i| Table::ALL.get(i).copied())
            .ok_or_else(|| StoreError::new(format!("postgres: no table {t}")))?;
        let key: String = row.try_get(1).map_err(storage)?;
        let value: Vec<u8> = row.try_get(2).map_err(storage)?;
        found.push((table, key, text(value)?));
    }
    Ok(found)
}

impl Tx for PgTx {
    staged_tx!();

    async fn commit(self) -> Result<(), StoreError> {
        self.staged.writable()?;
        let mut tx = self.conn.into_inner().ok_or_else(over)?;
        let overlay = self.staged.take_writes()?;
        let (cleared, tables) = overlay.into_commit();
        for table in &cleared {
            sqlx::raw_sql(AssertSqlSafe(format!("DELETE FROM {}", table.name())))
                .execute(&mut *tx)
                .await
                .map_err(storage)?;
        }
        if !tables.is_empty() {
            // One statement: each table's upserts and deletes as a data-modifying WITH.
            let mut sql = String::from("WITH ");
            let mut n = 0;
            let mut parts = Vec::new();
            for (table, writes) in &tables {
                if !writes.upserts.is_empty() {
                    parts.push(format!(
                        "u{i} AS (INSERT INTO {t} (key, value) \
                         SELECT * FROM UNNEST(${a}::text[], ${b}::bytea[]) \
                         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value)",
                        i = parts.len(),
                        t = table.name(),
                        a = n + 1,
                        b = n + 2
                    ));
                    n += 2;
                }
                if !writes.deletes.is_empty() {
                    parts.push(format!(
                        "d{i} AS (DELETE FROM {t} WHERE key = ANY(${a}::text[]))",
                        i = parts.len(),
                        t = table.name(),
                        a = n + 1
                    ));
                    n += 1;
                }
            }
            sql.push_str(&parts.join(", "));
            sql.push_str(" SELECT 1");
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for writes in tables.into_values() {
                if !writes.upserts.is_empty() {
                    let (keys, values): (Vec<String>, Vec<Vec<u8>>) = writes
                        .upserts
                        .into_iter()
                        .map(|(k, v)| (k, v.into_bytes()))
                        .unzip();
                    query = query.bind(keys).bind(values);
                }
                if !writes.deletes.is_empty() {
                    query = query.bind(writes.deletes);
                }
            }
            query.execute(&mut *tx).await.map_err(storage)?;
        }
        tx.commit().await.map_err(storage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_a_batch_asks_each_table_with_one_array() {
        let keys = [
            (Table::Inbox, "u/1".to_owned()),
            (Table::Accounts, "u".to_owned()),
            (Table::Inbox, "u/2".to_owned()),
        ];
        let (sql, arrays) = batch_get(&keys);
        assert_eq!(
            sql,
            "SELECT 1::int2, key, value FROM accounts WHERE key = ANY($1) UNION ALL \
             SELECT 5::int2, key, value FROM inbox WHERE key = ANY($2)"
        );
        assert_eq!(arrays, [vec!["u"], vec!["u/1", "u/2"]]);
    }

    #[test]
    fn test_a_scan_binds_its_bounds_and_limit() {
        let (sql, binds) = scan(
            Table::Inbox,
            &KeyRange::prefix_after("u/", "u/5"),
            Direction::Reverse,
        );
        assert_eq!(
            sql,
            "SELECT key, value FROM inbox WHERE true AND key > $1 AND key < $2 \
             ORDER BY key DESC LIMIT $3"
        );
        assert_eq!(binds, ["u/5".to_owned(), format!("u/{}", '\u{ffff}')]);
    }
}
