//! The imperative shell: the only place that runs the SDK, the embedded backend, storage
//! and tasks. It turns what the person asks for into SDK calls, and what the SDK reports
//! into store [`Action`]s.
//!
//! Components reach it through one handle per concern, each from its own hook:
//! [`use_chat`], [`use_login`], [`use_relationship`], [`use_prefs`], [`use_notifications`].
//! One calling style for all of them: a method returns at once, and what it changes
//! arrives in the store, where every screen that shows it reads it. The one exception is a
//! panel's own sentence: the relationship and profile calls are `async` and return the
//! code the asking panel shows under its form, since no other screen shows it. Lists are
//! refreshed only on the SDK's events, which it raises for this client's own changes too.

mod chat;
mod login;
mod notify;
mod prefs;
mod refresh;
mod relationship;
mod upload;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::{Rc, Weak};

use wasm_bindgen_futures::spawn_local;
use webim_proto::AccountId;
use webim_proto::test_accounts::TEST_ACCOUNTS;
use webim_sdk::{Client, SdkEvent};

pub use chat::{ChatHandle, ComposeError, Window, check_text, use_chat};
pub use login::{LoginHandle, use_login};
pub use notify::{NotifyHandle, OPEN_EVENT, use_notifications};
pub use prefs::{PrefsHandle, use_prefs};
pub use relationship::{Lookup, RelationshipHandle, code_of, use_relationship};
pub use upload::is_picture;

use crate::backends::{AppTransport, Mode};
use crate::embedded::{BrowserEnv, WorkerTransport, worker_kind};
use crate::remote::{HttpTransport, PollShare};
use crate::store::hooks::AppStore;
use crate::store::{Action, me};

/// The SDK client the app runs.
pub type AppClient = Client<AppTransport, BrowserEnv>;

/// The app's effects; one per app, shared through context, used through its handles.
pub struct Effects {
    store: AppStore,
    mode: Mode,
    worker: RefCell<Option<WorkerTransport>>,
    poll_share: RefCell<Option<Rc<PollShare>>>,
    client: RefCell<Option<Rc<AppClient>>>,
    /// Accounts whose nick was asked for (so a session list refresh asks once).
    nicks_asked: RefCell<BTreeSet<AccountId>>,
    /// A read report for arriving messages is already waiting to go.
    read_report_due: Cell<bool>,
    /// The last upload's number in this tab.
    next_upload: Cell<u32>,
    /// Attachments not yet sent, by upload number.
    attached: RefCell<BTreeMap<u32, upload::Attached>>,
    /// In-browser addresses read so far, and the object URLs of their bytes.
    local_urls: RefCell<BTreeMap<String, String>>,
}

impl std::fmt::Debug for Effects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Effects")
            .field("mode", &self.mode)
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
    pub fn new(store: AppStore) -> Rc<Self> {
        Rc::new(Self {
            store,
            mode: Mode::detect(),
            worker: RefCell::default(),
            poll_share: RefCell::default(),
            client: RefCell::default(),
            nicks_asked: RefCell::default(),
            read_report_due: Cell::new(false),
            next_upload: Cell::new(0),
            attached: RefCell::default(),
            local_urls: RefCell::default(),
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

    /// The running SDK client, once logged in.
    fn client(&self) -> Option<Rc<AppClient>> {
        self.client.borrow().clone()
    }

    /// A client on this page's backend (one door to the embedded service's worker per
    /// tab; the worker starts with the first request).
    fn new_client(&self) -> Rc<AppClient> {
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
        Rc::new(Client::new(transport, BrowserEnv))
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

    /// Ends this tab's session: local state goes at once, the service is told after.
    fn end_session(&self) {
        prefs::forget_login();
        let client = self.client.borrow_mut().take();
        if let (Some(share), Some(me)) = (
            self.poll_share.borrow().as_ref(),
            client.as_ref().and_then(|c| c.identifier()),
        ) {
            // Another tab of this account takes over the long poll.
            share.release(&me);
        }
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
                let viewing = self.store.state().viewing.clone();
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
                if me(&self.store.state()).as_ref() == Some(account) {
                    self.refresh_profile();
                }
            }
            SdkEvent::Connection(state) => self.store.dispatch(Action::Connection(*state)),
            SdkEvent::Reset => {
                self.store.dispatch(Action::HistoryForgotten);
                let peers = self.store.state().versions.keys().cloned().collect();
                self.store.dispatch(Action::Touched(peers));
                self.refresh_sessions();
                self.refresh_relationships();
            }
        }
    }
}

/// Where a picture or file is fetched from, as far as is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// Being read (an in-browser address, from the worker).
    Pending,
    /// This address.
    At(String),
    /// Its bytes are not there.
    Gone,
}

impl Shown {
    /// The address, or empty while there is none (an `href` or `src` that goes nowhere).
    pub fn address(self) -> String {
        match self {
            Self::At(url) => url,
            Self::Pending | Self::Gone => String::new(),
        }
    }
}

/// The address a picture or file is shown from: a server's as given; an in-browser one
/// (`webim-local:`) as an object URL of its bytes, read from the worker once per tab.
#[yew::hook]
pub fn use_shown(url: &str) -> Shown {
    let effects = yew::use_context::<Rc<Effects>>();
    let local = url.starts_with(webim_embedded::LOCAL_SCHEME);
    let shown = yew::use_state_eq(|| Shown::Pending);
    {
        let shown = shown.clone();
        yew::use_effect_with(url.to_owned(), move |url| {
            if local && let Some(fx) = effects {
                fx.local_url(url, yew::Callback::from(move |s| shown.set(s)));
            }
        });
    }
    if local {
        (*shown).clone()
    } else {
        Shown::At(url.to_owned())
    }
}

/// The effects from context. Every component lives under `App`, which provides them: a
/// component without them is a bug in how it is mounted, and says so.
#[yew::hook]
fn use_effects() -> Rc<Effects> {
    yew::use_context::<Rc<Effects>>().expect(
        "no effects in context: mount this component under `App` (or, in a test, under \
         the test host that provides a store and effects)",
    )
}

/// Defines a handle over the effects and the hook that gives it to a component.
macro_rules! handle {
    ($(#[$doc:meta])* $name:ident, $hook:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name(pub(super) ::std::rc::Rc<$crate::effects::Effects>);

        impl $name {
            /// The handle over `effects` (the app's root and tests build it this way).
            pub fn of(effects: &::std::rc::Rc<$crate::effects::Effects>) -> Self {
                Self(::std::rc::Rc::clone(effects))
            }
        }

        #[doc = concat!("The [`", stringify!($name), "`] from context.")]
        #[yew::hook]
        pub fn $hook() -> $name {
            $name($crate::effects::use_effects())
        }
    };
}
use handle;

handle!(
    /// The backend the page runs on, for the screens that differ by it.
    ModeHandle,
    use_mode
);

impl ModeHandle {
    /// The backend this page runs on.
    pub fn mode(&self) -> &Mode {
        self.0.mode()
    }
}
