//! Unread counts: local counting, auto-read, `setAutoRead` with reset-all and its read
//! report, the service's counts after a reload, and reads in other clients.

use futures::executor::block_on;
use serde_json::json;
use webim_sdk::SessionKey;
use webim_sdk::proto::Command;
use webim_sdk::testing::account;

use crate::harness::{Harness, ME, PEER, text_json};

const OTHER: &str = "qiyueluhuo2017";

fn unread(h: &Harness, peer: &str) -> u32 {
    h.client
        .msg_store()
        .session(&SessionKey::c2c(account(peer)))
        .map_or(0, |s| s.unread())
}

fn pull(h: &Harness, msgs: serde_json::Value, cookie: &str) {
    h.transport.reply(
        Command::GetMsg,
        json!({"MsgList": msgs, "Cookie": cookie, "SyncFlag": 2}),
    );
    block_on(h.client.sync_msgs()).unwrap();
}

#[test]
fn test_received_messages_count_as_unread_while_auto_read_is_off() {
    let h = Harness::logged_in();
    pull(
        &h,
        json!([
            text_json(PEER, ME, 1, 1, 100, "a"),
            text_json(PEER, ME, 2, 1, 101, "b")
        ]),
        "c2",
    );
    assert_eq!(unread(&h, PEER), 2);
    assert_eq!(h.client.msg_store().total_unread(), 2);
}

#[test]
fn test_set_auto_read_on_zeroes_unread_and_reports_the_session_time() {
    let h = Harness::logged_in();
    pull(
        &h,
        json!([
            text_json(PEER, ME, 1, 1, 100, "a"),
            text_json(PEER, ME, 2, 1, 105, "b")
        ]),
        "c2",
    );
    h.transport.reply(Command::MsgReaded, json!({}));
    let key = SessionKey::c2c(account(PEER));
    block_on(h.client.set_auto_read(Some(&key), true, true)).unwrap();
    assert_eq!(unread(&h, PEER), 0);
    assert_eq!(
        h.transport.sent(Command::MsgReaded),
        [
            json!({"C2CMsgReaded": {"Cookie": "c2", "C2CMsgReadedItem": [
            {"To_Account": PEER, "LastedMsgTime": 105}]}})
        ]
    );
}

#[test]
fn test_while_auto_read_is_on_new_messages_are_not_unread() {
    let h = Harness::logged_in();
    pull(&h, json!([text_json(PEER, ME, 1, 1, 100, "a")]), "c2");
    h.transport.reply(Command::MsgReaded, json!({}));
    let key = SessionKey::c2c(account(PEER));
    block_on(h.client.set_auto_read(Some(&key), true, false)).unwrap();
    pull(&h, json!([text_json(PEER, ME, 2, 1, 101, "b")]), "c3");
    assert_eq!(unread(&h, PEER), 0);

    // Switching away (demo: setAutoRead(previous, false, false)) counts again.
    block_on(h.client.set_auto_read(Some(&key), false, false)).unwrap();
    pull(&h, json!([text_json(PEER, ME, 3, 1, 102, "c")]), "c4");
    assert_eq!(unread(&h, PEER), 1);
    assert_eq!(
        h.transport.sent(Command::MsgReaded).len(),
        1,
        "turning off reports nothing"
    );
}

#[test]
fn test_set_auto_read_with_reset_all_clears_every_other_auto_read_flag() {
    let h = Harness::logged_in();
    pull(
        &h,
        json!([
            text_json(PEER, ME, 1, 1, 100, "a"),
            text_json(OTHER, ME, 1, 1, 100, "b")
        ]),
        "c2",
    );
    let peer = SessionKey::c2c(account(PEER));
    let other = SessionKey::c2c(account(OTHER));
    h.transport
        .reply(Command::MsgReaded, json!({}))
        .reply(Command::MsgReaded, json!({}));
    block_on(h.client.set_auto_read(Some(&other), true, false)).unwrap();
    block_on(h.client.set_auto_read(Some(&peer), true, true)).unwrap();
    {
        let store = h.client.msg_store();
        assert!(store.session(&peer).unwrap().is_auto_read());
        assert!(
            !store.session(&other).unwrap().is_auto_read(),
            "reset-all cleared it"
        );
    }
    pull(&h, json!([text_json(OTHER, ME, 2, 1, 101, "c")]), "c3");
    assert_eq!(unread(&h, OTHER), 1);
}

#[test]
fn test_after_a_reload_unread_comes_from_the_service_read_positions() {
    // The first pull after init brings the latest message of a conversation already read
    // and the unread messages of another; the service says how many are unread.
    let h = Harness::logged_in_with(
        json!([
            text_json(PEER, ME, 1, 1, 100, "read long ago"),
            text_json(OTHER, ME, 1, 1, 100, "x"),
            text_json(OTHER, ME, 2, 1, 101, "y")
        ]),
        json!([{"Peer_Account": OTHER, "UnreadCount": 2}]),
    );
    assert_eq!(unread(&h, PEER), 0);
    assert_eq!(unread(&h, OTHER), 2);
}

#[test]
fn test_a_read_in_another_client_clears_unread_here() {
    let h = Harness::logged_in();
    pull(
        &h,
        json!([
            text_json(PEER, ME, 1, 1, 100, "a"),
            text_json(PEER, ME, 2, 1, 101, "b"),
            text_json(PEER, ME, 3, 1, 102, "c")
        ]),
        "c2",
    );
    h.transport.reply(Command::LongPolling, json!({"EventArray": [{"Event": 10, "NoticeSeq": 1,
        "C2CReaded": {"Peer_Account": PEER, "LastedMsgTime": 101}}], "Cookie": {"NotifySeq": 0, "NoticeSeq": 1}}));
    block_on(h.client.poll_once()).unwrap();
    assert_eq!(
        unread(&h, PEER),
        1,
        "the message after the read time stays unread"
    );
    assert!(
        h.take_events()
            .contains(&webim_sdk::SdkEvent::UnreadChanged(SessionKey::c2c(
                account(PEER)
            )))
    );
}

#[test]
fn test_set_auto_read_on_an_empty_session_sends_no_report() {
    let h = Harness::logged_in();
    let key = SessionKey::c2c(account(PEER));
    block_on(h.client.set_auto_read(Some(&key), true, true)).unwrap();
    assert!(h.transport.sent(Command::MsgReaded).is_empty());
}

#[test]
fn test_auto_read_set_before_a_conversation_holds_messages_applies_to_its_first_ones() {
    // A conversation opened before anything was said: its first messages arrive while it
    // is on screen and must not count as unread (webim.js lost the flag here).
    let h = Harness::logged_in();
    let key = SessionKey::c2c(account(PEER));
    block_on(h.client.set_auto_read(Some(&key), true, true)).unwrap();
    pull(&h, json!([text_json(PEER, ME, 1, 1, 100, "hi")]), "c1");
    assert_eq!(unread(&h, PEER), 0);

    // Turned off (switching away) before the first message: it counts again.
    let other = SessionKey::c2c(account(OTHER));
    block_on(h.client.set_auto_read(Some(&other), true, true)).unwrap();
    block_on(h.client.set_auto_read(Some(&other), false, false)).unwrap();
    pull(&h, json!([text_json(OTHER, ME, 1, 1, 101, "yo")]), "c2");
    assert_eq!(unread(&h, OTHER), 1);

    // Reset-all clears a flag still waiting for its session too.
    let third = SessionKey::c2c(account("qiyueluhuo2018"));
    block_on(h.client.set_auto_read(Some(&third), true, false)).unwrap();
    block_on(h.client.set_auto_read(None, false, true)).unwrap();
    pull(
        &h,
        json!([text_json("qiyueluhuo2018", ME, 1, 1, 102, "hey")]),
        "c3",
    );
    assert_eq!(unread(&h, "qiyueluhuo2018"), 1);
}
