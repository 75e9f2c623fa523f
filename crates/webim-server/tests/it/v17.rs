//! webim.js 1.7's dialect over real HTTP (docs/protocol.md, "Logging in as 1.7 does"):
//! `/v4/openim/login` answers a TinyId and an A2Key, every later call presents them under
//! `/v4`, a logout ends them, and the calls 1.7 makes at login are answered.

use reqwest::StatusCode;
use serde_json::{Value, json};
use webim_proto::{AccountId, Command};

use crate::harness::{A16, APP_ID, PEAKER, TestServer, now, text_msg};

/// What 1.7 puts before every query.
const V17: &str = "websdkappid=537048168&v=1.7.0";

/// A page's login as 1.7 keeps it.
struct Login17 {
    tiny_id: u64,
    a2: String,
}

async fn login(s: &TestServer, who: &str) -> (StatusCode, Value) {
    let url = format!(
        "{}/v4/openim/login?{V17}&identifier={who}&usersig={}&contenttype=json\
         &sdkappid={APP_ID}&accounttype=792&apn=1&reqtime={}",
        s.base,
        s.sig(who),
        now()
    );
    s.post(&url, json!({"State": "Online"}).to_string()).await
}

async fn logged_in(s: &TestServer, who: &str) -> Login17 {
    let (status, answer) = login(s, who).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    Login17 {
        tiny_id: answer["TinyId"].as_u64().unwrap(),
        a2: answer["A2Key"].as_str().unwrap().to_owned(),
    }
}

fn url17(s: &TestServer, path: &str, tiny: &str, a2: &str) -> String {
    format!(
        "{}/v4/{path}?{V17}&tinyid={tiny}&a2={a2}&contenttype=json&sdkappid={APP_ID}\
         &accounttype=792&apn=1&reqtime={}",
        s.base,
        now()
    )
}

async fn call17(s: &TestServer, me: &Login17, path: &str, body: Value) -> (StatusCode, Value) {
    let url = url17(s, path, &me.tiny_id.to_string(), &me.a2);
    s.post(&url, body.to_string()).await
}

#[tokio::test]
async fn test_a_17_page_logs_in_and_calls_every_service_under_v4() {
    let s = TestServer::start().await;
    let me = logged_in(&s, PEAKER).await;
    let again = logged_in(&s, PEAKER).await;
    assert_eq!(me.tiny_id, again.tiny_id, "a TinyId is the account's own");
    assert_ne!(me.a2, again.a2, "each login is a session of its own");
    assert_ne!(me.tiny_id, logged_in(&s, A16).await.tiny_id);
    // The official demo's first calls, as it makes them.
    let (_, friends) = call17(
        &s,
        &me,
        "sns/friend_get_all",
        json!({"From_Account": PEAKER, "TimeStamp": 0, "StartIndex": 0, "GetCount": 200,
               "LastStandardSequence": 0, "TagList": ["Tag_Profile_IM_Nick"]}),
    )
    .await;
    assert_eq!(friends["ActionStatus"], "OK", "{friends}");
    assert_eq!(friends["FriendNum"], 2);
    let (_, profile) = call17(
        &s,
        &me,
        "profile/portrait_get",
        json!({"From_Account": PEAKER, "To_Account": [PEAKER], "LastStandardSequence": 0,
               "TagList": ["Tag_Profile_IM_Nick"]}),
    )
    .await;
    assert_eq!(profile["UserProfileItem"][0]["To_Account"], PEAKER);
    let (_, groups) = call17(
        &s,
        &me,
        "group_open_http_svc/get_joined_group_list",
        json!({"Member_Account": PEAKER, "Limit": 1000, "Offset": 0,
               "ResponseFilter": {"GroupBaseInfoFilter": ["NextMsgSeq"]}}),
    )
    .await;
    assert_eq!(groups["GroupIdList"], json!([]));
    let (_, key) = call17(&s, &me, "openim/authkey", json!({})).await;
    assert_eq!(key["ActionStatus"], "OK");
    let (_, id) = call17(&s, &me, "openim/getlongpollingid", json!({})).await;
    let id = id["LongPollingId"].as_str().unwrap().to_owned();
    // A message from a 1.2-style client reaches the 1.7 page's session list.
    let sent = s
        .ok(A16, Command::SendMsg, text_msg(A16, PEAKER, 1, 1, "你好"))
        .await;
    assert_eq!(sent["ActionStatus"], "OK");
    let (_, sessions) = call17(
        &s,
        &me,
        "recentcontact/get",
        json!({"From_Account": PEAKER, "Count": 50}),
    )
    .await;
    assert_eq!(sessions["SessionItem"][0]["MsgShow"], "你好");
    assert_eq!(sessions["SessionItem"][0]["UnreadMsgCount"], 1);
    let (_, poll) = call17(
        &s,
        &me,
        "openim/longpolling",
        json!({"Timeout": 60, "Cookie": {"NotifySeq": 0, "NoticeSeq": 0, "LongPollingId": id}}),
    )
    .await;
    assert_eq!(poll["EventArray"], json!([{"Event": 1, "NotifySeq": 1}]));
    let report = json!({"EvtItems": [{"UniqKey": "k", "EventId": 20, "ReportTime": 1,
                        "MsgCmdErrorCode": {"Code": 20003, "ErrMsg": "x"}}],
                        "MainVersion": "1.7.0", "Version": "0"});
    let (_, reported) = call17(&s, &me, "imopenstat/web_report", report).await;
    assert_eq!(reported["ActionStatus"], "OK");
    let metrics = s.get_text("/metrics").await;
    assert!(
        metrics.contains("webim_client_reported_failures_total 1"),
        "{metrics}"
    );
    s.stop().await;
}

#[tokio::test]
async fn test_an_a2_key_is_checked_as_strictly_as_a_usersig() {
    let s = TestServer::start().await;
    let me = logged_in(&s, PEAKER).await;
    let tiny = me.tiny_id.to_string();
    let code = |answer: &Value| answer["ErrorCode"].as_i64().unwrap();
    let path = "openim/getmsg";
    let body = json!({"Cookie": "", "SyncFlag": 0}).to_string();
    let (status, ok) = s.post(&url17(&s, path, &tiny, &me.a2), body.clone()).await;
    assert_eq!(
        (status, &ok["ActionStatus"]),
        (StatusCode::OK, &json!("OK"))
    );
    let other = logged_in(&s, A16).await;
    // The same A2Key, valid ten times longer.
    let mut parts: Vec<String> = me.a2.split('.').map(str::to_owned).collect();
    parts[1].push('0');
    let longer = parts.join(".");
    let cases = [
        (url17(&s, path, &tiny, ""), 70002),
        (url17(&s, path, "1", &me.a2), 70013),
        (url17(&s, path, &other.tiny_id.to_string(), &me.a2), 70013),
        (url17(&s, path, &tiny, &longer), 70009),
        (url17(&s, path, &tiny, "not-an-a2-key"), 70003),
    ];
    // 1.7 reads only answers with status 200: its refusals come so, with their code.
    for (url, expected) in cases {
        let (status, answer) = s.post(&url, body.clone()).await;
        assert_eq!(status, StatusCode::OK, "{url}");
        assert_eq!(code(&answer), expected, "{url} → {answer}");
    }
    // A login needs a good userSig.
    let bad = format!(
        "{}/v4/openim/login?{V17}&identifier={PEAKER}&usersig={}&sdkappid={APP_ID}",
        s.base,
        s.sig(A16)
    );
    let (status, answer) = s.post(&bad, json!({"State": "Online"}).to_string()).await;
    assert_eq!((status, code(&answer)), (StatusCode::OK, 70013));
    // The service's own answers too: a body that is not JSON (400 for the others).
    let (status, answer) = s
        .post(&url17(&s, path, &tiny, &me.a2), "{not json".to_owned())
        .await;
    assert_eq!((status, code(&answer)), (StatusCode::OK, 60003));
    s.stop().await;
}

#[tokio::test]
async fn test_a_logout_or_a_disabled_account_ends_an_a2_key() {
    let s = TestServer::start().await;
    let first = logged_in(&s, PEAKER).await;
    let second = logged_in(&s, PEAKER).await;
    let (_, out) = call17(
        &s,
        &first,
        "openim/longpollinglogout",
        json!({"LongPollingId": "n0"}),
    )
    .await;
    assert_eq!(out["ActionStatus"], "OK");
    let (_, refused) = call17(&s, &first, "openim/getmsg", json!({"Cookie": ""})).await;
    assert_eq!(refused["ErrorCode"], 70001, "{refused}");
    let (_, kept) = call17(&s, &second, "openim/getmsg", json!({"Cookie": ""})).await;
    assert_eq!(kept["ActionStatus"], "OK", "another page keeps its login");
    let (_, out) = call17(&s, &second, "openim/logout", json!({})).await;
    assert_eq!(out["ActionStatus"], "OK");
    let (_, refused) = call17(&s, &second, "sns/black_list_get", json!({})).await;
    assert_eq!(refused["ErrorCode"], 70001);

    let third = logged_in(&s, PEAKER).await;
    let id = AccountId::new(PEAKER).unwrap();
    s.state
        .backend()
        .service()
        .set_disabled(&id, true)
        .await
        .unwrap();
    let (_, refused) = call17(&s, &third, "openim/getmsg", json!({"Cookie": ""})).await;
    assert_eq!(refused["ErrorCode"], 70051);
    let (status, answer) = login(&s, PEAKER).await;
    assert_eq!(
        (status, &answer["ErrorCode"]),
        (StatusCode::OK, &json!(70051))
    );
    s.stop().await;
}

#[tokio::test]
async fn test_the_seeds_family_long_poll_is_held_after_notices() {
    let s = TestServer::start().await;
    s.ok(
        PEAKER,
        Command::PortraitSet,
        json!({"ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "P"}]}),
    )
    .await;
    // Caught up on messages (none), a 1.2 long poll waits out its timeout and comes back
    // empty: the profile notice is not for it.
    let (_, answer) = s
        .call(
            PEAKER,
            Command::LongPolling,
            json!({"Timeout": 1, "Cookie": {"NotifySeq": 0, "NoticeSeq": 0}}),
        )
        .await;
    assert_eq!(answer["EventArray"], json!([]), "{answer}");
    s.stop().await;
}
