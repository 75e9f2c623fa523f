//! Pulls in pages, long polls and their notices.

use serde_json::{Value, json};
use webim_proto::Command;

use crate::harness::{A16, A18, Harness, PEAKER};

#[test]
fn test_250_messages_come_in_pages_of_100_in_order() {
    let h = Harness::new();
    let start = h.ok(PEAKER, Command::GetMsg, json!({"Cookie": ""}));
    let cookie = start["Cookie"].as_str().unwrap().to_owned();
    for i in 1..=250 {
        h.send(A16, PEAKER, i, &format!("m{i}"));
    }
    let first = h.ok(
        PEAKER,
        Command::GetMsg,
        json!({"Cookie": cookie, "SyncFlag": 0}),
    );
    assert_eq!(first["MsgList"].as_array().unwrap().len(), 100);
    assert_eq!(first["SyncFlag"], 1);
    let all = h.pull_all(PEAKER);
    assert_eq!(all.len(), 250, "a fresh sync pages too");
    let expected: Vec<String> = (1..=250).map(|i| format!("qiyueluhuo2016:m{i}")).collect();
    assert_eq!(all, expected);
}

#[test]
fn test_a_pull_from_the_returned_cookie_brings_only_what_came_after() {
    let h = Harness::new();
    h.send(A16, PEAKER, 1, "before");
    let fresh = h.ok(PEAKER, Command::GetMsg, json!({"Cookie": ""}));
    assert_eq!(fresh["SyncFlag"], 2);
    h.send(A16, PEAKER, 2, "after");
    let next = h.ok(
        PEAKER,
        Command::GetMsg,
        json!({"Cookie": fresh["Cookie"], "SyncFlag": 0}),
    );
    assert_eq!(next["MsgList"].as_array().unwrap().len(), 1);
    assert_eq!(
        next["MsgList"][0]["MsgBody"][0]["MsgContent"]["Text"],
        "after"
    );
    assert_eq!(
        h.code(PEAKER, Command::GetMsg, json!({"Cookie": "nonsense"})),
        20001
    );
}

fn poll(h: &Harness, who: &str, notify: u64, notice: u64) -> Value {
    h.call(
        who,
        Command::LongPolling,
        json!({"Timeout": 60, "Cookie": {"NotifySeq": notify, "NoticeSeq": notice}}),
    )
}

#[test]
fn test_a_long_poll_waits_while_nothing_is_new() {
    let h = Harness::new();
    assert_eq!(
        poll(&h, PEAKER, 0, 0),
        Value::Null,
        "nothing yet: the backend waits"
    );
    let timeout = webim_service::Service::<webim_service::MemoryStore>::long_poll_timeout(
        &json!({"Timeout": 60, "Cookie": {"NotifySeq": 4, "NoticeSeq": 2}}).to_string(),
    );
    let timeout: Value = serde_json::from_str(&timeout).unwrap();
    assert_eq!(timeout["EventArray"], json!([]));
    assert_eq!(timeout["Cookie"], json!({"NotifySeq": 4, "NoticeSeq": 2}));
}

#[test]
fn test_a_message_wakes_both_parties_and_the_poll_reports_event_1() {
    let h = Harness::new();
    let sent = h.raw(
        A16,
        Command::SendMsg,
        &crate::harness::msg(A16, PEAKER, 1, "hi").to_string(),
    );
    let woken: Vec<&str> = sent.wake.iter().map(|a| a.as_str()).collect();
    assert_eq!(woken, [PEAKER, A16]);
    let answer = poll(&h, PEAKER, 0, 0);
    assert_eq!(answer["EventArray"], json!([{"Event": 1, "NotifySeq": 1}]));
    assert_eq!(answer["Cookie"]["NotifySeq"], 1);
    assert_eq!(poll(&h, PEAKER, 1, 0), Value::Null, "seen: wait again");
}

#[test]
fn test_a_resent_message_wakes_both_parties_again() {
    let h = Harness::new();
    let body = crate::harness::msg(A16, PEAKER, 1, "hi").to_string();
    h.raw(A16, Command::SendMsg, &body);
    // The answer (and whatever the first attempt woke) was lost: the resend wakes again.
    let again = h.raw(A16, Command::SendMsg, &body);
    let woken: Vec<&str> = again.wake.iter().map(|a| a.as_str()).collect();
    assert_eq!(woken, [PEAKER, A16]);
    assert_eq!(h.pull_all(PEAKER).len(), 1, "stored once");
}

#[test]
fn test_friend_requests_and_reads_become_notices_for_every_client() {
    let h = Harness::new();
    h.add_friend(A18, A16);
    let answer = poll(&h, A16, 0, 0);
    assert_eq!(answer["EventArray"][0]["Event"], 7);
    assert_eq!(
        answer["EventArray"][0]["FriendNotice"],
        json!({"PushType": 3, "Accounts": [A18]})
    );
    let notice = answer["Cookie"]["NoticeSeq"].as_u64().unwrap();

    h.send(PEAKER, A16, 1, "x");
    let t = h.now.get();
    let read = h.raw(
        A16,
        Command::MsgReaded,
        &json!({"C2CMsgReaded": {"Cookie": "",
        "C2CMsgReadedItem": [{"To_Account": PEAKER, "LastedMsgTime": t}]}})
        .to_string(),
    );
    assert!(
        read.wake.iter().any(|a| a.as_str() == A16),
        "my other tabs wake"
    );
    let answer = poll(&h, A16, 1, notice);
    assert_eq!(answer["EventArray"][0]["Event"], 10);
    assert_eq!(answer["EventArray"][0]["C2CReaded"]["Peer_Account"], PEAKER);
}

#[test]
fn test_a_profile_change_is_a_notice_to_every_account() {
    let h = Harness::new();
    h.ok(
        A16,
        Command::PortraitSet,
        json!({"ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "新名字"}]}),
    );
    for who in [PEAKER, A18] {
        let answer = poll(&h, who, 0, 0);
        assert_eq!(
            answer["EventArray"][0]["ProfileNotice"],
            json!({"Account": A16})
        );
    }
}

#[test]
fn test_after_a_reset_a_stale_cookie_is_answered_at_once_with_the_new_sequences() {
    let h = Harness::new();
    h.send(A16, PEAKER, 1, "x");
    let before = poll(&h, PEAKER, 0, 0);
    let seen = before["Cookie"]["NotifySeq"].as_u64().unwrap();
    futures::executor::block_on(h.service.reset(webim_proto::Timestamp(9))).unwrap();
    let answer = poll(&h, PEAKER, seen, 0);
    assert_eq!(answer["Cookie"], json!({"NotifySeq": 0, "NoticeSeq": 0}));
}

#[test]
fn test_an_imported_history_reads_like_sent_messages() {
    let h = Harness::new();
    let texts: Vec<String> = (1..=150).map(|i| format!("old{i}")).collect();
    let (from, to) = (
        webim_proto::AccountId::new(A16).unwrap(),
        webim_proto::AccountId::new(PEAKER).unwrap(),
    );
    let woken = futures::executor::block_on(h.service.import_messages(
        &from,
        &to,
        &texts,
        webim_proto::Timestamp(10_000),
    ))
    .unwrap();
    assert_eq!(woken.len(), 2);
    assert_eq!(
        h.pull_all(PEAKER),
        texts
            .iter()
            .map(|t| format!("{A16}:{t}"))
            .collect::<Vec<_>>()
    );
    let page = h.ok(
        PEAKER,
        Command::GetRoamMsg,
        json!({"Peer_Account": A16, "MaxCnt": 2}),
    );
    assert_eq!(
        page["MsgList"][0]["MsgBody"][0]["MsgContent"]["Text"],
        "old150"
    );
    assert_eq!(page["MsgList"][0]["MsgTimeStamp"], 10_000);
}
