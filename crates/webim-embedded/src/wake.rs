//! Wake-ups: a long poll waiting in this service is woken when a write concerns its
//! account, whether the write happened here (directly) or in another copy of the service
//! on the origin's database (a dedicated worker of another tab, or another version's shared
//! worker), through a BroadcastChannel message naming the accounts.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use futures_channel::oneshot;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};
use webim_proto::AccountId;

/// One page's connection to this service: a SharedWorker serves many, each tab's own
/// worker one. A sender's own poll is told apart from its other tabs' polls by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct ConnId(pub u32);

type Waiters = Rc<RefCell<BTreeMap<AccountId, Vec<(ConnId, oneshot::Sender<()>)>>>>;

/// This service's waiting long polls and its line to the other copies of it.
pub struct OriginWakeups {
    waiters: Waiters,
    channel: Option<BroadcastChannel>,
    _on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
}

impl std::fmt::Debug for OriginWakeups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OriginWakeups")
            .field("cross_tab", &self.channel.is_some())
            .finish_non_exhaustive()
    }
}

impl OriginWakeups {
    /// Joins the channel `name`; `other_writer` is called first whenever another copy of
    /// the service says it wrote. Without BroadcastChannel (very old browsers) only this
    /// tab's own writes wake its polls, and other tabs catch up at their poll timeout.
    pub fn new(name: &str, other_writer: impl Fn() + 'static) -> Self {
        let waiters: Waiters = Rc::default();
        let Ok(channel) = BroadcastChannel::new(name) else {
            return Self {
                waiters,
                channel: None,
                _on_message: None,
            };
        };
        let local = Rc::clone(&waiters);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            other_writer();
            let accounts = accounts_of(&event.data());
            wake_local(&local, accounts.iter(), None);
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Self {
            waiters,
            channel: Some(channel),
            _on_message: Some(on_message),
        }
    }

    /// A wait that ends at the next wake-up of `account` (polling over `conn`).
    pub fn register(&self, account: &AccountId, conn: ConnId) -> oneshot::Receiver<()> {
        let (tx, rx) = oneshot::channel();
        self.waiters
            .borrow_mut()
            .entry(account.clone())
            .or_default()
            .push((conn, tx));
        rx
    }

    /// Wakes the polls of `accounts` here and in every other copy, except the poll of
    /// `sender` on its own connection: that client already holds what it just sent or read,
    /// and pulling its own echo would put two more transactions in the way of the
    /// recipient's. The sender's other tabs are woken.
    pub fn wake(&self, accounts: &BTreeSet<AccountId>, sender: Option<(&AccountId, ConnId)>) {
        wake_local(&self.waiters, accounts.iter(), sender);
        if let Some(channel) = &self.channel {
            let names: js_sys::Array = accounts.iter().map(|a| JsValue::from(a.as_str())).collect();
            // A closed channel only means no other copy hears; this one is already woken.
            let _ = channel.post_message(&names);
        }
    }
}

impl Drop for OriginWakeups {
    fn drop(&mut self) {
        if let Some(channel) = &self.channel {
            channel.set_onmessage(None);
            channel.close();
        }
    }
}

fn wake_local<'a>(
    waiters: &Waiters,
    accounts: impl Iterator<Item = &'a AccountId>,
    except: Option<(&AccountId, ConnId)>,
) {
    let mut waiters = waiters.borrow_mut();
    for account in accounts {
        let Some(waiting) = waiters.remove(account) else {
            continue;
        };
        let mut kept = Vec::new();
        for (conn, waiter) in waiting {
            if waiter.is_canceled() {
                // That poll has ended (answered, timed out, or its page went away).
            } else if except == Some((account, conn)) {
                kept.push((conn, waiter));
            } else {
                // The poll may have ended meanwhile (timeout, logout): nothing to wake then.
                let _ = waiter.send(());
            }
        }
        if !kept.is_empty() {
            waiters.insert(account.clone(), kept);
        }
    }
}

/// The accounts a wake-up names: an array of ids, or (from a build before the worker) the
/// same array as JSON text.
fn accounts_of(data: &JsValue) -> Vec<AccountId> {
    let list = match data.as_string() {
        Some(text) => js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL),
        None => data.clone(),
    };
    let Some(list) = list.dyn_ref::<js_sys::Array>() else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|v| v.as_string())
        .filter_map(|id| AccountId::new(id).ok())
        .collect()
}
