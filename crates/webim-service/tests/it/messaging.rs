//! Messages: accepted once into both inboxes, checks and limits, read positions, history.

use serde_json::{Value, json};
use webim_proto::Command;

use crate::harness::{A16, A17, Harness, PEAKER, msg};

#[test]
fn test_a_message_reaches_both_inboxes_with_the_service_time() {
    let h = Harness::new();
    let answer = h.send(A16, PEAKER, 1, "hi");
    assert_eq!(answer["ActionStatus"], "OK");
    let time = answer["MsgTime"].as_u64().unwrap();
    assert_eq!(h.pull_all(PEAKER), ["qiyueluhuo2016:hi"]);
    assert_eq!(
        h.pull_all(A16),
        ["qiyueluhuo2016:hi"],
        "the sender's other clients see it too"
    );
    let pulled = h.ok(PEAKER, Command::GetMsg, json!({"Cookie": ""}));
    assert_eq!(pulled["MsgList"][0]["MsgTimeStamp"].as_u64().unwrap(), time);
}

#[test]
fn test_a_resent_message_is_stored_once() {
    let h = Harness::new();
    let first = h.send(A16, PEAKER, 1, "once");
    let again = h.send(A16, PEAKER, 1, "once");
    assert_eq!(again["ActionStatus"], "OK", "a resend is a success");
    assert_eq!(again["MsgTime"], first["MsgTime"], "with the original time");
    assert_eq!(h.pull_all(PEAKER).len(), 1);
}

#[test]
fn test_message_limits_and_bad_bodies() {
    let h = Harness::new();
    let at_limit = "七".repeat(4000);
    assert_eq!(h.send(A16, PEAKER, 1, &at_limit)["ActionStatus"], "OK");
    assert_eq!(
        h.send(A16, PEAKER, 2, &format!("{at_limit}x"))["ErrorCode"],
        80002
    );
    assert_eq!(h.send(A16, PEAKER, 3, "")["ErrorCode"], 20001);
    let mut empty = msg(A16, PEAKER, 4, "x");
    empty["MsgBody"] = json!([]);
    assert_eq!(h.code(A16, Command::SendMsg, empty), 20001);
    let mut face = msg(A16, PEAKER, 5, "x");
    face["MsgBody"] =
        json!([{"MsgType": "TIMFaceElem", "MsgContent": {"Index": 68, "Data": "[?]"}}]);
    assert_eq!(h.code(A16, Command::SendMsg, face), 20001);
    assert_eq!(
        h.send(A16, "ghost", 6, "x")["ErrorCode"],
        20003,
        "unknown recipient"
    );
    assert_eq!(h.send(A16, A16, 7, "x")["ErrorCode"], 20003, "to myself");
}

#[test]
fn test_unread_counts_follow_read_reports() {
    let h = Harness::new();
    for i in 1..=3 {
        h.send(A16, PEAKER, i, &format!("m{i}"));
    }
    let fresh = h.ok(PEAKER, Command::GetMsg, json!({"Cookie": ""}));
    assert_eq!(
        fresh["C2CUnreadList"],
        json!([{"Peer_Account": A16, "UnreadCount": 3}])
    );
    let t2 = fresh["MsgList"][1]["MsgTimeStamp"].clone();
    h.ok(
        PEAKER,
        Command::MsgReaded,
        json!({"C2CMsgReaded": {"Cookie": "", "C2CMsgReadedItem": [
        {"To_Account": A16, "LastedMsgTime": t2}]}}),
    );
    let after = h.ok(PEAKER, Command::GetMsg, json!({"Cookie": ""}));
    assert_eq!(
        after["C2CUnreadList"],
        json!([{"Peer_Account": A16, "UnreadCount": 1}])
    );
    let texts: Vec<&str> = after["MsgList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["MsgBody"][0]["MsgContent"]["Text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["m3"], "a fresh sync brings the unread ones");
}

#[test]
fn test_a_read_report_far_back_counts_every_later_message_unread() {
    // The recount walks back in growing steps (1, 4, 16, 64, 64…): every step boundary must
    // count each message once.
    let h = Harness::new();
    let mut times = Vec::new();
    for i in 1..=150 {
        let sent = h.send(A16, PEAKER, i, &format!("m{i}"));
        times.push(sent["MsgTime"].clone());
        h.send(PEAKER, A16, i, &format!("r{i}"));
    }
    let unread_after = |read: usize| {
        h.ok(
            PEAKER,
            Command::MsgReaded,
            json!({"C2CMsgReaded": {"Cookie": "", "C2CMsgReadedItem": [
            {"To_Account": A16, "LastedMsgTime": times[read - 1]}]}}),
        );
        let fresh = h.ok(PEAKER, Command::GetMsg, json!({"Cookie": ""}));
        fresh["C2CUnreadList"][0]["UnreadCount"]
            .as_u64()
            .unwrap_or(0)
    };
    // Read positions only move forward.
    for read in [1, 10, 70, 130, 146, 149, 150] {
        assert_eq!(unread_after(read), 150 - read as u64, "read up to m{read}");
    }
}

#[test]
fn test_a_fresh_sync_brings_each_conversation_latest_message_when_all_is_read() {
    let h = Harness::new();
    h.send(A16, PEAKER, 1, "old");
    h.send(PEAKER, A16, 1, "reply");
    h.send(A17, PEAKER, 1, "from 17");
    let fresh = h.ok(PEAKER, Command::GetMsg, json!({"Cookie": ""}));
    let last_16 = fresh["MsgList"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["To_Account"] == A16 || m["From_Account"] == A16)
        .count();
    assert!(last_16 >= 1);
    let t = h.now.get();
    h.ok(
        PEAKER,
        Command::MsgReaded,
        json!({"C2CMsgReaded": {"Cookie": "", "C2CMsgReadedItem": [
        {"To_Account": A16, "LastedMsgTime": t}, {"To_Account": A17, "LastedMsgTime": t}]}}),
    );
    let fresh = h.ok(PEAKER, Command::GetMsg, json!({"Cookie": ""}));
    let texts: Vec<&str> = fresh["MsgList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["MsgBody"][0]["MsgContent"]["Text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        ["reply", "from 17"],
        "only each conversation's latest message"
    );
    assert!(fresh.get("C2CUnreadList").is_none(), "nothing unread");
}

#[test]
fn test_history_pages_newest_first_until_complete() {
    let h = Harness::new();
    for i in 1..=5 {
        h.send(A16, PEAKER, i, &format!("m{i}"));
    }
    h.send(A17, PEAKER, 1, "other conversation");
    let page = h.ok(
        PEAKER,
        Command::GetRoamMsg,
        json!({"Peer_Account": A16, "MaxCnt": 2}),
    );
    assert_eq!(page["Complete"], 0);
    assert_eq!(page["MsgCnt"], 2);
    let key = page["LastMsgKey"].clone();
    let texts = |p: &Value| -> Vec<String> {
        p["MsgList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                m["MsgBody"][0]["MsgContent"]["Text"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(texts(&page), ["m5", "m4"]);
    let page = h.ok(
        PEAKER,
        Command::GetRoamMsg,
        json!({"Peer_Account": A16, "MaxCnt": 3, "LastMsgKey": key}),
    );
    assert_eq!(texts(&page), ["m3", "m2", "m1"]);
    assert_eq!(page["Complete"], 1);
    assert_eq!(
        h.code(
            PEAKER,
            Command::GetRoamMsg,
            json!({"Peer_Account": A16, "MaxCnt": 0})
        ),
        20001
    );
    assert_eq!(
        h.code(
            PEAKER,
            Command::GetRoamMsg,
            json!({"Peer_Account": A16, "MaxCnt": 5, "LastMsgKey": "x"})
        ),
        20001
    );
}

/// A read report costs the same whatever the conversation's length: 12,000 messages, and
/// reports shaped as an attacker would send them (a thousand items for one conversation,
/// times far back, the same report again) read a handful of entries each. Reading part of
/// a backlog walks the newly read messages once, never again.
#[test]
fn test_a_read_report_costs_the_same_whatever_the_conversations_length() {
    use futures::executor::block_on;
    use webim_proto::{AccountId, Timestamp};
    let h = Harness::new();
    let (peaker, a16) = (
        AccountId::new(PEAKER).unwrap(),
        AccountId::new(A16).unwrap(),
    );
    let texts: Vec<String> = (0..12_000).map(|i| format!("m{i}")).collect();
    let end = 1_000_000;
    block_on(
        h.service
            .import_messages(&a16, &peaker, &texts, Timestamp(end)),
    )
    .unwrap();
    h.now.set(end + 10);
    let first = end - 11_999;
    let report = |who: &str, times: &[u64]| {
        let items: Vec<Value> = times
            .iter()
            .map(|t| json!({"To_Account": if who == A16 { PEAKER } else { A16 }, "LastedMsgTime": t}))
            .collect();
        let before = h.service.store().entries_read();
        let answer = h.call(
            who,
            Command::MsgReaded,
            json!({"C2CMsgReaded": {"Cookie": "", "C2CMsgReadedItem": items}}),
        );
        (answer, h.service.store().entries_read() - before)
    };
    let unread = || {
        let fresh = h.ok(PEAKER, Command::GetMsg, json!({"Cookie": ""}));
        fresh["C2CUnreadList"][0]["UnreadCount"]
            .as_u64()
            .unwrap_or(0)
    };

    // Too many items: refused with a sentence, nothing read.
    let (answer, _) = report(A16, &vec![first; 1_150]);
    assert_eq!(answer["ErrorCode"], 20001, "{answer}");
    // The sender's own conversation, far back, a hundred times over: nothing unread there.
    // (A hundred items go in 7 parts of at most 16, each a transaction of its own that
    // reads the caller's account: a handful of entries per part, whatever the history.)
    let times: Vec<u64> = (0..100).collect();
    let parts_before = h.service.store().write_transactions();
    let (answer, cost) = report(A16, &times);
    assert_eq!(answer["ActionStatus"], "OK");
    assert!(cost < 60, "the sender's report read {cost} entries");
    let parts = h.service.store().write_transactions() - parts_before;
    assert_eq!(parts, 7, "a hundred items, sixteen per transaction");
    // The reader, far back: nothing of the backlog is read yet.
    let (_, cost) = report(PEAKER, &[first - 5]);
    assert!(cost < 20, "a report before the backlog read {cost} entries");
    assert_eq!(unread(), 12_000);
    // Half the backlog: walked once.
    let (_, cost) = report(PEAKER, &[first + 5_999]);
    assert!(cost < 6_200, "half the backlog read {cost} entries");
    assert_eq!(unread(), 6_000);
    // The same report again, and one a second further: a handful each.
    let (_, again) = report(PEAKER, &[first + 5_999]);
    let (_, further) = report(PEAKER, &[first + 6_000]);
    assert!(
        again < 20 && further < 80,
        "read {again} and {further} entries"
    );
    assert_eq!(unread(), 5_999);
    // Everything: one look at the newest.
    let (_, cost) = report(PEAKER, &[end]);
    assert!(cost < 20, "reading everything read {cost} entries");
    assert_eq!(unread(), 0);
}

/// Numbers in a cookie are the client's: the largest ones are answered, not overflowed.
#[test]
fn test_a_cookie_of_the_largest_numbers_is_answered() {
    let h = Harness::new();
    h.send(A16, PEAKER, 1, "hi");
    for cookie in [
        "s18446744073709551615:0",
        "s18446744073709551615:18446744073709551615",
        "s0:18446744073709551615",
        "18446744073709551615",
    ] {
        // One account with a conversation, one without.
        for who in [PEAKER, A17] {
            let answer = h.ok(who, Command::GetMsg, json!({"Cookie": cookie}));
            assert!(answer["MsgList"].as_array().is_some(), "{cookie}: {answer}");
        }
    }
    assert_eq!(
        h.code(
            PEAKER,
            Command::GetMsg,
            json!({"Cookie": "s18446744073709551616:0"})
        ),
        20001,
        "past u64: refused with a sentence"
    );
}
