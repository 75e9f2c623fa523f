//! `webim.MsgStore`: every session and message the SDK holds, the de-duplication memory
//! (`msgCache`), the sync position (`cookie`, `syncFlag`) and the session timeline
//! (docs/sdk.md, "Sessions and unread"). Pure state: the client feeds it decoded messages.

use std::collections::{BTreeMap, BTreeSet};

use webim_proto::openim::getmsg::SyncFlag;
use webim_proto::{AccountId, Timestamp};

use crate::dedup::{DedupKey, Seen};
use crate::msg::{Msg, MsgKey, SendStatus};
use crate::session::{Session, SessionKey, SessionType};

fn dedup_key(msg: &Msg) -> DedupKey {
    (msg.is_send(), msg.seq().0, msg.random().0)
}

/// `webim.MsgStore`.
#[derive(Debug, Clone, Default)]
pub struct MsgStore {
    sessions: BTreeMap<SessionKey, Session>,
    timeline: Vec<SessionKey>,
    seen: BTreeMap<SessionKey, Seen>,
    cookie: String,
    sync_flag: SyncFlag,
    /// Sessions set to auto-read before they held a message. webim.js kept the flag on the
    /// caller's `Session` object, which the store never saw, so the first message of a new
    /// conversation counted unread while it was on screen; here the flag waits for it.
    auto_read_ahead: BTreeSet<SessionKey>,
}

impl MsgStore {
    /// webim.js `MsgStore.sessMap()`: every session by key (not time-ordered).
    pub fn sess_map(&self) -> &BTreeMap<SessionKey, Session> {
        &self.sessions
    }

    /// webim.js `MsgStore.sessCount()`: the number of sessions as of the last timeline
    /// update (after a sync that brought messages, or a send). As in webim.js,
    /// [`MsgStore::del_sess_by_type_id`] does not refresh it.
    pub fn sess_count(&self) -> usize {
        self.timeline.len()
    }

    /// webim.js `MsgStore.sessByTypeId(type, id)`.
    pub fn sess_by_type_id(&self, kind: SessionType, id: &AccountId) -> Option<&Session> {
        self.sessions.get(&SessionKey {
            kind,
            id: id.clone(),
        })
    }

    /// webim.js `MsgStore.delSessByTypeId(type, id)`: forgets the session and its
    /// de-duplication memory, so the same messages pulled again are added again (and
    /// count as unread). Returns whether there was such a session. Sends nothing.
    pub fn del_sess_by_type_id(&mut self, kind: SessionType, id: &AccountId) -> bool {
        let key = SessionKey {
            kind,
            id: id.clone(),
        };
        self.seen.remove(&key);
        self.sessions.remove(&key).is_some()
    }

    /// webim.js `MsgStore.resetCookieAndSyncFlag()`: the next `syncMsgs` starts afresh.
    pub fn reset_cookie_and_sync_flag(&mut self) {
        self.cookie.clear();
        self.sync_flag = SyncFlag::Start;
    }

    /// The sessions newest first (webim.js kept this `sessTimeline` private). Sessions
    /// deleted since the last update are skipped.
    pub fn sessions_newest_first(&self) -> impl Iterator<Item = &Session> {
        self.timeline
            .iter()
            .filter_map(|key| self.sessions.get(key))
    }

    /// The sum of every session's unread count (the demo summed `Session.unread()` itself).
    pub fn total_unread(&self) -> u32 {
        self.sessions
            .values()
            .map(Session::unread)
            .fold(0, u32::saturating_add)
    }

    /// webim.js `MsgStore.cookie`: where the last pull ended.
    pub fn cookie(&self) -> &str {
        &self.cookie
    }

    /// webim.js `MsgStore.syncFlag`.
    pub fn sync_flag(&self) -> SyncFlag {
        self.sync_flag
    }

    pub(crate) fn set_position(&mut self, cookie: String, sync_flag: SyncFlag) {
        self.cookie = cookie;
        self.sync_flag = sync_flag;
    }

    /// webim.js `MsgStore.addMsg(msg)`: adds a new message at the end of its session
    /// (creating the session), or returns false for a duplicate.
    pub fn add_msg(&mut self, msg: Msg) -> bool {
        if !self.remember(&msg) {
            return false;
        }
        self.session_mut(msg.session()).push(msg);
        true
    }

    /// webim.js `MsgStore.addMsg` for history (1.7): adds an older message in time order, or
    /// returns false for a duplicate.
    pub fn add_older_msg(&mut self, msg: Msg) -> bool {
        if !self.remember(&msg) {
            return false;
        }
        self.session_mut(msg.session()).insert_older(msg);
        true
    }

    /// webim.js `updateTimeline()`: sorts the sessions newest first.
    pub fn update_timeline(&mut self) {
        let mut keys: Vec<(&SessionKey, &Session)> = self.sessions.iter().collect();
        keys.sort_by(|a, b| b.1.time().cmp(&a.1.time()).then_with(|| a.0.cmp(b.0)));
        self.timeline = keys.into_iter().map(|(k, _)| k.clone()).collect();
    }

    /// webim.js `MsgStore.sessMap()[skey]`: the session with this key, if held.
    pub fn session(&self, key: &SessionKey) -> Option<&Session> {
        self.sessions.get(key)
    }

    pub(crate) fn session_mut(&mut self, key: &SessionKey) -> &mut Session {
        let ahead = &mut self.auto_read_ahead;
        self.sessions.entry(key.clone()).or_insert_with(|| {
            let mut session = Session::c2c(key.id.clone());
            session.set_auto_read(ahead.remove(key));
            session
        })
    }

    /// Sets the auto-read flag of the session `key`, held or not yet held.
    pub(crate) fn set_auto_read(&mut self, key: &SessionKey, on: bool) -> Option<&Session> {
        match self.sessions.get_mut(key) {
            Some(session) => {
                session.set_auto_read(on);
                Some(session)
            }
            None => {
                if on {
                    self.auto_read_ahead.insert(key.clone());
                } else {
                    self.auto_read_ahead.remove(key);
                }
                None
            }
        }
    }

    /// Turns every session's auto-read flag off, held or not yet held.
    pub(crate) fn clear_auto_read(&mut self) {
        self.auto_read_ahead.clear();
        for session in self.sessions.values_mut() {
            session.set_auto_read(false);
        }
    }

    pub(crate) fn existing_session_mut(&mut self, key: &SessionKey) -> Option<&mut Session> {
        self.sessions.get_mut(key)
    }

    pub(crate) fn sessions_mut(&mut self) -> impl Iterator<Item = &mut Session> {
        self.sessions.values_mut()
    }

    /// Sets a held message's status; returns whether it was found.
    pub(crate) fn set_status(
        &mut self,
        session: &SessionKey,
        key: &MsgKey,
        status: SendStatus,
    ) -> bool {
        let Some(msg) = self
            .sessions
            .get_mut(session)
            .and_then(|s| s.msg_by_key_mut(key))
        else {
            return false;
        };
        msg.set_status(status);
        true
    }

    /// Moves a held message to the time the service gave it (its session's time follows).
    pub(crate) fn set_msg_time(&mut self, session: &SessionKey, key: &MsgKey, time: Timestamp) {
        if let Some(sess) = self.sessions.get_mut(session) {
            sess.set_msg_time(key, time);
        }
    }

    pub(crate) fn msg_mut(&mut self, session: &SessionKey, key: &MsgKey) -> Option<&mut Msg> {
        self.sessions
            .get_mut(session)
            .and_then(|s| s.msg_by_key_mut(key))
    }

    fn remember(&mut self, msg: &Msg) -> bool {
        let key = dedup_key(msg);
        match self.seen.get_mut(msg.session()) {
            Some(seen) => seen.insert(key),
            None => {
                let mut seen = Seen::default();
                seen.insert(key);
                self.seen.insert(msg.session().clone(), seen);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use webim_proto::{MsgRandom, MsgSeq};

    use super::*;
    use crate::msg::Text;

    fn id(s: &str) -> AccountId {
        AccountId::new(s).unwrap()
    }

    fn received(from: &str, seq: u64, time: u64) -> Msg {
        let mut msg = Msg::new(
            SessionKey::c2c(id(from)),
            false,
            MsgSeq(seq),
            MsgRandom(7),
            Timestamp(time),
            id(from),
        );
        msg.add_text(Text::new(format!("m{seq}")));
        msg
    }

    #[test]
    fn test_a_message_seen_twice_is_stored_once() {
        let mut store = MsgStore::default();
        assert!(store.add_msg(received("peakerdong", 1, 100)));
        assert!(!store.add_msg(received("peakerdong", 1, 100)));
        let sess = store
            .sess_by_type_id(SessionType::C2c, &id("peakerdong"))
            .unwrap();
        assert_eq!(sess.msg_count(), 1);
        assert_eq!(sess.unread(), 1);
    }

    #[test]
    fn test_same_seq_and_random_in_other_direction_is_another_message() {
        let mut store = MsgStore::default();
        let mine = Msg::new(
            SessionKey::c2c(id("peakerdong")),
            true,
            MsgSeq(1),
            MsgRandom(7),
            Timestamp(100),
            id("qiyueluhuo2016"),
        );
        assert!(store.add_msg(received("peakerdong", 1, 100)));
        assert!(store.add_msg(mine));
    }

    #[test]
    fn test_del_sess_forgets_messages_so_a_repull_adds_them_again() {
        let mut store = MsgStore::default();
        store.add_msg(received("peakerdong", 1, 100));
        store.update_timeline();
        assert!(store.del_sess_by_type_id(SessionType::C2c, &id("peakerdong")));
        assert!(!store.del_sess_by_type_id(SessionType::C2c, &id("peakerdong")));
        assert!(
            store
                .sess_by_type_id(SessionType::C2c, &id("peakerdong"))
                .is_none()
        );
        assert_eq!(
            store.sess_count(),
            1,
            "sessCount is stale until the next timeline update"
        );
        assert_eq!(store.sessions_newest_first().count(), 0);
        assert!(
            store.add_msg(received("peakerdong", 1, 100)),
            "re-added as new"
        );
        let sess = store
            .sess_by_type_id(SessionType::C2c, &id("peakerdong"))
            .unwrap();
        assert_eq!(sess.unread(), 1, "and counted unread again");
    }

    #[test]
    fn test_timeline_is_newest_first_and_sess_count_follows_updates() {
        let mut store = MsgStore::default();
        store.add_msg(received("peakerdong", 1, 100));
        store.add_msg(received("qiyueluhuo2017", 1, 300));
        store.add_msg(received("qiyueluhuo2018", 1, 200));
        assert_eq!(store.sess_count(), 0, "no timeline update yet");
        store.update_timeline();
        let order: Vec<&str> = store
            .sessions_newest_first()
            .map(|s| s.id().as_str())
            .collect();
        assert_eq!(order, ["qiyueluhuo2017", "qiyueluhuo2018", "peakerdong"]);
        assert_eq!(store.sess_count(), 3);
    }

    #[test]
    fn test_reset_cookie_and_sync_flag_clears_only_the_position() {
        let mut store = MsgStore::default();
        store.add_msg(received("peakerdong", 1, 100));
        store.set_position("c:1".to_owned(), SyncFlag::Done);
        store.reset_cookie_and_sync_flag();
        assert_eq!(store.cookie(), "");
        assert_eq!(store.sync_flag(), SyncFlag::Start);
        assert_eq!(store.sess_map().len(), 1);
    }

    #[test]
    fn test_older_messages_go_before_newer_ones() {
        let mut store = MsgStore::default();
        store.add_msg(received("peakerdong", 5, 500));
        store.add_older_msg(received("peakerdong", 3, 300));
        store.add_older_msg(received("peakerdong", 4, 400));
        assert!(!store.add_older_msg(received("peakerdong", 5, 500)));
        let sess = store
            .sess_by_type_id(SessionType::C2c, &id("peakerdong"))
            .unwrap();
        let seqs: Vec<u64> = sess.msgs().iter().map(|m| m.seq().0).collect();
        assert_eq!(seqs, [3, 4, 5]);
    }
}
