//! Shared set-up: a client over the scripted transport, logged in as qiyueluhuo2016.

use std::cell::RefCell;
use std::rc::Rc;

use futures::executor::block_on;
use serde_json::json;
use webim_sdk::proto::Command;
use webim_sdk::testing::{FakeEnv, FakeTransport, account};
use webim_sdk::{Client, LoginInfo, SdkEvent};

pub const ME: &str = "qiyueluhuo2016";
pub const PEER: &str = "peakerdong";

pub type TestClient = Client<Rc<FakeTransport>, Rc<FakeEnv>>;

pub struct Harness {
    pub client: TestClient,
    pub transport: Rc<FakeTransport>,
    pub env: Rc<FakeEnv>,
    pub events: Rc<RefCell<Vec<SdkEvent>>>,
}

impl Harness {
    /// A client that is not logged in.
    pub fn new() -> Self {
        let transport = Rc::new(FakeTransport::new());
        let env = Rc::new(FakeEnv::default());
        let client = Client::new(Rc::clone(&transport), Rc::clone(&env));
        Self {
            client,
            transport,
            env,
            events: Rc::default(),
        }
    }

    /// Logs in as [`ME`]; the first pull (scripted here) finds `msgs` (wire JSON).
    pub fn logged_in_with(msgs: serde_json::Value, unread: serde_json::Value) -> Self {
        let h = Self::new();
        h.transport.reply(
            Command::GetMsg,
            json!({"MsgList": msgs, "Cookie": "c1", "SyncFlag": 2, "C2CUnreadList": unread}),
        );
        let events = Rc::clone(&h.events);
        let listener: webim_sdk::Listener =
            Rc::new(move |e: &SdkEvent| events.borrow_mut().push(e.clone()));
        block_on(h.client.init(login(), Some(listener))).expect("init");
        h
    }

    /// Logged in as [`ME`] with nothing waiting.
    pub fn logged_in() -> Self {
        Self::logged_in_with(json!([]), json!([]))
    }

    pub fn take_events(&self) -> Vec<SdkEvent> {
        std::mem::take(&mut self.events.borrow_mut())
    }
}

pub fn login() -> LoginInfo {
    LoginInfo::demo(account(ME), "sig")
}

/// A wire message as JSON.
pub fn text_json(
    from: &str,
    to: &str,
    seq: u64,
    random: u32,
    time: u64,
    text: &str,
) -> serde_json::Value {
    serde_json::to_value(webim_sdk::testing::wire_text(
        from, to, seq, random, time, text,
    ))
    .unwrap()
}
