//! The property test: 100,000 random command sequences (and malformed bodies) against a
//! fresh in-memory service each, checking after every sequence that nothing panicked,
//! friendship is symmetric after a two-way delete and after a blacklist, every accepted
//! message is in both parties' inboxes exactly once in the sender's order, and unread
//! counts never exceed the messages they count.
//!
//! Deterministic: a failure names its sequence number; `WEBIM_PROPERTY_SEQUENCES` changes
//! how many run.

use std::collections::BTreeMap;

use futures::executor::block_on;
use serde_json::{Value, json};
use webim_proto::{AccountId, Command, Timestamp};
use webim_service::db::Db;
use webim_service::store::{Mode, Store};
use webim_service::{MemoryStore, Service};

const ACCOUNTS: [&str; 5] = [
    "peakerdong",
    "qiyueluhuo2016",
    "qiyueluhuo2017",
    "qiyueluhuo2018",
    "qiyueluhuo2019",
];

/// xorshift64*: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

struct World {
    service: Service<MemoryStore>,
    now: u64,
    /// Every message the service accepted: (from, to, seq, random), in acceptance order.
    accepted: Vec<(String, String, u64, u64)>,
    next_seq: BTreeMap<String, u64>,
}

impl World {
    fn new() -> Self {
        let service = Service::new(MemoryStore::new());
        block_on(service.ensure_seeded(Timestamp(1))).unwrap();
        Self {
            service,
            now: 10,
            accepted: Vec::new(),
            next_seq: BTreeMap::new(),
        }
    }

    fn call(&mut self, who: &str, command: Command, body: &str) -> Value {
        self.now += 1;
        let handled = block_on(
            self.service
                .handle(who, "sig", command, body, Timestamp(self.now)),
        );
        match handled.reply {
            Some(text) => {
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
            }
            None => Value::Null,
        }
    }

    fn step(&mut self, rng: &mut Rng) {
        let me = rng.pick(&ACCOUNTS);
        let other = if rng.below(20) == 0 {
            "ghost"
        } else {
            rng.pick(&ACCOUNTS)
        };
        match rng.below(13) {
            0..=3 => self.send(rng, me, other),
            4 => {
                let body = json!({"AddFriendItem": [{"To_Account": other, "AddSource": "AddSource_Type_Unknow", "AddWording": "hi"}]});
                self.call(me, Command::FriendAdd, &body.to_string());
            }
            5 => {
                let action = rng.pick(&[
                    "Response_Action_Agree",
                    "Response_Action_AgreeAndAdd",
                    "Response_Action_Reject",
                ]);
                let body = json!({"ResponseFriendItem": [{"To_Account": other, "ResponseAction": action}]});
                self.call(me, Command::FriendResponse, &body.to_string());
            }
            6 => {
                let kind = rng.pick(&["Delete_Type_Single", "Delete_Type_Both"]);
                let body = json!({"To_Account": [other], "DeleteType": kind});
                let answer = self.call(me, Command::FriendDelete, &body.to_string());
                if kind == "Delete_Type_Both" && answer["ResultItem"][0]["ResultCode"] == 0 {
                    self.assert_not_friends(me, other, "after Delete_Type_Both");
                }
            }
            7 => {
                let answer = self.call(
                    me,
                    Command::BlackListAdd,
                    &json!({"To_Account": [other]}).to_string(),
                );
                if answer["ResultItem"][0]["ResultCode"] == 0 {
                    self.assert_not_friends(me, other, "after a blacklist");
                }
            }
            8 => {
                self.call(
                    me,
                    Command::BlackListDelete,
                    &json!({"To_Account": [other]}).to_string(),
                );
            }
            9 => {
                let t = self.now - rng.below(5);
                let body = json!({"C2CMsgReaded": {"Cookie": "", "C2CMsgReadedItem": [{"To_Account": other, "LastedMsgTime": t}]}});
                self.call(me, Command::MsgReaded, &body.to_string());
            }
            10 => {
                let nick = rng.pick(&[
                    "",
                    " ",
                    "新",
                    "x",
                    "七月流火七月流火七月流火七月流火七月流火七月流火七月流火",
                ]);
                let body = json!({"ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": nick}]});
                self.call(me, Command::PortraitSet, &body.to_string());
            }
            11 => {
                let cookie = rng.pick(&["", "0", "3", "s5:1", "zz"]);
                self.call(me, Command::GetMsg, &json!({"Cookie": cookie}).to_string());
                let poll = json!({"Timeout": 1, "Cookie": {"NotifySeq": rng.below(5), "NoticeSeq": rng.below(5)}});
                self.call(me, Command::LongPolling, &poll.to_string());
            }
            _ => self.malformed(rng, me),
        }
    }

    fn send(&mut self, rng: &mut Rng, me: &str, to: &str) {
        let resend = rng.below(6) == 0 && !self.accepted.is_empty();
        let (seq, random) = if resend {
            let (_, _, seq, random) = self.accepted[rng.below(self.accepted.len() as u64) as usize];
            (seq, random)
        } else {
            let seq = self.next_seq.entry(me.to_owned()).or_insert(0);
            *seq += 1;
            (*seq, rng.below(1 << 32))
        };
        let text = match rng.below(10) {
            0 => String::new(),
            1 => "七".repeat(4001),
            _ => format!("m{seq}"),
        };
        let body = json!({"From_Account": me, "To_Account": to, "MsgSeq": seq, "MsgRandom": random,
            "MsgTimeStamp": 0, "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": text}}]});
        let answer = self.call(me, Command::SendMsg, &body.to_string());
        let already = self
            .accepted
            .iter()
            .any(|(f, _, s, r)| f == me && *s == seq && *r == random);
        if answer["ActionStatus"] == "OK" && !already {
            self.accepted
                .push((me.to_owned(), to.to_owned(), seq, random));
        }
    }

    fn malformed(&mut self, rng: &mut Rng, me: &str) {
        let command = Command::ALL[rng.below(17) as usize];
        let body = rng.pick(&[
            "",
            "{",
            "null",
            "[]",
            "7",
            "\"x\"",
            "{\"To_Account\": 5}",
            "{\"MsgBody\": [{}]}",
            "\u{0}",
            "{\"Cookie\": {}}",
        ]);
        let answer = self.call(me, command, body);
        // Objects and arrays may be valid for commands whose fields all have defaults;
        // anything else is not a request at all.
        let not_a_request = !body.starts_with('{') && !body.starts_with('[');
        if not_a_request {
            assert_eq!(
                answer["ActionStatus"],
                "FAIL",
                "{} accepted {body:?}: {answer}",
                command.path()
            );
        }
    }

    fn assert_not_friends(&self, a: &str, b: &str, when: &str) {
        block_on(async {
            let tx = self.service.store().begin(Mode::ReadOnly).await.unwrap();
            let db = Db::new(&tx);
            let (a, b) = (AccountId::new(a).unwrap(), AccountId::new(b).unwrap());
            assert!(
                db.friend(&a, &b).await.unwrap().is_none(),
                "{a} still has {b} {when}"
            );
            assert!(
                db.friend(&b, &a).await.unwrap().is_none(),
                "{b} still has {a} {when}"
            );
        });
    }

    /// Every accepted message once in both inboxes, in the sender's order; unread bounded.
    fn check_inboxes(&self) {
        block_on(async {
            let tx = self.service.store().begin(Mode::ReadOnly).await.unwrap();
            let db = Db::new(&tx);
            for user in ACCOUNTS {
                let id = AccountId::new(user).unwrap();
                let inbox: Vec<(String, String, u64, u64)> = db
                    .inbox_after(&id, 0, usize::MAX)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|(_, m)| {
                        (
                            m.from_account.to_string(),
                            m.to_account.to_string(),
                            m.msg_seq.0,
                            u64::from(m.msg_random.0),
                        )
                    })
                    .collect();
                let expected: Vec<_> = self
                    .accepted
                    .iter()
                    .filter(|(f, t, _, _)| f == user || t == user)
                    .cloned()
                    .collect();
                assert_eq!(inbox, expected, "{user}'s inbox");
                for (peer, summary) in db.summaries(&id).await.unwrap() {
                    let received = expected
                        .iter()
                        .filter(|(f, _, _, _)| *f == peer.as_str())
                        .count();
                    assert!(
                        summary.unread as usize <= received,
                        "{user}/{peer} unread {} > {received}",
                        summary.unread
                    );
                }
            }
        });
    }
}

#[test]
fn test_random_command_sequences_keep_every_invariant() {
    let sequences: u64 = std::env::var("WEBIM_PROPERTY_SEQUENCES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for n in 0..sequences {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut world = World::new();
            let mut local = Rng(rng.next() | 1);
            let steps = 1 + local.below(8);
            for _ in 0..steps {
                world.step(&mut local);
            }
            world.check_inboxes();
        }));
        if let Err(panic) = result {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()));
            panic!("sequence {n} failed: {}", why.unwrap_or_default());
        }
    }
}
