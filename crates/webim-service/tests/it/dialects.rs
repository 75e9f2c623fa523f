//! Each client family hears only what it reads (docs/protocol.md, "Long polls per
//! dialect"), 1.7's login sessions end, and the calls 1.x makes around a login answer as
//! it expects.

use serde_json::{Value, json};
use webim_proto::{AccountId, Command, Dialect, Timestamp};
use webim_service::{Caller, SessionTicket};

use crate::harness::{A16, A18, Harness, PEAKER};

fn caller(who: &str, dialect: Dialect) -> Caller {
    Caller {
        account: AccountId::new(who).unwrap(),
        dialect,
        session: None,
        issued: None,
    }
}

fn with_session(who: &str, id: &str) -> Caller {
    Caller {
        session: Some(SessionTicket {
            id: id.to_owned(),
            expires: Timestamp(1_000_000),
        }),
        ..caller(who, Dialect::V17)
    }
}

fn poll(h: &Harness, caller: &Caller, cookie: Value) -> Value {
    h.call_as(
        caller,
        Command::LongPolling,
        json!({"Timeout": 30, "Cookie": cookie}),
    )
}

/// Makes one notice of each kind for peakerdong: a profile change, a friend request, a
/// read report.
fn notices_for_peaker(h: &Harness) {
    h.ok(
        PEAKER,
        Command::PortraitSet,
        json!({"ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "Peaker"}]}),
    );
    assert_eq!(h.add_friend(A18, PEAKER), 30539);
    h.send(A16, PEAKER, 1, "hello");
    h.ok(
        PEAKER,
        Command::MsgReaded,
        json!({"C2CMsgReaded": {"Cookie": "", "C2CMsgReadedItem": [{"To_Account": A16, "LastedMsgTime": 9_999_999}]}}),
    );
}

#[test]
fn test_the_seeds_family_hears_of_messages_only() {
    let h = Harness::new();
    let classic = caller(PEAKER, Dialect::Classic);
    notices_for_peaker(&h);
    let answer = poll(&h, &classic, json!({"NotifySeq": 0, "NoticeSeq": 0}));
    assert_eq!(answer["EventArray"], json!([{"Event": 1, "NotifySeq": 1}]));
    // Caught up on messages, the poll waits: the notices are not for this client.
    let held = poll(&h, &classic, json!({"NotifySeq": 1, "NoticeSeq": 0}));
    assert_eq!(held, Value::Null);
    // Our own SDK still hears every notice.
    let ours = poll(&h, &caller(PEAKER, Dialect::Rust), json!({"NotifySeq": 1}));
    let kinds: Vec<&Value> = ours["EventArray"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["Event"])
        .collect();
    assert!(kinds.contains(&&json!(8)) && kinds.contains(&&json!(7)));
    assert!(kinds.contains(&&json!(10)), "{ours}");
}

#[test]
fn test_a_cookie_ahead_of_the_service_is_answered_once_for_the_seeds_family() {
    let h = Harness::new();
    let classic = caller(PEAKER, Dialect::Classic);
    let answer = poll(&h, &classic, json!({"NotifySeq": 50, "NoticeSeq": 0}));
    assert_eq!(answer["EventArray"], json!([{"Event": 1, "NotifySeq": 0}]));
    assert_eq!(
        poll(&h, &classic, json!({"NotifySeq": 0, "NoticeSeq": 0})),
        Value::Null
    );
}

#[test]
fn test_v17_hears_notices_in_its_own_shapes_and_is_held_after_them() {
    let h = Harness::new();
    let id = h.ok(PEAKER, Command::GetLongPollingId, json!({}));
    let id = id["LongPollingId"].as_str().unwrap().to_owned();
    notices_for_peaker(&h);
    let v17 = caller(PEAKER, Dialect::V17);
    let answer = poll(
        &h,
        &v17,
        json!({"NotifySeq": 1, "NoticeSeq": 0, "LongPollingId": id}),
    );
    let events = answer["EventArray"].as_array().unwrap();
    let profile = events.iter().find(|e| e["Event"] == 8).unwrap();
    let change = &profile["ProfileDataMod"][0];
    assert_eq!(change["PushType"], 1);
    assert_eq!(change["Profile_Account"], PEAKER);
    assert_eq!(
        change["ProfileList"][0],
        json!({"Tag": "Tag_Profile_IM_Nick", "ValueBytes": "Peaker"})
    );
    let request = events
        .iter()
        .find(|e| e["FriendListMod"][0]["PushType"] == 3)
        .unwrap();
    let pendency = &request["FriendListMod"][0]["PendencyAdd"][0];
    assert_eq!(pendency["PendencyAdd_Account"], A18);
    assert_eq!(pendency["AddWording"], "hi");
    let read = events.iter().find(|e| e["Event"] == 10).unwrap();
    let item = &read["C2cNotifyMsgArray"][0];
    assert_eq!(item["SubMsgType"], 92);
    let pair = &item["ReadC2cMsgNotify"]["UinPairReadArray"][0];
    assert_eq!(pair["From_Account"], A16);
    assert_eq!(
        pair["ReadC2cMsgNotify"]["UinPairReadArray"][0]["From_Account"],
        A16
    );
    // 1.7 takes its NoticeSeq from the events (the last one is the highest), then waits.
    let seqs: Vec<u64> = events
        .iter()
        .map(|e| {
            let seq = &e["FriendListMod"][0]["NoticeSeq"];
            let seq = seq
                .as_u64()
                .or(e["ProfileDataMod"][0]["NoticeSeq"].as_u64());
            seq.or(e["C2cNotifyMsgArray"][0]["NoticeSeq"].as_u64())
                .unwrap()
        })
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    let last = *seqs.last().unwrap();
    assert_eq!(
        poll(
            &h,
            &v17,
            json!({"NotifySeq": 1, "NoticeSeq": last, "LongPollingId": id})
        ),
        Value::Null
    );
}

#[test]
fn test_a_long_polling_id_starts_its_notices_where_it_was_made() {
    let h = Harness::new();
    notices_for_peaker(&h);
    let id = h.ok(PEAKER, Command::GetLongPollingId, json!({}));
    assert!(id["Timeout"].as_u64().unwrap() > 0);
    let id = id["LongPollingId"].as_str().unwrap().to_owned();
    let v17 = caller(PEAKER, Dialect::V17);
    let cookie = json!({"NotifySeq": 1, "NoticeSeq": 0, "LongPollingId": id});
    assert_eq!(poll(&h, &v17, cookie.clone()), Value::Null);
    h.ok(
        PEAKER,
        Command::PortraitSet,
        json!({"ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "Again"}]}),
    );
    let answer = poll(&h, &v17, cookie);
    assert_eq!(answer["EventArray"].as_array().unwrap().len(), 1);
    assert_eq!(answer["EventArray"][0]["Event"], 8);
}

#[test]
fn test_a_session_that_logged_out_opens_nothing_more() {
    let h = Harness::new();
    let first = with_session(PEAKER, "aa");
    let second = with_session(PEAKER, "bb");
    h.call_as(&first, Command::GetMsg, json!({"Cookie": ""}));
    let out = h.call_as(
        &first,
        Command::LongPollingLogout,
        json!({"LongPollingId": "n0"}),
    );
    assert_eq!(out["ActionStatus"], "OK");
    let refused = h.call_as(&first, Command::GetMsg, json!({"Cookie": ""}));
    assert_eq!(refused["ErrorCode"], 70001, "{refused}");
    // Another page of the same account keeps its session, until its own logout.
    let kept = h.call_as(&second, Command::GetMsg, json!({"Cookie": ""}));
    assert_eq!(kept["ActionStatus"], "OK");
    h.call_as(&second, Command::Logout, json!({}));
    let refused = h.call_as(&second, Command::FriendGetAll, json!({}));
    assert_eq!(refused["ErrorCode"], 70001);
}

#[test]
fn test_the_session_list_is_newest_first_with_unread_counts() {
    let h = Harness::new();
    h.send(A16, PEAKER, 1, "one");
    h.send(A18, PEAKER, 1, "two");
    h.send(A18, PEAKER, 2, "three");
    let answer = h.ok(PEAKER, Command::RecentContactGet, json!({"Count": 50}));
    let items = answer["SessionItem"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["To_Account"], A18);
    assert_eq!(items[0]["MsgShow"], "three");
    assert_eq!(items[0]["UnreadMsgCount"], 2);
    assert_eq!(items[0]["Type"], 1);
    assert_eq!(items[1]["To_Account"], A16);
    let one = h.ok(PEAKER, Command::RecentContactGet, json!({"Count": 1}));
    assert_eq!(one["SessionItem"].as_array().unwrap().len(), 1);
    assert_eq!(
        h.code(PEAKER, Command::RecentContactGet, json!({"Count": 0})),
        20001
    );
    assert_eq!(
        h.code(
            PEAKER,
            Command::RecentContactGet,
            json!({"From_Account": A16, "Count": 5})
        ),
        20003
    );
}

#[test]
fn test_the_calls_around_a_login_answer_as_1x_expects() {
    let h = Harness::new();
    let groups = h.ok(
        PEAKER,
        Command::GetJoinedGroupList,
        json!({"Member_Account": PEAKER, "Limit": 1000, "Offset": 0, "ResponseFilter": {}}),
    );
    assert_eq!(groups["TotalCount"], 0);
    assert_eq!(groups["GroupIdList"], json!([]));
    let key = h.ok(PEAKER, Command::AuthKey, json!({}));
    assert_eq!(key["IpList"], json!([]));
    assert!(key["ExpireTime"].as_u64().unwrap() > 2_000);
    let report = json!({"EvtItems": [
        {"UniqKey": "x", "EventId": 1, "ReportTime": 1, "MsgCmdErrorCode": {"Code": 0, "ErrMsg": ""}},
        {"EventId": 20, "MsgCmdErrorCode": {"Code": 20003}},
        {"EventId": 18, "MsgCmdErrorCode": {"Code": "timeout"}}
    ], "MainVersion": "1.7.0", "Version": "0"});
    let handled = h.raw_as(&caller(PEAKER, Dialect::V17), Command::WebReport, report);
    let reported = handled.reported.unwrap();
    assert_eq!((reported.calls, reported.failed), (3, 2));
    let many: Vec<Value> = (0..101).map(|_| json!({"EventId": 1})).collect();
    assert_eq!(
        h.code(PEAKER, Command::WebReport, json!({"EvtItems": many})),
        20001
    );
}

#[test]
fn test_a_face_is_known_by_its_name_whatever_table_numbered_it() {
    let h = Harness::new();
    let face = |index: u32, data: &str| {
        json!({"From_Account": A16, "To_Account": PEAKER, "MsgSeq": index + 1, "MsgRandom": 7,
               "MsgTimeStamp": 0, "MsgBody": [{"MsgType": "TIMFaceElem",
               "MsgContent": {"Index": index, "Data": data}}]})
    };
    // 1.7 numbers [惊讶] 0 and spells [呲牙] as [龇牙].
    h.ok(A16, Command::SendMsg, face(0, "[惊讶]"));
    h.ok(A16, Command::SendMsg, face(13, "[龇牙]"));
    h.ok(A16, Command::SendMsg, face(3, "no name"));
    assert_eq!(h.code(A16, Command::SendMsg, face(0, "no name")), 20001);
    let pulled = h.ok(
        PEAKER,
        Command::GetMsg,
        json!({"Cookie": "", "SyncFlag": 0}),
    );
    let faces: Vec<(u64, String)> = pulled["MsgList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let content = &m["MsgBody"][0]["MsgContent"];
            (
                content["Index"].as_u64().unwrap(),
                content["Data"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        faces,
        [
            (15, "[惊讶]".to_owned()),
            (14, "[呲牙]".to_owned()),
            (3, "[色]".to_owned())
        ]
    );
}

#[test]
fn test_v17_pages_history_under_its_own_names() {
    let h = Harness::new();
    for seq in 1..=3 {
        h.send(A16, PEAKER, seq, &format!("m{seq}"));
    }
    let v17 = caller(PEAKER, Dialect::V17);
    let first = h.call_as(
        &v17,
        Command::GetRoamMsg,
        json!({"Peer_Account": A16, "MaxCnt": 2, "MsgKey": null, "LastMsgTime": 0}),
    );
    assert_eq!(first["MaxCnt"], 2, "{first}");
    assert_eq!(first["Complete"], 0);
    let key = first["MsgKey"].as_str().unwrap().to_owned();
    assert_eq!(first["LastMsgTime"], first["MsgList"][1]["MsgTimeStamp"]);
    let older = h.call_as(
        &v17,
        Command::GetRoamMsg,
        json!({"Peer_Account": A16, "MaxCnt": 2, "MsgKey": key}),
    );
    let texts: Vec<&Value> = older["MsgList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["MsgBody"][0]["MsgContent"]["Text"])
        .collect();
    assert_eq!(texts, [&json!("m1")]);
    assert_eq!(older["Complete"], 1);
    // Our own SDK's answer keeps its own names only.
    let ours = h.ok(
        PEAKER,
        Command::GetRoamMsg,
        json!({"Peer_Account": A16, "MaxCnt": 2}),
    );
    assert!(ours.get("MsgKey").is_none() && ours.get("MaxCnt").is_none());
}
