//! Every command of docs/protocol.md through HTTP, as the SDK sends it, and a spoofed
//! `From_Account` refused on each service.

use serde_json::json;
use webim_proto::Command;

use crate::harness::{A16, A17, A18, A19, PEAKER, TestServer, text_msg};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_every_messaging_command_answers_over_http() {
    let s = TestServer::start().await;
    let sent = s
        .ok(
            A16,
            Command::SendMsg,
            text_msg(A16, PEAKER, 1, 7, "你好 <b>"),
        )
        .await;
    let time = sent["MsgTime"].as_u64().unwrap();
    let poll = s
        .ok(
            PEAKER,
            Command::LongPolling,
            json!({"Timeout": 5, "Cookie": {"NotifySeq": 0, "NoticeSeq": 0}}),
        )
        .await;
    assert_eq!(poll["EventArray"][0]["Event"], 1, "{poll}");
    let pulled = s
        .ok(
            PEAKER,
            Command::GetMsg,
            json!({"Cookie": "", "SyncFlag": 0}),
        )
        .await;
    assert_eq!(
        pulled["MsgList"][0]["MsgBody"][0]["MsgContent"]["Text"],
        "你好 <b>"
    );
    assert_eq!(pulled["MsgList"][0]["MsgTimeStamp"].as_u64(), Some(time));
    assert_eq!(
        pulled["C2CUnreadList"],
        json!([{"Peer_Account": A16, "UnreadCount": 1}])
    );
    s.ok(
        PEAKER,
        Command::MsgReaded,
        json!({"C2CMsgReaded": {"Cookie": "", "C2CMsgReadedItem": [
            {"To_Account": A16, "LastedMsgTime": time}]}}),
    )
    .await;
    let after = s.ok(PEAKER, Command::GetMsg, json!({"Cookie": ""})).await;
    assert!(
        after["C2CUnreadList"].as_array().is_none_or(Vec::is_empty),
        "all read: {after}"
    );
    let history = s
        .ok(
            PEAKER,
            Command::GetRoamMsg,
            json!({"Peer_Account": A16, "MaxCnt": 10}),
        )
        .await;
    assert_eq!(
        (history["MsgCnt"].as_u64(), &history["Complete"]),
        (Some(1), &json!(1))
    );
    s.ok(PEAKER, Command::Logout, json!({})).await;
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_profile_and_every_relationship_command_answer_over_http() {
    let s = TestServer::start().await;
    s.ok(
        A18,
        Command::PortraitSet,
        json!({"ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "新的名字"}]}),
    )
    .await;
    let got = s
        .ok(
            PEAKER,
            Command::PortraitGet,
            json!({"To_Account": [A18], "TagList": ["Tag_Profile_IM_Nick"]}),
        )
        .await;
    assert_eq!(
        got["UserProfileItem"][0]["ProfileItem"][0]["Value"],
        "新的名字"
    );

    let add = s
        .ok(
            PEAKER,
            Command::FriendAdd,
            json!({"AddFriendItem": [{"To_Account": A18, "AddWording": "hi",
                "AddSource": "AddSource_Type_Unknow"}]}),
        )
        .await;
    assert_eq!(
        add["ResultItem"][0]["ResultCode"], 30539,
        "NeedConfirm: a request"
    );
    let pending = s
        .ok(
            A18,
            Command::PendencyGet,
            json!({"PendencyType": "Pendency_Type_ComeIn"}),
        )
        .await;
    assert_eq!(pending["PendencyItem"][0]["To_Account"], PEAKER);
    s.ok(
        A18,
        Command::FriendResponse,
        json!({"ResponseFriendItem": [{"To_Account": PEAKER,
            "ResponseAction": "Response_Action_AgreeAndAdd"}]}),
    )
    .await;
    let friends = s
        .ok(
            A18,
            Command::FriendGetAll,
            json!({"StartIndex": 0, "GetCount": 100, "TagList": ["Tag_Profile_IM_Nick"]}),
        )
        .await;
    assert_eq!(friends["InfoItem"][0]["Info_Account"], PEAKER);
    s.ok(
        A18,
        Command::FriendDelete,
        json!({"To_Account": [PEAKER], "DeleteType": "Delete_Type_Both"}),
    )
    .await;
    s.ok(
        A16,
        Command::FriendAdd,
        json!({"AddFriendItem": [{"To_Account": A18, "AddSource": "AddSource_Type_Unknow"}]}),
    )
    .await;
    s.ok(
        A16,
        Command::PendencyDelete,
        json!({"To_Account": [A18], "PendencyType": "Pendency_Type_SendOut"}),
    )
    .await;
    s.ok(A17, Command::BlackListAdd, json!({"To_Account": [A19]}))
        .await;
    let black = s.ok(A17, Command::BlackListGet, json!({})).await;
    assert_eq!(black["BlackListItem"][0]["To_Account"], A19);
    let blocked = s
        .call(A19, Command::SendMsg, text_msg(A19, A17, 1, 1, "let me in"))
        .await
        .1;
    assert_eq!(blocked["ErrorCode"], 20007);
    s.ok(A17, Command::BlackListDelete, json!({"To_Account": [A19]}))
        .await;
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_from_account_naming_someone_else_is_refused_on_every_service() {
    let s = TestServer::start().await;
    // peakerdong's valid sig, but the body claims to be qiyueluhuo2016.
    let cases = [
        (Command::SendMsg, text_msg(A16, A17, 1, 1, "spoof"), 20003),
        (
            Command::FriendAdd,
            json!({"From_Account": A16, "AddFriendItem": [
                {"To_Account": A17, "AddSource": "AddSource_Type_Unknow"}]}),
            30004,
        ),
        (
            Command::PortraitSet,
            json!({"From_Account": A16, "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "x"}]}),
            40004,
        ),
    ];
    for (command, body, code) in cases {
        let (_, answer) = s.call(PEAKER, command, body).await;
        assert_eq!(answer["ErrorCode"], code, "{}: {answer}", command.path());
    }
    let history = s
        .ok(
            A17,
            Command::GetRoamMsg,
            json!({"Peer_Account": A16, "MaxCnt": 10}),
        )
        .await;
    assert_eq!(history["MsgCnt"], 0, "nothing was sent in another's name");
    s.stop().await;
}
