//! Wake-ups: a long poll waiting in this tab is woken when a write concerns its account,
//! whether the write happened in this tab (directly) or in another tab of the origin
//! (through a BroadcastChannel message naming the accounts).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use futures_channel::oneshot;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{BroadcastChannel, MessageEvent};
use webim_proto::AccountId;

type Waiters = Rc<RefCell<BTreeMap<AccountId, Vec<oneshot::Sender<()>>>>>;

/// This tab's waiting long polls and its line to the other tabs.
pub struct Wakeups {
    waiters: Waiters,
    channel: Option<BroadcastChannel>,
    _on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
}

impl std::fmt::Debug for Wakeups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wakeups")
            .field("cross_tab", &self.channel.is_some())
            .finish_non_exhaustive()
    }
}

impl Wakeups {
    /// Joins the channel `name`. Without BroadcastChannel (very old browsers) only this
    /// tab's own writes wake its polls, and other tabs catch up at their poll timeout.
    pub fn new(name: &str) -> Self {
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
            let accounts: Vec<AccountId> = event
                .data()
                .as_string()
                .and_then(|text| serde_json::from_str(&text).ok())
                .unwrap_or_default();
            wake_local(&local, accounts.iter());
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Self {
            waiters,
            channel: Some(channel),
            _on_message: Some(on_message),
        }
    }

    /// A wait that ends at the next wake-up of `account`.
    pub fn register(&self, account: &AccountId) -> oneshot::Receiver<()> {
        let (tx, rx) = oneshot::channel();
        self.waiters
            .borrow_mut()
            .entry(account.clone())
            .or_default()
            .push(tx);
        rx
    }

    /// Wakes the polls of `accounts` here and in every other tab, except the poll of `sender`
    /// in this tab: its client already holds what it just sent or read, and pulling its own
    /// echo would put two more transactions in the way of the recipient's.
    pub fn wake(&self, accounts: &BTreeSet<AccountId>, sender: Option<&AccountId>) {
        wake_local(
            &self.waiters,
            accounts.iter().filter(|a| Some(*a) != sender),
        );
        if let (Some(channel), Ok(text)) = (&self.channel, serde_json::to_string(accounts)) {
            // A closed channel only means no other tab hears; this tab is already woken.
            let _ = channel.post_message(&text.into());
        }
    }
}

impl Drop for Wakeups {
    fn drop(&mut self) {
        if let Some(channel) = &self.channel {
            channel.set_onmessage(None);
            channel.close();
        }
    }
}

fn wake_local<'a>(waiters: &Waiters, accounts: impl Iterator<Item = &'a AccountId>) {
    let mut waiters = waiters.borrow_mut();
    for account in accounts {
        for waiter in waiters.remove(account).unwrap_or_default() {
            // The poll may have ended meanwhile (timeout, logout): nothing to wake then.
            let _ = waiter.send(());
        }
    }
}
