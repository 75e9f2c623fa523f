//! The long-poll loop both shells hold a poll with: it looks, waits as the shell says,
//! looks again after a wake-up, and answers with the client's own cookie once the wait is
//! over; the body is read once and a broken one is refused without waiting.

use std::future::Future;
use std::pin::Pin;

use futures::executor::block_on;
use serde_json::{Value, json};
use webim_proto::{AccountId, Command, Timestamp};
use webim_service::{Caller, Json, MemoryStore, PollWait, Service, Waited};

use crate::harness::{A16, Harness, PEAKER, msg};

/// A shell that records each arm's timeout and, at each wait, first runs `during` (the
/// rest of the world), then says how the wait ended.
struct Scripted<'a> {
    service: &'a Service<MemoryStore>,
    arms: Vec<u32>,
    waits: Vec<(Option<Value>, Waited)>,
}

impl<'a> PollWait for Scripted<'a> {
    type Armed = Pin<Box<dyn Future<Output = Waited> + 'a>>;

    fn arm(&mut self, timeout: u32) -> Self::Armed {
        self.arms.push(timeout);
        let service = self.service;
        let (during, waited) = if self.waits.is_empty() {
            (None, Waited::Over)
        } else {
            self.waits.remove(0)
        };
        Box::pin(async move {
            if let Some(send) = during {
                let body = send.to_string();
                service
                    .handle(A16, "sig", Command::SendMsg, &body, Timestamp(5_000))
                    .await;
            }
            waited
        })
    }
}

fn poll(h: &Harness, body: &str, waits: Vec<(Option<Value>, Waited)>) -> (Value, Vec<u32>) {
    let mut shell = Scripted {
        service: &h.service,
        arms: Vec::new(),
        waits,
    };
    let caller = Caller::rust(AccountId::new(PEAKER).unwrap());
    let handled =
        block_on(
            h.service
                .long_poll(&Json, &caller, body, || Timestamp(5_000), &mut shell),
        );
    let answer = serde_json::from_str(&handled.reply.unwrap()).unwrap();
    (answer, shell.arms)
}

/// A poll of a client that has seen everything there is (nothing yet, on a first run).
fn caught_up(h: &Harness) -> String {
    let body = json!({"Timeout": 30, "Cookie": {"NotifySeq": 0, "NoticeSeq": 0}});
    let look = h.call(PEAKER, Command::LongPolling, body.clone());
    assert_eq!(look, Value::Null, "nothing is new on a first run");
    body.to_string()
}

#[test]
fn test_a_poll_with_nothing_new_waits_and_answers_its_own_cookie() {
    let h = Harness::new();
    let body = caught_up(&h);
    let (answer, arms) = poll(&h, &body, vec![(None, Waited::Woken)]);
    assert_eq!(answer["EventArray"], json!([]));
    let sent: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["Cookie"], sent["Cookie"]);
    assert_eq!(arms, [30, 30], "armed before each of its two looks");
}

#[test]
fn test_a_message_during_the_wait_is_answered_after_the_wake_up() {
    let h = Harness::new();
    let body = caught_up(&h);
    let hello = msg(A16, PEAKER, 1, "hello");
    let (answer, arms) = poll(&h, &body, vec![(Some(hello), Waited::Woken)]);
    assert_eq!(answer["EventArray"][0]["Event"], 1, "{answer}");
    assert_eq!(arms.len(), 2);
}

#[test]
fn test_news_is_answered_without_waiting_and_timeouts_are_bounded() {
    let h = Harness::new();
    h.send(A16, PEAKER, 1, "waiting");
    let body = json!({"Timeout": 500, "Cookie": {"NotifySeq": 0, "NoticeSeq": 0}});
    let (answer, arms) = poll(&h, &body.to_string(), vec![]);
    assert_eq!(answer["EventArray"][0]["Event"], 1);
    assert_eq!(arms, [90], "a client asks 90 s at most");
}

#[test]
fn test_a_broken_body_is_refused_without_waiting() {
    let h = Harness::new();
    let (answer, arms) = poll(&h, "{not json", vec![]);
    assert_eq!(answer["ErrorCode"], 60003);
    assert!(arms.is_empty());
}
