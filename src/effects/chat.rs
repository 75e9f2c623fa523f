//! The conversation on screen: sending (with the composer's checks), retrying, reading
//! (only what is on screen in a visible tab), history, and the window of messages shown.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use webim_proto::AccountId;
use webim_sdk::client::MAX_C2C_MSG_BYTES;
use webim_sdk::{Msg, MsgKey, SessionKey, Tool, emoticon};

use super::{Effects, prefs};
use crate::i18n::Phrase;
use crate::store::Action;

/// A history page's size.
const HISTORY_PAGE: u32 = 40;
/// How long read reports for arriving messages wait to be sent together (ms).
pub const READ_REPORT_DELAY_MS: u32 = 300;

/// Why the composer's text cannot be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComposeError {
    /// Nothing but white space.
    Empty,
    /// More than 12000 UTF-8 bytes.
    TooLong,
    /// Not logged in (yet): the text stays in the box.
    NotReady,
}

impl ComposeError {
    /// The sentence to show.
    pub fn phrase(self) -> Phrase {
        match self {
            Self::Empty => Phrase::EmptyMessage,
            Self::TooLong => Phrase::TooLong,
            Self::NotReady => Phrase::NotReady,
        }
    }
}

/// Checks a composer text as webim.js's demo did: not empty, at most 12000 bytes.
pub fn check_text(text: &str) -> Result<(), ComposeError> {
    if text.trim().is_empty() {
        return Err(ComposeError::Empty);
    }
    if Tool::get_str_bytes(text) > MAX_C2C_MSG_BYTES {
        return Err(ComposeError::TooLong);
    }
    Ok(())
}

/// A slice of a conversation to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// The messages, oldest first.
    pub msgs: Rc<[Msg]>,
    /// Messages held above the slice.
    pub above: usize,
    /// True when nothing older exists (held or not).
    pub complete: bool,
}

impl Effects {
    /// The conversation on screen changed (`None`: none). Reading follows what is shown.
    pub fn view(self: &Rc<Self>, peer: Option<AccountId>) {
        let before = self.viewing.replace(peer.clone());
        if before == peer {
            return;
        }
        if let Some(previous) = before {
            self.set_auto_read(&previous, false);
        }
        if let Some(peer) = peer {
            self.mark_read(&peer);
            let held = self.client().map_or(0, |c| {
                c.msg_store()
                    .session(&SessionKey::c2c(peer.clone()))
                    .map_or(0, |s| s.msg_count())
            });
            if held < HISTORY_PAGE as usize {
                self.load_older(&peer);
            }
        }
    }

    /// The tab was hidden or shown: a hidden tab reads nothing.
    pub fn visibility(self: &Rc<Self>, visible: bool) {
        self.visible.set(visible);
        let Some(peer) = self.viewing.borrow().clone() else {
            return;
        };
        if visible {
            self.mark_read(&peer);
        } else {
            self.set_auto_read(&peer, false);
        }
    }

    /// webim.js `setAutoRead(sess, true, true)`, when the conversation is visible.
    pub(super) fn mark_read(self: &Rc<Self>, peer: &AccountId) {
        if self.visible.get() {
            self.set_auto_read(peer, true);
        }
    }

    /// Reports messages read while they arrive in the open conversation, at most once per
    /// [`READ_REPORT_DELAY_MS`]: here they never count as unread (the session is auto-read),
    /// and one report for a burst spares the database a write per message.
    pub(super) fn mark_read_soon(self: &Rc<Self>, peer: &AccountId) {
        if self.read_report_due.replace(true) {
            return;
        }
        let (this, peer) = (Rc::clone(self), peer.clone());
        spawn_local(async move {
            gloo::timers::future::TimeoutFuture::new(READ_REPORT_DELAY_MS).await;
            this.read_report_due.set(false);
            if this.viewing.borrow().as_ref() == Some(&peer) {
                this.mark_read(&peer);
            }
        });
    }

    fn set_auto_read(self: &Rc<Self>, peer: &AccountId, on: bool) {
        let Some(client) = self.client() else { return };
        let key = SessionKey::c2c(peer.clone());
        let this = Rc::clone(self);
        spawn_local(async move {
            // A read report that fails is sent again with the next one.
            let _ = client.set_auto_read(Some(&key), on, on).await;
            this.refresh_sessions();
        });
    }

    /// Sends the composer's text to `peer`; emoticon names become faces.
    pub fn send_text(self: &Rc<Self>, peer: &AccountId, text: &str) -> Result<(), ComposeError> {
        check_text(text)?;
        let client = self.client().ok_or(ComposeError::NotReady)?;
        let mut msg = client
            .create_msg(peer)
            .map_err(|_| ComposeError::NotReady)?;
        for elem in emoticon::parse_text(text) {
            msg.add_elem(elem);
        }
        self.set_draft(peer, "");
        // The SDK shows it at once as pending; the outcome arrives as a status event, and a
        // refusal's reason is kept to be shown beside the message.
        let (store, key) = (self.store.clone(), msg.key());
        spawn_local(async move {
            if let Err(e) = client.send_msg(msg).await
                && !e.is_held()
            {
                store.dispatch(Action::SendFailed(key, super::code_of(&e)));
            }
        });
        Ok(())
    }

    /// Sends a failed message again, in place.
    pub fn retry(self: &Rc<Self>, peer: &AccountId, key: MsgKey) {
        let Some(client) = self.client() else { return };
        let session = SessionKey::c2c(peer.clone());
        let store = self.store.clone();
        spawn_local(async move {
            if let Err(e) = client.retry_msg(&session, &key).await
                && !e.is_held()
            {
                store.dispatch(Action::SendFailed(key, super::code_of(&e)));
            }
        });
    }

    /// The messages shown: `size` of them, ending `from_end` before the newest.
    pub fn window(&self, peer: &AccountId, from_end: usize, size: usize) -> Window {
        let complete = self.history_complete.borrow().contains(peer);
        let Some(client) = self.client() else {
            return Window {
                msgs: Rc::from(Vec::new()),
                above: 0,
                complete,
            };
        };
        let store = client.msg_store();
        let Some(session) = store.session(&SessionKey::c2c(peer.clone())) else {
            return Window {
                msgs: Rc::from(Vec::new()),
                above: 0,
                complete,
            };
        };
        let all = session.msgs();
        let end = all.len().saturating_sub(from_end);
        let start = end.saturating_sub(size);
        Window {
            msgs: Rc::from(&all[start..end]),
            above: start,
            complete,
        }
    }

    /// Fetches the next older page of the conversation, unless all is here or a fetch is
    /// already under way.
    pub fn load_older(self: &Rc<Self>, peer: &AccountId) {
        let Some(client) = self.client() else { return };
        if self.history_complete.borrow().contains(peer)
            || !self.loading_history.borrow_mut().insert(peer.clone())
        {
            return;
        }
        let (this, peer) = (Rc::clone(self), peer.clone());
        spawn_local(async move {
            let page = client.get_c2c_history_msgs(&peer, HISTORY_PAGE).await;
            this.loading_history.borrow_mut().remove(&peer);
            if page.is_ok_and(|p| p.complete) {
                this.history_complete.borrow_mut().insert(peer.clone());
            }
            this.store.dispatch(Action::Touched(vec![peer]));
            this.refresh_sessions();
        });
    }

    /// True while older messages of `peer` are being fetched.
    pub fn is_loading_history(&self, peer: &AccountId) -> bool {
        self.loading_history.borrow().contains(peer)
    }

    /// Keeps the composer's unsent text for `peer` (in the state and across reloads).
    pub fn set_draft(&self, peer: &AccountId, text: &str) {
        self.store
            .dispatch(Action::Draft(peer.clone(), text.to_owned()));
        if let Some(me) = crate::store::me(&self.store.state()) {
            prefs::save_drafts(&me, &self.store.state().drafts);
        }
    }
}
