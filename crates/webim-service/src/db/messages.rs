//! The message records: each side's inbox, its per-conversation index and summaries, and
//! the delivery that writes them together.

use futures_util::future::join4;
use webim_proto::{AccountId, C2cMsg, MsgRandom, MsgSeq, Timestamp};

use super::{Counters, Db, inbox_key, pair, seq_of};
use crate::store::{Direction, KeyRange, StoreError, Table, Tx};

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

fn conv_prefix(user: &AccountId, peer: &AccountId) -> String {
    format!("{user}/{peer}/")
}

fn conv_key(user: &AccountId, peer: &AccountId, seq: u64) -> String {
    format!("{user}/{peer}/{seq:020}")
}

impl<T: Tx> Db<'_, T> {
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
        self.conversation(&range, Direction::Reverse, limit).await
    }

    /// A conversation's entries from inbox sequence `from` on (itself included), oldest
    /// first, at most `limit`.
    pub async fn conversation_from(
        &self,
        user: &AccountId,
        peer: &AccountId,
        from: u64,
        limit: usize,
    ) -> Result<Vec<(u64, ConvRec)>, StoreError> {
        let prefix = conv_prefix(user, peer);
        let range = match from.checked_sub(1) {
            Some(after) => KeyRange::prefix_after(&prefix, &conv_key(user, peer, after)),
            None => KeyRange::prefix(&prefix),
        };
        self.conversation(&range, Direction::Forward, limit).await
    }

    /// Up to `limit` conversation entries in `range`, with their inbox sequences.
    async fn conversation(
        &self,
        range: &KeyRange,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<(u64, ConvRec)>, StoreError> {
        let all = self
            .scan(Table::Conversations, range, direction, limit)
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
}
