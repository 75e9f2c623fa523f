//! One held long poll per account per browser. A browser opens at most six HTTP/1.1
//! connections to a host, so a poll held by every tab would starve the seventh. Each
//! account's tabs elect one leader with a Web Lock (`webim-poll:{account}`); the leader
//! holds the real long poll and, when it hears of something, says so on a
//! BroadcastChannel. The others wait for that word (or a slow safety timer) and then ask
//! the server once, without waiting, with their own cookie. When the leader's tab closes
//! the lock passes to another tab, which starts holding the poll.
//!
//! A browser without Web Locks makes every tab its own leader (one poll per tab).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

use futures::future::select;
use futures_channel::oneshot;
use gloo::timers::future::TimeoutFuture;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};
use webim_proto::AccountId;

/// The channel on which leaders say an account has news.
pub const CHANNEL: &str = "webim-poll";

/// What this tab does for an account's long poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Holds the real long poll.
    Leader,
    /// Waits for the leader's word.
    Follower,
}

#[derive(Debug, Default)]
struct Lead {
    /// Which lock request is current (an older one granted late is let go at once).
    request: u64,
    leader: bool,
    /// Resolving it lets the lock go.
    release: Option<Function>,
    /// Words heard (and leadership gained), counted.
    heard: u64,
    /// `heard` when this tab last asked the server.
    checked: u64,
    waiters: Vec<oneshot::Sender<()>>,
}

#[derive(Debug, Default)]
struct Inner {
    accounts: RefCell<BTreeMap<AccountId, Lead>>,
    requests: std::cell::Cell<u64>,
}

impl Inner {
    /// Something happened for `account`: wake its waiting follower.
    fn heard(&self, account: &AccountId, leader: bool) {
        let waiters = {
            let mut accounts = self.accounts.borrow_mut();
            let Some(lead) = accounts.get_mut(account) else {
                return;
            };
            lead.heard += 1;
            lead.leader |= leader;
            std::mem::take(&mut lead.waiters)
        };
        for waiter in waiters {
            let _ = waiter.send(());
        }
    }
}

/// This tab's part in sharing long polls.
pub struct PollShare {
    inner: Rc<Inner>,
    channel: Option<BroadcastChannel>,
    _on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
}

impl std::fmt::Debug for PollShare {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PollShare")
            .field("accounts", &self.inner.accounts.borrow().len())
            .finish_non_exhaustive()
    }
}

/// `navigator.locks.request`, bound to `navigator.locks`, where the browser has it.
fn lock_request() -> Option<(JsValue, Function)> {
    let navigator = gloo::utils::window().navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    if locks.is_undefined() || locks.is_null() {
        return None;
    }
    let request = Reflect::get(&locks, &"request".into())
        .ok()?
        .dyn_into()
        .ok()?;
    Some((locks, request))
}

impl PollShare {
    /// Joins the channel.
    pub fn new() -> Rc<Self> {
        let inner: Rc<Inner> = Rc::default();
        let channel = BroadcastChannel::new(CHANNEL).ok();
        let on_message = channel.as_ref().map(|channel| {
            let weak = Rc::downgrade(&inner);
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                if let (Some(inner), Some(id)) = (weak.upgrade(), e.data().as_string())
                    && let Ok(account) = AccountId::new(id)
                {
                    inner.heard(&account, false);
                }
            });
            channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            on_message
        });
        Rc::new(Self {
            inner,
            channel,
            _on_message: on_message,
        })
    }

    /// This tab's role for `account`'s poll; asks for the lead the first time.
    pub fn role(&self, account: &AccountId) -> Role {
        let known = self.inner.accounts.borrow().get(account).map(|l| l.leader);
        match known {
            Some(true) => Role::Leader,
            Some(false) => Role::Follower,
            None => self.ask_to_lead(account),
        }
    }

    fn ask_to_lead(&self, account: &AccountId) -> Role {
        let Some((locks, request)) = lock_request() else {
            self.inner.accounts.borrow_mut().insert(
                account.clone(),
                Lead {
                    leader: true,
                    ..Lead::default()
                },
            );
            return Role::Leader;
        };
        let id = self.inner.requests.get() + 1;
        self.inner.requests.set(id);
        self.inner.accounts.borrow_mut().insert(
            account.clone(),
            Lead {
                request: id,
                ..Lead::default()
            },
        );
        let granted = on_granted(Rc::downgrade(&self.inner), account.clone(), id);
        let name = JsValue::from_str(&format!("webim-poll:{account}"));
        if request.call2(&locks, &name, &granted).is_err() {
            // No lock after all: lead alone, as without Web Locks.
            self.inner.heard(account, true);
            return Role::Leader;
        }
        Role::Follower
    }

    /// The leader heard of something for `account`: tell the other tabs.
    pub fn announce(&self, account: &AccountId) {
        if let Some(channel) = &self.channel {
            // A closed channel only means no other tab hears: they catch up at their timer.
            let _ = channel.post_message(&JsValue::from_str(account.as_str()));
        }
    }

    /// A follower waits for the leader's word, for leadership, or `max_ms`; then it asks
    /// the server. Returns at once if a word came since its last question.
    pub async fn wait(&self, account: &AccountId, max_ms: u32) {
        let waiting = {
            let mut accounts = self.inner.accounts.borrow_mut();
            let lead = accounts.entry(account.clone()).or_default();
            if lead.leader || lead.heard > lead.checked {
                None
            } else {
                let (tx, rx) = oneshot::channel();
                lead.waiters.push(tx);
                Some(rx)
            }
        };
        if let Some(rx) = waiting {
            // Either way (a word, leadership, the timer) the caller asks the server next.
            let _ = select(rx, TimeoutFuture::new(max_ms)).await;
        }
        if let Some(lead) = self.inner.accounts.borrow_mut().get_mut(account) {
            lead.checked = lead.heard;
        }
    }

    /// This tab is done with `account` (logged out): the lead passes to another tab.
    pub fn release(&self, account: &AccountId) {
        let lead = self.inner.accounts.borrow_mut().remove(account);
        if let Some(release) = lead.and_then(|l| l.release) {
            let _ = release.call0(&JsValue::NULL);
        }
    }
}

impl Drop for PollShare {
    fn drop(&mut self) {
        if let Some(channel) = &self.channel {
            channel.set_onmessage(None);
            channel.close();
        }
    }
}

/// The lock callback: this tab leads `account` until the returned promise resolves.
fn on_granted(inner: Weak<Inner>, account: AccountId, request: u64) -> JsValue {
    Closure::once_into_js(move |_lock: JsValue| -> Promise {
        let Some(inner) = inner.upgrade() else {
            return Promise::resolve(&JsValue::NULL);
        };
        let current = inner
            .accounts
            .borrow()
            .get(&account)
            .is_some_and(|l| l.request == request);
        if !current {
            return Promise::resolve(&JsValue::NULL);
        }
        let promise = Promise::new(&mut |resolve, _reject| {
            if let Some(lead) = inner.accounts.borrow_mut().get_mut(&account) {
                lead.release = Some(resolve);
            }
        });
        inner.heard(&account, true);
        promise
    })
}
