//! The SDK's client: webim.js's top-level functions (`init`, `offline`, `syncMsgs`,
//! `sendMsg`, `setAutoRead`, the profile and relationship calls) over a [`Transport`]
//! and an [`Env`].
//!
//! The rules live in the pure parts (`MsgStore`, `Session`, the send queue); this is the
//! shell that asks the transport and feeds the answers in. One thread: state sits in a
//! `RefCell`, and no borrow is held across an `.await` or while a listener runs.

mod history;
mod relationship;
mod send;
mod sync;
mod upload;

use std::cell::{Ref, RefCell};
use std::collections::BTreeMap;

use futures_channel::oneshot;
use webim_proto::openim::logout;
use webim_proto::openim::longpolling::Cookie as PollCookie;
use webim_proto::{AccountId, Endpoint, ErrorCode};

pub use history::HistoryPage;
pub use send::MAX_C2C_MSG_BYTES;
pub use upload::{CANCELLED, Cancel, SLICE_BYTES, Upload};

use crate::error::{Result, WebimError};
use crate::event::{ConnectionState, Listener, SdkEvent};
use crate::msg::{Msg, MsgKey};
use crate::msg_store::MsgStore;
use crate::send_queue::SendQueue;
use crate::session::SessionKey;
use crate::transport::{Env, LoginInfo, Transport, TransportError};

/// The WebIM client SDK (webim.js's `webim` object).
pub struct Client<T, E> {
    transport: T,
    env: E,
    state: RefCell<State>,
}

impl<T, E> std::fmt::Debug for Client<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state.borrow();
        f.debug_struct("Client")
            .field(
                "identifier",
                &state.login.as_ref().map(|l| l.identifier.as_str()),
            )
            .field("sessions", &state.store.sess_map().len())
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct State {
    login: Option<LoginInfo>,
    /// Bumped by every `init` and `offline`: an answer to an older login is dropped.
    generation: u64,
    listener: Option<Listener>,
    store: MsgStore,
    /// The last `MsgSeq` this client gave a message it sent.
    last_seq: u64,
    poll_cookie: PollCookie,
    poll_errors: u32,
    connection: Option<ConnectionState>,
    queue: SendQueue,
    waiters: BTreeMap<MsgKey, Vec<oneshot::Sender<Result<()>>>>,
    /// Pauses before a retry, to be cut short when the service answers again.
    reconnected: Vec<oneshot::Sender<()>>,
    history: BTreeMap<SessionKey, history::Cursor>,
}

impl<T: Transport, E: Env> Client<T, E> {
    /// A client that is not logged in yet (webim.js: the `webim` object before `init`).
    pub fn new(transport: T, env: E) -> Self {
        Self {
            transport,
            env,
            state: RefCell::new(State::default()),
        }
    }

    /// webim.js `init(loginInfo, listeners, options)`: logs in as `login.identifier`,
    /// remembers the listener, and pulls what is waiting (one `syncMsgs`), so the sessions
    /// and their unread counts are there when it returns. Then call [`Client::run`] to keep
    /// receiving. An earlier login is replaced.
    ///
    /// Fails with the service's error when the account or signature is refused (and the
    /// client is then not logged in), or with a transport error (the client stays logged
    /// in, and [`Client::run`] keeps trying).
    pub async fn init(&self, login: LoginInfo, listener: Option<Listener>) -> Result<()> {
        {
            let mut state = self.state.borrow_mut();
            let generation = state.generation + 1;
            *state = State {
                login: Some(login),
                generation,
                listener,
                ..State::default()
            };
        }
        match self.sync_msgs().await {
            Err(e) if !e.is_transient() && e.code != ErrorCode::NotLoggedIn => {
                self.clear();
                Err(e)
            }
            other => other.map(|_| ()),
        }
    }

    /// webim.js `offline(cbOk, cbErr)`: logs out on the service, stops syncing and clears
    /// every session, message and queue (webim.js 1.7's behaviour). Local state is cleared
    /// even when the service cannot be told; the error says so.
    pub async fn offline(&self) -> Result<()> {
        let told = self.call(&logout::Request {}).await;
        self.clear();
        told.map(|_| ())
    }

    /// True between a successful `init` and `offline` (webim.js: its internal "logged in" check).
    pub fn is_logged_in(&self) -> bool {
        self.state.borrow().login.is_some()
    }

    /// The logged-in account (webim.js `loginInfo.identifier`).
    pub fn identifier(&self) -> Option<AccountId> {
        self.state
            .borrow()
            .login
            .as_ref()
            .map(|l| l.identifier.clone())
    }

    /// webim.js `webim.MsgStore`: the sessions and messages held. Do not keep the borrow
    /// across an `.await`.
    pub fn msg_store(&self) -> Ref<'_, MsgStore> {
        Ref::map(self.state.borrow(), |s| &s.store)
    }

    /// Runs `f` on webim.js `MsgStore` mutably (for `delSessByTypeId` and
    /// `resetCookieAndSyncFlag`).
    pub fn with_msg_store<R>(&self, f: impl FnOnce(&mut MsgStore) -> R) -> R {
        f(&mut self.state.borrow_mut().store)
    }

    fn clear(&self) {
        let mut state = self.state.borrow_mut();
        let generation = state.generation + 1;
        let waiters = std::mem::take(&mut state.waiters);
        *state = State {
            generation,
            ..State::default()
        };
        drop(state);
        for sender in waiters.into_values().flatten() {
            let _ = sender.send(Err(WebimError::not_logged_in()));
        }
    }

    /// The login and its generation, or -4.
    fn session_login(&self) -> Result<(LoginInfo, u64)> {
        let state = self.state.borrow();
        let login = state.login.clone().ok_or_else(WebimError::not_logged_in)?;
        Ok((login, state.generation))
    }

    fn me(&self) -> Result<AccountId> {
        self.identifier().ok_or_else(WebimError::not_logged_in)
    }

    /// Sends one request as the logged-in account and reads its answer. An answer that
    /// arrives after `offline` (or another `init`) is dropped with -4.
    async fn call<R: Endpoint>(&self, request: &R) -> Result<R::Response> {
        let (login, generation) = self.session_login()?;
        let answer = self.transport.request(&login, request).await;
        if self.state.borrow().generation != generation {
            return Err(WebimError::not_logged_in());
        }
        match answer {
            Err(TransportError::Unencodable(e)) => Err(WebimError::local(ErrorCode::JsonParse, e)),
            Err(TransportError::Garbled(e)) => {
                // The service is there; it said something this SDK cannot read.
                self.set_connection(ConnectionState::Online);
                Err(WebimError::transport(e))
            }
            Err(e) => {
                self.set_connection(ConnectionState::Offline);
                Err(WebimError::transport(e.to_string()))
            }
            Ok(answer) => {
                self.set_connection(ConnectionState::Online);
                answer.map_err(|status| WebimError::service(status.error_code, status.error_info))
            }
        }
    }

    fn set_connection(&self, now: ConnectionState) {
        let changed = {
            let mut state = self.state.borrow_mut();
            let changed = state.connection.is_some_and(|c| c != now)
                || (state.connection.is_none() && now == ConnectionState::Offline);
            state.connection = Some(now);
            changed
        };
        if changed {
            if now == ConnectionState::Online {
                // Whatever waits to try again goes now: the service answers.
                for pause in std::mem::take(&mut self.state.borrow_mut().reconnected) {
                    let _ = pause.send(());
                }
            }
            self.emit(SdkEvent::Connection(now));
        }
    }

    /// Waits `ms` before a retry, or less: when another request gets through meanwhile
    /// (the network or the service is back), the wait ends at once.
    pub(crate) async fn pause(&self, ms: u32) {
        let (tx, rx) = oneshot::channel();
        {
            let mut state = self.state.borrow_mut();
            state.reconnected.retain(|p| !p.is_canceled());
            state.reconnected.push(tx);
        }
        let sleep = std::pin::pin!(self.env.sleep(ms));
        futures_util::future::select(sleep, rx).await;
    }

    /// Calls the listener, with no state borrowed (it may call back into the client).
    fn emit(&self, event: SdkEvent) {
        let listener = self.state.borrow().listener.clone();
        if let Some(listener) = listener {
            listener(&event);
        }
    }

    /// A new message to `peer` from me, with the next `MsgSeq`, a random `MsgRandom` and
    /// the current time: what webim.js's `new Msg(sess, true)` fills in by itself.
    pub fn create_msg(&self, peer: &AccountId) -> Result<Msg> {
        let me = self.me()?;
        let seq = {
            let mut state = self.state.borrow_mut();
            state.last_seq += 1;
            state.last_seq
        };
        Ok(Msg::new(
            SessionKey::c2c(peer.clone()),
            true,
            webim_proto::MsgSeq(seq),
            webim_proto::MsgRandom(self.env.random_u32()),
            self.env.now(),
            me,
        ))
    }
}
