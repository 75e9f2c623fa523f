//! The service's records and how they are keyed, over one [`Tx`]: with `messages`, the only
//! place that knows the table layout. Everything above speaks accounts, friends, messages.

use serde::Serialize;
use serde::de::DeserializeOwned;
use webim_proto::openim::longpolling::Event;
use webim_proto::{AccountId, AllowType, Gender, Timestamp};

use crate::store::{Direction, KeyRange, StoreError, Table, Tx};

mod attachments;
mod messages;

pub use attachments::{AttachmentRec, PartRec, UPLOAD_LIFETIME_SECS, UploadRec};

pub use messages::{BeforeDelivery, ConvRec, SummaryRec};

/// How many notices a user's clients can catch up on; older ones are dropped.
pub const NOTICES_KEPT: u64 = 256;

/// An account's profile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountRec {
    /// `Tag_Profile_IM_Nick`.
    pub nick: String,
    /// `Tag_Profile_IM_Gender`.
    pub gender: Gender,
    /// `Tag_Profile_IM_AllowType`.
    pub allow_type: AllowType,
    /// `Tag_Profile_IM_Image`.
    #[serde(default)]
    pub image: String,
    /// An operator disabled the account: its requests are refused (70051). Others may
    /// still message it, as they may an account that is away.
    #[serde(default, skip_serializing_if = "is_false")]
    pub disabled: bool,
    /// Credentials issued before this time are refused (70001): a logout, a password
    /// change or the operator's `account revoke` ended them.
    #[serde(default, skip_serializing_if = "is_never")]
    pub sigs_valid_from: Timestamp,
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_never(value: &Timestamp) -> bool {
    value.0 == 0
}

/// A friendship as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FriendRec {
    /// My remark on the friend.
    pub remark: String,
    /// Where the friendship came from.
    pub add_source: String,
    /// The wording of the request that made it.
    pub add_wording: String,
    /// When it was made.
    pub add_time: Timestamp,
}

/// One friend request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PendencyRec {
    /// Who asked.
    pub from: AccountId,
    /// Who was asked.
    pub to: AccountId,
    /// `AddSource`.
    pub add_source: String,
    /// `AddWording`.
    pub add_wording: String,
    /// The requester's remark for the friend-to-be.
    pub remark: String,
    /// When it was asked.
    pub add_time: Timestamp,
}

/// A user's sequences.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counters {
    /// The newest inbox sequence.
    pub inbox: u64,
    /// The newest notice sequence.
    pub notice: u64,
}

/// A user's entry at sequence `seq` (inbox and notices), zero-padded so keys sort by number.
fn inbox_key(user: &AccountId, seq: u64) -> String {
    format!("{user}/{seq:020}")
}

fn pair(a: &AccountId, b: &AccountId) -> String {
    format!("{a}/{b}")
}

/// Which side of a friend request a key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Requests sent to the user.
    In,
    /// Requests the user sent.
    Out,
}

fn pendency_prefix(side: Side, user: &AccountId) -> String {
    match side {
        Side::In => format!("in/{user}/"),
        Side::Out => format!("out/{user}/"),
    }
}

fn pendency_key(side: Side, user: &AccountId, other: &AccountId) -> String {
    format!("{}{other}", pendency_prefix(side, user))
}

/// The last `/`-separated part of a key, as a sequence number.
pub fn seq_of(key: &str) -> Option<u64> {
    key.rsplit('/').next()?.parse().ok()
}

/// The records of one transaction.
#[derive(Debug)]
pub struct Db<'t, T> {
    tx: &'t T,
}

impl<'t, T: Tx> Db<'t, T> {
    /// Typed access over `tx`.
    pub fn new(tx: &'t T) -> Self {
        Self { tx }
    }

    /// The transaction itself, for records kept as plain keys (ended sessions in `Meta`).
    pub fn tx(&self) -> &'t T {
        self.tx
    }

    async fn read<V: DeserializeOwned>(
        &self,
        table: Table,
        key: &str,
    ) -> Result<Option<V>, StoreError> {
        match self.tx.get(table, key).await? {
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| StoreError::new(format!("{} {key}: {e}", table.name()))),
            None => Ok(None),
        }
    }

    async fn write<V: Serialize>(
        &self,
        table: Table,
        key: &str,
        value: &V,
    ) -> Result<(), StoreError> {
        let text = serde_json::to_string(value).map_err(|e| StoreError::new(e.to_string()))?;
        self.tx.put(table, key, &text).await
    }

    /// Every `owner/peer` entry of `table` for `owner`, by peer in id order.
    async fn by_peer<V: DeserializeOwned>(
        &self,
        table: Table,
        owner: &AccountId,
    ) -> Result<Vec<(AccountId, V)>, StoreError> {
        let prefix = format!("{owner}/");
        let all = self
            .scan(
                table,
                &KeyRange::prefix(&prefix),
                Direction::Forward,
                usize::MAX,
            )
            .await?;
        Ok(all
            .into_iter()
            .filter_map(|(k, v)| {
                AccountId::new(k.strip_prefix(&prefix)?)
                    .ok()
                    .map(|id| (id, v))
            })
            .collect())
    }

    async fn scan<V: DeserializeOwned>(
        &self,
        table: Table,
        range: &KeyRange,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<(String, V)>, StoreError> {
        self.tx
            .scan(table, range, direction, limit)
            .await?
            .into_iter()
            .map(|(k, v)| {
                serde_json::from_str(&v)
                    .map(|v| (k.clone(), v))
                    .map_err(|e| StoreError::new(format!("{} {k}: {e}", table.name())))
            })
            .collect()
    }

    // --- meta -------------------------------------------------------------------------

    /// True once the first-run data is in.
    pub async fn is_seeded(&self) -> Result<bool, StoreError> {
        Ok(self.tx.get(Table::Meta, "seeded").await?.is_some())
    }

    /// Marks the first-run data as in.
    pub async fn mark_seeded(&self) -> Result<(), StoreError> {
        self.tx.put(Table::Meta, "seeded", "1").await
    }

    /// Empties every table.
    pub async fn clear_all(&self) -> Result<(), StoreError> {
        for table in Table::ALL {
            self.tx.clear(table).await?;
        }
        Ok(())
    }

    // --- accounts ---------------------------------------------------------------------

    /// An account's profile.
    pub async fn account(&self, id: &AccountId) -> Result<Option<AccountRec>, StoreError> {
        self.read(Table::Accounts, id.as_str()).await
    }

    /// Writes an account's profile.
    pub async fn put_account(&self, id: &AccountId, rec: &AccountRec) -> Result<(), StoreError> {
        self.write(Table::Accounts, id.as_str(), rec).await
    }

    /// Every account id.
    pub async fn account_ids(&self) -> Result<Vec<AccountId>, StoreError> {
        let all = self
            .tx
            .scan(
                Table::Accounts,
                &KeyRange::prefix(""),
                Direction::Forward,
                usize::MAX,
            )
            .await?;
        Ok(all
            .into_iter()
            .filter_map(|(k, _)| AccountId::new(k).ok())
            .collect())
    }

    // --- friends ----------------------------------------------------------------------

    /// `owner`'s friendship with `friend`, if `owner` has them as a friend.
    pub async fn friend(
        &self,
        owner: &AccountId,
        friend: &AccountId,
    ) -> Result<Option<FriendRec>, StoreError> {
        self.read(Table::Friends, &pair(owner, friend)).await
    }

    /// Makes `friend` a friend of `owner` (one direction).
    pub async fn put_friend(
        &self,
        owner: &AccountId,
        friend: &AccountId,
        rec: &FriendRec,
    ) -> Result<(), StoreError> {
        self.write(Table::Friends, &pair(owner, friend), rec).await
    }

    /// Removes `friend` from `owner`'s list; true if they were there.
    pub async fn delete_friend(
        &self,
        owner: &AccountId,
        friend: &AccountId,
    ) -> Result<bool, StoreError> {
        let key = pair(owner, friend);
        let was = self.tx.get(Table::Friends, &key).await?.is_some();
        self.tx.delete(Table::Friends, &key).await?;
        Ok(was)
    }

    /// `owner`'s friends in id order.
    pub async fn friends(
        &self,
        owner: &AccountId,
    ) -> Result<Vec<(AccountId, FriendRec)>, StoreError> {
        self.by_peer(Table::Friends, owner).await
    }

    // --- friend requests --------------------------------------------------------------

    /// The request between `user` and `other` on `user`'s `side`.
    pub async fn pendency(
        &self,
        side: Side,
        user: &AccountId,
        other: &AccountId,
    ) -> Result<Option<PendencyRec>, StoreError> {
        self.read(Table::Pendency, &pendency_key(side, user, other))
            .await
    }

    /// Records a request from `rec.from` to `rec.to` on both sides.
    pub async fn put_pendency(&self, rec: &PendencyRec) -> Result<(), StoreError> {
        self.write(
            Table::Pendency,
            &pendency_key(Side::In, &rec.to, &rec.from),
            rec,
        )
        .await?;
        self.write(
            Table::Pendency,
            &pendency_key(Side::Out, &rec.from, &rec.to),
            rec,
        )
        .await
    }

    /// Drops the request from `from` to `to` on both sides; true if there was one.
    pub async fn delete_pendency(
        &self,
        from: &AccountId,
        to: &AccountId,
    ) -> Result<bool, StoreError> {
        let incoming = pendency_key(Side::In, to, from);
        let was = self.tx.get(Table::Pendency, &incoming).await?.is_some();
        self.tx.delete(Table::Pendency, &incoming).await?;
        self.tx
            .delete(Table::Pendency, &pendency_key(Side::Out, from, to))
            .await?;
        Ok(was)
    }

    /// Every request on `user`'s `side`.
    pub async fn pendencies(
        &self,
        side: Side,
        user: &AccountId,
    ) -> Result<Vec<PendencyRec>, StoreError> {
        let range = KeyRange::prefix(&pendency_prefix(side, user));
        let all = self
            .scan(Table::Pendency, &range, Direction::Forward, usize::MAX)
            .await?;
        Ok(all.into_iter().map(|(_, v)| v).collect())
    }

    // --- blacklist --------------------------------------------------------------------

    /// When `owner` blacklisted `target`, if they did.
    pub async fn blacklisted(
        &self,
        owner: &AccountId,
        target: &AccountId,
    ) -> Result<Option<Timestamp>, StoreError> {
        self.read(Table::Blacklist, &pair(owner, target)).await
    }

    /// True if either of the two blacklists the other.
    pub async fn blocked_between(&self, a: &AccountId, b: &AccountId) -> Result<bool, StoreError> {
        Ok(self.blacklisted(a, b).await?.is_some() || self.blacklisted(b, a).await?.is_some())
    }

    /// `owner` blacklists `target` at `time`.
    pub async fn put_blacklist(
        &self,
        owner: &AccountId,
        target: &AccountId,
        time: Timestamp,
    ) -> Result<(), StoreError> {
        self.write(Table::Blacklist, &pair(owner, target), &time)
            .await
    }

    /// Removes `target` from `owner`'s blacklist.
    pub async fn delete_blacklist(
        &self,
        owner: &AccountId,
        target: &AccountId,
    ) -> Result<(), StoreError> {
        self.tx.delete(Table::Blacklist, &pair(owner, target)).await
    }

    /// `owner`'s blacklist in id order.
    pub async fn blacklist(
        &self,
        owner: &AccountId,
    ) -> Result<Vec<(AccountId, Timestamp)>, StoreError> {
        self.by_peer(Table::Blacklist, owner).await
    }

    // --- sequences and notices --------------------------------------------------------

    /// A user's sequences.
    pub async fn counters(&self, user: &AccountId) -> Result<Counters, StoreError> {
        Ok(self
            .read(Table::Counters, user.as_str())
            .await?
            .unwrap_or_default())
    }

    async fn put_counters(&self, user: &AccountId, c: &Counters) -> Result<(), StoreError> {
        self.write(Table::Counters, user.as_str(), c).await
    }

    /// Adds a notice for `user`'s clients, numbered by `make`'s argument.
    pub async fn notify(
        &self,
        user: &AccountId,
        make: impl FnOnce(u64) -> Event,
    ) -> Result<(), StoreError> {
        let mut counters = self.counters(user).await?;
        counters.notice += 1;
        let seq = counters.notice;
        self.put_counters(user, &counters).await?;
        self.write(Table::Notices, &inbox_key(user, seq), &make(seq))
            .await?;
        if seq > NOTICES_KEPT {
            self.tx
                .delete(Table::Notices, &inbox_key(user, seq - NOTICES_KEPT))
                .await?;
        }
        Ok(())
    }

    /// Up to `limit` notices of `user` after sequence `after`, oldest first.
    pub async fn notices_after(
        &self,
        user: &AccountId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<Event>, StoreError> {
        let range = KeyRange::prefix_after(&format!("{user}/"), &inbox_key(user, after));
        Ok(self
            .scan(Table::Notices, &range, Direction::Forward, limit)
            .await?
            .into_iter()
            .map(|(_, v)| v)
            .collect())
    }
}
