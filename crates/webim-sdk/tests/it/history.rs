//! History paging: newest page first, older pages after, merged in time order.

use futures::executor::block_on;
use serde_json::json;
use webim_sdk::SessionType;
use webim_sdk::proto::{Command, ErrorCode};
use webim_sdk::testing::account;

use crate::harness::{Harness, ME, PEER, text_json};

#[test]
fn test_pages_walk_back_with_the_cursor_and_stop_when_complete() {
    let h = Harness::logged_in_with(
        json!([text_json(PEER, ME, 5, 1, 500, "m5")]),
        json!([{"Peer_Account": PEER, "UnreadCount": 1}]),
    );
    h.transport
        .reply(Command::GetRoamMsg, json!({"Complete": 0, "MsgCnt": 2, "LastMsgKey": "k4",
            "MsgList": [text_json(PEER, ME, 5, 1, 500, "m5"), text_json(ME, PEER, 4, 1, 400, "m4")]}))
        .reply(Command::GetRoamMsg, json!({"Complete": 1, "MsgCnt": 2, "LastMsgKey": "k2",
            "MsgList": [text_json(PEER, ME, 3, 1, 300, "m3"), text_json(PEER, ME, 2, 1, 200, "m2")]}));
    let peer = account(PEER);

    let first = block_on(h.client.get_c2c_history_msgs(&peer, 2)).unwrap();
    assert_eq!(
        (first.msgs.len(), first.added, first.complete),
        (2, 1, false)
    );
    let second = block_on(h.client.get_c2c_history_msgs(&peer, 2)).unwrap();
    assert_eq!((second.added, second.complete), (2, true));
    let third = block_on(h.client.get_c2c_history_msgs(&peer, 2)).unwrap();
    assert!(third.msgs.is_empty() && third.complete);

    assert_eq!(
        h.transport.sent(Command::GetRoamMsg),
        [
            json!({"Peer_Account": PEER, "MaxCnt": 2, "LastMsgKey": ""}),
            json!({"Peer_Account": PEER, "MaxCnt": 2, "LastMsgKey": "k4"}),
        ],
        "no request once complete"
    );
    let store = h.client.msg_store();
    let sess = store.sess_by_type_id(SessionType::C2c, &peer).unwrap();
    let texts: Vec<String> = sess.msgs().iter().map(|m| m.to_text()).collect();
    assert_eq!(texts, ["m2", "m3", "m4", "m5"]);
    assert_eq!(sess.unread(), 1, "history does not count as unread");
}

#[test]
fn test_page_size_outside_1_to_100_is_refused() {
    let h = Harness::logged_in();
    for bad in [0, 101] {
        let err = block_on(h.client.get_c2c_history_msgs(&account(PEER), bad)).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidPacket);
    }
    assert!(h.transport.sent(Command::GetRoamMsg).is_empty());
}
