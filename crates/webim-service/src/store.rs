//! The service's storage: ordered string keys to JSON values in a few tables, changed only
//! inside transactions. Deliberately IndexedDB's shape (object stores, key ranges, one
//! transaction per command), so the browser's database implements it directly and the
//! in-memory store is its faithful double. Every backend passes [`conformance`].
//!
//! Rule for implementers and callers: inside a transaction, await nothing but that
//! transaction's own requests (an IndexedDB transaction commits itself as soon as it has
//! no request pending).
#![allow(async_fn_in_trait)] // one thread (the browser's); no Send bound wanted

#[cfg(any(test, feature = "testing"))]
pub mod conformance;
mod memory;
mod mirror;
pub mod overlay;

use std::ops::Bound;

pub use memory::MemoryStore;
pub use mirror::{Mirrored, MirroredTx};

/// The tables (IndexedDB object stores) of the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    /// Schema facts: whether the first-run data is in.
    Meta,
    /// `{id}` → the account's profile.
    Accounts,
    /// `{owner}/{friend}` → the friendship as the owner sees it.
    Friends,
    /// `in/{to}/{from}` and `out/{from}/{to}` → one friend request, seen from each side.
    Pendency,
    /// `{owner}/{target}` → when the owner blacklisted the target.
    Blacklist,
    /// `{user}/{seq}` → a message in the user's inbox, at the user's own sequence.
    Inbox,
    /// `{user}/{peer}/{seq}` → where a conversation's messages are in the inbox.
    Conversations,
    /// `{user}/{peer}` → a conversation's summary (last message, unread, read position).
    Summaries,
    /// `{from}/{seq}/{random}` → a message already accepted (resends are recognised).
    Dedup,
    /// `{user}` → the user's inbox and notice sequences.
    Counters,
    /// `{user}/{seq}` → a notice for the user's clients (friends, profile, reads).
    Notices,
    /// `{owner}/{upload}` → an upload under way; `{owner}` → the bytes the owner keeps.
    Uploads,
    /// `{uuid}` → a finished picture or file: whose, for whom, and its blobs.
    Attachments,
}

impl Table {
    /// Every table, in a fixed order (a backend creates them all).
    pub const ALL: [Table; 13] = [
        Self::Meta,
        Self::Accounts,
        Self::Friends,
        Self::Pendency,
        Self::Blacklist,
        Self::Inbox,
        Self::Conversations,
        Self::Summaries,
        Self::Dedup,
        Self::Counters,
        Self::Notices,
        Self::Uploads,
        Self::Attachments,
    ];

    /// The table's name (the IndexedDB object store's).
    pub fn name(self) -> &'static str {
        match self {
            Self::Meta => "meta",
            Self::Accounts => "accounts",
            Self::Friends => "friends",
            Self::Pendency => "pendency",
            Self::Blacklist => "blacklist",
            Self::Inbox => "inbox",
            Self::Conversations => "conversations",
            Self::Summaries => "summaries",
            Self::Dedup => "dedup",
            Self::Counters => "counters",
            Self::Notices => "notices",
            Self::Uploads => "uploads",
            Self::Attachments => "attachments",
        }
    }
}

/// A range of keys, as `IDBKeyRange`: each end included, excluded or open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRange {
    /// The lower end.
    pub start: Bound<String>,
    /// The upper end.
    pub end: Bound<String>,
}

/// The last character of the highest key under a prefix. Keys are built from account ids
/// (ASCII) and digits, so nothing sorts after it.
pub const PREFIX_END: char = '\u{ffff}';

impl KeyRange {
    /// Every key that starts with `prefix`.
    pub fn prefix(prefix: &str) -> Self {
        Self {
            start: Bound::Included(prefix.to_owned()),
            end: Bound::Excluded(format!("{prefix}{PREFIX_END}")),
        }
    }

    /// Keys under `prefix` strictly after `after`.
    pub fn prefix_after(prefix: &str, after: &str) -> Self {
        Self {
            start: Bound::Excluded(after.to_owned()),
            end: Bound::Excluded(format!("{prefix}{PREFIX_END}")),
        }
    }

    /// Keys under `prefix` strictly before `before`.
    pub fn prefix_before(prefix: &str, before: &str) -> Self {
        Self {
            start: Bound::Included(prefix.to_owned()),
            end: Bound::Excluded(before.to_owned()),
        }
    }

    /// True if `key` is in the range.
    pub fn contains(&self, key: &str) -> bool {
        let above = match &self.start {
            Bound::Included(s) => key >= s.as_str(),
            Bound::Excluded(s) => key > s.as_str(),
            Bound::Unbounded => true,
        };
        let below = match &self.end {
            Bound::Included(e) => key <= e.as_str(),
            Bound::Excluded(e) => key < e.as_str(),
            Bound::Unbounded => true,
        };
        above && below
    }
}

/// Which order a scan returns keys in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Ascending keys.
    Forward,
    /// Descending keys.
    Reverse,
}

/// Whether a transaction may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Reads only; may run beside other transactions.
    ReadOnly,
    /// Reads and writes; all of it happens or none of it.
    ReadWrite,
}

/// The storage failed (not the request: the database).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("storage: {message}")]
pub struct StoreError {
    message: String,
    conflict: bool,
}

impl StoreError {
    /// The database failed, as `message` says.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            conflict: false,
        }
    }

    /// The transaction lost a race with another one (a serialization failure or a
    /// deadlock) and changed nothing: the same command run again may well succeed.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            conflict: true,
        }
    }

    /// True if the transaction lost a race and is worth running again.
    pub fn is_conflict(&self) -> bool {
        self.conflict
    }

    /// What failed.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// A database: opens transactions.
pub trait Store {
    /// Its transaction type.
    type Tx: Tx;
    /// Starts a transaction over every table.
    async fn begin(&self, mode: Mode) -> Result<Self::Tx, StoreError>;
}

/// One transaction. Writes become visible to other transactions at [`Tx::commit`], all at
/// once; a transaction dropped without commit changes nothing.
pub trait Tx {
    /// The value at `key`, if any.
    async fn get(&self, table: Table, key: &str) -> Result<Option<String>, StoreError>;
    /// Sets `key` to `value`. A backend may return as soon as the write is queued (later
    /// reads in the transaction still see it); a write that then fails fails the commit.
    async fn put(&self, table: Table, key: &str, value: &str) -> Result<(), StoreError>;
    /// Removes `key` (nothing happens if it is absent). Queued like [`Tx::put`].
    async fn delete(&self, table: Table, key: &str) -> Result<(), StoreError>;
    /// Up to `limit` entries in `range`, in key order or reversed.
    async fn scan(
        &self,
        table: Table,
        range: &KeyRange,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<(String, String)>, StoreError>;
    /// Removes every key of `table`.
    async fn clear(&self, table: Table) -> Result<(), StoreError>;
    /// Makes every write of the transaction durable and visible, at once.
    async fn commit(self) -> Result<(), StoreError>;
}
