//! Wake-up hints between server processes over NATS (`--nats`). A committed write publishes
//! the accounts it concerns; every other process wakes its own held long polls for them.
//!
//! A hint is only a hint: the database is the truth. A hint lost (the bus restarting, a
//! process not subscribed yet) delays a delivery until the long poll's own re-check, and
//! when the connection comes back every local poll looks again at once. Publishing never
//! waits: a request hands its hint to a bounded queue, and a full queue drops it.
//!
//! The payload is text: the sender's process id, the send time in microseconds since the
//! Unix epoch (for the lag metric; clocks of one host, or NTP-close ones), then one account
//! per line.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_nats::connection::State;
use async_nats::{Client, ConnectOptions, Event};
use futures_util::StreamExt;
use tokio::sync::mpsc;
use webim_proto::AccountId;

use crate::metrics::Metrics;
use crate::wake::ProcessWakeups;

/// The subject every process publishes hints on and listens to.
pub const SUBJECT: &str = "webim.wake";
/// Hints waiting to be published; beyond this they are dropped (polls re-check anyway).
const QUEUE: usize = 4096;

/// This process's end of the hint bus.
#[derive(Debug, Clone)]
pub struct Hints {
    client: Client,
    queue: mpsc::Sender<Vec<AccountId>>,
    metrics: Arc<Metrics>,
}

/// Microseconds since the Unix epoch.
fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
}

/// A hint's text.
pub fn encode(origin: u64, sent_micros: u64, accounts: &[AccountId]) -> String {
    let mut text = format!("{origin}\n{sent_micros}");
    for account in accounts {
        text.push('\n');
        text.push_str(account.as_str());
    }
    text
}

/// A hint's sender, send time and accounts; `None` if it is not one of ours.
pub fn decode(text: &str) -> Option<(u64, u64, Vec<AccountId>)> {
    let mut lines = text.lines();
    let origin = lines.next()?.parse().ok()?;
    let sent = lines.next()?.parse().ok()?;
    let accounts = lines.map(AccountId::new).collect::<Result<_, _>>().ok()?;
    Some((origin, sent, accounts))
}

impl Hints {
    /// Connects to the NATS server at `url` (retrying in the background if it is not up
    /// yet) and starts waking `wakeups` for hints from other processes.
    pub async fn connect(
        url: &str,
        wakeups: Arc<ProcessWakeups>,
        metrics: Arc<Metrics>,
    ) -> Result<Self, async_nats::ConnectError> {
        let origin = {
            let mut bytes = [0u8; 8];
            getrandom::fill(&mut bytes).unwrap_or_default();
            u64::from_le_bytes(bytes)
        };
        let on_event = Arc::clone(&wakeups);
        let client = ConnectOptions::new()
            .name("webim-server")
            .retry_on_initial_connect()
            // Back quickly after the bus restarts: hints are lost while it is away.
            .reconnect_delay_callback(|attempts| {
                Duration::from_millis(100 * u64::try_from(attempts).unwrap_or(10).min(10))
            })
            .event_callback(move |event| {
                let wakeups = Arc::clone(&on_event);
                async move {
                    match event {
                        Event::Connected => {
                            tracing::info!("NATS connected: every held long poll looks again");
                            wakeups.wake_all();
                        }
                        Event::Disconnected => tracing::warn!("NATS disconnected"),
                        other => tracing::info!("NATS: {other}"),
                    }
                }
            })
            .connect(url)
            .await?;
        let subscriber = client.subscribe(SUBJECT).await.map_err(|e| {
            async_nats::ConnectError::with_source(async_nats::ConnectErrorKind::Io, e)
        })?;
        let listen_metrics = Arc::clone(&metrics);
        tokio::spawn(async move {
            let mut subscriber = subscriber;
            while let Some(message) = subscriber.next().await {
                let Ok(text) = std::str::from_utf8(&message.payload) else {
                    continue;
                };
                let Some((from, sent, accounts)) = decode(text) else {
                    tracing::debug!("a wake-up hint that is not ours");
                    continue;
                };
                if from == origin {
                    continue;
                }
                let lag = now_micros().saturating_sub(sent);
                listen_metrics.hint_received(Duration::from_micros(lag));
                wakeups.wake(&accounts);
            }
        });
        let (queue, mut outbox) = mpsc::channel::<Vec<AccountId>>(QUEUE);
        let publisher = client.clone();
        let publish_metrics = Arc::clone(&metrics);
        tokio::spawn(async move {
            while let Some(accounts) = outbox.recv().await {
                let text = encode(origin, now_micros(), &accounts);
                match publisher.publish(SUBJECT, text.into()).await {
                    Ok(()) => publish_metrics.hint_sent(),
                    Err(e) => {
                        tracing::debug!("a wake-up hint was not published: {e}");
                        publish_metrics.hint_dropped();
                    }
                }
            }
        });
        Ok(Self {
            client,
            queue,
            metrics,
        })
    }

    /// Tells the other processes that these accounts have news.
    pub fn publish<'a>(&self, accounts: impl IntoIterator<Item = &'a AccountId>) {
        let accounts: Vec<AccountId> = accounts.into_iter().cloned().collect();
        if accounts.is_empty() {
            return;
        }
        if self.queue.try_send(accounts).is_err() {
            self.metrics.hint_dropped();
        }
    }

    /// True while connected to the bus (readiness).
    pub fn is_connected(&self) -> bool {
        self.client.connection_state() == State::Connected
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_a_hint_reads_back_and_foreign_text_is_refused() {
        let accounts = [
            AccountId::new("alice").unwrap(),
            AccountId::new("bob").unwrap(),
        ];
        let text = encode(7, 1_000, &accounts);
        assert_eq!(decode(&text), Some((7, 1_000, accounts.to_vec())));
        assert_eq!(decode("hello"), None);
        assert_eq!(decode("1\n2\nnot an id!"), None);
    }
}
