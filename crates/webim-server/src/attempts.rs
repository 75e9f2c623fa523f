//! The login throttle's memory: the `login_attempts` table on either database. An attempt
//! is admitted and counted in one transaction *before* its password is hashed, so a
//! hundred simultaneous guesses at one account get no more checks than the limit allows;
//! on PostgreSQL an advisory lock per key keeps two processes from both counting 4 of 5.

use std::time::Duration;

use webim_service::store::StoreError;

use crate::store::ServerStore;
use crate::throttle::{self, Key};

/// The rows an admitted attempt wrote, one per key, in the keys' order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admitted(pub Vec<i64>);

fn ms(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Counts one attempt of every key at `now` (Unix milliseconds) if none is over its
/// limit; otherwise counts nothing and answers the longest wait. A key already over its
/// limit is found by a plain read first, so a flood of throttled attempts never takes the
/// writer.
pub async fn admit(
    store: &ServerStore,
    keys: &[Key; 2],
    now: u64,
) -> Result<Result<Admitted, Duration>, StoreError> {
    let since = ms(now.saturating_sub(throttle::window_ms()));
    if let Some(wait) = peek(store, keys, since, now).await? {
        return Ok(Err(wait));
    }
    let keys = keys.clone();
    match store {
        ServerStore::Sqlite(store) => {
            store
                .write(async move |conn| {
                    sqlx::query("DELETE FROM login_attempts WHERE at < ?")
                        .bind(since)
                        .execute(&mut *conn)
                        .await?;
                    let rows = sqlx::query_as(SQLITE_TIMES)
                        .bind(&keys[0].name)
                        .bind(&keys[1].name)
                        .bind(since)
                        .fetch_all(&mut *conn)
                        .await?;
                    if let Some(wait) = longest_wait(&keys, &rows, now) {
                        return Ok(Err(wait));
                    }
                    let mut ids = Vec::new();
                    for key in &keys {
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO login_attempts (key, at) VALUES (?, ?) RETURNING id",
                        )
                        .bind(&key.name)
                        .bind(ms(now))
                        .fetch_one(&mut *conn)
                        .await?;
                        ids.push(id);
                    }
                    Ok(Ok(Admitted(ids)))
                })
                .await
        }
        ServerStore::Postgres(store) => admit_pg(store.pool(), &keys, since, now)
            .await
            .map_err(crate::store::postgres::storage),
    }
}

/// The longest wait among `keys` as the last committed state has them.
async fn peek(
    store: &ServerStore,
    keys: &[Key; 2],
    since: i64,
    now: u64,
) -> Result<Option<Duration>, StoreError> {
    let rows = match store {
        ServerStore::Sqlite(store) => sqlx::query_as(SQLITE_TIMES)
            .bind(&keys[0].name)
            .bind(&keys[1].name)
            .bind(since)
            .fetch_all(store.readers())
            .await
            .map_err(crate::store::sqlite::storage)?,
        ServerStore::Postgres(store) => sqlx::query_as(PG_TIMES)
            .bind(&keys[0].name)
            .bind(&keys[1].name)
            .bind(since)
            .fetch_all(store.pool())
            .await
            .map_err(crate::store::postgres::storage)?,
    };
    Ok(longest_wait(keys, &rows, now))
}

/// The two keys' attempt times inside the window (`since` on), on each database.
const SQLITE_TIMES: &str = "SELECT key, at FROM login_attempts WHERE key IN (?, ?) AND at >= ?";
const PG_TIMES: &str = "SELECT key, at FROM login_attempts WHERE key IN ($1, $2) AND at >= $3";

/// The longest wait among `keys` at `now`, given their attempts' `(key, time)` rows.
fn longest_wait(keys: &[Key], rows: &[(String, i64)], now: u64) -> Option<Duration> {
    keys.iter()
        .filter_map(|key| {
            let times: Vec<u64> = rows
                .iter()
                .filter(|(name, _)| *name == key.name)
                .map(|(_, at)| u64::try_from(*at).unwrap_or(0))
                .collect();
            throttle::verdict(&times, key.limit, now).err()
        })
        .max()
}

async fn admit_pg(
    pool: &sqlx::PgPool,
    keys: &[Key; 2],
    since: i64,
    now: u64,
) -> Result<Result<Admitted, Duration>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // Locked in one order, so two logins never wait for each other's second key.
    let mut names: Vec<&str> = keys.iter().map(|k| k.name.as_str()).collect();
    names.sort_unstable();
    for name in names {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(name)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM login_attempts WHERE at < $1")
        .bind(since)
        .execute(&mut *tx)
        .await?;
    let rows = sqlx::query_as(PG_TIMES)
        .bind(&keys[0].name)
        .bind(&keys[1].name)
        .bind(since)
        .fetch_all(&mut *tx)
        .await?;
    if let Some(wait) = longest_wait(keys, &rows, now) {
        tx.commit().await?;
        return Ok(Err(wait));
    }
    let mut ids = Vec::new();
    for key in keys {
        let id: i64 =
            sqlx::query_scalar("INSERT INTO login_attempts (key, at) VALUES ($1, $2) RETURNING id")
                .bind(&key.name)
                .bind(ms(now))
                .fetch_one(&mut *tx)
                .await?;
        ids.push(id);
    }
    tx.commit().await?;
    Ok(Ok(Admitted(ids)))
}

/// A right password: the account's attempts are forgiven, and this attempt's other rows
/// (its address's) are taken back, so people logging in from one office do not use up
/// their address's allowance by succeeding.
pub async fn forgive(
    store: &ServerStore,
    account: &Key,
    admitted: &Admitted,
) -> Result<(), StoreError> {
    let name = account.name.clone();
    let ids = admitted.0.clone();
    match store {
        ServerStore::Sqlite(store) => {
            store
                .write(async move |conn| {
                    sqlx::query("DELETE FROM login_attempts WHERE key = ?")
                        .bind(&name)
                        .execute(&mut *conn)
                        .await?;
                    for id in ids {
                        sqlx::query("DELETE FROM login_attempts WHERE id = ?")
                            .bind(id)
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
                .await
        }
        ServerStore::Postgres(store) => {
            sqlx::query("DELETE FROM login_attempts WHERE key = $1 OR id = ANY($2)")
                .bind(&name)
                .bind(&ids)
                .execute(store.pool())
                .await
                .map(|_| ())
                .map_err(crate::store::postgres::storage)
        }
    }
}
