//! Passwords of real accounts: Argon2id hashes in the `credentials` table, and the login
//! check that turns a right password into a userSig. Failed logins are throttled per
//! account and per address, answered after the same hashing work whether or not the
//! account exists, and never say which part was wrong.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use webim_proto::AccountId;

use crate::store::ServerStore;
use crate::throttle::Throttle;

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password accepted (hashing is the cost; no one types more).
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// Failed logins allowed per account, and per address, within [`THROTTLE_WINDOW`].
pub const FAILURES_PER_ACCOUNT: usize = 5;
/// Failed logins allowed per address within [`THROTTLE_WINDOW`].
pub const FAILURES_PER_ADDRESS: usize = 20;
/// The window over which failed logins are counted.
pub const THROTTLE_WINDOW: Duration = Duration::from_secs(5 * 60);

/// What can go wrong with credentials.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    /// The password breaks a rule.
    #[error("a password is {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_BYTES} bytes long")]
    BadPassword,
    /// Hashing failed.
    #[error("cannot hash the password: {0}")]
    Hash(String),
    /// The database failed.
    #[error("{0}")]
    Store(#[from] webim_service::store::StoreError),
}

/// Checks a new password against the rules.
pub fn check_new_password(password: &str) -> Result<(), CredentialError> {
    if password.chars().count() < MIN_PASSWORD_CHARS || password.len() > MAX_PASSWORD_BYTES {
        return Err(CredentialError::BadPassword);
    }
    Ok(())
}

/// Hashes `password` with Argon2id and a fresh salt (a PHC string). Slow on purpose: call
/// it off the async threads.
pub fn hash(password: &str) -> Result<String, CredentialError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| CredentialError::Hash(e.to_string()))
}

/// True if `password` matches the PHC string `hash` (false for a malformed hash).
pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Sets (or replaces) `account`'s password.
pub async fn set_password(
    store: &ServerStore,
    account: &AccountId,
    password: &str,
    now: u64,
) -> Result<(), CredentialError> {
    check_new_password(password)?;
    let owned = password.to_owned();
    let phc = tokio::task::spawn_blocking(move || hash(&owned))
        .await
        .map_err(|e| CredentialError::Hash(e.to_string()))??;
    let id = account.as_str().to_owned();
    let now = i64::try_from(now).unwrap_or(i64::MAX);
    match store {
        ServerStore::Sqlite(store) => {
            store
                .write(async move |conn| {
                    sqlx::query(
                        "INSERT OR REPLACE INTO credentials (account, password_hash, updated_at) \
                         VALUES (?, ?, ?)",
                    )
                    .bind(id)
                    .bind(phc)
                    .bind(now)
                    .execute(conn)
                    .await
                    .map(|_| ())
                })
                .await?;
        }
        ServerStore::Postgres(store) => {
            sqlx::query(
                "INSERT INTO credentials (account, password_hash, updated_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (account) DO UPDATE \
                 SET password_hash = EXCLUDED.password_hash, updated_at = EXCLUDED.updated_at",
            )
            .bind(id)
            .bind(phc)
            .bind(now)
            .execute(store.pool())
            .await
            .map_err(crate::store::postgres::storage)?;
        }
    }
    Ok(())
}

/// `account`'s password hash, if it has a password.
pub async fn password_hash(
    store: &ServerStore,
    account: &AccountId,
) -> Result<Option<String>, CredentialError> {
    match store {
        ServerStore::Sqlite(store) => sqlx::query_scalar::<_, String>(
            "SELECT password_hash FROM credentials WHERE account = ?",
        )
        .bind(account.as_str())
        .fetch_optional(store.readers())
        .await
        .map_err(|e| CredentialError::Store(crate::store::sqlite::storage(e))),
        ServerStore::Postgres(store) => sqlx::query_scalar::<_, String>(
            "SELECT password_hash FROM credentials WHERE account = $1",
        )
        .bind(account.as_str())
        .fetch_optional(store.pool())
        .await
        .map_err(|e| CredentialError::Store(crate::store::postgres::storage(e))),
    }
}

/// Why a login was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Wrong identifier or password (which one is not said).
    Wrong,
    /// Too many failures lately; try again after this long.
    Throttled(Duration),
}

/// The throttles and the stand-in hash that unknown accounts are checked against.
#[derive(Debug)]
pub struct LoginGuard {
    accounts: Mutex<Throttle>,
    addresses: Mutex<Throttle>,
    /// A hash of nothing anyone knows: verifying against it costs what a real check does,
    /// so an unknown account is not answered faster.
    stand_in: String,
}

impl LoginGuard {
    /// Fresh throttles. Hashes the stand-in once (slow).
    pub fn new() -> Result<Self, CredentialError> {
        let mut noise = [0u8; 16];
        getrandom::fill(&mut noise).map_err(|e| CredentialError::Hash(e.to_string()))?;
        let stand_in = hash(&format!("{noise:?}"))?;
        Ok(Self {
            accounts: Mutex::new(Throttle::new(FAILURES_PER_ACCOUNT, THROTTLE_WINDOW)),
            addresses: Mutex::new(Throttle::new(FAILURES_PER_ADDRESS, THROTTLE_WINDOW)),
            stand_in,
        })
    }

    fn throttles(
        &self,
    ) -> (
        std::sync::MutexGuard<'_, Throttle>,
        std::sync::MutexGuard<'_, Throttle>,
    ) {
        let unpoison = std::sync::PoisonError::into_inner;
        (
            self.accounts.lock().unwrap_or_else(unpoison),
            self.addresses.lock().unwrap_or_else(unpoison),
        )
    }

    /// Checks `password` for `account` (whose hash is `stored`, `None` if it has no
    /// password or does not exist), asked from `address` at `now`.
    pub async fn check(
        &self,
        account: &str,
        address: &str,
        password: &str,
        stored: Option<String>,
        now: Instant,
    ) -> Result<(), Refusal> {
        {
            let (mut accounts, mut addresses) = self.throttles();
            let wait = [accounts.check(account, now), addresses.check(address, now)]
                .into_iter()
                .filter_map(Result::err)
                .max();
            if let Some(wait) = wait {
                return Err(Refusal::Throttled(wait));
            }
        }
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.stand_in.clone());
        let password = password.to_owned();
        let right = tokio::task::spawn_blocking(move || verify(&password, &hash))
            .await
            .unwrap_or(false)
            && known;
        let (mut accounts, mut addresses) = self.throttles();
        if right {
            accounts.succeed(account);
            Ok(())
        } else {
            accounts.fail(account, now);
            addresses.fail(address, now);
            Err(Refusal::Wrong)
        }
    }
}
