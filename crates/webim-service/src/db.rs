//! The service's records and how they are keyed, over one [`Tx`]: the only module that
//! knows the table layout. Everything above speaks accounts, friends, messages.

use futures_util::future::join4;
use serde::Serialize;
use serde::de::DeserializeOwned;
use webim_proto::openim::longpolling::Event;
use webim_proto::{AccountId, AllowType, C2cMsg, Gender, MsgRandom, MsgSeq, Timestamp};

use crate::store::{Direction, KeyRange, StoreError, Table, Tx};

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

/// A message's place in one side's conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConvRec {
    /// The message's time.
    pub time: Timestamp,
    /// True if this side received it (false: this side sent it).
    pub received: bool,
}

/// One side's summary of a conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SummaryRec {
    /// Inbox sequence of the newest message.
    pub last_seq: u64,
    /// Received messages after the read position.
    pub unread: u32,
    /// Inbox sequence of the oldest unread message (meaningful when `unread > 0`).
    pub first_unread_seq: u64,
    /// Everything up to this time is read.
    pub read_time: Timestamp,
}

/// What a delivery reads before it writes: the sender's and the recipient's counters and
/// conversation summaries.
#[derive(Debug, Clone)]
pub struct BeforeDelivery {
    sender: (Counters, SummaryRec),
    recipient: (Counters, SummaryRec),
}

/// A user's sequences.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counters {
    /// The newest inbox sequence.
    pub inbox: u64,
    /// The newest notice sequence.
    pub notice: u64,
}

fn inbox_key(user: &AccountId, seq: u64) -> String {
    format!("{user}/{seq:020}")
}

fn conv_prefix(user: &AccountId, peer: &AccountId) -> String {
    format!("{user}/{peer}/")
}

fn conv_key(user: &AccountId, peer: &AccountId, seq: u64) -> String {
    format!("{user}/{peer}/{seq:020}")
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

    async fn read<V: DeserializeOwned>(
        &self,
        table: Table,
        key: &str,
    ) -> Result<Option<V>, StoreError> {
        match self.tx.get(table, key).await? {
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| StoreError(format!("{} {key}: {e}", table.name()))),
            None => Ok(None),
        }
    }

    async fn write<V: Serialize>(
        &self,
        table: Table,
        key: &str,
        value: &V,
    ) -> Result<(), StoreError> {
        let text = serde_json::to_string(value).map_err(|e| StoreError(e.to_string()))?;
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
                    .map_err(|e| StoreError(format!("{} {k}: {e}", table.name())))
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

    // --- messages ---------------------------------------------------------------------

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

    /// When a message with this identity was accepted, if it was.
    pub async fn accepted(
        &self,
        from: &AccountId,
        seq: MsgSeq,
        random: MsgRandom,
    ) -> Result<Option<Timestamp>, StoreError> {
        self.read(Table::Dedup, &format!("{from}/{}/{}", seq.0, random.0))
            .await
    }

    /// Remembers a message's identity.
    pub async fn mark_accepted(&self, msg: &C2cMsg) -> Result<(), StoreError> {
        let key = format!(
            "{}/{}/{}",
            msg.from_account, msg.msg_seq.0, msg.msg_random.0
        );
        self.write(Table::Dedup, &key, &msg.msg_time_stamp).await
    }

    /// Puts `msg` in its sender's and its recipient's inboxes.
    pub async fn deliver(&self, msg: &C2cMsg) -> Result<(), StoreError> {
        let found = self.before_delivery(msg).await?;
        self.deliver_over(msg, found).await
    }

    /// Reads the four records a delivery of `msg` updates, at once: a backend whose every
    /// read is a round trip (IndexedDB) pays for one, not four. A caller may start this
    /// beside its own checks and hand the result to [`Db::deliver_over`].
    pub async fn before_delivery(&self, msg: &C2cMsg) -> Result<BeforeDelivery, StoreError> {
        let (from, to) = (&msg.from_account, &msg.to_account);
        let (sent_counters, sent_summary, got_counters, got_summary) = join4(
            self.counters(from),
            self.summary(from, to),
            self.counters(to),
            self.summary(to, from),
        )
        .await;
        Ok(BeforeDelivery {
            sender: (sent_counters?, sent_summary?),
            recipient: (got_counters?, got_summary?),
        })
    }

    /// Delivers `msg` over what [`Db::before_delivery`] read in this transaction.
    pub async fn deliver_over(
        &self,
        msg: &C2cMsg,
        found: BeforeDelivery,
    ) -> Result<(), StoreError> {
        let (from, to) = (&msg.from_account, &msg.to_account);
        let (counters, summary) = found.sender;
        self.file(from, to, msg, false, counters, summary).await?;
        let (counters, summary) = found.recipient;
        self.file(to, from, msg, true, counters, summary).await
    }

    /// Files `msg` at `user`'s next inbox sequence, in the conversation with `peer`.
    async fn file(
        &self,
        user: &AccountId,
        peer: &AccountId,
        msg: &C2cMsg,
        received: bool,
        mut counters: Counters,
        mut summary: SummaryRec,
    ) -> Result<(), StoreError> {
        counters.inbox += 1;
        let seq = counters.inbox;
        self.put_counters(user, &counters).await?;
        self.write(Table::Inbox, &inbox_key(user, seq), msg).await?;
        let conv = ConvRec {
            time: msg.msg_time_stamp,
            received,
        };
        self.write(Table::Conversations, &conv_key(user, peer, seq), &conv)
            .await?;
        summary.last_seq = seq;
        if received {
            if summary.unread == 0 {
                summary.first_unread_seq = seq;
            }
            summary.unread += 1;
        }
        self.put_summary(user, peer, &summary).await
    }

    /// The message at `user`'s inbox sequence `seq`.
    pub async fn inbox_msg(
        &self,
        user: &AccountId,
        seq: u64,
    ) -> Result<Option<C2cMsg>, StoreError> {
        self.read(Table::Inbox, &inbox_key(user, seq)).await
    }

    /// Up to `limit` inbox messages of `user` after sequence `after`, oldest first.
    pub async fn inbox_after(
        &self,
        user: &AccountId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<(u64, C2cMsg)>, StoreError> {
        let range = KeyRange::prefix_after(&format!("{user}/"), &inbox_key(user, after));
        let all = self
            .scan(Table::Inbox, &range, Direction::Forward, limit)
            .await?;
        Ok(all
            .into_iter()
            .filter_map(|(k, v)| Some((seq_of(&k)?, v)))
            .collect())
    }

    /// A conversation's entries before inbox sequence `before` (all if `None`), newest
    /// first, at most `limit`.
    pub async fn conversation_before(
        &self,
        user: &AccountId,
        peer: &AccountId,
        before: Option<u64>,
        limit: usize,
    ) -> Result<Vec<(u64, ConvRec)>, StoreError> {
        let prefix = conv_prefix(user, peer);
        let range = match before {
            Some(seq) => KeyRange::prefix_before(&prefix, &conv_key(user, peer, seq)),
            None => KeyRange::prefix(&prefix),
        };
        let all = self
            .scan(Table::Conversations, &range, Direction::Reverse, limit)
            .await?;
        Ok(all
            .into_iter()
            .filter_map(|(k, v)| Some((seq_of(&k)?, v)))
            .collect())
    }

    /// `user`'s summary of the conversation with `peer`.
    pub async fn summary(
        &self,
        user: &AccountId,
        peer: &AccountId,
    ) -> Result<SummaryRec, StoreError> {
        Ok(self
            .read(Table::Summaries, &pair(user, peer))
            .await?
            .unwrap_or_default())
    }

    /// Writes `user`'s summary of the conversation with `peer`.
    pub async fn put_summary(
        &self,
        user: &AccountId,
        peer: &AccountId,
        s: &SummaryRec,
    ) -> Result<(), StoreError> {
        self.write(Table::Summaries, &pair(user, peer), s).await
    }

    /// Every conversation summary of `user`, by peer.
    pub async fn summaries(
        &self,
        user: &AccountId,
    ) -> Result<Vec<(AccountId, SummaryRec)>, StoreError> {
        self.by_peer(Table::Summaries, user).await
    }

    // --- notices ----------------------------------------------------------------------

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
