//! The service in the server: runs a verified caller's command, wakes the long polls of the
//! accounts a write concerns, and holds a long poll until something is pending for its
//! account, its timeout passes, or the server shuts down. A held poll costs a small future
//! and a wake-up entry: no thread, no database connection.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;
use webim_proto::openim::longpolling;
use webim_proto::{AccountId, Command, ErrorCode, Status, Timestamp};
use webim_service::Service;

use crate::store::SqliteStore;
use crate::wake::Wakeups;

/// The current Unix time in seconds: the service's clock.
pub fn now() -> Timestamp {
    Timestamp(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
}

/// The service, its wake-ups and the long-poll rules.
#[derive(Debug)]
pub struct Backend {
    service: Service<SqliteStore>,
    wake: Wakeups,
    poll_max: Duration,
    shutdown: watch::Receiver<bool>,
    held: AtomicUsize,
}

/// Counts a long poll as held while it lives.
struct Held<'a>(&'a AtomicUsize);

impl<'a> Held<'a> {
    fn new(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Self(count)
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Backend {
    /// The service over `store`; long polls are held at most `poll_max`, and answered at once
    /// when `shutdown` turns true.
    pub fn new(store: SqliteStore, poll_max: Duration, shutdown: watch::Receiver<bool>) -> Self {
        Self {
            service: Service::new(store),
            wake: Wakeups::default(),
            poll_max,
            shutdown,
            held: AtomicUsize::new(0),
        }
    }

    /// How many long polls are held (waiting) right now.
    pub fn long_polls_held(&self) -> usize {
        self.held.load(Ordering::Relaxed)
    }

    /// The service (for the operator's calls and the first-run data).
    pub fn service(&self) -> &Service<SqliteStore> {
        &self.service
    }

    /// The wake-ups (for metrics and tests).
    pub fn wakeups(&self) -> &Wakeups {
        &self.wake
    }

    /// Runs `command` for `me` (already verified) and answers with the reply's JSON.
    pub async fn request(&self, me: &AccountId, command: Command, body: &str) -> String {
        if command == Command::LongPolling {
            return self.long_poll(me, body).await;
        }
        // Only a long poll may have nothing to say; anything else without an answer is the
        // service failing, and says so.
        self.handle(me, command, body).await.unwrap_or_else(|| {
            let failure = Status::fail(
                ErrorCode::ServiceError,
                format!("{} gave no answer", command.path()),
            );
            serde_json::to_string(&failure).unwrap_or_default()
        })
    }

    async fn handle(&self, me: &AccountId, command: Command, body: &str) -> Option<String> {
        // The sig was checked at the door; the service only needs to know there was one.
        // Boxed: the service's future is about 9 kB, and a long poll waiting between two
        // looks must not carry it (a held poll costs what its wait needs, a few hundred
        // bytes).
        let handled = Box::pin(
            self.service
                .handle(me.as_str(), "verified", command, body, now()),
        )
        .await;
        self.wake.wake(&handled.wake);
        handled.reply
    }

    async fn long_poll(&self, me: &AccountId, body: &str) -> String {
        let asked = serde_json::from_str::<longpolling::Request>(body)
            .map(|r| Duration::from_secs(u64::from(r.timeout)));
        let wait = match asked {
            Ok(asked) => asked.min(self.poll_max),
            // A broken body gets the service's own error at once.
            Err(_) => Duration::ZERO,
        };
        let deadline = tokio::time::Instant::now() + wait;
        let subscription = self.wake.subscribe(me);
        let mut shutdown = self.shutdown.clone();
        let mut held = None;
        loop {
            let woken = subscription.notify().notified();
            let mut woken = std::pin::pin!(woken);
            // Listening before looking: a write between the look and the wait still wakes.
            woken.as_mut().enable();
            if let Some(reply) = self.handle(me, Command::LongPolling, body).await {
                return reply;
            }
            if wait.is_zero() || *shutdown.borrow() {
                return Service::<SqliteStore>::long_poll_timeout(body);
            }
            held.get_or_insert_with(|| Held::new(&self.held));
            tokio::select! {
                () = woken => {}
                () = tokio::time::sleep_until(deadline) => {
                    return Service::<SqliteStore>::long_poll_timeout(body);
                }
                _ = shutdown.wait_for(|down| *down) => {
                    return Service::<SqliteStore>::long_poll_timeout(body);
                }
            }
        }
    }
}
