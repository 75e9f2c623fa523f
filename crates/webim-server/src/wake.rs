//! Wake-ups inside one server process: a held long poll waits on its account's own
//! [`Notify`], and a committed write wakes exactly the accounts it concerns. One small
//! entry per account with a poll held, gone when its last poll ends; no broadcast channel
//! that a slow receiver could lag behind. An account holds at most so many polls: one
//! more answers its oldest at once (told through that poll's own `displaced`), so a
//! wake-up never costs more than that many looks at the database.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::Notify;
use webim_proto::AccountId;

/// The accounts with long polls held here, and what wakes them.
#[derive(Debug, Default)]
pub struct ProcessWakeups {
    waiting: Mutex<BTreeMap<AccountId, Entry>>,
    numbers: AtomicU64,
}

#[derive(Debug)]
struct Entry {
    notify: Arc<Notify>,
    /// The held polls, oldest first: each one's number and what tells it to give way.
    polls: VecDeque<(u64, Arc<Notify>)>,
}

/// One held long poll's claim on its account's wake-ups; drop it when the poll ends.
#[derive(Debug)]
pub struct Subscription<'a> {
    wakeups: &'a ProcessWakeups,
    account: AccountId,
    notify: Arc<Notify>,
    number: u64,
    displaced: Arc<Notify>,
}

impl Subscription<'_> {
    /// What this poll waits on. Create the `notified()` future and `enable()` it before
    /// looking at the database, so a wake-up between the look and the wait is kept.
    pub fn notify(&self) -> &Notify {
        &self.notify
    }

    /// The same, to be waited on by a future that owns it.
    pub fn shared_notify(&self) -> Arc<Notify> {
        Arc::clone(&self.notify)
    }

    /// Told once when a newer poll of the account took this one's place (the permit is
    /// kept, so it is heard even if nothing waits at that moment).
    pub fn displaced(&self) -> Arc<Notify> {
        Arc::clone(&self.displaced)
    }
}

impl Drop for Subscription<'_> {
    fn drop(&mut self) {
        let mut waiting = self.wakeups.lock();
        if let Some(entry) = waiting.get_mut(&self.account) {
            entry.polls.retain(|(n, _)| *n != self.number);
            if entry.polls.is_empty() {
                waiting.remove(&self.account);
            }
        }
    }
}

impl ProcessWakeups {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<AccountId, Entry>> {
        // Each change under the lock is one map operation: a panic cannot leave it torn.
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts waiting for `account`'s wake-ups, as at most `cap` polls of it do: past
    /// that its oldest is told to give way. True in the pair when one was.
    pub fn subscribe(&self, account: &AccountId, cap: usize) -> (Subscription<'_>, bool) {
        let number = self.numbers.fetch_add(1, Ordering::Relaxed);
        let displaced = Arc::new(Notify::new());
        let mut waiting = self.lock();
        let entry = waiting.entry(account.clone()).or_insert_with(|| Entry {
            notify: Arc::new(Notify::new()),
            polls: VecDeque::new(),
        });
        let mut gave_way = false;
        while entry.polls.len() >= cap.max(1) {
            if let Some((_, oldest)) = entry.polls.pop_front() {
                oldest.notify_one();
                gave_way = true;
            }
        }
        entry.polls.push_back((number, Arc::clone(&displaced)));
        let subscription = Subscription {
            wakeups: self,
            account: account.clone(),
            notify: Arc::clone(&entry.notify),
            number,
            displaced,
        };
        (subscription, gave_way)
    }

    /// Wakes every poll held for these accounts; accounts with none cost a lookup.
    pub fn wake<'a>(&self, accounts: impl IntoIterator<Item = &'a AccountId>) {
        let notifies: Vec<Arc<Notify>> = {
            let waiting = self.lock();
            accounts
                .into_iter()
                .filter_map(|a| waiting.get(a).map(|e| Arc::clone(&e.notify)))
                .collect()
        };
        for notify in notifies {
            notify.notify_waiters();
        }
    }

    /// Wakes every poll held here (the hint bus came back: hints may have been lost).
    pub fn wake_all(&self) {
        let notifies: Vec<Arc<Notify>> = self
            .lock()
            .values()
            .map(|e| Arc::clone(&e.notify))
            .collect();
        for notify in notifies {
            notify.notify_waiters();
        }
    }

    /// How many accounts have a poll held (for metrics and tests).
    pub fn accounts_waiting(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> AccountId {
        AccountId::new(s).unwrap()
    }

    #[tokio::test]
    async fn test_a_wake_reaches_only_the_accounts_it_names() {
        let wakeups = ProcessWakeups::default();
        let (a, b) = (
            wakeups.subscribe(&id("a"), 4).0,
            wakeups.subscribe(&id("b"), 4).0,
        );
        let mut woken_a = std::pin::pin!(a.notify().notified());
        let mut woken_b = std::pin::pin!(b.notify().notified());
        woken_a.as_mut().enable();
        woken_b.as_mut().enable();
        wakeups.wake([&id("a"), &id("nobody")]);
        tokio::time::timeout(std::time::Duration::from_secs(1), woken_a)
            .await
            .expect("a is woken");
        let b_woke = tokio::time::timeout(std::time::Duration::from_millis(50), woken_b).await;
        assert!(b_woke.is_err(), "b is not woken");
    }

    #[test]
    fn test_entries_go_when_the_last_poll_ends() {
        let wakeups = ProcessWakeups::default();
        let first = wakeups.subscribe(&id("a"), 4).0;
        let second = wakeups.subscribe(&id("a"), 4).0;
        assert_eq!(wakeups.accounts_waiting(), 1);
        drop(first);
        assert_eq!(wakeups.accounts_waiting(), 1);
        drop(second);
        assert_eq!(wakeups.accounts_waiting(), 0);
    }

    #[tokio::test]
    async fn test_past_the_cap_the_oldest_poll_gives_way() {
        let wakeups = ProcessWakeups::default();
        let (first, gave_way) = wakeups.subscribe(&id("a"), 2);
        assert!(!gave_way);
        let (second, _) = wakeups.subscribe(&id("a"), 2);
        let (_third, gave_way) = wakeups.subscribe(&id("a"), 2);
        assert!(gave_way);
        tokio::time::timeout(
            std::time::Duration::from_secs(1),
            first.displaced().notified(),
        )
        .await
        .expect("the oldest is told, even though it was not waiting yet");
        let told = tokio::time::timeout(
            std::time::Duration::from_millis(50),
            second.displaced().notified(),
        )
        .await;
        assert!(told.is_err(), "the second is not");
    }
}
