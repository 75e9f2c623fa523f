//! The service in the server: runs a verified caller's command (again, if it lost a race
//! in a shared database), wakes the long polls of the accounts a write concerns (here and,
//! through the hint bus, in every other process), and holds a long poll until something
//! is pending for its account, its timeout passes, or the server shuts down. A held poll
//! costs a small future and a wake-up entry: no thread, no database connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;
use webim_proto::openim::longpolling;
use webim_proto::{Command, ErrorCode, Status, Timestamp};
use webim_service::{Caller, Json, Service};

use crate::hints::Hints;
use crate::metrics::{Gauges, Metrics};
use crate::store::ServerStore;
use crate::wake::Wakeups;

/// How many times a command that lost a race runs in all before the client is told. With
/// pauses of up to 64 ms from the sixth on, the last attempt starts about a second after
/// the first at most: hot rows (a ring of 32 senders each writing to the next, in the
/// benchmark) lost 12 in a row once in the about 100,000 sends of six benchmark runs.
const ATTEMPTS: u32 = 30;

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
    service: Service<ServerStore>,
    wake: Arc<Wakeups>,
    cluster: Cluster,
    metrics: Arc<Metrics>,
    poll_max: Duration,
    shutdown: watch::Receiver<bool>,
    held: AtomicUsize,
}

/// How this process learns of other processes' writes.
#[derive(Debug, Clone, Default)]
pub struct Cluster {
    /// The hint bus, if any.
    pub hints: Option<Hints>,
    /// How often a held long poll looks at the database on its own; `None` when this
    /// process is the database's only writer (its own wake-ups are never lost).
    pub recheck: Option<Duration>,
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
    pub fn new(
        store: ServerStore,
        poll_max: Duration,
        shutdown: watch::Receiver<bool>,
        cluster: Cluster,
        wake: Arc<Wakeups>,
        metrics: Arc<Metrics>,
    ) -> Self {
        let held_secs = u32::try_from(poll_max.as_secs()).unwrap_or(u32::MAX);
        Self {
            service: Service::new(store).with_long_poll_secs(held_secs),
            wake,
            cluster,
            metrics,
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
    pub fn service(&self) -> &Service<ServerStore> {
        &self.service
    }

    /// The wake-ups (for metrics and tests).
    pub fn wakeups(&self) -> &Wakeups {
        &self.wake
    }

    /// The counters and gauges in the Prometheus text format.
    pub fn render_metrics(&self) -> String {
        self.metrics.render(Gauges {
            polls_held: self.long_polls_held(),
            accounts_waiting: self.wake.accounts_waiting(),
        })
    }

    /// The hint bus, if this process has one.
    pub fn hints(&self) -> Option<&Hints> {
        self.cluster.hints.as_ref()
    }

    /// Runs `command` for `caller` (already verified) and answers with the reply's JSON.
    pub async fn request(&self, caller: &Caller, command: Command, body: &str) -> String {
        if command == Command::LongPolling {
            return self.long_poll(caller, body).await;
        }
        if command == Command::SendMsg {
            self.metrics.send();
        }
        // Only a long poll may have nothing to say; anything else without an answer is the
        // service failing, and says so.
        self.handle(caller, command, body).await.unwrap_or_else(|| {
            let failure = Status::fail(
                ErrorCode::ServiceError,
                format!("{} gave no answer", command.path()),
            );
            serde_json::to_string(&failure).unwrap_or_default()
        })
    }

    async fn handle(&self, caller: &Caller, command: Command, body: &str) -> Option<String> {
        // Boxed: the service's future is about 9 kB, and a long poll waiting between two
        // looks must not carry it (a held poll costs what its wait needs, a few hundred
        // bytes).
        let me = &caller.account;
        let mut attempt = 1;
        let handled = loop {
            let handled =
                Box::pin(self.service.handle_as(&Json, caller, command, body, now())).await;
            if !handled.conflict {
                break handled;
            }
            if attempt == ATTEMPTS {
                self.metrics.gave_up();
                tracing::warn!(%me, ?command, "a command lost {ATTEMPTS} races in a row");
                break handled;
            }
            // Nothing of the lost attempt landed: run it again after a short pause, drawn
            // at random so the racers do not meet again.
            self.metrics.retry();
            tokio::time::sleep(retry_pause(attempt)).await;
            attempt += 1;
        };
        if let Some(reported) = handled.reported {
            self.metrics.client_report(reported.calls, reported.failed);
        }
        self.wake.wake(&handled.wake);
        if let Some(hints) = &self.cluster.hints {
            hints.publish(&handled.wake);
        }
        handled.reply
    }

    async fn long_poll(&self, caller: &Caller, body: &str) -> String {
        let me = &caller.account;
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
            if let Some(reply) = self.handle(caller, Command::LongPolling, body).await {
                return reply;
            }
            if wait.is_zero() || *shutdown.borrow() {
                return Service::<ServerStore>::long_poll_timeout(body);
            }
            held.get_or_insert_with(|| Held::new(&self.held));
            let recheck = async {
                match self.cluster.recheck {
                    Some(every) => tokio::time::sleep(every).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = woken => {}
                // A hint lost on the bus delays a delivery by this much at most.
                () = recheck => {}
                () = tokio::time::sleep_until(deadline) => {
                    return Service::<ServerStore>::long_poll_timeout(body);
                }
                _ = shutdown.wait_for(|down| *down) => {
                    return Service::<ServerStore>::long_poll_timeout(body);
                }
            }
        }
    }
}

/// The pause before attempt `attempt + 1`: up to 2, 4, 8 … 64 ms, drawn at random.
fn retry_pause(attempt: u32) -> Duration {
    let ceiling = 1u64 << attempt.min(6);
    let mut bytes = [0u8; 2];
    getrandom::fill(&mut bytes).unwrap_or_default();
    let micros = u64::from(u16::from_le_bytes(bytes)) * ceiling * 1000 / u64::from(u16::MAX);
    Duration::from_micros(micros.max(100))
}
