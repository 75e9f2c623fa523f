//! `init` and `offline`, and -4 for anything called outside a login.

use futures::executor::block_on;
use serde_json::json;
use webim_sdk::SessionType;
use webim_sdk::proto::sns::{
    black_list_get, friend_delete, friend_get_all, pendency_delete, pendency_get,
};
use webim_sdk::proto::{Command, ErrorCode};
use webim_sdk::testing::account;

use crate::harness::{Harness, ME, PEER, login, text_json};

fn assert_not_logged_in<T: std::fmt::Debug>(result: webim_sdk::Result<T>) {
    let err = result.expect_err("must refuse");
    assert_eq!(err.code, ErrorCode::NotLoggedIn, "{err}");
}

/// Every API, called before `init`: each returns -4 and none reaches the transport.
fn every_call_is_refused_without_login(h: &Harness) {
    let c = &h.client;
    let peer = account(PEER);
    assert_not_logged_in(block_on(c.sync_msgs()));
    assert_not_logged_in(block_on(c.offline()));
    assert_not_logged_in(c.create_msg(&peer));
    assert_not_logged_in(block_on(c.set_auto_read(None, true, true)));
    assert_not_logged_in(block_on(c.get_c2c_history_msgs(&peer, 10)));
    assert_not_logged_in(block_on(c.poll_once()));
    assert_not_logged_in(block_on(c.get_profile_portrait(vec![peer.clone()], vec![])));
    assert_not_logged_in(block_on(c.set_profile_portrait(vec![])));
    assert_not_logged_in(block_on(c.apply_add_friend(vec![])));
    assert_not_logged_in(block_on(c.response_friend(vec![])));
    let pending = pendency_get::Request {
        from_account: None,
        pendency_type: webim_sdk::proto::sns::PendencyType::ComeIn,
        start_time: Default::default(),
        max_limited: 0,
        last_sequence: 0,
    };
    assert_not_logged_in(block_on(c.get_pendency(pending)));
    let delete_pending = pendency_delete::Request {
        from_account: None,
        to_account: vec![peer.clone()],
        pendency_type: webim_sdk::proto::sns::PendencyType::ComeIn,
    };
    assert_not_logged_in(block_on(c.delete_pendency(delete_pending)));
    let all = friend_get_all::Request {
        from_account: None,
        time_stamp: Default::default(),
        start_index: 0,
        tag_list: vec![],
        last_standard_sequence: 0,
        get_count: 100,
    };
    assert_not_logged_in(block_on(c.get_all_friend(all)));
    let delete = friend_delete::Request {
        from_account: None,
        to_account: vec![peer.clone()],
        delete_type: webim_sdk::proto::sns::DeleteType::Both,
    };
    assert_not_logged_in(block_on(c.delete_friend(delete)));
    assert_not_logged_in(block_on(c.add_black_list(vec![peer.clone()])));
    let black = black_list_get::Request {
        from_account: None,
        start_index: 0,
        max_limited: 0,
        last_sequence: 0,
    };
    assert_not_logged_in(block_on(c.get_black_list(black)));
    assert_not_logged_in(block_on(c.delete_black_list(vec![peer])));
    assert_eq!(
        block_on(c.run()),
        Ok(()),
        "the loop ends at once without a login"
    );
    assert!(
        h.transport.requests().is_empty(),
        "nothing was sent: {:?}",
        h.transport.requests()
    );
}

#[test]
fn test_every_call_before_init_returns_not_logged_in() {
    every_call_is_refused_without_login(&Harness::new());
}

#[test]
fn test_init_pulls_waiting_messages_before_returning() {
    let h = Harness::logged_in_with(json!([text_json(PEER, ME, 1, 5, 100, "hi")]), json!([]));
    assert!(h.client.is_logged_in());
    assert_eq!(h.client.identifier(), Some(account(ME)));
    let store = h.client.msg_store();
    let sess = store
        .sess_by_type_id(SessionType::C2c, &account(PEER))
        .expect("session");
    assert_eq!(sess.msg_count(), 1);
    assert_eq!(
        h.transport.sent(Command::GetMsg),
        [json!({"Cookie": "", "SyncFlag": 0})]
    );
}

#[test]
fn test_init_refused_by_the_service_leaves_the_client_logged_out() {
    let h = Harness::new();
    h.transport
        .refuse(Command::GetMsg, 20003, "invalid account");
    let err = block_on(h.client.init(login(), None)).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidAccount);
    assert!(!h.client.is_logged_in());
}

#[test]
fn test_init_with_the_service_unreachable_stays_logged_in_to_retry() {
    let h = Harness::new();
    h.transport.fail(Command::GetMsg);
    let err = block_on(h.client.init(login(), None)).unwrap_err();
    assert!(err.is_transient());
    assert!(h.client.is_logged_in());
}

#[test]
fn test_offline_logs_out_on_the_service_and_clears_everything() {
    let h = Harness::logged_in_with(json!([text_json(PEER, ME, 1, 5, 100, "hi")]), json!([]));
    h.transport.reply(Command::Logout, json!({}));
    block_on(h.client.offline()).expect("offline");
    assert_eq!(h.transport.sent(Command::Logout), [json!({})]);
    assert!(!h.client.is_logged_in());
    assert!(
        h.client.msg_store().sess_map().is_empty(),
        "1.7 clears the store (1.2 did not)"
    );
    let requests_before = h.transport.requests().len();
    every_call_is_refused_without_login_after(&h, requests_before);
}

fn every_call_is_refused_without_login_after(h: &Harness, requests_before: usize) {
    assert_not_logged_in(block_on(h.client.sync_msgs()));
    assert_not_logged_in(h.client.create_msg(&account(PEER)));
    assert_eq!(h.transport.requests().len(), requests_before);
}

#[test]
fn test_offline_clears_local_state_even_when_the_service_cannot_be_told() {
    let h = Harness::logged_in();
    h.transport.fail(Command::Logout);
    let err = block_on(h.client.offline()).unwrap_err();
    assert!(err.is_transient());
    assert!(!h.client.is_logged_in());
}

#[test]
fn test_a_message_created_before_offline_cannot_be_sent_after_it() {
    let h = Harness::logged_in();
    let msg = h.client.create_msg(&account(PEER)).unwrap();
    h.transport.reply(Command::Logout, json!({}));
    block_on(h.client.offline()).unwrap();
    let err = block_on(h.client.send_msg(msg)).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotLoggedIn);
    assert!(h.transport.sent(Command::SendMsg).is_empty());
}
