//! The imperative shell: the only place that runs the SDK, the embedded backend, storage
//! and tasks. It turns what the person asks for into SDK calls, and what the SDK reports
//! into store [`Action`]s. Components reach it through context.

mod chat;
mod prefs;
mod relationship;

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::rc::{Rc, Weak};

use wasm_bindgen_futures::spawn_local;
use webim_proto::AccountId;
use webim_proto::sns::friend_get_all;
use webim_proto::{Tag, TagValue};
use webim_sdk::{Client, LoginInfo, SdkEvent};
use webim_service::FIRST_RUN_ACCOUNTS;

pub use chat::{ComposeError, Window, check_text};
pub use relationship::{Lookup, code_of};

use crate::embedded::{Backend, BrowserEnv, EmbeddedTransport};
use crate::store::hooks::Store;
use crate::store::{Action, SessionRow};

/// The SDK client the app runs.
pub type AppClient = Client<EmbeddedTransport, BrowserEnv>;

/// The app's effects; one per app, shared through context.
pub struct Effects {
    store: Store,
    backend: RefCell<Option<Rc<Backend>>>,
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
            backend: RefCell::default(),
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
        if let Some(id) = prefs::remembered_login() {
            self.login(id);
        }
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

    /// Logs in as `id` (webim.js `init`), remembering it for this tab.
    pub fn login(self: &Rc<Self>, id: AccountId) {
        self.store.dispatch(Action::LoginStarted(id.clone()));
        let this = Rc::clone(self);
        spawn_local(async move {
            if let Err(why) = this.init(id).await {
                prefs::forget_login();
                this.store.dispatch(Action::LoginFailed(why));
            }
        });
    }

    async fn init(self: &Rc<Self>, id: AccountId) -> Result<(), String> {
        let opened = self.backend.borrow().clone();
        let backend = match opened {
            Some(b) => b,
            None => Backend::open().await.map_err(|e| e.to_string())?,
        };
        *self.backend.borrow_mut() = Some(Rc::clone(&backend));
        let client = Rc::new(Client::new(EmbeddedTransport(backend), BrowserEnv));
        let weak: Weak<Self> = Rc::downgrade(self);
        let listener: webim_sdk::Listener = Rc::new(move |event: &SdkEvent| {
            if let Some(this) = weak.upgrade() {
                this.on_event(event);
            }
        });
        match client
            .init(LoginInfo::demo(id.clone(), "webim"), Some(listener))
            .await
        {
            Err(e) if !e.is_transient() => return Err(e.to_string()),
            _ => {}
        }
        *self.client.borrow_mut() = Some(Rc::clone(&client));
        prefs::remember_login(&id);
        self.store.dispatch(Action::Drafts(prefs::drafts(&id)));
        self.store.dispatch(Action::LoggedIn(id));
        self.refresh_sessions();
        self.refresh_nicks(FIRST_RUN_ACCOUNTS.iter().map(|a| a.account_id()).collect());
        self.refresh_relationships();
        self.refresh_profile();
        spawn_local(async move {
            let _ = client.run().await;
        });
        Ok(())
    }

    /// Logs out (webim.js `offline`) and returns to the picker.
    pub fn logout(self: &Rc<Self>) {
        prefs::forget_login();
        let client = self.client.borrow_mut().take();
        self.viewing.replace(None);
        self.history_complete.borrow_mut().clear();
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
        self.store.dispatch(Action::Sessions(rows));
    }

    fn refresh_nicks(self: &Rc<Self>, accounts: Vec<AccountId>) {
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
