//! The order in which sent messages leave (docs/sdk.md, "Sending"): first typed,
//! first sent. A message that could not be delivered (a transport failure) holds the
//! queue until it is retried, so nothing typed after it overtakes it; a message the
//! service refused does not hold the queue (sending it again would not help).
//!
//! Pure state; the client drives it (matrix-rust-sdk's send queue, scaled down).

use std::collections::VecDeque;

use crate::msg::MsgKey;
use crate::session::SessionKey;

/// One queued message.
pub(crate) type Item = (SessionKey, MsgKey);

/// How one send attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The service accepted it.
    Sent,
    /// The service refused it: drop it from the queue, go on with the next.
    Refused,
    /// It may not have arrived: keep it first and hold the queue until a retry.
    Undelivered,
}

/// The queue of messages waiting to leave.
#[derive(Debug, Clone, Default)]
pub(crate) struct SendQueue {
    items: VecDeque<Item>,
    held: bool,
    in_flight: bool,
}

impl SendQueue {
    /// Adds a message at the end.
    pub(crate) fn push(&mut self, item: Item) {
        self.items.push_back(item);
    }

    /// The message to send now, if the queue may send: not held, nothing in flight.
    pub(crate) fn start_next(&mut self) -> Option<Item> {
        if self.held || self.in_flight {
            return None;
        }
        let next = self.items.front().cloned()?;
        self.in_flight = true;
        Some(next)
    }

    /// Records how the message in flight ended.
    pub(crate) fn finish(&mut self, outcome: Outcome) {
        self.in_flight = false;
        match outcome {
            Outcome::Sent | Outcome::Refused => {
                self.items.pop_front();
            }
            Outcome::Undelivered => self.held = true,
        }
    }

    /// Asks to send a failed message again. If it is the one holding the queue, the queue
    /// goes on from it; otherwise it joins the end. False if it is already waiting.
    pub(crate) fn retry(&mut self, item: Item) -> bool {
        if self.held && self.items.front() == Some(&item) {
            self.held = false;
            return true;
        }
        if self.items.contains(&item) {
            return false;
        }
        self.items.push_back(item);
        true
    }

    /// The messages waiting behind a held queue (not the one holding it); none when the
    /// queue is not held.
    pub(crate) fn waiting_behind(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().skip(1).filter(|_| self.held)
    }
}

#[cfg(test)]
mod tests {
    use webim_proto::{AccountId, MsgRandom, MsgSeq};

    use super::*;

    fn item(seq: u64) -> Item {
        let me = AccountId::new("me").unwrap();
        let peer = AccountId::new("peer").unwrap();
        (
            SessionKey::c2c(peer),
            MsgKey {
                from: me,
                seq: MsgSeq(seq),
                random: MsgRandom(1),
            },
        )
    }

    #[test]
    fn test_messages_leave_one_at_a_time_in_order() {
        let mut q = SendQueue::default();
        q.push(item(1));
        q.push(item(2));
        assert_eq!(q.start_next(), Some(item(1)));
        assert_eq!(q.start_next(), None, "one in flight at a time");
        q.finish(Outcome::Sent);
        assert_eq!(q.start_next(), Some(item(2)));
        q.finish(Outcome::Sent);
        assert_eq!(q.start_next(), None);
    }

    #[test]
    fn test_an_undelivered_message_holds_the_queue_until_retried() {
        let mut q = SendQueue::default();
        q.push(item(1));
        q.push(item(2));
        q.start_next();
        q.finish(Outcome::Undelivered);
        assert_eq!(q.start_next(), None, "2 may not overtake 1");
        assert_eq!(q.waiting_behind().cloned().collect::<Vec<_>>(), [item(2)]);
        assert!(q.retry(item(1)));
        assert_eq!(q.start_next(), Some(item(1)));
        q.finish(Outcome::Sent);
        assert_eq!(q.start_next(), Some(item(2)));
    }

    #[test]
    fn test_a_refused_message_does_not_hold_the_queue_and_retries_at_the_end() {
        let mut q = SendQueue::default();
        q.push(item(1));
        q.push(item(2));
        q.start_next();
        q.finish(Outcome::Refused);
        assert!(q.retry(item(1)));
        assert!(!q.retry(item(1)), "already waiting");
        assert_eq!(q.start_next(), Some(item(2)));
        q.finish(Outcome::Sent);
        assert_eq!(q.start_next(), Some(item(1)));
    }
}
