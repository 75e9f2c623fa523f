//! The PostgreSQL store, for several server processes on one database.
//!
//! **Isolation.** Every command runs in one `REPEATABLE READ` transaction (a snapshot; a
//! read command's is `READ ONLY`). Two writers that change the same row (or insert the
//! same new key) cannot both commit: PostgreSQL lets the first commit and refuses the
//! second (`40001`), which then runs again from the start on a new snapshot. So no update
//! is lost. Every sequence number of a user (inbox and notices) comes from that user's row
//! in `counters`, read and written back one higher, so no number is handed out twice, and
//! a user's numbers commit in the order they were handed out: a snapshot that holds
//! number *n* holds every lower one, and a cursor can never step over a message that
//! commits late (the "ghost event" race of servers that take numbers from a sequence
//! object outside the transaction).
//!
//! Not `SERIALIZABLE`: its predicate locks cover index pages, and with many users' small
//! rows on one page they refused a third of all sends in the three-process test (3,873
//! retries for 10,000 sends, against 3,055 here, and slower), nearly all for no real
//! conflict. What `SERIALIZABLE` adds is refusing write skew between different rows; here
//! a command that changes a user's state also tells that user's clients, which writes the
//! user's `counters` row, so two commands about the same user already collide on a row.
//!
//! **Retries.** A refused transaction changed nothing; its error is marked
//! [`StoreError::conflict`] and the server runs the whole command again (`backend.rs`),
//! so the client never sees the race.
//!
//! **Round trips.** As on SQLite: a command's side-by-side reads go as one SELECT, its
//! writes wait in memory and go at commit as one statement (data-modifying `WITH`s).

mod tx;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tokio::sync::Semaphore;
use webim_service::store::{Mode, Store, StoreError};

pub use tx::PgTx;

/// Connections per server process: a command holds one only while it runs (a held long
/// poll holds none), and several processes share the database's limit (100 by default).
const CONNECTIONS: u32 = 16;
/// Write transactions one process runs at once (half its connections, so reads always
/// find one). More would mostly refuse each other on the same users' rows and run again.
const WRITERS: usize = 8;
/// How long a command waits for a connection, or for a database that went away, before
/// failing with an error the client retries.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// The service's data in a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    /// One connection of its own for `/readyz`: the answer says whether the database
    /// answers, not whether the pool has a free connection under load.
    health: PgPool,
    /// Write transactions of this process at once.
    writers: Arc<Semaphore>,
}

/// SQLSTATEs that mean "lost a race, nothing happened, run it again": serialization
/// failure, deadlock detected, and a unique key taken by a concurrent insert.
const RETRYABLE: [&str; 3] = ["40001", "40P01", "23505"];

pub(crate) fn storage(e: sqlx::Error) -> StoreError {
    let code = e.as_database_error().and_then(|d| d.code());
    match code {
        Some(code) if RETRYABLE.contains(&code.as_ref()) => {
            StoreError::conflict(format!("postgres: {e}"))
        }
        _ => StoreError::new(format!("postgres: {e}")),
    }
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://…`) and brings its schema up to date
    /// (several processes starting together take turns: the migrator holds a lock).
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(storage)?
            .application_name("webim-server");
        let health = PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .test_before_acquire(true)
            .connect_lazy_with(options.clone());
        let pool = PgPoolOptions::new()
            .max_connections(CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            // A connection that broke (the database restarted) is found out before a
            // command gets it, not by the command.
            .test_before_acquire(true)
            .connect_with(options)
            .await
            .map_err(storage)?;
        sqlx::migrate!("./migrations-postgres")
            .run(&pool)
            .await
            .map_err(|e| StoreError::new(format!("postgres: migrations: {e}")))?;
        Ok(Self {
            pool,
            health,
            writers: Arc::new(Semaphore::new(WRITERS)),
        })
    }

    /// The connections (for the server's own tables: credentials).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// The userSig key every process shares: the one stored, or else `candidate`, stored
    /// now (when several processes start together, one of them wins and all read it).
    pub async fn shared_secret(&self, candidate: &str) -> Result<String, StoreError> {
        sqlx::query(
            "INSERT INTO server_settings (name, value) VALUES ('usersig_secret_key', $1) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(candidate)
        .execute(&self.pool)
        .await
        .map_err(storage)?;
        sqlx::query_scalar("SELECT value FROM server_settings WHERE name = 'usersig_secret_key'")
            .fetch_one(&self.pool)
            .await
            .map_err(storage)
    }

    /// The blobs kept in this database.
    pub fn blobs(&self) -> crate::blobs::PgBlobs {
        crate::blobs::PgBlobs::new(self.pool.clone())
    }

    /// Checks that the database answers (readiness).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::raw_sql("SELECT 1")
            .execute(&self.health)
            .await
            .map(|_| ())
            .map_err(storage)
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.health.close().await;
        self.pool.close().await;
    }
}

impl Store for PgStore {
    type Tx = PgTx;

    async fn begin(&self, mode: Mode) -> Result<PgTx, StoreError> {
        let begin = match mode {
            Mode::ReadWrite => "BEGIN ISOLATION LEVEL REPEATABLE READ",
            Mode::ReadOnly => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        };
        let permit = match mode {
            Mode::ReadWrite => Some(
                Arc::clone(&self.writers)
                    .acquire_owned()
                    .await
                    .map_err(|e| StoreError::new(format!("postgres: {e}")))?,
            ),
            Mode::ReadOnly => None,
        };
        let tx = self.pool.begin_with(begin).await.map_err(storage)?;
        Ok(PgTx::new(tx, mode, permit))
    }
}
