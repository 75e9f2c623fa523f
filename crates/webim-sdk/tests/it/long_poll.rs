//! The long-poll loop: new-message events trigger a pull; notices become events; errors
//! are retried at once, then with growing pauses; 15 consecutive 60003s stop it.

use futures::executor::block_on;
use serde_json::json;
use webim_sdk::proto::openim::longpolling::FriendNoticeType;
use webim_sdk::proto::{Command, ErrorCode};
use webim_sdk::testing::account;
use webim_sdk::{ConnectionState, SdkEvent};

use crate::harness::{Harness, ME, PEER, text_json};

fn empty_poll(h: &Harness, notify: u64, notice: u64) {
    h.transport.reply(
        Command::LongPolling,
        json!({"EventArray": [],
        "Cookie": {"NotifySeq": notify, "NoticeSeq": notice}}),
    );
}

#[test]
fn test_each_poll_sends_the_cookie_of_the_last_answer() {
    let h = Harness::logged_in();
    empty_poll(&h, 4, 2);
    empty_poll(&h, 4, 3);
    block_on(h.client.poll_once()).unwrap();
    block_on(h.client.poll_once()).unwrap();
    let polls = h.transport.sent(Command::LongPolling);
    assert_eq!(
        polls[0],
        json!({"Timeout": 60, "Cookie": {"NotifySeq": 0, "NoticeSeq": 0}})
    );
    assert_eq!(
        polls[1],
        json!({"Timeout": 60, "Cookie": {"NotifySeq": 4, "NoticeSeq": 2}})
    );
}

#[test]
fn test_a_new_message_event_pulls_and_notifies_the_listener() {
    let h = Harness::logged_in();
    h.transport
        .reply(
            Command::LongPolling,
            json!({"EventArray": [{"Event": 1, "NotifySeq": 1}],
            "Cookie": {"NotifySeq": 1, "NoticeSeq": 0}}),
        )
        .reply(
            Command::GetMsg,
            json!({"MsgList": [text_json(PEER, ME, 1, 1, 100, "hi")],
            "Cookie": "c2", "SyncFlag": 2}),
        );
    block_on(h.client.poll_once()).unwrap();
    let events = h.take_events();
    assert!(
        matches!(&events[..], [SdkEvent::MsgNotify(m)] if m.len() == 1),
        "{events:?}"
    );
}

#[test]
fn test_a_failed_pull_after_an_event_is_asked_for_again_by_the_next_poll() {
    let h = Harness::logged_in();
    let event = json!({"EventArray": [{"Event": 1, "NotifySeq": 1}],
        "Cookie": {"NotifySeq": 1, "NoticeSeq": 0}});
    h.transport
        .reply(Command::LongPolling, event.clone())
        .refuse(Command::GetMsg, 70001, "the database is busy")
        .reply(Command::LongPolling, event)
        .reply(
            Command::GetMsg,
            json!({"MsgList": [text_json(PEER, ME, 1, 1, 100, "hi")],
            "Cookie": "c2", "SyncFlag": 2}),
        );
    block_on(h.client.poll_once()).unwrap_err();
    block_on(h.client.poll_once()).unwrap();
    let polls = h.transport.sent(Command::LongPolling);
    assert_eq!(
        polls[1]["Cookie"]["NotifySeq"], 0,
        "the event is asked for again"
    );
    let events = h.take_events();
    assert!(
        events
            .iter()
            .any(|e| matches!(e, SdkEvent::MsgNotify(m) if m.len() == 1)),
        "the message arrives: {events:?}"
    );
}

#[test]
fn test_friend_and_profile_notices_become_events() {
    let h = Harness::logged_in();
    h.transport.reply(Command::LongPolling, json!({"EventArray": [
        {"Event": 7, "NoticeSeq": 1, "FriendNotice": {"PushType": 3, "Accounts": ["qiyueluhuo2018"]}},
        {"Event": 8, "NoticeSeq": 2, "ProfileNotice": {"Account": PEER}}],
        "Cookie": {"NotifySeq": 0, "NoticeSeq": 2}}));
    block_on(h.client.poll_once()).unwrap();
    assert_eq!(
        h.take_events(),
        [
            SdkEvent::RelationshipChanged {
                kind: FriendNoticeType::PendencyAdd,
                accounts: vec![account("qiyueluhuo2018")],
            },
            SdkEvent::ProfileChanged(account(PEER)),
        ]
    );
}

#[test]
fn test_run_stops_after_fifteen_consecutive_60003_errors() {
    let h = Harness::logged_in();
    for _ in 0..15 {
        h.transport
            .refuse(Command::LongPolling, 60003, "json body parse error");
    }
    let err = block_on(h.client.run()).unwrap_err();
    assert_eq!(err.code, ErrorCode::JsonBodyParse);
    assert_eq!(h.transport.sent(Command::LongPolling).len(), 15);
}

#[test]
fn test_other_errors_do_not_count_and_the_first_retry_is_immediate() {
    let h = Harness::logged_in();
    // 14 × 60003, then a transport failure (does not count), then 60003 again: that makes
    // 15 counted only at the 16th poll.
    for _ in 0..14 {
        h.transport.refuse(Command::LongPolling, 60003, "x");
    }
    h.transport.fail(Command::LongPolling);
    h.transport.refuse(Command::LongPolling, 60003, "x");
    let err = block_on(h.client.run()).unwrap_err();
    assert_eq!(err.code, ErrorCode::JsonBodyParse);
    assert_eq!(h.transport.sent(Command::LongPolling).len(), 16);
    let sleeps = h.env.sleeps();
    assert_eq!(
        sleeps.len(),
        14,
        "no pause after the first failure (nor after the last)"
    );
    for (ms, ceiling) in sleeps.iter().zip([500, 1000, 2000, 4000]) {
        assert!(
            (ceiling / 2..=ceiling).contains(ms),
            "{ms} ms: between half and all of {ceiling} ms (jitter)"
        );
    }
    assert!(sleeps.iter().all(|&ms| ms <= 30_000));
}

#[test]
fn test_a_success_resets_the_error_count() {
    let h = Harness::logged_in();
    for _ in 0..14 {
        h.transport.refuse(Command::LongPolling, 60003, "x");
    }
    empty_poll(&h, 0, 0);
    for _ in 0..15 {
        h.transport.refuse(Command::LongPolling, 60003, "x");
    }
    block_on(h.client.run()).unwrap_err();
    assert_eq!(h.transport.sent(Command::LongPolling).len(), 30);
}

#[test]
fn test_the_connection_going_down_and_up_is_reported_once_each() {
    let h = Harness::logged_in();
    h.transport
        .fail(Command::LongPolling)
        .fail(Command::LongPolling);
    empty_poll(&h, 0, 0);
    for _ in 0..15 {
        h.transport.refuse(Command::LongPolling, 60003, "x");
    }
    block_on(h.client.run()).unwrap_err();
    let states: Vec<ConnectionState> = h
        .take_events()
        .into_iter()
        .filter_map(|e| match e {
            SdkEvent::Connection(s) => Some(s),
            _ => None,
        })
        .collect();
    assert_eq!(states, [ConnectionState::Offline, ConnectionState::Online]);
}

#[test]
fn test_run_returns_at_logout() {
    let h = Harness::logged_in();
    h.transport.reply(Command::Logout, json!({}));
    block_on(h.client.offline()).unwrap();
    assert_eq!(block_on(h.client.run()), Ok(()));
}

#[test]
fn test_sequences_going_back_mean_the_service_was_reset_and_the_client_starts_over() {
    let h = Harness::logged_in_with(
        json!([text_json(PEER, ME, 1, 1, 100, "before reset")]),
        json!([]),
    );
    empty_poll(&h, 5, 3);
    block_on(h.client.poll_once()).unwrap();
    h.take_events();
    h.transport
        .reply(
            Command::LongPolling,
            json!({"EventArray": [{"Event": 1, "NotifySeq": 0}],
            "Cookie": {"NotifySeq": 0, "NoticeSeq": 0}}),
        )
        .reply(
            Command::GetMsg,
            json!({"MsgList": [], "Cookie": "0", "SyncFlag": 2}),
        );
    block_on(h.client.poll_once()).unwrap();
    assert!(h.client.msg_store().sess_map().is_empty());
    assert_eq!(h.take_events(), [SdkEvent::Reset]);
    assert_eq!(
        h.transport.sent(Command::GetMsg).last().unwrap()["Cookie"],
        "",
        "a fresh sync"
    );
}
