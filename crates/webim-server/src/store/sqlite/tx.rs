//! One transaction of the SQLite store: reads batched, writes held until commit, the
//! transaction's `BEGIN` riding with its first statement.
//!
//! Reads are batched ([`Reads`]): a command's side-by-side `get`s go as one SELECT. Writes
//! wait in an [`Overlay`] and go to the database as one script at commit.

use std::collections::BTreeMap;
use std::sync::Arc;

use sqlx::pool::PoolConnection;
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, Row, Sqlite, SqliteConnection};
use tokio::sync::{Mutex, OwnedMutexGuard};
use webim_service::store::{Direction, KeyRange, Mode, StoreError, Table, Tx};

use super::{Writer, WriterState, sql, storage};
use crate::store::reads::{FoundRow, TableKey};
use crate::store::staged::{Connection, Rows, Scan, Staged, staged_tx};
use webim_service::store::overlay::{Overlay, TableWrites};

/// One SQLite transaction: a command's share of the writer's group transaction, or a read
/// transaction on a reader connection. Dropped without commit, nothing of it lands.
#[derive(Debug)]
pub struct SqliteTx {
    conn: Mutex<Conn>,
    staged: Staged,
}

#[derive(Debug)]
enum Conn {
    Writer {
        state: Option<OwnedMutexGuard<WriterState>>,
        writer: Arc<Writer>,
    },
    Reader {
        conn: Option<PoolConnection<Sqlite>>,
        began: bool,
    },
}

fn closed() -> StoreError {
    StoreError::new("sqlite: the transaction is over".to_owned())
}

impl Conn {
    /// Runs `statement` (a script of literals), starting the transaction with it if this
    /// is its first.
    async fn run(&mut self, statement: &str) -> Result<Vec<SqliteRow>, StoreError> {
        let (conn, begin, began, reader): (&mut SqliteConnection, _, &mut bool, bool) = match self {
            Self::Writer { state, .. } => {
                let state: &mut WriterState = state.as_mut().ok_or_else(closed)?;
                let conn = match &mut state.conn {
                    Some(conn) => &mut **conn,
                    None => return Err(StoreError::new("sqlite: the store is closed".to_owned())),
                };
                (conn, "BEGIN IMMEDIATE;\n", &mut state.open, false)
            }
            Self::Reader { conn, began } => {
                let conn = conn.as_mut().ok_or_else(closed)?;
                (&mut **conn, "BEGIN;\n", began, true)
            }
        };
        let starting = !*began;
        if starting && reader {
            // A request dropped while its BEGIN is on SQLite's thread (a client that goes
            // away mid-poll) must still have its transaction ended before the connection is
            // reused, or the next reader's BEGIN fails: counted as begun before it is sent,
            // so `Drop` rolls it back (a ROLLBACK with nothing open is harmless).
            *began = true;
        }
        let script = if starting {
            format!("{begin}{statement}")
        } else {
            statement.to_owned()
        };
        let rows = sqlx::raw_sql(AssertSqlSafe(script))
            .fetch_all(&mut *conn)
            .await;
        if starting {
            match rows {
                Ok(_) => *began = true,
                // Whether BEGIN ran or not, nothing else is in this transaction yet.
                Err(_) => {
                    let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
                    *began = false;
                }
            }
        }
        rows.map_err(storage)
    }
}

impl SqliteTx {
    pub(super) fn writer(state: OwnedMutexGuard<WriterState>, writer: Arc<Writer>) -> Self {
        Self::new(
            Conn::Writer {
                state: Some(state),
                writer,
            },
            Mode::ReadWrite,
        )
    }

    pub(super) fn reader(conn: PoolConnection<Sqlite>) -> Self {
        Self::new(
            Conn::Reader {
                conn: Some(conn),
                began: false,
            },
            Mode::ReadOnly,
        )
    }

    fn new(conn: Conn, mode: Mode) -> Self {
        Self {
            conn: Mutex::new(conn),
            staged: Staged::new(mode),
        }
    }
}

impl Connection for Conn {
    fn fetch<'a>(&'a mut self, keys: &'a [TableKey]) -> Rows<'a, FoundRow> {
        Box::pin(fetch(self, keys))
    }

    fn scan<'a>(&'a mut self, scan: Scan<'a>) -> Rows<'a, (String, String)> {
        Box::pin(scan_rows(self, scan))
    }
}

/// Up to `wanted` rows of `range`, in one SELECT.
async fn scan_rows(conn: &mut Conn, of: Scan<'_>) -> Result<Vec<(String, String)>, StoreError> {
    let select = sql::scan(of.table, of.range, of.direction, of.wanted)
        .ok_or_else(|| StoreError::new("sqlite: a key holds a NUL character".to_owned()))?;
    let rows = conn.run(&select).await?;
    rows.iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect::<Result<Vec<(String, String)>, sqlx::Error>>()
        .map_err(storage)
}

/// The rows of `keys`, in one SELECT.
async fn fetch(conn: &mut Conn, keys: &[TableKey]) -> Result<Vec<FoundRow>, StoreError> {
    let select = sql::batch_get(keys)
        .ok_or_else(|| StoreError::new("sqlite: a key holds a NUL character"))?;
    let rows = conn.run(&select).await?;
    let mut found = Vec::with_capacity(rows.len());
    for row in rows {
        let (t, key, value): (i64, String, String) = (
            row.try_get(0).map_err(storage)?,
            row.try_get(1).map_err(storage)?,
            row.try_get(2).map_err(storage)?,
        );
        let table = usize::try_from(t)
            .ok()
            .and_then(|i| Table::ALL.get(i).copied())
            .ok_or_else(|| StoreError::new(format!("sqlite: no table {t}")))?;
        found.push((table, key, value));
    }
    Ok(found)
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        match self.conn.get_mut() {
            // A reader's transaction ends with a ROLLBACK before its connection is reused;
            // the pool gets it back from that task.
            Conn::Reader { conn, began: true } => {
                if let (Some(mut conn), Ok(runtime)) =
                    (conn.take(), tokio::runtime::Handle::try_current())
                {
                    runtime.spawn(async move {
                        let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
                    });
                }
            }
            // A writer that began the group's transaction and left without committing: if
            // nobody else is coming, the committer ends it (the write lock must not stay
            // taken while the server idles).
            Conn::Writer { state, writer } => {
                if state.as_ref().is_some_and(|s| s.open) && !writer.others_waiting() {
                    writer.commit_wanted.notify_one();
                }
            }
            Conn::Reader { .. } => {}
        }
    }
}

/// The writes of one command with bound parameters (for values a literal cannot hold).
async fn write_bound(
    conn: &mut SqliteConnection,
    cleared: &std::collections::BTreeSet<Table>,
    tables: &BTreeMap<Table, TableWrites>,
) -> Result<(), sqlx::Error> {
    let savepoint = format!("SAVEPOINT {}", sql::SAVEPOINT);
    sqlx::raw_sql(AssertSqlSafe(savepoint))
        .execute(&mut *conn)
        .await?;
    for table in cleared {
        let text = format!("DELETE FROM {}", table.name());
        sqlx::raw_sql(AssertSqlSafe(text))
            .execute(&mut *conn)
            .await?;
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
    sqlx::raw_sql(AssertSqlSafe(release))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Puts one command's writes into the group transaction (beginning it if needed), and
/// commits the group with them when no other command is waiting. Returns whether it
/// committed.
async fn write_out(
    state: &mut WriterState,
    writer: &Writer,
    overlay: Overlay,
) -> Result<bool, StoreError> {
    let (cleared, tables) = overlay.into_commit();
    let commit_now = !writer.others_waiting();
    match sql::write_script(&cleared, &tables) {
        Some(script) => {
            let begin = if state.open || script.is_empty() {
                ""
            } else {
                "BEGIN IMMEDIATE;\n"
            };
            let opened = state.open || !begin.is_empty();
            let end = if commit_now && opened {
                "\nCOMMIT;"
            } else {
                ""
            };
            let full = format!("{begin}{script}{end}");
            if full.is_empty() {
                return Ok(false);
            }
            let started_here = !begin.is_empty();
            let conn = state.conn()?;
            match sqlx::raw_sql(AssertSqlSafe(full)).execute(&mut *conn).await {
                Ok(_) if end.is_empty() => {
                    state.open = true;
                    state.dirty |= !script.is_empty();
                    Ok(false)
                }
                Ok(_) => {
                    state.open = false;
                    state.dirty = false;
                    state.finish_group(&Ok(()));
                    Ok(true)
                }
                Err(e) if started_here || !end.is_empty() => {
                    // The transaction (and with it any group waiting in it) is gone.
                    let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
                    state.open = false;
                    state.dirty = false;
                    let failure = storage(e);
                    state.finish_group(&Err(failure.clone()));
                    Err(failure)
                }
                Err(e) => {
                    // Only this command's savepoint: the group goes on without it.
                    let undo = format!("ROLLBACK TO {sp}; RELEASE {sp};", sp = sql::SAVEPOINT);
                    let _ = sqlx::raw_sql(AssertSqlSafe(undo)).execute(&mut *conn).await;
                    Err(storage(e))
                }
            }
        }
        None => {
            if !state.open {
                let conn = state.conn()?;
                sqlx::raw_sql("BEGIN IMMEDIATE")
                    .execute(&mut *conn)
                    .await
                    .map_err(storage)?;
                state.open = true;
            }
            let conn = state.conn()?;
            if let Err(e) = write_bound(conn, &cleared, &tables).await {
                let undo = format!("ROLLBACK TO {sp}; RELEASE {sp};", sp = sql::SAVEPOINT);
                let _ = sqlx::raw_sql(AssertSqlSafe(undo)).execute(&mut *conn).await;
                return Err(storage(e));
            }
            state.dirty = true;
            if commit_now {
                let (done, outcome) = tokio::sync::oneshot::channel();
                state.group.push(done);
                state.settle().await;
                return outcome
                    .await
                    .unwrap_or_else(|_| Err(closed()))
                    .map(|()| true);
            }
            Ok(false)
        }
    }
}

impl Tx for SqliteTx {
    staged_tx!();

    async fn commit(mut self) -> Result<(), StoreError> {
        self.staged.writable()?;
        let Conn::Writer { state, writer } = self.conn.get_mut() else {
            return Err(StoreError::new("commit of a read transaction".to_owned()));
        };
        let writer = Arc::clone(writer);
        let mut state = state.take().ok_or_else(closed)?;
        let overlay = self.staged.take_writes()?;
        if write_out(&mut state, &writer, overlay).await? {
            return Ok(());
        }
        if !state.open {
            // Nothing was written and nothing is open: nothing to wait for.
            return Ok(());
        }
        let done = writer.join_group(&mut state);
        // The next command may run now; this one is answered when its group commits.
        drop(state);
        done.await
            .unwrap_or_else(|_| Err(StoreError::new("sqlite: the writer stopped".to_owned())))
    }
}
