//! The service in the server: runs a verified caller's command (again, if it lost a race
//! in a shared database), wakes the long polls of the accounts a write concerns (here and,
//! through the hint bus, in every other process), and holds a long poll until something
//! is pending for its account, its timeout passes, or the server shuts down (the service's
//! own loop, waiting as [`HeldPoll`] says). A held poll costs a small future and a wake-up
//! entry: no thread, no database connection.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;
use webim_proto::{Command, ErrorCode, Status, Timestamp};
use webim_service::{Caller, Handled, Json, PollWait, Service, Waited};

use crate::files::ServerFiles;
use crate::hints::Hints;
use crate::limits::PerAddress;
use crate::metrics::{Gauges, Metrics};
use crate::store::ServerStore;
use crate::wake::{ProcessWakeups, Subscription};

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
pub struct ServerBackend {
    service: Service<ServerStore, ServerFiles>,
    wake: Arc<ProcessWakeups>,
    cluster: Cluster,
    metrics: Arc<Metrics>,
    poll_max: Duration,
    shutdown: watch::Receiver<bool>,
    held: AtomicUsize,
    caps: PollCaps,
    by_address: Arc<PerAddress>,
}

/// How many long polls may be held at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollCaps {
    /// Per account: one more answers the oldest at once.
    pub per_account: usize,
    /// Per client address (an IPv6 /64): one more is refused.
    pub per_address: usize,
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

impl ServerBackend {
    /// The service over `store`; long polls are held at most `poll_max`, and answered at once
    /// when `shutdown` turns true.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        store: ServerStore,
        files: ServerFiles,
        poll_max: Duration,
        shutdown: watch::Receiver<bool>,
        cluster: Cluster,
        wake: Arc<ProcessWakeups>,
        metrics: Arc<Metrics>,
        caps: PollCaps,
    ) -> Self {
        let held_secs = u32::try_from(poll_max.as_secs()).unwrap_or(u32::MAX);
        Self {
            service: Service::new(store)
                .with_long_poll_secs(held_secs)
                .with_files(files),
            wake,
            cluster,
            metrics,
            poll_max,
            shutdown,
            held: AtomicUsize::new(0),
            caps,
            by_address: Arc::default(),
        }
    }

    /// How many long polls are held (waiting) right now.
    pub fn long_polls_held(&self) -> usize {
        self.held.load(Ordering::Relaxed)
    }

    /// The service (for the operator's calls and the first-run data).
    pub fn service(&self) -> &Service<ServerStore, ServerFiles> {
        &self.service
    }

    /// The wake-ups (for metrics and tests).
    pub fn wakeups(&self) -> &ProcessWakeups {
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

    /// Runs `command` for `caller` (already verified), asked from the client address
    /// `from`: the answer's JSON and its code.
    pub async fn request(
        &self,
        caller: &Caller,
        command: Command,
        body: &str,
        from: IpAddr,
    ) -> Answered {
        if command == Command::LongPolling {
            return self.long_poll(caller, body, from).await;
        }
        if command == Command::SendMsg {
            self.metrics.send();
        }
        let handled = self.handle(caller, command, body).await;
        match handled.reply {
            Some(json) => Answered {
                json,
                code: handled.status,
            },
            // Only a long poll may have nothing to say; anything else without an answer
            // is the service failing, and says so.
            None => {
                let failure = Status::fail(
                    ErrorCode::ServiceError,
                    format!("{} gave no answer", command.path()),
                );
                Answered {
                    json: serde_json::to_string(&failure).unwrap_or_default(),
                    code: ErrorCode::ServiceError,
                }
            }
        }
    }

    async fn handle(&self, caller: &Caller, command: Command, body: &str) -> Handled {
        // Boxed: the service's future is about 9 kB.
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
        handled
    }

    /// Holds a long poll (the service's loop) until something is pending for its account,
    /// its timeout passes, or the server shuts down.
    async fn long_poll(&self, caller: &Caller, body: &str, from: IpAddr) -> Answered {
        // Counted before anything is looked at: a refusal costs no database work.
        let Some(_place) = self.by_address.take(from, self.caps.per_address) else {
            self.metrics.poll_refused();
            let failure = Status::fail(
                ErrorCode::TooManyRequests,
                format!(
                    "{} long polls are held from this address already: end one first",
                    self.caps.per_address
                ),
            );
            return Answered {
                json: serde_json::to_string(&failure).unwrap_or_default(),
                code: ErrorCode::TooManyRequests,
            };
        };
        let (subscription, gave_way) = self.wake.subscribe(&caller.account, self.caps.per_account);
        if gave_way {
            self.metrics.poll_displaced();
        }
        let mut wait = HeldPoll {
            backend: self,
            displaced: subscription.displaced(),
            subscription,
            shutdown: self.shutdown.clone(),
            deadline: None,
        };
        let handled = self
            .service
            .long_poll(&Json, caller, body, now, &mut wait)
            .await;
        Answered {
            json: handled.reply.unwrap_or_default(),
            code: handled.status,
        }
    }
}

/// A command's answer: its JSON, and its `ErrorCode` (for the HTTP status and the log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    /// The answer.
    pub json: String,
    /// Its code (`Ok` when OK).
    pub code: ErrorCode,
}

/// How a long poll waits here: on its account's wake-ups, a re-check now and then when
/// other processes share the database, its deadline, and shutdown. No thread and no
/// database connection while it waits.
struct HeldPoll<'a> {
    backend: &'a ServerBackend,
    subscription: Subscription<'a>,
    /// Told when a newer poll of the account took this one's place: it answers at once.
    displaced: Arc<tokio::sync::Notify>,
    shutdown: watch::Receiver<bool>,
    deadline: Option<tokio::time::Instant>,
}

impl<'a> PollWait for HeldPoll<'a> {
    type Armed = std::pin::Pin<Box<dyn Future<Output = Waited> + Send + 'a>>;

    fn arm(&mut self, timeout: u32) -> Self::Armed {
        let backend = self.backend;
        let deadline = *self.deadline.get_or_insert_with(|| {
            let asked = Duration::from_secs(u64::from(timeout));
            tokio::time::Instant::now() + asked.min(backend.poll_max)
        });
        // Listening before looking: a write between the look and the wait still wakes.
        let mut woken = Box::pin(self.subscription.shared_notify().notified_owned());
        woken.as_mut().enable();
        let mut shutdown = self.shutdown.clone();
        let displaced = Arc::clone(&self.displaced);
        Box::pin(async move {
            if tokio::time::Instant::now() >= deadline || *shutdown.borrow() {
                return Waited::Over;
            }
            let _held = Held::new(&backend.held);
            let recheck = async {
                match backend.cluster.recheck {
                    Some(every) => tokio::time::sleep(every).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = woken => Waited::Woken,
                () = displaced.notified() => Waited::Over,
                // A hint lost on the bus delays a delivery by this much at most.
                () = recheck => Waited::Woken,
                () = tokio::time::sleep_until(deadline) => Waited::Over,
                _ = shutdown.wait_for(|down| *down) => Waited::Over,
            }
        })
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
