//! `webim.Session`: one conversation with its messages, unread count and auto-read flag
//! (docs/sdk.md, "Sessions and unread"). The rules for adding a message live here so
//! `MsgStore` stays about sessions as a whole.

use webim_proto::{AccountId, MsgSeq, Timestamp};

use crate::msg::{Msg, MsgKey};

/// webim.js `SESSION_TYPE`. WebIM 1.0 has only one-to-one conversations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SessionType {
    /// `C2C`: a conversation with one other account.
    C2c,
}

impl SessionType {
    /// The type's name, as in webim.js (`"C2C"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::C2c => "C2C",
        }
    }
}

/// webim.js `Session.skey(type, id)`: what identifies a session in `MsgStore`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionKey {
    /// The session's type.
    pub kind: SessionType,
    /// The peer.
    pub id: AccountId,
}

impl SessionKey {
    /// webim.js `Session.skey(SESSION_TYPE.C2C, peer)`.
    pub fn c2c(peer: AccountId) -> Self {
        Self {
            kind: SessionType::C2c,
            id: peer,
        }
    }
}

impl std::fmt::Display for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.kind.as_str(), self.id)
    }
}

/// `webim.Session`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    key: SessionKey,
    name: String,
    icon: String,
    unread: u32,
    is_auto_read: bool,
    time: Timestamp,
    cur_max_msg_seq: MsgSeq,
    msgs: Vec<Msg>,
}

impl Session {
    /// webim.js `new Session(type, id, name, icon, time, seq)`.
    pub fn new(
        kind: SessionType,
        id: AccountId,
        name: impl Into<String>,
        icon: impl Into<String>,
        time: Timestamp,
        seq: MsgSeq,
    ) -> Self {
        Self {
            key: SessionKey { kind, id },
            name: name.into(),
            icon: icon.into(),
            unread: 0,
            is_auto_read: false,
            time,
            cur_max_msg_seq: seq,
            msgs: Vec::new(),
        }
    }

    /// A new, empty C2C session named after the peer (what webim.js creates on sync).
    pub fn c2c(peer: AccountId) -> Self {
        let name = peer.to_string();
        Self::new(SessionType::C2c, peer, name, "", Timestamp(0), MsgSeq(0))
    }

    /// webim.js `Session.type()`.
    pub fn kind(&self) -> SessionType {
        self.key.kind
    }

    /// webim.js `Session.id()`: the peer.
    pub fn id(&self) -> &AccountId {
        &self.key.id
    }

    /// webim.js `Session.skey()`: the session's key.
    pub fn key(&self) -> &SessionKey {
        &self.key
    }

    /// webim.js `Session.name()`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// webim.js `Session.icon()`.
    pub fn icon(&self) -> &str {
        &self.icon
    }

    /// webim.js `Session.unread()`: received messages not yet read.
    pub fn unread(&self) -> u32 {
        self.unread
    }

    /// webim.js `Session._impl.isAutoRead`: whether the session is marked auto-read.
    pub fn is_auto_read(&self) -> bool {
        self.is_auto_read
    }

    /// webim.js `Session.time()`: the newest message's time, sent or received.
    pub fn time(&self) -> Timestamp {
        self.time
    }

    /// webim.js `Session.curMaxMsgSeq()`: the largest `MsgSeq` seen, sent or received.
    pub fn cur_max_msg_seq(&self) -> MsgSeq {
        self.cur_max_msg_seq
    }

    /// webim.js `Session.msgCount()`.
    pub fn msg_count(&self) -> usize {
        self.msgs.len()
    }

    /// webim.js `Session.msg(i)`: the i-th message, oldest first.
    pub fn msg(&self, i: usize) -> Option<&Msg> {
        self.msgs.get(i)
    }

    /// webim.js `Session._impl.msgs`: all messages, oldest first.
    pub fn msgs(&self) -> &[Msg] {
        &self.msgs
    }

    /// The message with this key, if the session holds it (webim.js searched `msgs`).
    pub fn msg_by_key(&self, key: &MsgKey) -> Option<&Msg> {
        self.msgs.iter().rev().find(|m| m.key() == *key)
    }

    pub(crate) fn msg_by_key_mut(&mut self, key: &MsgKey) -> Option<&mut Msg> {
        self.msgs.iter_mut().rev().find(|m| m.key() == *key)
    }

    /// Appends a new message (webim.js `_impl_addMsg`): time and seq track the maximum of
    /// sent and received; unread counts received messages while auto-read is off.
    pub(crate) fn push(&mut self, msg: Msg) {
        self.note(&msg);
        self.msgs.push(msg);
    }

    /// Inserts an older message (from history) where its time puts it, before any message
    /// of the same second already held.
    pub(crate) fn insert_older(&mut self, msg: Msg) {
        self.time = self.time.max(msg.time());
        self.cur_max_msg_seq = self.cur_max_msg_seq.max(msg.seq());
        let at = self.msgs.partition_point(|held| held.time() < msg.time());
        self.msgs.insert(at, msg);
    }

    fn note(&mut self, msg: &Msg) {
        self.time = self.time.max(msg.time());
        self.cur_max_msg_seq = self.cur_max_msg_seq.max(msg.seq());
        if !msg.is_send() && !self.is_auto_read {
            self.unread += 1;
        }
    }

    pub(crate) fn set_msg_time(&mut self, key: &MsgKey, time: Timestamp) {
        if let Some(msg) = self.msg_by_key_mut(key) {
            msg.set_time(time);
            self.time = self.time.max(time);
        }
    }

    pub(crate) fn set_auto_read(&mut self, on: bool) {
        self.is_auto_read = on;
        if on {
            self.unread = 0;
        }
    }

    pub(crate) fn set_unread(&mut self, unread: u32) {
        self.unread = unread;
    }

    /// Received messages newer than `time` (what is unread after a read report at `time`).
    pub(crate) fn received_after(&self, time: Timestamp) -> u32 {
        let n = self
            .msgs
            .iter()
            .filter(|m| !m.is_send() && m.time() > time)
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}
