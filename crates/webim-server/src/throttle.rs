//! Failed logins counted per key (an account, an address) over a sliding window: past the
//! limit, further attempts are refused until the oldest failure leaves the window. Pure:
//! the time is an argument, so the rules are tested without waiting.

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

/// How many keys are remembered at most; past that the longest-quiet ones are forgotten
/// (a flood of made-up account names cannot grow memory without bound).
const MAX_KEYS: usize = 100_000;

/// Failures per key within a window.
#[derive(Debug)]
pub struct Throttle {
    limit: usize,
    window: Duration,
    failures: BTreeMap<String, VecDeque<Instant>>,
}

impl Throttle {
    /// At most `limit` failures per key within `window`.
    pub fn new(limit: usize, window: Duration) -> Self {
        Self {
            limit,
            window,
            failures: BTreeMap::new(),
        }
    }

    fn forget_old(&mut self, key: &str, now: Instant) {
        if let Some(times) = self.failures.get_mut(key) {
            while times
                .front()
                .is_some_and(|t| now.saturating_duration_since(*t) >= self.window)
            {
                times.pop_front();
            }
            if times.is_empty() {
                self.failures.remove(key);
            }
        }
    }

    /// `Err(wait)` if `key` is over its limit at `now`: how long until it may try again.
    pub fn check(&mut self, key: &str, now: Instant) -> Result<(), Duration> {
        self.forget_old(key, now);
        match self.failures.get(key) {
            Some(times) if times.len() >= self.limit => {
                let oldest = times.front().copied().unwrap_or(now);
                Err(self
                    .window
                    .saturating_sub(now.saturating_duration_since(oldest)))
            }
            _ => Ok(()),
        }
    }

    /// Counts a failure of `key` at `now`.
    pub fn fail(&mut self, key: &str, now: Instant) {
        self.forget_old(key, now);
        if self.failures.len() >= MAX_KEYS && !self.failures.contains_key(key) {
            self.evict_quietest();
        }
        self.failures
            .entry(key.to_owned())
            .or_default()
            .push_back(now);
    }

    /// A success of `key`: its failures are forgiven.
    pub fn succeed(&mut self, key: &str) {
        self.failures.remove(key);
    }

    fn evict_quietest(&mut self) {
        let quietest = self
            .failures
            .iter()
            .min_by_key(|(_, times)| times.back().copied())
            .map(|(k, _)| k.clone());
        if let Some(key) = quietest {
            self.failures.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_past_the_limit_a_key_waits_for_its_oldest_failure_to_leave_the_window() {
        let start = Instant::now();
        let mut t = Throttle::new(3, Duration::from_secs(60));
        for i in 0..3 {
            assert_eq!(t.check("a", start + Duration::from_secs(i)), Ok(()));
            t.fail("a", start + Duration::from_secs(i));
        }
        assert_eq!(
            t.check("a", start + Duration::from_secs(10)),
            Err(Duration::from_secs(50))
        );
        assert_eq!(t.check("b", start), Ok(()), "other keys are not held up");
        assert_eq!(t.check("a", start + Duration::from_secs(60)), Ok(()));
    }

    #[test]
    fn test_a_success_forgives_earlier_failures() {
        let now = Instant::now();
        let mut t = Throttle::new(2, Duration::from_secs(60));
        t.fail("a", now);
        t.succeed("a");
        t.fail("a", now);
        assert_eq!(t.check("a", now), Ok(()));
    }
}
