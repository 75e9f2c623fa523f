//! `syncMsgs`: the continue-pulling loop, one notification per pull, de-duplication.

use futures::executor::block_on;
use serde_json::json;
use webim_sdk::proto::Command;
use webim_sdk::proto::openim::getmsg::SyncFlag;
use webim_sdk::testing::account;
use webim_sdk::{Elem, SdkEvent, SessionType};

use crate::harness::{Harness, ME, PEER, text_json};

#[test]
fn test_a_three_page_pull_repeats_getmsg_with_each_cookie_and_notifies_once() {
    let h = Harness::logged_in();
    h.transport
        .reply(
            Command::LongPolling,
            json!({"EventArray": [{"Event": 1, "NotifySeq": 3}],
            "Cookie": {"NotifySeq": 3, "NoticeSeq": 0}}),
        )
        .reply(
            Command::GetMsg,
            json!({"MsgList": [text_json(PEER, ME, 1, 1, 101, "one")],
            "Cookie": "p1", "SyncFlag": 1}),
        )
        .reply(
            Command::GetMsg,
            json!({"MsgList": [text_json(PEER, ME, 2, 1, 102, "two")],
            "Cookie": "p2", "SyncFlag": 1}),
        )
        .reply(
            Command::GetMsg,
            json!({"MsgList": [text_json(PEER, ME, 3, 1, 103, "three")],
            "Cookie": "p3", "SyncFlag": 2}),
        );

    block_on(h.client.poll_once()).expect("poll");

    let pulls = h.transport.sent(Command::GetMsg);
    assert_eq!(
        pulls[1..],
        [
            json!({"Cookie": "c1", "SyncFlag": 0}),
            json!({"Cookie": "p1", "SyncFlag": 1}),
            json!({"Cookie": "p2", "SyncFlag": 1}),
        ]
    );
    let notifications: Vec<Vec<String>> = h
        .take_events()
        .into_iter()
        .filter_map(|e| match e {
            SdkEvent::MsgNotify(msgs) => Some(msgs.iter().map(|m| m.to_text()).collect()),
            _ => None,
        })
        .collect();
    assert_eq!(
        notifications,
        [["one", "two", "three"]],
        "one notification for the whole pull"
    );
    let store = h.client.msg_store();
    assert_eq!(store.cookie(), "p3");
    assert_eq!(
        store.sync_flag(),
        SyncFlag::Start,
        "SyncFlag 2 (done) leaves 0 for next time"
    );
}

#[test]
fn test_sync_msgs_returns_the_new_messages_and_does_not_notify() {
    let h = Harness::logged_in();
    h.transport.reply(
        Command::GetMsg,
        json!({"MsgList": [text_json(PEER, ME, 1, 1, 101, "x")],
        "Cookie": "c2", "SyncFlag": 2}),
    );
    let fresh = block_on(h.client.sync_msgs()).unwrap();
    assert_eq!(fresh.len(), 1);
    assert!(
        h.take_events()
            .iter()
            .all(|e| !matches!(e, SdkEvent::MsgNotify(_)))
    );
}

#[test]
fn test_a_message_pulled_twice_is_stored_and_notified_once() {
    let h = Harness::logged_in_with(json!([text_json(PEER, ME, 1, 9, 100, "hi")]), json!([]));
    h.client.with_msg_store(|s| s.reset_cookie_and_sync_flag());
    h.transport.reply(
        Command::GetMsg,
        json!({"MsgList": [text_json(PEER, ME, 1, 9, 100, "hi")],
        "Cookie": "c2", "SyncFlag": 2}),
    );
    let fresh = block_on(h.client.sync_msgs()).unwrap();
    assert!(fresh.is_empty());
    assert_eq!(
        h.transport.sent(Command::GetMsg)[1],
        json!({"Cookie": "", "SyncFlag": 0})
    );
    let store = h.client.msg_store();
    assert_eq!(
        store
            .sess_by_type_id(SessionType::C2c, &account(PEER))
            .unwrap()
            .msg_count(),
        1
    );
}

#[test]
fn test_my_own_messages_from_another_client_land_in_the_peers_session_as_sent() {
    let h = Harness::logged_in_with(
        json!([text_json(ME, PEER, 4, 1, 100, "from my phone")]),
        json!([]),
    );
    let store = h.client.msg_store();
    let sess = store
        .sess_by_type_id(SessionType::C2c, &account(PEER))
        .unwrap();
    let msg = sess.msg(0).unwrap();
    assert!(msg.is_send());
    assert_eq!(sess.unread(), 0, "my own messages are never unread");
    drop(store);
    let next = h.client.create_msg(&account(PEER)).unwrap();
    assert_eq!(
        next.seq().0,
        5,
        "numbering continues after what this account sent"
    );
}

#[test]
fn test_text_is_kept_raw_and_faces_keep_index_and_name() {
    let face = json!({"From_Account": PEER, "To_Account": ME, "MsgSeq": 1, "MsgRandom": 1,
        "MsgTimeStamp": 100, "MsgBody": [
            {"MsgType": "TIMTextElem", "MsgContent": {"Text": "<script>alert(1)</script>"}},
            {"MsgType": "TIMFaceElem", "MsgContent": {"Index": 1, "Data": "[微笑]"}}]});
    let h = Harness::logged_in_with(json!([face]), json!([]));
    let store = h.client.msg_store();
    let msg = store
        .sess_by_type_id(SessionType::C2c, &account(PEER))
        .unwrap()
        .msg(0)
        .unwrap()
        .clone();
    match msg.elems() {
        [Elem::Text(t), Elem::Face(f)] => {
            assert_eq!(
                t.text(),
                "<script>alert(1)</script>",
                "not escaped (docs/sdk.md)"
            );
            assert_eq!((f.index(), f.data()), (1, "[微笑]"));
        }
        other => panic!("unexpected elems {other:?}"),
    }
    assert_eq!(msg.to_text(), "<script>alert(1)</script>[微笑]");
}

#[test]
fn test_a_failed_pull_is_an_error_and_keeps_the_cookie() {
    let h = Harness::logged_in();
    h.transport.refuse(Command::GetMsg, 20005, "service error");
    let err = block_on(h.client.sync_msgs()).unwrap_err();
    assert_eq!(err.to_string(), "[20005]service error");
    assert_eq!(h.client.msg_store().cookie(), "c1");
}

#[test]
fn test_an_answer_that_is_not_json_is_a_clear_error() {
    struct Garbage;
    impl webim_sdk::Transport for Garbage {
        async fn request<R: webim_sdk::proto::Endpoint>(
            &self,
            _: &webim_sdk::LoginInfo,
            _: &R,
        ) -> Result<webim_sdk::Answer<R::Response>, webim_sdk::TransportError> {
            webim_sdk::from_json("<html>502</html>")
        }
    }
    let client = webim_sdk::Client::new(Garbage, webim_sdk::testing::FakeEnv::default());
    let err = block_on(client.init(crate::harness::login(), None)).unwrap_err();
    assert!(err.info.contains("not a WebIM reply"), "{err}");
}
