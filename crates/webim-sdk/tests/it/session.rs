//! `Session` getters and `MsgStore` through the client (docs/sdk.md, "Sessions and unread").

use futures::executor::block_on;
use serde_json::json;
use webim_sdk::proto::{Command, MsgSeq, Timestamp};
use webim_sdk::testing::account;
use webim_sdk::{Session, SessionType};

use crate::harness::{Harness, ME, PEER, text_json};

#[test]
fn test_session_getters_follow_the_messages() {
    let h = Harness::logged_in_with(
        json!([
            text_json(PEER, ME, 7, 1, 100, "a"),
            text_json(ME, PEER, 3, 1, 120, "b")
        ]),
        json!([{"Peer_Account": PEER, "UnreadCount": 1}]),
    );
    let store = h.client.msg_store();
    let s = store
        .sess_by_type_id(SessionType::C2c, &account(PEER))
        .unwrap();
    assert_eq!(s.kind(), SessionType::C2c);
    assert_eq!(s.kind().as_str(), "C2C");
    assert_eq!(s.id(), &account(PEER));
    assert_eq!(
        s.name(),
        PEER,
        "named after the peer until the page names it"
    );
    assert_eq!(s.icon(), "");
    assert_eq!(s.unread(), 1);
    assert_eq!(s.time(), Timestamp(120), "the newest of sent and received");
    assert_eq!(
        s.cur_max_msg_seq(),
        MsgSeq(7),
        "the largest seq of sent and received"
    );
    assert_eq!(s.msg_count(), 2);
    assert_eq!(s.msg(0).unwrap().to_text(), "a");
    assert_eq!(s.msg(1).unwrap().to_text(), "b");
    assert!(s.msg(2).is_none());
    assert_eq!(s.key().to_string(), "C2Cpeakerdong", "skey = type + id");
}

#[test]
fn test_session_new_takes_the_webim_constructor_arguments() {
    let s = Session::new(
        SessionType::C2c,
        account(PEER),
        "Peaker",
        "img/p.gif",
        Timestamp(5),
        MsgSeq(2),
    );
    assert_eq!(
        (s.name(), s.icon(), s.time(), s.cur_max_msg_seq()),
        ("Peaker", "img/p.gif", Timestamp(5), MsgSeq(2))
    );
    assert_eq!((s.unread(), s.msg_count()), (0, 0));
}

#[test]
fn test_sessions_are_listed_newest_first() {
    let h = Harness::logged_in_with(
        json!([
            text_json(PEER, ME, 1, 1, 100, "a"),
            text_json("qiyueluhuo2017", ME, 1, 1, 200, "b")
        ]),
        json!([]),
    );
    let store = h.client.msg_store();
    let ids: Vec<&str> = store
        .sessions_newest_first()
        .map(|s| s.id().as_str())
        .collect();
    assert_eq!(ids, ["qiyueluhuo2017", PEER]);
    assert_eq!(store.sess_count(), 2);
}

#[test]
fn test_del_sess_then_a_repull_adds_the_messages_again() {
    let h = Harness::logged_in_with(json!([text_json(PEER, ME, 1, 1, 100, "a")]), json!([]));
    assert!(
        h.client
            .with_msg_store(|s| s.del_sess_by_type_id(SessionType::C2c, &account(PEER)))
    );
    h.client.with_msg_store(|s| s.reset_cookie_and_sync_flag());
    h.transport.reply(
        Command::GetMsg,
        json!({"MsgList": [text_json(PEER, ME, 1, 1, 100, "a")],
        "Cookie": "c2", "SyncFlag": 2}),
    );
    let fresh = block_on(h.client.sync_msgs()).unwrap();
    assert_eq!(fresh.len(), 1, "the de-dup memory went with the session");
    let store = h.client.msg_store();
    assert_eq!(
        store
            .sess_by_type_id(SessionType::C2c, &account(PEER))
            .unwrap()
            .msg_count(),
        1
    );
}
