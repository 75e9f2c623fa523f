//! Passwords of real accounts: Argon2id hashes in the `credentials` table, and the login
//! check that turns a right password into a userSig. Failed logins are throttled per
//! account and per address, answered after the same hashing work whether or not the
//! account exists, and never say which part was wrong.

use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use argon2::password_hash::PasswordHasher;
use argon2::password_hash::phc::{Output, PasswordHash};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;
use webim_proto::AccountId;

use crate::attempts;
use crate::store::ServerStore;
use crate::throttle::Key;

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password accepted (hashing is the cost; no one types more).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Passwords people choose most often, one per line (`#` lines are notes).
const COMMON: &str = include_str!("common-passwords.txt");

/// What can go wrong with credentials.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    /// The password breaks a rule; the sentence says which.
    #[error("{0}")]
    BadPassword(String),
    /// Hashing failed.
    #[error("cannot hash the password: {0}")]
    Hash(String),
    /// The database failed.
    #[error("{0}")]
    Store(#[from] webim_service::store::StoreError),
}

/// Checks `account`'s new password against the rules: 8 characters or more besides spaces
/// at its ends, at most 1024 bytes, not one, two or three characters over and over, not the identifier, and not one of the passwords people
/// choose most often (which are the first ones guessed).
pub fn check_new_password(password: &str, account: &AccountId) -> Result<(), CredentialError> {
    let bad = |why: &str| Err(CredentialError::BadPassword(why.to_owned()));
    let trimmed = password.trim();
    if trimmed.chars().count() < MIN_PASSWORD_CHARS {
        return bad("a password has at least 8 characters besides spaces at its ends");
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return bad("a password is at most 1024 bytes long");
    }
    let distinct: std::collections::BTreeSet<char> = trimmed.chars().collect();
    if distinct.len() < 4 {
        return bad("a password of one, two or three characters repeated is guessed first");
    }
    let lower = trimmed.to_lowercase();
    if lower.contains(&account.as_str().to_lowercase()) {
        return bad("a password must not contain the account's identifier");
    }
    let common = COMMON
        .lines()
        .filter(|l| !l.starts_with('#'))
        .any(|l| l.trim() == lower);
    if common {
        return bad("that password is one of the most common ones, guessed first: choose another");
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

/// True if `password` matches the PHC string `hash` (false for a malformed hash), worked
/// out in `memory` (grown to the hash's size if smaller) instead of a fresh allocation:
/// the allocator keeps a freed 19 MiB block in the thread's arena, so a check on each of
/// many threads would keep that much on every one of them.
pub fn verify_in(password: &str, hash: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm.as_str()) else {
        return false;
    };
    let version = parsed
        .version
        .map_or(Ok(Version::default()), Version::try_from);
    let (Ok(version), Ok(params)) = (version, Params::try_from(&parsed)) else {
        return false;
    };
    let blocks = params.block_count();
    if blocks > MAX_HASH_BLOCKS {
        return false;
    }
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let mut out = vec![0u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version, params);
    argon2
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..blocks])
        .is_ok()
        && Output::new(&out).is_ok_and(|computed| computed == *expected)
}

/// The most memory a stored hash may ask a check for (64 MiB, in 1 KiB blocks); the
/// server's own hashes ask 19 MiB.
const MAX_HASH_BLOCKS: usize = 64 * 1024;

/// Sets (or replaces) `account`'s password.
pub async fn set_password(
    store: &ServerStore,
    account: &AccountId,
    password: &str,
    now: u64,
) -> Result<(), CredentialError> {
    check_new_password(password, account)?;
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Wrong identifier or password (which one is not said).
    Wrong,
    /// Too many attempts lately; try again after this long.
    Throttled(Duration),
    /// Every password check slot stayed taken for [`HASH_QUEUE_WAIT`]; try again soon.
    Busy,
    /// The database failed.
    Store(String),
}

/// How long a login waits for a free password check before it is told to come back.
pub const HASH_QUEUE_WAIT: Duration = Duration::from_secs(2);

/// The throttle, the bound on password checks running at once, and the stand-in hash
/// unknown accounts are checked against.
#[derive(Debug)]
pub struct LoginGuard {
    /// One permit per password check allowed to run at once: an Argon2 check takes about
    /// 19 MiB and a core for a moment, so this bounds the memory and the CPU that logins
    /// can take whatever arrives.
    hashes: Semaphore,
    /// The checks' working memory, one per permit at most, kept between checks.
    memory: Mutex<Vec<Vec<Block>>>,
    /// A hash of nothing anyone knows: verifying against it costs what a real check does,
    /// so an unknown account is not answered faster.
    stand_in: String,
}

impl LoginGuard {
    /// At most `concurrent_hashes` password checks at once (at least 1). Hashes the
    /// stand-in once (slow).
    pub fn new(concurrent_hashes: usize) -> Result<Self, CredentialError> {
        let mut noise = [0u8; 16];
        getrandom::fill(&mut noise).map_err(|e| CredentialError::Hash(e.to_string()))?;
        let stand_in = hash(&format!("{noise:?}"))?;
        Ok(Self {
            hashes: Semaphore::new(concurrent_hashes.max(1)),
            memory: Mutex::new(Vec::new()),
            stand_in,
        })
    }

    /// Checks `password` for the account the client named `identifier` (whose hash is
    /// `stored`, `None` if it has no password or does not exist), asked from `address`
    /// at `now` (Unix milliseconds). The attempt is counted before anything is hashed.
    pub async fn check(
        &self,
        store: &ServerStore,
        identifier: &str,
        address: IpAddr,
        password: &str,
        stored: Option<String>,
        now: u64,
    ) -> Result<(), Refusal> {
        let account = Key::account(identifier);
        let keys = [account.clone(), Key::address(address)];
        let failed = |e: webim_service::store::StoreError| Refusal::Store(e.to_string());
        let admitted = attempts::admit(store, &keys, now)
            .await
            .map_err(failed)?
            .map_err(Refusal::Throttled)?;
        let Ok(Ok(permit)) = tokio::time::timeout(HASH_QUEUE_WAIT, self.hashes.acquire()).await
        else {
            return Err(Refusal::Busy);
        };
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.stand_in.clone());
        let password = password.to_owned();
        let mut memory = self.take_memory();
        let checked = tokio::task::spawn_blocking(move || {
            let right = verify_in(&password, &hash, &mut memory);
            (right, memory)
        })
        .await;
        let right = match checked {
            Ok((right, memory)) => {
                self.give_back(memory);
                right && known
            }
            Err(_) => false,
        };
        drop(permit);
        if !right {
            return Err(Refusal::Wrong);
        }
        attempts::forgive(store, &account, &admitted)
            .await
            .map_err(failed)
    }

    fn take_memory(&self) -> Vec<Block> {
        let mut pool = self.memory.lock().unwrap_or_else(PoisonError::into_inner);
        pool.pop().unwrap_or_default()
    }

    fn give_back(&self, memory: Vec<Block>) {
        let mut pool = self.memory.lock().unwrap_or_else(PoisonError::into_inner);
        pool.push(memory);
    }
}
