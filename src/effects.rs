//! The imperative shell: the only place that runs the SDK, the embedded backend, storage
//! and tasks. It turns what the person asks for into SDK calls, and what the SDK reports
//! into store [`Action`]s. Components reach it through context.

mod chat;
mod login;
mod notify;
mod prefs;
mod relationship;

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::rc::{Rc, Weak};

use wasm_bindgen_futures::spawn_local;
use webim_proto::AccountId;
use webim_proto::sns::friend_get_all;
use webim_proto::test_accounts::TEST_ACCOUNTS;
use webim_proto::{Tag, TagValue};
use webim_sdk::{Client, SdkEvent};

pub use chat::{ComposeError, Window, check_text};
pub use notify::OPEN_EVENT;
pub use relationship::{Lookup, code_of};

use crate::backends::{AppTransport, Mode};
use crate::embedded::{BrowserEnv, WorkerTransport, worker_kind};
use crate::remote::{HttpTransport, PollShare};
use crate::store::hooks::Store;
use crate::store::{Action, SessionRow};

/// The SDK client the app runs.
pub type AppClient = Client<AppTransport, BrowserEnv>;

/// The app's effects; one per app, shared through context.
pub struct Effects {
    store: Store,
    mode: Mode,
    worker: RefCell<Option<WorkerTransport>>,
    poll_share: RefCell<Option<Rc<PollShare>>>,
    /// Accounts whose nick was asked for (so a session list refresh asks once).
    nicks_asked: RefCell<BTreeSet<AccountId>>,
    client: RefCell<Option<Rc<AppClient>>>,
    viewing: RefCell<Option<AccountId>>,
    visible: Cell<bool>,
    read_report_due: Cell<bool>,
    loading_history: RefCell<BTreeSet<AccountId>>,
    history_complete: RefCell<BTreeSet<AccountId>>,
}

impl std::fmt::Debug for Effects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Effects")
            .field("viewing", &self.viewing.borrow())
            .finish_non_exhaustive()
    }
}

impl PartialEq for Effects {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Effects {
    /// Effects over `store`, before anything has started.
    pub fn new(store: Store) -> Rc<Self> {
        Rc::new(Self {
            store,
            mode: Mode::detect(),
            worker: RefCell::default(),
            poll_share: RefCell::default(),
            nicks_asked: RefCell::default(),
            client: RefCell::default(),
            viewing: RefCell::default(),
            visible: Cell::new(true),
            read_report_due: Cell::new(false),
            loading_history: RefCell::default(),
            history_complete: RefCell::default(),
        })
    }

    /// Restores the language, theme and this tab's login.
    pub fn start(self: &Rc<Self>) {
        prefs::restore(&self.store);
        self.restore_notify(None);
        if let Some(remembered) = prefs::remembered_login() {
            self.resume(remembered);
        }
    }

    /// The backend this page runs on.
    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// Switches the UI language (kept for next time).
    pub fn set_lang(&self, lang: crate::i18n::Lang) {
        prefs::set_lang(&self.store, lang);
    }

    /// Switches the colour theme (kept for next time).
    pub fn set_theme(&self, theme: crate::store::ThemeChoice) {
        prefs::set_theme(&self.store, theme);
    }

    /// The running SDK client, once logged in.
    pub fn client(&self) -> Option<Rc<AppClient>> {
        self.client.borrow().clone()
    }

    /// A client on this page's backend (one door to the embedded service's worker per
    /// tab; the worker starts with the first request).
    async fn new_client(&self) -> Result<Rc<AppClient>, String> {
        let transport = match &self.mode {
            Mode::Embedded => {
                let door = self
                    .worker
                    .borrow_mut()
                    .get_or_insert_with(|| WorkerTransport::new(worker_kind()))
                    .clone();
                AppTransport::Embedded(door)
            }
            Mode::Server(_) => {
                let share = self
                    .poll_share
                    .borrow_mut()
                    .get_or_insert_with(PollShare::new)
                    .clone();
                AppTransport::Server(HttpTransport::new(share))
            }
        };
        Ok(Rc::new(Client::new(transport, BrowserEnv)))
    }

    /// The SDK's listener: its events become store actions.
    fn listener(self: &Rc<Self>) -> webim_sdk::Listener {
        let weak: Weak<Self> = Rc::downgrade(self);
        Rc::new(move |event: &SdkEvent| {
            if let Some(this) = weak.upgrade() {
                this.on_event(event);
            }
        })
    }

    /// A client that logged in as `id`: load what the screens show, keep receiving.
    fn started(self: &Rc<Self>, client: Rc<AppClient>, id: &AccountId) {
        *self.client.borrow_mut() = Some(Rc::clone(&client));
        self.store.dispatch(Action::Drafts(prefs::drafts(id)));
        self.restore_notify(Some(id));
        self.store.dispatch(Action::LoggedIn(id.clone()));
        self.refresh_sessions();
        let mut known: Vec<AccountId> = TEST_ACCOUNTS.iter().map(|a| a.account_id()).collect();
        if !known.contains(id) {
            known.push(id.clone());
        }
        self.refresh_nicks(known);
        self.refresh_relationships();
        self.refresh_profile();
        spawn_local(async move {
            let _ = client.run().await;
        });
    }

    /// Logs out (webim.js `offline`) and returns to the picker.
    pub fn logout(self: &Rc<Self>) {
        prefs::forget_login();
        let client = self.client.borrow_mut().take();
        if let (Some(share), Some(me)) = (
            self.poll_share.borrow().as_ref(),
            client.as_ref().and_then(|c| c.identifier()),
        ) {
            // Another tab of this account takes over the long poll.
            share.release(&me);
        }
        self.viewing.replace(None);
        self.history_complete.borrow_mut().clear();
        self.nicks_asked.borrow_mut().clear();
        self.store.dispatch(Action::LoggedOut);
        if let Some(client) = client {
            spawn_local(async move {
                // Local state is gone either way; a service that cannot be told is fine.
                let _ = client.offline().await;
            });
        }
    }

    fn on_event(self: &Rc<Self>, event: &SdkEvent) {
        match event {
            SdkEvent::MsgNotify(msgs) => {
                let peers: BTreeSet<AccountId> =
                    msgs.iter().map(|m| m.session().id.clone()).collect();
                self.store
                    .dispatch(Action::Touched(peers.iter().cloned().collect()));
                self.refresh_sessions();
                let viewing = self.viewing.borrow().clone();
                if let Some(peer) = viewing.filter(|p| peers.contains(p)) {
                    self.mark_read_soon(&peer);
                }
                self.notify(msgs);
            }
            SdkEvent::SendStatus {
                session,
                key,
                status,
            } => {
                if *status == webim_sdk::SendStatus::Sent {
                    self.store.dispatch(Action::SendOk(key.clone()));
                }
                self.store
                    .dispatch(Action::Touched(vec![session.id.clone()]));
                self.refresh_sessions();
            }
            SdkEvent::UnreadChanged(_) => self.refresh_sessions(),
            SdkEvent::RelationshipChanged { .. } => self.refresh_relationships(),
            SdkEvent::ProfileChanged(account) => {
                self.refresh_nicks(vec![account.clone()]);
                if crate::store::me(&self.store.state()).as_ref() == Some(account) {
                    self.refresh_profile();
                }
            }
            SdkEvent::Connection(state) => self.store.dispatch(Action::Connection(*state)),
            SdkEvent::Reset => {
                self.history_complete.borrow_mut().clear();
                let peers = self.store.state().versions.keys().cloned().collect();
                self.store.dispatch(Action::Touched(peers));
                self.refresh_sessions();
                self.refresh_relationships();
            }
        }
    }

    /// Rebuilds the session list from the SDK's `MsgStore`.
    fn refresh_sessions(&self) {
        let Some(client) = self.client() else { return };
        let rows: Vec<SessionRow> = client
            .msg_store()
            .sessions_newest_first()
            .filter_map(|s| {
                let last = s.msgs().last()?;
                Some(SessionRow {
                    peer: s.id().clone(),
                    unread: s.unread(),
                    time: s.time(),
                    preview: last.to_text().into(),
                    from_me: last.is_send(),
                    status: last.status(),
                })
            })
            .collect();
        let unknown: Vec<AccountId> = {
            let state = self.store.state();
            let mut asked = self.nicks_asked.borrow_mut();
            rows.iter()
                .map(|r| r.peer.clone())
                .filter(|p| !state.nicks.contains_key(p) && asked.insert(p.clone()))
                .collect()
        };
        self.store.dispatch(Action::Sessions(rows));
        if !unknown.is_empty() {
            self.refresh_nicks_of(unknown);
        }
    }

    fn refresh_nicks(self: &Rc<Self>, accounts: Vec<AccountId>) {
        self.nicks_asked
            .borrow_mut()
            .extend(accounts.iter().cloned());
        self.refresh_nicks_of(accounts);
    }

    fn refresh_nicks_of(&self, accounts: Vec<AccountId>) {
        let Some(client) = self.client() else { return };
        let store = self.store.clone();
        spawn_local(async move {
            if let Ok(answer) = client.get_profile_portrait(accounts, vec![Tag::Nick]).await {
                let nicks = answer.user_profile_item.into_iter().filter_map(|item| {
                    item.profile_item.into_iter().find_map(|v| match v {
                        TagValue::Nick(nick) => Some((item.to_account.clone(), nick)),
                        _ => None,
                    })
                });
                store.dispatch(Action::Nicks(nicks.collect()));
            }
        });
    }

    pub(super) fn refresh_friends(self: &Rc<Self>) {
        let Some(client) = self.client() else { return };
        let store = self.store.clone();
        spawn_local(async move {
            let request = friend_get_all::Request {
                from_account: None,
                time_stamp: Default::default(),
                start_index: 0,
                tag_list: vec![Tag::Nick],
                last_standard_sequence: 0,
                get_count: friend_get_all::MAX_PAGE,
            };
            if let Ok(answer) = client.get_all_friend(request).await {
                let mut nicks = Vec::new();
                let mut friends = Vec::new();
                for item in answer.info_item {
                    for value in item.sns_profile_item {
                        if let TagValue::Nick(nick) = value {
                            nicks.push((item.info_account.clone(), nick));
                        }
                    }
                    friends.push(item.info_account);
                }
                store.dispatch(Action::Nicks(nicks));
                store.dispatch(Action::Friends(friends));
            }
        });
    }
}

/// The app's effects, from context.
#[yew::hook]
pub fn use_effects() -> Rc<Effects> {
    yew::use_context::<Rc<Effects>>()
        .unwrap_or_else(|| Effects::new(Store::new(Default::default())))
}
