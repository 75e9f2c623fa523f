//! The server's counters and their Prometheus text (`GET /metrics`). Plain atomics: a
//! request adds to them without a lock, a scrape reads them.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds (seconds) of the wake-up lag histogram's buckets.
const LAG_BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

/// Counters kept while the server runs.
#[derive(Debug, Default)]
pub struct Metrics {
    sends: AtomicU64,
    retries: AtomicU64,
    conflicts_given_up: AtomicU64,
    hints_sent: AtomicU64,
    hints_dropped: AtomicU64,
    hints_received: AtomicU64,
    lag_buckets: [AtomicU64; LAG_BUCKETS.len()],
    lag_count: AtomicU64,
    lag_sum_micros: AtomicU64,
    client_calls: AtomicU64,
    client_failures: AtomicU64,
    connections_refused: AtomicU64,
    polls_refused: AtomicU64,
    polls_displaced: AtomicU64,
}

/// The gauges read at scrape time.
#[derive(Debug, Clone, Copy)]
pub struct Gauges {
    /// Long polls waiting.
    pub polls_held: usize,
    /// Accounts with a long poll waiting.
    pub accounts_waiting: usize,
}

fn add(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

impl Metrics {
    /// A connection past a cap was turned away.
    pub fn connection_refused(&self) {
        add(&self.connections_refused);
    }

    /// A long poll past its address's cap was refused.
    pub fn poll_refused(&self) {
        add(&self.polls_refused);
    }

    /// A held long poll was answered early to make room for its account's newest.
    pub fn poll_displaced(&self) {
        add(&self.polls_displaced);
    }

    /// A message send was asked for.
    pub fn send(&self) {
        add(&self.sends);
    }

    /// A client (webim.js 1.7's `imopenstat/web_report`) reported `calls` of its own calls,
    /// `failed` of which failed.
    pub fn client_report(&self, calls: usize, failed: usize) {
        let wide = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        self.client_calls.fetch_add(wide(calls), Ordering::Relaxed);
        self.client_failures
            .fetch_add(wide(failed), Ordering::Relaxed);
    }

    /// A command lost a race in the database and runs again.
    pub fn retry(&self) {
        add(&self.retries);
    }

    /// A command lost every race it ran and the client got an error to retry.
    pub fn gave_up(&self) {
        add(&self.conflicts_given_up);
    }

    /// A wake-up hint went to the other processes.
    pub fn hint_sent(&self) {
        add(&self.hints_sent);
    }

    /// A wake-up hint could not be sent (the bus is away); long polls find the change at
    /// their next look.
    pub fn hint_dropped(&self) {
        add(&self.hints_dropped);
    }

    /// A hint from another process arrived `lag` after it was sent.
    pub fn hint_received(&self, lag: Duration) {
        add(&self.hints_received);
        let seconds = lag.as_secs_f64();
        for (bound, count) in LAG_BUCKETS.iter().zip(&self.lag_buckets) {
            if seconds <= *bound {
                add(count);
            }
        }
        add(&self.lag_count);
        let micros = u64::try_from(lag.as_micros()).unwrap_or(u64::MAX);
        self.lag_sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// Everything, in the Prometheus text format.
    pub fn render(&self, gauges: Gauges) -> String {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut out = String::new();
        let mut one = |name: &str, kind: &str, help: &str, value: String| {
            let _ = write!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"
            );
        };
        one(
            "webim_longpolls_held",
            "gauge",
            "Long polls waiting for something to happen.",
            gauges.polls_held.to_string(),
        );
        one(
            "webim_accounts_waiting",
            "gauge",
            "Accounts with at least one long poll held.",
            gauges.accounts_waiting.to_string(),
        );
        one(
            "webim_connections_refused_total",
            "counter",
            "Connections turned away past --max-connections or its per-address cap.",
            get(&self.connections_refused).to_string(),
        );
        one(
            "webim_longpolls_refused_total",
            "counter",
            "Long polls refused past --max-polls-per-address.",
            get(&self.polls_refused).to_string(),
        );
        one(
            "webim_longpolls_displaced_total",
            "counter",
            "Held long polls answered early for a newer one of their account.",
            get(&self.polls_displaced).to_string(),
        );
        one(
            "webim_sends_total",
            "counter",
            "Message sends asked for.",
            get(&self.sends).to_string(),
        );
        one(
            "webim_client_reported_calls_total",
            "counter",
            "Calls that clients (webim.js 1.7) reported of their own.",
            get(&self.client_calls).to_string(),
        );
        one(
            "webim_client_reported_failures_total",
            "counter",
            "Of the calls clients reported, those that failed.",
            get(&self.client_failures).to_string(),
        );
        one(
            "webim_transaction_retries_total",
            "counter",
            "Commands run again after losing a race with another transaction.",
            get(&self.retries).to_string(),
        );
        one(
            "webim_transaction_conflicts_failed_total",
            "counter",
            "Commands that lost every retry (the client got an error and retries).",
            get(&self.conflicts_given_up).to_string(),
        );
        one(
            "webim_wake_hints_sent_total",
            "counter",
            "Wake-up hints published to the other processes.",
            get(&self.hints_sent).to_string(),
        );
        one(
            "webim_wake_hints_dropped_total",
            "counter",
            "Wake-up hints that could not be published.",
            get(&self.hints_dropped).to_string(),
        );
        one(
            "webim_wake_hints_received_total",
            "counter",
            "Wake-up hints received from other processes.",
            get(&self.hints_received).to_string(),
        );
        let _ = writeln!(
            out,
            "# HELP webim_wake_lag_seconds From a write's commit in one process to the \
             wake-up hint's arrival in another.\n# TYPE webim_wake_lag_seconds histogram"
        );
        for (bound, count) in LAG_BUCKETS.iter().zip(&self.lag_buckets) {
            let _ = writeln!(
                out,
                "webim_wake_lag_seconds_bucket{{le=\"{bound}\"}} {}",
                get(count)
            );
        }
        let count = get(&self.lag_count);
        let _ = writeln!(
            out,
            "webim_wake_lag_seconds_bucket{{le=\"+Inf\"}} {count}\n\
             webim_wake_lag_seconds_sum {}\nwebim_wake_lag_seconds_count {count}",
            get(&self.lag_sum_micros) as f64 / 1e6
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_the_lag_histogram_is_cumulative() {
        let m = Metrics::default();
        m.hint_received(Duration::from_millis(3));
        m.hint_received(Duration::from_millis(700));
        let text = m.render(Gauges {
            polls_held: 2,
            accounts_waiting: 1,
        });
        assert!(text.contains("webim_wake_lag_seconds_bucket{le=\"0.001\"} 0\n"));
        assert!(text.contains("webim_wake_lag_seconds_bucket{le=\"0.005\"} 1\n"));
        assert!(text.contains("webim_wake_lag_seconds_bucket{le=\"1\"} 2\n"));
        assert!(text.contains("webim_wake_lag_seconds_bucket{le=\"+Inf\"} 2\n"));
        assert!(text.contains("webim_wake_lag_seconds_count 2\n"));
        assert!(text.contains("webim_longpolls_held 2\n"));
    }
}
