//! The SQLite store: one file in WAL mode, one SQL table per service table.
//!
//! **One writer, group commit.** SQLite lets one transaction write at a time, so the store
//! keeps one writer connection and runs write commands on it one after another. Commands
//! that queue up while one runs share its SQLite transaction: each command's writes are
//! wrapped in a savepoint (all or nothing), and one `COMMIT` makes the whole group durable
//! before any of them is answered. Commands commit in the order they ran, and readers see
//! a prefix of that order: a sequence number becomes visible only with every lower one.
//!
//! **Few round trips.** Every statement is a hop to the connection's own thread (about
//! 25–90 µs on these machines), so a transaction reads the keys its command asks for
//! together in one SELECT, and writes at commit as one script.
//!
//! Readers have their own connections and see the last committed state.
//! `synchronous = NORMAL` in WAL mode: a commit survives the process being killed (the WAL
//! is in the operating system's hands), not a power cut before the next checkpoint.

mod sql;
mod tx;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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
}

/// The writer connection and the group of commands waiting for its next commit.
#[derive(Debug)]
struct Writer {
    state: Arc<Mutex<WriterState>>,
    /// Tells the committer a group is waiting.
    commit_wanted: Notify,
    closed: AtomicBool,
}

#[derive(Debug)]
pub(crate) struct WriterState {
    /// `None` once the store is closed.
    conn: Option<PoolConnection<Sqlite>>,
    /// True between `BEGIN IMMEDIATE` and the group's `COMMIT`.
    open: bool,
    /// The commands whose writes are in the open transaction, waiting for its commit.
    group: Vec<oneshot::Sender<Result<(), StoreError>>>,
}

pub(crate) fn storage(e: impl std::fmt::Display) -> StoreError {
    StoreError(format!("sqlite: {e}"))
}

impl WriterState {
    pub(crate) fn conn(&mut self) -> Result<&mut SqliteConnection, StoreError> {
        match &mut self.conn {
            Some(conn) => Ok(conn),
            None => Err(StoreError("sqlite: the store is closed".to_owned())),
        }
    }

    /// Begins the group's transaction unless it is open.
    async fn ensure_open(&mut self) -> Result<(), StoreError> {
        if !self.open {
            sqlx::query("BEGIN IMMEDIATE")
                .execute(self.conn()?)
                .await
                .map_err(storage)?;
            self.open = true;
        }
        Ok(())
    }

    /// Commits the open transaction and answers every command of the group.
    async fn commit_group(&mut self) {
        if self.group.is_empty() {
            return;
        }
        let result = match self.conn() {
            Ok(conn) => sqlx::query("COMMIT")
                .execute(conn)
                .await
                .map(|_| ())
                .map_err(storage),
            Err(e) => Err(e),
        };
        if result.is_err()
            && let Ok(conn) = self.conn()
        {
            // Nothing of the group landed; the connection must be usable for the next one.
            let _ = sqlx::query("ROLLBACK").execute(conn).await;
        }
        self.open = false;
        for done in self.group.drain(..) {
            let _ = done.send(result.clone());
        }
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
            .connect_with(options.read_only(true))
            .await
            .map_err(storage)?;
        let conn = writer_pool.acquire().await.map_err(storage)?;
        let writer = Arc::new(Writer {
            state: Arc::new(Mutex::new(WriterState {
                conn: Some(conn),
                open: false,
                group: Vec::new(),
            })),
            commit_wanted: Notify::new(),
            closed: AtomicBool::new(false),
        });
        tokio::spawn(committer(Arc::clone(&writer)));
        Ok(Self {
            writer,
            writer_pool,
            readers,
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
        state.commit_group().await;
        let conn = state.conn()?;
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut *conn)
            .await
            .map_err(storage)?;
        match f(&mut *conn).await {
            Ok(value) => {
                sqlx::query("COMMIT")
                    .execute(&mut *conn)
                    .await
                    .map_err(storage)?;
                Ok(value)
            }
            Err(e) => {
                let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
                Err(storage(e))
            }
        }
    }

    /// Commits what is waiting and closes every connection (checkpointing the WAL).
    pub async fn close(&self) {
        self.writer.closed.store(true, Ordering::SeqCst);
        self.writer.commit_wanted.notify_one();
        {
            let mut state = self.writer.state.lock().await;
            state.commit_group().await;
            // Back to its pool, which can then close.
            state.conn = None;
        }
        self.readers.close().await;
        self.writer_pool.close().await;
    }
}

/// Commits each group once the commands queued before it have added their writes (the
/// writer's lock is fair: it is granted in the order asked).
async fn committer(writer: Arc<Writer>) {
    loop {
        writer.commit_wanted.notified().await;
        if writer.closed.load(Ordering::SeqCst) {
            return;
        }
        writer.state.lock().await.commit_group().await;
    }
}

impl Store for SqliteStore {
    type Tx = SqliteTx;

    async fn begin(&self, mode: Mode) -> Result<SqliteTx, StoreError> {
        match mode {
            Mode::ReadWrite => {
                let mut state = Arc::clone(&self.writer.state).lock_owned().await;
                state.ensure_open().await?;
                Ok(SqliteTx::writer(state, Arc::clone(&self.writer)))
            }
            Mode::ReadOnly => {
                let tx = self.readers.begin().await.map_err(storage)?;
                Ok(SqliteTx::reader(tx))
            }
        }
    }
}

impl Writer {
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
