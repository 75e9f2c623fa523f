//! Test doubles beside the real traits: a scripted [`FakeTransport`] that answers each
//! request with the next scripted reply and records what was sent, and a [`FakeEnv`] with
//! a clock the test sets, counting "random" numbers and timers that return at once.
//! Behind the `testing` feature for other crates' tests.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use serde_json::{Value as JsonValue, json};
use webim_proto::{
    AccountId, C2cMsg, Command, Endpoint, MsgElem, MsgRandom, MsgSeq, TextElem, Timestamp,
};

use crate::transport::{Answer, Env, LoginInfo, Transport, TransportError, from_json};

/// A transport that plays a script: each request takes the next scripted answer, which
/// must be for the same command. It records every request (command and JSON body).
#[derive(Debug, Default)]
pub struct FakeTransport {
    script: RefCell<VecDeque<(Command, Result<JsonValue, TransportError>)>>,
    requests: RefCell<Vec<(Command, JsonValue)>>,
}

impl FakeTransport {
    /// An empty script: any request is a transport error.
    pub fn new() -> Self {
        Self::default()
    }

    /// Scripts a successful answer: `ActionStatus OK` plus `body`'s fields.
    pub fn reply(&self, command: Command, body: JsonValue) -> &Self {
        let mut answer = json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""});
        if let (Some(answer), JsonValue::Object(fields)) = (answer.as_object_mut(), body) {
            answer.extend(fields);
        }
        self.script.borrow_mut().push_back((command, Ok(answer)));
        self
    }

    /// Scripts a refusal from the service.
    pub fn refuse(&self, command: Command, code: i64, info: &str) -> &Self {
        let answer = json!({"ActionStatus": "FAIL", "ErrorCode": code, "ErrorInfo": info});
        self.script.borrow_mut().push_back((command, Ok(answer)));
        self
    }

    /// Scripts a transport failure.
    pub fn fail(&self, command: Command) -> &Self {
        let error = TransportError::Unreachable("scripted failure".to_owned());
        self.script.borrow_mut().push_back((command, Err(error)));
        self
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<(Command, JsonValue)> {
        self.requests.borrow().clone()
    }

    /// The bodies of every request of one command, in order.
    pub fn sent(&self, command: Command) -> Vec<JsonValue> {
        self.requests
            .borrow()
            .iter()
            .filter(|(c, _)| *c == command)
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// How many scripted answers are left.
    pub fn remaining(&self) -> usize {
        self.script.borrow().len()
    }
}

impl Transport for FakeTransport {
    /// The request is recorded as its JSON, and the scripted JSON read as HTTP would.
    async fn request<R: Endpoint>(
        &self,
        _login: &LoginInfo,
        request: &R,
    ) -> Result<Answer<R::Response>, TransportError> {
        let command = R::COMMAND;
        let body = serde_json::to_value(request).unwrap_or(JsonValue::Null);
        self.requests.borrow_mut().push((command, body));
        let next = self.script.borrow_mut().pop_front();
        match next {
            Some((expected, answer)) if expected == command => from_json(&answer?.to_string()),
            Some((expected, _)) => Err(TransportError::Unreachable(format!(
                "FakeTransport: expected {} but got {}",
                expected.path(),
                command.path()
            ))),
            None => Err(TransportError::Unreachable(format!(
                "FakeTransport: nothing scripted for {}",
                command.path()
            ))),
        }
    }
}

/// An environment the test controls.
#[derive(Debug)]
pub struct FakeEnv {
    /// The time `now()` returns.
    pub now: Cell<u64>,
    next_random: Cell<u32>,
    sleeps: RefCell<Vec<u32>>,
    /// When set, a pause never ends by itself (only the client can cut it short).
    pub endless_sleeps: Cell<bool>,
}

impl Default for FakeEnv {
    fn default() -> Self {
        Self {
            now: Cell::new(1_448_000_000),
            next_random: Cell::new(1000),
            sleeps: RefCell::default(),
            endless_sleeps: Cell::new(false),
        }
    }
}

impl FakeEnv {
    /// Every pause asked for, in milliseconds.
    pub fn sleeps(&self) -> Vec<u32> {
        self.sleeps.borrow().clone()
    }
}

impl Env for FakeEnv {
    fn now(&self) -> Timestamp {
        Timestamp(self.now.get())
    }

    fn random_u32(&self) -> u32 {
        let n = self.next_random.get();
        self.next_random.set(n.wrapping_add(1));
        n
    }

    async fn sleep(&self, ms: u32) {
        self.sleeps.borrow_mut().push(ms);
        if self.endless_sleeps.get() {
            std::future::pending::<()>().await;
        }
    }
}

/// An account id for tests (panics on a bad literal, which is a bug in the test).
pub fn account(id: &str) -> AccountId {
    AccountId::new(id).unwrap_or_else(|e| panic!("bad test account {id:?}: {e}"))
}

/// A text message on the wire.
pub fn wire_text(from: &str, to: &str, seq: u64, random: u32, time: u64, text: &str) -> C2cMsg {
    C2cMsg {
        from_account: account(from),
        to_account: account(to),
        msg_seq: MsgSeq(seq),
        msg_random: MsgRandom(random),
        msg_time_stamp: Timestamp(time),
        msg_body: vec![MsgElem::Text(TextElem {
            text: text.to_owned(),
        })],
    }
}
