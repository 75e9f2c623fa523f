//! A service over a fresh in-memory store with the first-run data, called with JSON as a
//! client would, at a clock the test moves.

use std::cell::Cell;

use futures::executor::block_on;
use serde_json::{Value, json};
use webim_proto::{Command, Timestamp};
use webim_service::{Caller, Handled, Json, MemoryStore, Service};

pub const PEAKER: &str = "peakerdong";
pub const A16: &str = "qiyueluhuo2016";
pub const A17: &str = "qiyueluhuo2017";
pub const A18: &str = "qiyueluhuo2018";
pub const A19: &str = "qiyueluhuo2019";

pub struct Harness {
    pub service: Service<MemoryStore>,
    pub now: Cell<u64>,
}

impl Harness {
    pub fn new() -> Self {
        let service = Service::new(MemoryStore::new());
        block_on(service.ensure_seeded(Timestamp(1_000))).unwrap();
        Self {
            service,
            now: Cell::new(2_000),
        }
    }

    /// Calls `command` as `who` with a raw body; returns the whole outcome.
    pub fn raw(&self, who: &str, command: Command, body: &str) -> Handled {
        self.now.set(self.now.get() + 1);
        block_on(
            self.service
                .handle(who, "sig", command, body, Timestamp(self.now.get())),
        )
    }

    /// Calls `command` as the verified `caller`; returns the whole outcome.
    pub fn raw_as(&self, caller: &Caller, command: Command, body: Value) -> Handled {
        self.now.set(self.now.get() + 1);
        block_on(self.service.handle_as(
            &Json,
            caller,
            command,
            &body.to_string(),
            Timestamp(self.now.get()),
        ))
    }

    /// [`Harness::call`] as the verified `caller`.
    pub fn call_as(&self, caller: &Caller, command: Command, body: Value) -> Value {
        match self.raw_as(caller, command, body).reply {
            Some(text) => serde_json::from_str(&text).unwrap(),
            None => Value::Null,
        }
    }

    /// Calls `command` as `who`; returns the parsed answer (`null` for a long poll that
    /// would wait).
    pub fn call(&self, who: &str, command: Command, body: Value) -> Value {
        match self.raw(who, command, &body.to_string()).reply {
            Some(text) => serde_json::from_str(&text).unwrap(),
            None => Value::Null,
        }
    }

    /// Calls and asserts the answer is OK.
    pub fn ok(&self, who: &str, command: Command, body: Value) -> Value {
        let answer = self.call(who, command, body.clone());
        assert_eq!(
            answer["ActionStatus"],
            "OK",
            "{} {body} → {answer}",
            command.path()
        );
        answer
    }

    /// Calls and returns the failure's ErrorCode.
    pub fn code(&self, who: &str, command: Command, body: Value) -> i64 {
        let answer = self.call(who, command, body.clone());
        assert_eq!(
            answer["ActionStatus"],
            "FAIL",
            "{} {body} → {answer}",
            command.path()
        );
        answer["ErrorCode"].as_i64().unwrap()
    }

    /// The ResultCode of the single line of a batch call.
    pub fn result_code(&self, who: &str, command: Command, body: Value) -> i64 {
        let answer = self.ok(who, command, body);
        answer["ResultItem"][0]["ResultCode"].as_i64().unwrap()
    }

    pub fn send(&self, from: &str, to: &str, seq: u64, text: &str) -> Value {
        self.call(from, Command::SendMsg, msg(from, to, seq, text))
    }

    pub fn add_friend(&self, from: &str, to: &str) -> i64 {
        self.result_code(
            from,
            Command::FriendAdd,
            json!({"AddFriendItem": [{"To_Account": to, "AddSource": "AddSource_Type_Unknow", "AddWording": "hi"}]}),
        )
    }

    pub fn friends(&self, who: &str) -> Vec<String> {
        let answer = self.ok(
            who,
            Command::FriendGetAll,
            json!({"GetCount": 100, "TagList": []}),
        );
        answer["InfoItem"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["Info_Account"].as_str().unwrap().to_owned())
            .collect()
    }

    pub fn blacklist(&self, who: &str, target: &str) -> i64 {
        self.result_code(who, Command::BlackListAdd, json!({"To_Account": [target]}))
    }

    pub fn pendency(&self, who: &str, kind: &str) -> Vec<String> {
        let answer = self.ok(who, Command::PendencyGet, json!({"PendencyType": kind}));
        answer["PendencyItem"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["To_Account"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Every message `who` pulls from an empty cookie to the end, as `from:text`.
    pub fn pull_all(&self, who: &str) -> Vec<String> {
        let mut cookie = String::new();
        let mut flag = 0;
        let mut seen = Vec::new();
        loop {
            let page = self.ok(
                who,
                Command::GetMsg,
                json!({"Cookie": cookie, "SyncFlag": flag}),
            );
            for m in page["MsgList"].as_array().unwrap() {
                seen.push(format!(
                    "{}:{}",
                    m["From_Account"].as_str().unwrap(),
                    text_of(m)
                ));
            }
            cookie = page["Cookie"].as_str().unwrap().to_owned();
            flag = page["SyncFlag"].as_i64().unwrap();
            if flag != 1 {
                return seen;
            }
        }
    }
}

pub fn msg(from: &str, to: &str, seq: u64, text: &str) -> Value {
    json!({"From_Account": from, "To_Account": to, "MsgSeq": seq, "MsgRandom": seq * 7 + 1,
           "MsgTimeStamp": 1, "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": text}}]})
}

pub fn text_of(m: &Value) -> String {
    m["MsgBody"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e["MsgContent"]["Text"]
                .as_str()
                .or(e["MsgContent"]["Data"].as_str())
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}
