//! Receiving: `syncMsgs` (the continue-pulling loop), the long-poll loop that triggers it,
//! and unread bookkeeping with `setAutoRead` (docs/sdk.md, "Receiving" and "Sessions and
//! unread").

use webim_proto::openim::getmsg::{self, SyncFlag, UnreadItem};
use webim_proto::openim::longpolling::{self, Event, EventKind};
use webim_proto::openim::msgreaded::{self, C2cMsgReaded, C2cMsgReadedItem};
use webim_proto::{C2cMsg, ErrorCode, Timestamp};

use super::Client;
use crate::error::Result;
use crate::event::SdkEvent;
use crate::msg::Msg;
use crate::session::SessionKey;
use crate::transport::{Env, Transport};

/// Seconds a long poll may wait (webim.js 1.7 used 60).
pub const LONG_POLL_TIMEOUT_SECS: u32 = 60;
/// webim.js `WEB_IM_LONG_POLLING_MAX_RET_ERROR_COUNT`: consecutive 60003 errors that stop
/// the long-poll loop.
pub const MAX_LONG_POLL_ERRORS: u32 = 15;
/// The longest pause between failing long polls, in milliseconds (webim.js re-polled at once
/// forever; a modern client backs off).
pub const MAX_RETRY_DELAY_MS: u32 = 30_000;

impl<T: Transport, E: Env> Client<T, E> {
    /// webim.js `syncMsgs(cbOk, cbErr)`: pulls every new C2C message, repeating `getmsg`
    /// while `SyncFlag` is 1 with the returned `Cookie`, and returns the new messages of the
    /// whole pull at once (what webim.js passed to `cbOk`). Messages already held are
    /// dropped. This call does not notify the listener; the long-poll loop does.
    pub async fn sync_msgs(&self) -> Result<Vec<Msg>> {
        let mut cookie = self.state.borrow().store.cookie().to_owned();
        let fresh = cookie.is_empty();
        let mut flag = SyncFlag::Start;
        let mut pulled: Vec<C2cMsg> = Vec::new();
        let mut unread: Option<Vec<UnreadItem>> = None;
        loop {
            let page = self
                .call(&getmsg::Request {
                    cookie,
                    sync_flag: flag,
                })
                .await?;
            if unread.is_none() && fresh {
                unread = Some(page.unread_list);
            }
            pulled.extend(page.msg_list);
            cookie = page.cookie;
            flag = page.sync_flag;
            if flag != SyncFlag::More {
                break;
            }
        }
        Ok(self.merge_pulled(pulled, cookie, flag, unread))
    }

    /// Adds a finished pull to the store; returns the messages that were new.
    fn merge_pulled(
        &self,
        pulled: Vec<C2cMsg>,
        cookie: String,
        flag: SyncFlag,
        unread: Option<Vec<UnreadItem>>,
    ) -> Vec<Msg> {
        let mut state = self.state.borrow_mut();
        let Some(me) = state.login.as_ref().map(|l| l.identifier.clone()) else {
            return Vec::new();
        };
        let mut fresh = Vec::new();
        for wire in pulled {
            let msg = Msg::from_wire(wire, &me);
            if msg.is_send() {
                // Keep this client's numbering ahead of what it sent before a reload.
                state.last_seq = state.last_seq.max(msg.seq().0);
            }
            let key = (msg.session().clone(), msg.key());
            if state.store.add_msg(msg) {
                fresh.extend(
                    state
                        .store
                        .session(&key.0)
                        .and_then(|s| s.msg_by_key(&key.1))
                        .cloned(),
                );
            }
        }
        if let Some(counts) = unread {
            // A sync from an empty cookie: the service's read positions are the truth.
            for session in state.store.sessions_mut() {
                let count = counts
                    .iter()
                    .find(|c| &c.peer_account == session.id())
                    .map_or(0, |c| c.unread_count);
                session.set_unread(if session.is_auto_read() { 0 } else { count });
            }
        }
        if !fresh.is_empty() {
            state.store.update_timeline();
        }
        // webim.js: a finished pull (2) leaves SyncFlag 0 for the next one.
        let next_flag = if flag == SyncFlag::Done {
            SyncFlag::Start
        } else {
            flag
        };
        state.store.set_position(cookie, next_flag);
        fresh
    }

    /// Pulls and, if anything is new, tells the listener (`onMsgNotify`).
    async fn sync_and_notify(&self) -> Result<()> {
        let fresh = self.sync_msgs().await?;
        if !fresh.is_empty() {
            self.emit(SdkEvent::MsgNotify(fresh));
        }
        Ok(())
    }

    /// Keeps receiving until logout: long-polls, pulls on new messages, passes notices on.
    /// After a failure it polls again at once, then waits longer each time (up to 30 s).
    /// Returns `Ok` at logout, or the error after 15 consecutive 60003 answers (webim.js's
    /// limit).
    pub async fn run(&self) -> Result<()> {
        let Ok((_, generation)) = self.session_login() else {
            return Ok(());
        };
        let mut failures: u32 = 0;
        loop {
            if self.state.borrow().generation != generation {
                return Ok(());
            }
            match self.poll_once().await {
                Ok(()) => {
                    failures = 0;
                    self.state.borrow_mut().poll_errors = 0;
                }
                Err(e) if e.code == ErrorCode::NotLoggedIn => return Ok(()),
                Err(e) => {
                    if e.code == ErrorCode::JsonBodyParse {
                        let mut state = self.state.borrow_mut();
                        state.poll_errors += 1;
                        if state.poll_errors >= MAX_LONG_POLL_ERRORS {
                            return Err(e);
                        }
                    }
                    let delay = backoff_ms(failures, self.env.random_u32());
                    failures = failures.saturating_add(1);
                    if delay > 0 {
                        self.pause(delay).await;
                    }
                }
            }
        }
    }

    /// One long poll (webim.js `longPolling`), and whatever its events call for.
    pub async fn poll_once(&self) -> Result<()> {
        let cookie = self.state.borrow().poll_cookie.clone();
        let request = longpolling::Request {
            timeout: LONG_POLL_TIMEOUT_SECS,
            cookie,
        };
        let answer = self.call(&request).await?;
        let seen_notify = self.state.borrow().poll_cookie.notify_seq;
        let went_back = {
            let mut state = self.state.borrow_mut();
            let seen = state.poll_cookie.clone();
            let went_back = answer.cookie.notify_seq < seen.notify_seq
                || answer.cookie.notice_seq < seen.notice_seq;
            if went_back {
                // The service's data was reset: what this client holds no longer exists.
                state.store = crate::msg_store::MsgStore::default();
                state.history.clear();
                state.poll_cookie = answer.cookie;
            } else {
                state.poll_cookie.notify_seq = seen.notify_seq.max(answer.cookie.notify_seq);
                state.poll_cookie.notice_seq = seen.notice_seq.max(answer.cookie.notice_seq);
            }
            went_back
        };
        if went_back {
            self.emit(SdkEvent::Reset);
        }
        let mut pull = false;
        for event in answer.event_array {
            match event.event {
                EventKind::C2c => pull = true,
                _ => self.apply_notice(event),
            }
        }
        if !pull {
            return Ok(());
        }
        let pulled = self.sync_and_notify().await;
        if pulled.is_err() && !went_back {
            // The pull failed: the next poll must report these messages again, or they
            // would wait for the next event to be fetched.
            let mut state = self.state.borrow_mut();
            state.poll_cookie.notify_seq = state.poll_cookie.notify_seq.min(seen_notify);
        }
        pulled
    }

    fn apply_notice(&self, event: Event) {
        if let Some(notice) = event.friend_notice {
            self.emit(SdkEvent::RelationshipChanged {
                kind: notice.push_type,
                accounts: notice.accounts,
            });
        }
        if let Some(notice) = event.profile_notice {
            self.emit(SdkEvent::ProfileChanged(notice.account));
        }
        if let Some(read) = event.c2c_readed {
            let key = SessionKey::c2c(read.peer_account);
            let changed = {
                let mut state = self.state.borrow_mut();
                match state.store.existing_session_mut(&key) {
                    Some(session) => {
                        let unread = if session.is_auto_read() {
                            0
                        } else {
                            session.received_after(read.lasted_msg_time)
                        };
                        let changed = unread != session.unread();
                        session.set_unread(unread);
                        changed
                    }
                    None => false,
                }
            };
            if changed {
                self.emit(SdkEvent::UnreadChanged(key));
            }
        }
    }

    /// webim.js `setAutoRead(selSess, isOn, isResetAll)`: `is_reset_all` clears every
    /// session's auto-read flag first; then `session`'s flag becomes `is_on`, and when on,
    /// its unread count drops to 0 and a read report (`openim/msgreaded`, `LastedMsgTime` =
    /// the session's `time()`) goes to the service, which tells this account's other
    /// clients. While a session is auto-read, new messages do not count as unread.
    pub async fn set_auto_read(
        &self,
        session: Option<&SessionKey>,
        is_on: bool,
        is_reset_all: bool,
    ) -> Result<()> {
        self.session_login()?;
        let report = {
            let mut state = self.state.borrow_mut();
            if is_reset_all {
                state.store.clear_auto_read();
            }
            let cookie = state.store.cookie().to_owned();
            session
                .and_then(|key| state.store.set_auto_read(key, is_on))
                .and_then(|s| {
                    (is_on && s.time() > Timestamp(0)).then(|| msgreaded::Request {
                        c2c_msg_readed: C2cMsgReaded {
                            cookie,
                            items: vec![C2cMsgReadedItem {
                                to_account: s.id().clone(),
                                lasted_msg_time: s.time(),
                            }],
                        },
                    })
                })
        };
        if let (Some(key), true) = (session, is_on) {
            self.emit(SdkEvent::UnreadChanged(key.clone()));
        }
        match report {
            Some(report) => self.call(&report).await.map(|_| ()),
            None => Ok(()),
        }
    }
}

/// The pause before trying again after `failures` failures in a row: none the first time
/// (webim.js polls again at once), then about 0.5 s doubling up to 30 s. Each pause is
/// drawn between half and all of that (from `random`), so clients that lost the server
/// together do not all come back in the same instant.
pub(crate) fn backoff_ms(failures: u32, random: u32) -> u32 {
    let ceiling = match failures {
        0 => return 0,
        n => 500u32
            .saturating_mul(1 << (n - 1).min(6))
            .min(MAX_RETRY_DELAY_MS),
    };
    let half = ceiling / 2;
    half + random % (ceiling - half + 1)
}
