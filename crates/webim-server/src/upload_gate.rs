//! The gate an upload's slice passes before its body is read: a slice may be megabytes,
//! so only a few are read at once on the whole server (`--max-upload-bodies`), and one
//! account may take only a few of those (`--max-upload-bodies-per-account`). Others wait
//! their turn for a while, then are told to try again: without the gate, every open
//! connection could hold a slice in memory at once.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use webim_proto::AccountId;

/// The gate; shared by every request.
#[derive(Debug)]
pub struct UploadGate {
    all: Arc<Semaphore>,
    per_account: usize,
    accounts: Mutex<BTreeMap<AccountId, Arc<Semaphore>>>,
    wait: Duration,
}

/// A slice's turn: while it is held, its body may be read and handled.
#[derive(Debug)]
pub struct UploadPass {
    gate: Arc<UploadGate>,
    account: AccountId,
    own: Option<OwnedSemaphorePermit>,
    _all: OwnedSemaphorePermit,
}

/// Why a slice did not get its turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateBusy {
    /// How long it waited.
    pub waited: Duration,
}

impl UploadGate {
    /// `all` bodies at once, `per_account` of them one account's, each waiting at most
    /// `wait` for its turn.
    pub fn new(all: usize, per_account: usize, wait: Duration) -> Arc<Self> {
        Arc::new(Self {
            all: Arc::new(Semaphore::new(all.max(1))),
            per_account: per_account.max(1),
            accounts: Mutex::default(),
            wait,
        })
    }

    fn accounts(&self) -> MutexGuard<'_, BTreeMap<AccountId, Arc<Semaphore>>> {
        // Each change under the lock is one map operation: a panic cannot leave it torn.
        self.accounts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for `account`'s turn: first among its own slices, then on the server.
    pub async fn enter(self: &Arc<Self>, account: &AccountId) -> Result<UploadPass, GateBusy> {
        let own = Arc::clone(
            self.accounts()
                .entry(account.clone())
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_account))),
        );
        // The pending place exists before the wait, so a wait given up (or dropped with
        // its request) still tidies the map.
        let _pending = PendingPass {
            gate: Arc::clone(self),
            account: account.clone(),
            own: Some(Arc::clone(&own)),
        };
        let taken = tokio::time::timeout(self.wait, async {
            let own = own.acquire_owned().await.ok()?;
            let all = Arc::clone(&self.all).acquire_owned().await.ok()?;
            Some((own, all))
        })
        .await;
        match taken {
            Ok(Some((own, all))) => Ok(UploadPass {
                gate: Arc::clone(self),
                account: account.clone(),
                own: Some(own),
                _all: all,
            }),
            Ok(None) | Err(_) => Err(GateBusy { waited: self.wait }),
        }
    }

    /// Forgets `account`'s count once nobody holds or waits for it, so the map holds
    /// only accounts uploading now.
    fn tidy(&self, account: &AccountId) {
        let mut accounts = self.accounts();
        // The map's own reference is the only one left: nobody holds or waits.
        if accounts
            .get(account)
            .is_some_and(|own| Arc::strong_count(own) == 1)
        {
            accounts.remove(account);
        }
    }

    /// Accounts with a slice read or waiting now.
    pub fn accounts_in_use(&self) -> usize {
        self.accounts().len()
    }
}

/// An account's place while it waits: dropped, it tidies the map.
struct PendingPass {
    gate: Arc<UploadGate>,
    account: AccountId,
    own: Option<Arc<Semaphore>>,
}

impl Drop for PendingPass {
    fn drop(&mut self) {
        drop(self.own.take());
        self.gate.tidy(&self.account);
    }
}

impl Drop for UploadPass {
    fn drop(&mut self) {
        // The permit holds its semaphore: give it back before counting who is left.
        drop(self.own.take());
        self.gate.tidy(&self.account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(name: &str) -> AccountId {
        AccountId::new(name).unwrap()
    }

    #[tokio::test]
    async fn test_one_account_takes_at_most_its_share_and_others_still_pass() {
        let gate = UploadGate::new(3, 2, Duration::from_millis(50));
        let eve = account("eve");
        let first = gate.enter(&eve).await.unwrap();
        let _second = gate.enter(&eve).await.unwrap();
        assert_eq!(
            gate.enter(&eve).await.unwrap_err().waited,
            Duration::from_millis(50)
        );
        let _ann = gate.enter(&account("ann")).await.unwrap();
        // The server's three are taken: a fourth account waits too.
        assert!(gate.enter(&account("bob")).await.is_err());
        drop(first);
        let _third = gate.enter(&eve).await.unwrap();
    }

    #[tokio::test]
    async fn test_the_map_forgets_accounts_once_their_slices_are_done() {
        let gate = UploadGate::new(4, 1, Duration::from_millis(50));
        let pass = gate.enter(&account("eve")).await.unwrap();
        assert!(gate.enter(&account("eve")).await.is_err());
        assert_eq!(gate.accounts_in_use(), 1);
        drop(pass);
        assert_eq!(gate.accounts_in_use(), 0);
        let waiting = {
            let gate = Arc::clone(&gate);
            tokio::spawn(async move { gate.enter(&account("ann")).await.map(drop) })
        };
        waiting.await.unwrap().unwrap();
        assert_eq!(gate.accounts_in_use(), 0);
    }
}
