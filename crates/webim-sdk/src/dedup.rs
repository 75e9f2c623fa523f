//! What `MsgStore` remembers of a session's messages to drop one it already holds (webim.js
//! `msgCache`). Keys usually arrive in order, since one client's numbering only grows: those
//! are appended to a sorted run per direction in constant time, so merging a pull stays
//! linear in its size. A key out of order (another client of the same account, history) is
//! looked up in the run and kept in a tree beside it.

use std::collections::BTreeSet;

/// A message's identity within its session: `(isSend, seq, random)` (docs/sdk.md, "Receiving"; a
/// tuple, not webim.js's numeric sum, and with no 30-minute window, as in 1.7).
pub(crate) type DedupKey = (bool, u64, u32);

/// The keys one session has seen.
#[derive(Debug, Clone, Default)]
pub(crate) struct Seen {
    /// Received (0) and sent (1) keys that came in ascending order, ascending.
    in_order: [Vec<(u64, u32)>; 2],
    /// Keys that came below their run's last key. Every one is below it still, as a run's
    /// last key only grows.
    out_of_order: BTreeSet<DedupKey>,
}

impl Seen {
    /// Remembers `key`; returns false if it was seen before.
    pub(crate) fn insert(&mut self, key: DedupKey) -> bool {
        let (is_send, seq, random) = key;
        let run = &mut self.in_order[usize::from(is_send)];
        let short = (seq, random);
        match run.last() {
            Some(last) if short <= *last => {
                run.binary_search(&short).is_err() && self.out_of_order.insert(key)
            }
            _ => {
                run.push(short);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_keys_in_order_are_new_once() {
        let mut seen = Seen::default();
        assert!(seen.insert((false, 1, 7)));
        assert!(seen.insert((false, 2, 7)));
        assert!(!seen.insert((false, 2, 7)));
        assert!(!seen.insert((false, 1, 7)));
    }

    #[test]
    fn test_keys_out_of_order_are_new_once_and_keep_the_run_intact() {
        let mut seen = Seen::default();
        for seq in [10, 20, 30] {
            assert!(seen.insert((false, seq, 0)));
        }
        assert!(seen.insert((false, 15, 0)), "another client's lower number");
        assert!(!seen.insert((false, 15, 0)));
        assert!(!seen.insert((false, 20, 0)));
        assert!(seen.insert((false, 20, 1)), "same seq, another random");
        assert!(seen.insert((false, 31, 0)));
        assert!(!seen.insert((false, 15, 0)));
    }

    #[test]
    fn test_sent_and_received_keys_are_apart() {
        let mut seen = Seen::default();
        assert!(seen.insert((true, 5, 5)));
        assert!(
            seen.insert((false, 5, 5)),
            "a received message with the same numbers"
        );
        assert!(
            seen.insert((false, 1, 1)),
            "received keys have their own run"
        );
        assert!(!seen.insert((true, 5, 5)));
        assert!(!seen.insert((false, 1, 1)));
    }
}
