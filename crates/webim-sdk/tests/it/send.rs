//! `sendMsg`: checks before sending, local echo, exactly once, order, retry in place.

use futures::executor::block_on;
use serde_json::json;
use webim_sdk::proto::{Command, ErrorCode};
use webim_sdk::testing::account;
use webim_sdk::{Elem, Face, Msg, SdkEvent, SendStatus, SessionType, Text, Tool};

use crate::harness::{Harness, ME, PEER};

fn text_msg(h: &Harness, text: &str) -> Msg {
    let mut msg = h.client.create_msg(&account(PEER)).unwrap();
    msg.add_text(Text::new(text));
    msg
}

fn statuses(h: &Harness) -> Vec<(String, SendStatus)> {
    let store = h.client.msg_store();
    store
        .sess_by_type_id(SessionType::C2c, &account(PEER))
        .map(|s| s.msgs().iter().map(|m| (m.to_text(), m.status())).collect())
        .unwrap_or_default()
}

#[test]
fn test_create_msg_numbers_messages_and_takes_time_and_random_from_env() {
    let h = Harness::logged_in();
    let a = h.client.create_msg(&account(PEER)).unwrap();
    let b = h.client.create_msg(&account(PEER)).unwrap();
    assert_eq!(
        (a.seq().0, b.seq().0),
        (1, 2),
        "local seq 1, 2, … (docs/sdk.md, Sending)"
    );
    assert_ne!(a.random(), b.random());
    assert_eq!(a.time().0, h.env.now.get(), "seconds");
    assert!(a.is_send());
    assert_eq!(a.from_account(), &account(ME));
}

#[test]
fn test_a_sent_message_is_in_the_store_once_and_its_echo_is_not_stored_again() {
    let h = Harness::logged_in();
    let mut msg = text_msg(&h, "hi");
    msg.add_face(Face::new(1, "[微笑]"));
    let (seq, random) = (msg.seq().0, msg.random().0);
    h.transport
        .reply(Command::SendMsg, json!({"MsgTime": 1_448_000_005}));
    block_on(h.client.send_msg(msg)).expect("sent");

    let sent = h.transport.sent(Command::SendMsg);
    assert_eq!(
        sent,
        [
            json!({"From_Account": ME, "To_Account": PEER, "MsgSeq": seq, "MsgRandom": random,
            "MsgTimeStamp": h.env.now.get(), "MsgBody": [
                {"MsgType": "TIMTextElem", "MsgContent": {"Text": "hi"}},
                {"MsgType": "TIMFaceElem", "MsgContent": {"Index": 1, "Data": "[微笑]"}}]})
        ]
    );
    assert_eq!(statuses(&h), [("hi[微笑]".to_owned(), SendStatus::Sent)]);

    // The service echoes it back on the next pull: still one message.
    let echo = json!({"From_Account": ME, "To_Account": PEER, "MsgSeq": seq, "MsgRandom": random,
        "MsgTimeStamp": 1_448_000_005, "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "hi"}}]});
    h.transport.reply(
        Command::GetMsg,
        json!({"MsgList": [echo], "Cookie": "c2", "SyncFlag": 2}),
    );
    assert!(block_on(h.client.sync_msgs()).unwrap().is_empty());
    assert_eq!(statuses(&h).len(), 1);
    let store = h.client.msg_store();
    let sess = store
        .sess_by_type_id(SessionType::C2c, &account(PEER))
        .unwrap();
    assert_eq!(sess.time().0, 1_448_000_005, "the service's time is kept");
    assert_eq!(store.sess_count(), 1, "a send updates the timeline");
}

#[test]
fn test_the_message_shows_as_pending_before_the_answer() {
    let h = Harness::logged_in();
    h.transport.reply(Command::SendMsg, json!({}));
    block_on(h.client.send_msg(text_msg(&h, "hi"))).unwrap();
    assert_eq!(status_events(&h), [SendStatus::Pending, SendStatus::Sent]);
}

/// The send statuses the listener heard since the last look.
fn status_events(h: &Harness) -> Vec<SendStatus> {
    h.take_events()
        .into_iter()
        .filter_map(|e| match e {
            SdkEvent::SendStatus { status, .. } => Some(status),
            _ => None,
        })
        .collect()
}

#[test]
fn test_empty_and_oversized_messages_are_refused_before_the_transport() {
    let h = Harness::logged_in();
    let empty = h.client.create_msg(&account(PEER)).unwrap();
    assert_eq!(
        block_on(h.client.send_msg(empty)).unwrap_err().code,
        ErrorCode::InvalidPacket
    );
    let blank = text_msg(&h, "");
    assert_eq!(
        block_on(h.client.send_msg(blank)).unwrap_err().code,
        ErrorCode::InvalidPacket
    );

    let at_limit = "七".repeat(4000); // 12000 bytes
    assert_eq!(Tool::get_str_bytes(&at_limit), 12_000);
    let over = format!("{at_limit}x");
    let err = block_on(h.client.send_msg(text_msg(&h, &over))).unwrap_err();
    assert_eq!(err.code, ErrorCode::MsgTooLong);
    assert!(err.info.contains("12001"), "{err}");

    assert!(
        h.transport.sent(Command::SendMsg).is_empty(),
        "no request was made"
    );
    assert!(statuses(&h).is_empty(), "nothing was stored");

    h.transport.reply(Command::SendMsg, json!({}));
    block_on(h.client.send_msg(text_msg(&h, &at_limit))).expect("exactly 12000 bytes is fine");
}

#[test]
fn test_a_refused_message_fails_in_place_and_is_not_retried_automatically() {
    let h = Harness::logged_in();
    h.transport.refuse(Command::SendMsg, 20007, "blacklisted");
    let err = block_on(h.client.send_msg(text_msg(&h, "hi"))).unwrap_err();
    assert_eq!(err.code, ErrorCode::BlockedByRecipient);
    assert_eq!(statuses(&h), [("hi".to_owned(), SendStatus::Failed)]);
    // A later message is not held back by a refusal.
    h.transport.reply(Command::SendMsg, json!({}));
    block_on(h.client.send_msg(text_msg(&h, "next"))).unwrap();
    assert_eq!(statuses(&h)[1], ("next".to_owned(), SendStatus::Sent));
}

#[test]
fn test_an_undelivered_message_stays_pending_and_is_sent_again_with_growing_pauses() {
    let h = Harness::logged_in();
    // The network is gone for three attempts, then back.
    for _ in 0..3 {
        h.transport.fail(Command::SendMsg);
    }
    h.transport
        .reply(Command::SendMsg, json!({}))
        .reply(Command::SendMsg, json!({}));
    block_on(h.client.send_msg(text_msg(&h, "first"))).expect("sent once the network is back");
    block_on(h.client.send_msg(text_msg(&h, "second"))).unwrap();
    let sent = h.transport.sent(Command::SendMsg);
    let texts: Vec<&str> = sent
        .iter()
        .map(|b| b["MsgBody"][0]["MsgContent"]["Text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        ["first", "first", "first", "first", "second"],
        "in order"
    );
    assert!(
        sent[..4]
            .iter()
            .all(|b| b["MsgRandom"] == sent[0]["MsgRandom"] && b["MsgSeq"] == sent[0]["MsgSeq"]),
        "every attempt has the same identity, so the service stores it once"
    );
    let pauses = h.env.sleeps();
    assert_eq!(pauses.len(), 3, "one pause after each failed attempt");
    for (ms, ceiling) in pauses.iter().zip([500, 1000, 2000]) {
        assert!(
            (ceiling / 2..=ceiling).contains(ms),
            "{ms} ms within {ceiling} ms"
        );
    }
    assert_eq!(
        statuses(&h),
        [
            ("first".to_owned(), SendStatus::Sent),
            ("second".to_owned(), SendStatus::Sent)
        ]
    );
}

#[test]
fn test_a_waiting_message_goes_as_soon_as_another_request_gets_through() {
    let h = Harness::logged_in();
    h.env.endless_sleeps.set(true);
    h.transport
        .fail(Command::SendMsg)
        .reply(
            Command::GetMsg,
            json!({"MsgList": [], "Cookie": "c2", "SyncFlag": 2}),
        )
        .reply(Command::SendMsg, json!({}));
    let mut send = std::pin::pin!(h.client.send_msg(text_msg(&h, "hi")));
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    assert!(
        send.as_mut().poll(&mut cx).is_pending(),
        "waits for the network"
    );
    assert_eq!(h.env.sleeps().len(), 1);
    // Another request gets through (the network is back): the message goes without
    // waiting for its pause to end.
    block_on(h.client.sync_msgs()).expect("a pull");
    assert!(matches!(
        send.as_mut().poll(&mut cx),
        std::task::Poll::Ready(Ok(()))
    ));
    assert_eq!(statuses(&h), [("hi".to_owned(), SendStatus::Sent)]);
}

#[test]
fn test_a_message_waiting_for_the_network_is_never_shown_as_failed() {
    let h = Harness::logged_in();
    h.take_events();
    h.transport
        .fail(Command::SendMsg)
        .reply(Command::SendMsg, json!({}));
    block_on(h.client.send_msg(text_msg(&h, "hi"))).unwrap();
    assert_eq!(status_events(&h), [SendStatus::Pending, SendStatus::Sent]);
}

#[test]
fn test_only_failed_messages_can_be_retried() {
    let h = Harness::logged_in();
    let msg = text_msg(&h, "hi");
    let (session, key) = (msg.session().clone(), msg.key());
    h.transport.reply(Command::SendMsg, json!({}));
    block_on(h.client.send_msg(msg)).unwrap();
    let err = block_on(h.client.retry_msg(&session, &key)).unwrap_err();
    assert!(err.info.contains("only a failed message"), "{err}");
}

#[test]
fn test_sending_the_same_message_twice_is_refused() {
    let h = Harness::logged_in();
    let msg = text_msg(&h, "hi");
    h.transport.reply(Command::SendMsg, json!({}));
    block_on(h.client.send_msg(msg.clone())).unwrap();
    let err = block_on(h.client.send_msg(msg)).unwrap_err();
    assert!(err.info.contains("already"), "{err}");
    assert_eq!(h.transport.sent(Command::SendMsg).len(), 1);
}

#[test]
fn test_a_received_message_cannot_be_sent() {
    let h = Harness::logged_in();
    let theirs = Msg::new(
        webim_sdk::SessionKey::c2c(account(PEER)),
        false,
        webim_sdk::proto::MsgSeq(1),
        webim_sdk::proto::MsgRandom(1),
        webim_sdk::proto::Timestamp(1),
        account(PEER),
    );
    let mut theirs = theirs;
    theirs.add_elem(Elem::Text(Text::new("x")));
    assert_eq!(
        block_on(h.client.send_msg(theirs)).unwrap_err().code,
        ErrorCode::InvalidPacket
    );
}
