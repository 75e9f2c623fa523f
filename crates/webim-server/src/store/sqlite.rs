//! The SQLite store: one file in WAL mode, one SQL table per service table.
//!
//! **One writer, group commit.** SQLite lets one transaction write at a time, so the store
//! keeps one writer connection and runs write commands on it one after another. A command
//! that finds others waiting leaves its writes (inside a savepoint: all or nothing) in the
//! open transaction for them; the last of a burst commits the whole group, and only then
//! is any of them answered. Commands commit in the order they ran, and readers see a
//! prefix of that order: a sequence number becomes visible only with every lower one.
//!
//! **Few round trips.** Every statement is a hop to the connection's own thread, which
//! costs more than the statement (thread wake-ups, 25–90 µs here), so a transaction reads
//! what a command asks for together in one SELECT, its `BEGIN` rides with that first read,
//! and its writes and the `COMMIT` go as one script: two round trips for most commands.
//!
//! Readers have their own connections and see the last committed state.
//! `synchronous = NORMAL` in WAL mode: a commit survives the process being killed (the WAL
//! is in the operating system's hands), not a power cut before the next checkpoint.

mod sql;
mod tx;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, SqliteConnection};
use tokio::sync::{Mutex, Notify, oneshot};
use webim_service::store::{Mode, Store, StoreError};

pub use tx::SqliteTx;

/// How long a connection waits for another process's write lock (the command line adding
/// an account while the server runs) before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Reader connections: each long poll's check and each pull holds one briefly.
const READERS: u32 = 4;

/// The service's data in one SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    writer: Arc<Writer>,
    writer_pool: SqlitePool,
    readers: SqlitePool,
    /// One reader of its own for `/readyz`: the answer says whether the database answers,
    /// not whether a reader is free while a wave of long polls looks.
    health: SqlitePool,
}

/// The writer connection and the group of commands waiting for its next commit.
#[derive(Debug)]
struct Writer {
    state: Arc<Mutex<WriterState>>,
    /// Commands waiting for the writer: while any do, a command leaves the commit to them.
    queued: AtomicUsize,
    /// Tells the committer a group (or an idle open transaction) is waiting.
    commit_wanted: Notify,
    closed: AtomicBool,
}

/// A group's outcome, sent to each command in it.
type Done = oneshot::Sender<Result<(), StoreError>>;

#[derive(Debug)]
pub(crate) struct WriterState {
    /// `None` once the store is closed.
    conn: Option<PoolConnection<Sqlite>>,
    /// True between `BEGIN IMMEDIATE` and the group's `COMMIT`.
    open: bool,
    /// True once a command's writes are in the open transaction.
    dirty: bool,
    /// The commands whose writes are in the open transaction, waiting for its commit.
    group: Vec<Done>,
}

pub(crate) fn storage(e: impl std::fmt::Display) -> StoreError {
    StoreError::new(format!("sqlite: {e}"))
}

impl WriterState {
    pub(crate) fn conn(&mut self) -> Result<&mut SqliteConnection, StoreError> {
        match &mut self.conn {
            Some(conn) => Ok(conn),
            None => Err(StoreError::new("sqlite: the store is closed".to_owned())),
        }
    }

    /// Answers every command of the group with `result`.
    fn finish_group(&mut self, result: &Result<(), StoreError>) {
        for done in self.group.drain(..) {
            let _ = done.send(result.clone());
        }
    }

    /// Ends the open transaction: commits what the group wrote, or rolls back what only
    /// read, and answers each command of the group.
    async fn settle(&mut self) {
        if !self.open {
            return;
        }
        let end = if self.dirty { "COMMIT" } else { "ROLLBACK" };
        let result = match self.conn() {
            Ok(conn) => sqlx::raw_sql(end).execute(conn).await.map(|_| ()),
            Err(e) => Err(sqlx::Error::Protocol(e.to_string())),
        };
        let result = match result {
            Ok(()) => Ok(()),
            Err(e) => {
                if let Ok(conn) = self.conn() {
                    // Nothing of the group landed; the connection must be usable again.
                    let _ = sqlx::raw_sql("ROLLBACK").execute(conn).await;
                }
                Err(storage(e))
            }
        };
        self.open = false;
        self.dirty = false;
        self.finish_group(&result);
    }
}

impl SqliteStore {
    /// Opens (creating it if needed) the database at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_with(SqliteConnectOptions::new().filename(path)).await
    }

    /// Opens a database from a `sqlite:` URL (`--database-url`).
    pub async fn open_url(url: &str) -> Result<Self, StoreError> {
        Self::open_with(SqliteConnectOptions::from_str(url).map_err(storage)?).await
    }

    async fn open_with(options: SqliteConnectOptions) -> Result<Self, StoreError> {
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(false);
        let writer_pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(storage)?;
        sqlx::migrate!("./migrations")
            .run(&writer_pool)
            .await
            .map_err(storage)?;
        let readers = SqlitePoolOptions::new()
            .max_connections(READERS)
            .connect_with(options.clone().read_only(true))
            .await
            .map_err(storage)?;
        let health = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.read_only(true))
            .await
            .map_err(storage)?;
        let conn = writer_pool.acquire().await.map_err(storage)?;
        let writer = Arc::new(Writer {
            state: Arc::new(Mutex::new(WriterState {
                conn: Some(conn),
                open: false,
                dirty: false,
                group: Vec::new(),
            })),
            queued: AtomicUsize::new(0),
            commit_wanted: Notify::new(),
            closed: AtomicBool::new(false),
        });
        tokio::spawn(committer(Arc::clone(&writer)));
        Ok(Self {
            writer,
            writer_pool,
            readers,
            health,
        })
    }

    /// The connections that read (for the server's own tables: credentials).
    pub fn readers(&self) -> &SqlitePool {
        &self.readers
    }

    /// Runs `f` on the writer connection inside its own transaction, after every command
    /// already queued (for the server's own tables: credentials).
    pub async fn write<R>(
        &self,
        f: impl AsyncFnOnce(&mut SqliteConnection) -> Result<R, sqlx::Error>,
    ) -> Result<R, StoreError> {
        let mut state = self.writer.state.lock().await;
        state.settle().await;
        let conn = state.conn()?;
        sqlx::raw_sql("BEGIN IMMEDIATE")
            .execute(&mut *conn)
            .await
            .map_err(storage)?;
        match f(&mut *conn).await {
            Ok(value) => {
                sqlx::raw_sql("COMMIT")
                    .execute(&mut *conn)
                    .await
                    .map_err(storage)?;
                Ok(value)
            }
            Err(e) => {
                let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
                Err(storage(e))
            }
        }
    }

    /// Checks that the database answers (readiness).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::raw_sql("SELECT 1")
            .execute(&self.health)
            .await
            .map(|_| ())
            .map_err(storage)
    }

    /// Commits what is waiting and closes every connection (checkpointing the WAL).
    pub async fn close(&self) {
        self.writer.closed.store(true, Ordering::SeqCst);
        self.writer.commit_wanted.notify_one();
        {
            let mut state = self.writer.state.lock().await;
            state.settle().await;
            // Back to its pool, which can then close.
            state.conn = None;
        }
        self.health.close().await;
        self.readers.close().await;
        self.writer_pool.close().await;
    }
}

/// Settles the open transaction once the commands queued before it have had their turn
/// (the writer's lock is granted in the order asked).
async fn committer(writer: Arc<Writer>) {
    loop {
        writer.commit_wanted.notified().await;
        if writer.closed.load(Ordering::SeqCst) {
            return;
        }
        let mut state = writer.state.lock().await;
        if writer.queued.load(Ordering::SeqCst) == 0 || !state.group.is_empty() {
            state.settle().await;
        }
    }
}

impl Store for SqliteStore {
    type Tx = SqliteTx;

    async fn begin(&self, mode: Mode) -> Result<SqliteTx, StoreError> {
        match mode {
            Mode::ReadWrite => {
                self.writer.queued.fetch_add(1, Ordering::SeqCst);
                let state = Arc::clone(&self.writer.state).lock_owned().await;
                self.writer.queued.fetch_sub(1, Ordering::SeqCst);
                Ok(SqliteTx::writer(state, Arc::clone(&self.writer)))
            }
            Mode::ReadOnly => {
                let conn = self.readers.acquire().await.map_err(storage)?;
                Ok(SqliteTx::reader(conn))
            }
        }
    }
}

impl Writer {
    /// True if a command is waiting for the writer.
    fn others_waiting(&self) -> bool {
        self.queued.load(Ordering::SeqCst) > 0
    }

    /// Adds a command whose writes are in, to be answered at the group's commit.
    fn join_group(&self, state: &mut WriterState) -> oneshot::Receiver<Result<(), StoreError>> {
        let (done, wait) = oneshot::channel();
        state.group.push(done);
        if state.group.len() == 1 {
            self.commit_wanted.notify_one();
        }
        wait
    }
}
