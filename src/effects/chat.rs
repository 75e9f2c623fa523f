//! The conversation on screen: sending (with the composer's checks), retrying, reading
//! (only what is on screen in a visible tab), history, and the window of messages shown.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use webim_proto::AccountId;
use webim_sdk::client::MAX_C2C_MSG_BYTES;
use webim_sdk::{Msg, MsgKey, SessionKey, Tool, emoticon};

use super::{Effects, handle, prefs};
use crate::i18n::Phrase;
use crate::store::Action;
use crate::store::hooks::AppStore;

handle!(
    /// The conversation on screen: what is viewed, sending, history, drafts.
    ChatHandle,
    use_chat
);

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

impl ChatHandle {
    /// The conversation on screen changed (`None`: none). Reading follows what is shown.
    pub fn view(&self, peer: Option<AccountId>) {
        let fx = &self.0;
        let before = fx.store.state().viewing.clone();
        if before == peer {
            return;
        }
        fx.store.dispatch(Action::Viewing(peer.clone()));
        if let Some(previous) = before {
            fx.set_auto_read(&previous, false);
        }
        if let Some(peer) = peer {
            fx.mark_read(&peer);
            let held = fx.client().map_or(0, |c| {
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
    pub fn visibility(&self, visible: bool) {
        let fx = &self.0;
        fx.store.dispatch(Action::Hidden(!visible));
        let Some(peer) = fx.store.state().viewing.clone() else {
            return;
        };
        if visible {
            fx.mark_read(&peer);
        } else {
            fx.set_auto_read(&peer, false);
        }
    }

    /// Sends the composer's text to `peer`; emoticon names become faces. Returns at once:
    /// the SDK shows the message as pending, and its outcome arrives as a status event (a
    /// refusal's reason is kept in the store, shown beside the message).
    pub fn send_text(&self, peer: &AccountId, text: &str) -> Result<(), ComposeError> {
        check_text(text)?;
        let fx = &self.0;
        let client = fx.client().ok_or(ComposeError::NotReady)?;
        let mut msg = client
            .create_msg(peer)
            .map_err(|_| ComposeError::NotReady)?;
        for elem in emoticon::parse_text(text) {
            msg.add_elem(elem);
        }
        self.set_draft(peer, "");
        let (store, key) = (fx.store.clone(), msg.key());
        spawn_local(async move { keep_refusal(&store, key, client.send_msg(msg).await) });
        Ok(())
    }

    /// Sends a failed message again, in place.
    pub fn retry(&self, peer: &AccountId, key: MsgKey) {
        let fx = &self.0;
        let Some(client) = fx.client() else { return };
        let session = SessionKey::c2c(peer.clone());
        let store = fx.store.clone();
        spawn_local(async move {
            let sent = client.retry_msg(&session, &key).await;
            keep_refusal(&store, key, sent);
        });
    }

    /// The messages shown: `size` of them, ending `from_end` before the newest.
    pub fn window(&self, peer: &AccountId, from_end: usize, size: usize) -> Window {
        let fx = &self.0;
        let complete = fx.store.state().history_complete.contains(peer);
        let empty = || Window {
            msgs: Rc::from(Vec::new()),
            above: 0,
            complete,
        };
        let Some(client) = fx.client() else {
            return empty();
        };
        let store = client.msg_store();
        let Some(session) = store.session(&SessionKey::c2c(peer.clone())) else {
            return empty();
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
    /// already under way (the store says which).
    pub fn load_older(&self, peer: &AccountId) {
        let fx = &self.0;
        let Some(client) = fx.client() else { return };
        let state = fx.store.state();
        if state.history_complete.contains(peer) || state.loading_history.contains(peer) {
            return;
        }
        fx.store.dispatch(Action::HistoryLoading(peer.clone()));
        let (fx, peer) = (Rc::clone(fx), peer.clone());
        spawn_local(async move {
            let page = client.get_c2c_history_msgs(&peer, HISTORY_PAGE).await;
            let complete = page.is_ok_and(|p| p.complete);
            let loaded = Action::HistoryLoaded {
                peer: peer.clone(),
                complete,
            };
            fx.store.dispatch(loaded);
            fx.store.dispatch(Action::Touched(vec![peer]));
            fx.refresh_sessions();
        });
    }

    /// Keeps the composer's unsent text for `peer` (in the state and across reloads).
    pub fn set_draft(&self, peer: &AccountId, text: &str) {
        let store = &self.0.store;
        store.dispatch(Action::Draft(peer.clone(), text.to_owned()));
        if let Some(me) = crate::store::me(&store.state()) {
            prefs::save_drafts(&me, &store.state().drafts);
        }
    }
}

/// Keeps why a send of `key` was refused, to show beside the message. A message held for
/// a later try (the network is away) is no refusal: the SDK sends it again itself.
pub(super) fn keep_refusal(store: &AppStore, key: MsgKey, sent: Result<(), webim_sdk::WebimError>) {
    if let Err(e) = sent
        && !e.is_held()
    {
        store.dispatch(Action::SendFailed(key, super::code_of(&e)));
    }
}

impl Effects {
    /// webim.js `setAutoRead(sess, true, true)`, when the conversation is visible.
    pub(super) fn mark_read(self: &Rc<Self>, peer: &AccountId) {
        if !self.store.state().hidden {
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
            if this.store.state().viewing.as_ref() == Some(&peer) {
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
}
