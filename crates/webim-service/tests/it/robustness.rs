//! Bad input of every kind gets a clear error and changes nothing; the profile's limits.

use serde_json::json;
use webim_proto::Command;

use crate::harness::{A16, A18, Harness, PEAKER, msg};

#[test]
fn test_a_spoofed_from_account_is_refused_in_every_service() {
    let h = Harness::new();
    assert_eq!(
        h.code(A18, Command::SendMsg, msg(A16, PEAKER, 1, "not me")),
        20003
    );
    let add = json!({"From_Account": A16, "AddFriendItem": [{"To_Account": PEAKER, "AddSource": "AddSource_Type_Unknow"}]});
    assert_eq!(h.code(A18, Command::FriendAdd, add), 30004);
    let set =
        json!({"From_Account": A16, "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "x"}]});
    assert_eq!(h.code(A18, Command::PortraitSet, set), 40004);
    assert!(h.pull_all(PEAKER).is_empty(), "nothing was delivered");
}

#[test]
fn test_an_unknown_or_unsigned_caller_is_refused() {
    let h = Harness::new();
    assert_eq!(
        h.code("ghost", Command::GetMsg, json!({"Cookie": ""})),
        20002
    );
    assert_eq!(h.code("a b", Command::GetMsg, json!({"Cookie": ""})), 20002);
    // The caller is checked beside the command's own reads: what it wrote must not land.
    assert_eq!(
        h.code("ghost", Command::SendMsg, msg("ghost", PEAKER, 1, "boo")),
        20002
    );
    assert!(h.pull_all(PEAKER).is_empty(), "nothing was delivered");
    let unsigned = futures::executor::block_on(h.service.handle(
        A16,
        "",
        Command::GetMsg,
        "{}",
        webim_proto::Timestamp(1),
    ));
    let answer: serde_json::Value = serde_json::from_str(&unsigned.reply.unwrap()).unwrap();
    assert_eq!(answer["ErrorCode"], 20002);
}

#[test]
fn test_malformed_json_is_60003_and_wrong_shapes_are_the_service_bad_request() {
    let h = Harness::new();
    for body in [
        "",
        "{",
        "not json",
        "{\"Cookie\": \"\"",
        "{\"Cookie\" \"\"}",
    ] {
        let answer: serde_json::Value =
            serde_json::from_str(&h.raw(A16, Command::GetMsg, body).reply.unwrap()).unwrap();
        assert_eq!(answer["ErrorCode"], 60003, "{body:?} → {answer}");
        assert!(
            answer["ErrorInfo"]
                .as_str()
                .unwrap()
                .contains("openim/getmsg")
        );
    }
    assert_eq!(
        h.code(A16, Command::SendMsg, json!({"To_Account": PEAKER})),
        20001
    );
    assert_eq!(
        h.code(
            A16,
            Command::PortraitGet,
            json!({"To_Account": "peakerdong"})
        ),
        40001
    );
    assert_eq!(
        h.code(
            A16,
            Command::PendencyGet,
            json!({"PendencyType": "Pendency_Type_Both"})
        ),
        30001
    );
    assert_eq!(
        h.code(
            A16,
            Command::FriendDelete,
            json!({"To_Account": [PEAKER], "DeleteType": "x"})
        ),
        30001
    );
    assert_eq!(
        h.code(
            A16,
            Command::FriendResponse,
            json!({"ResponseFriendItem": [{"To_Account": A18, "ResponseAction": "Maybe"}]})
        ),
        30001
    );
}

#[test]
fn test_batch_counts_are_checked() {
    let h = Harness::new();
    assert_eq!(
        h.code(A16, Command::FriendAdd, json!({"AddFriendItem": []})),
        30503
    );
    assert_eq!(
        h.code(A16, Command::BlackListAdd, json!({"To_Account": []})),
        31301
    );
    assert_eq!(
        h.code(A16, Command::BlackListDelete, json!({"To_Account": []})),
        31501
    );
    assert_eq!(
        h.code(
            A16,
            Command::FriendDelete,
            json!({"To_Account": [], "DeleteType": "Delete_Type_Both"})
        ),
        31701
    );
    // Tencent's official 1.7 demo asks for 200 at once.
    h.ok(A16, Command::FriendGetAll, json!({"GetCount": 200}));
    assert_eq!(
        h.code(A16, Command::FriendGetAll, json!({"GetCount": 1001})),
        31101
    );
}

#[test]
fn test_add_friend_field_limits_are_per_account() {
    let h = Harness::new();
    let long = "好".repeat(41);
    let answer = h.ok(
        A18,
        Command::FriendAdd,
        json!({"AddFriendItem": [
        {"To_Account": A16, "AddSource": "AddSource_Type_Unknow", "AddWording": long},
        {"To_Account": PEAKER, "AddSource": "Nope"},
        {"To_Account": A16, "AddSource": "AddSource_Type_Unknow", "Remark": "r".repeat(97)},
        {"To_Account": A18, "AddSource": "AddSource_Type_Unknow"}]}),
    );
    let codes: Vec<i64> = answer["ResultItem"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ResultCode"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [30502, 30501, 30502, 30001]);
    assert!(h.pendency(A16, "Pendency_Type_ComeIn").is_empty());
}

#[test]
fn test_profile_get_and_set_with_their_limits() {
    let h = Harness::new();
    let get = |who: &str| {
        h.ok(
            A18,
            Command::PortraitGet,
            json!({"To_Account": [who],
        "TagList": ["Tag_Profile_IM_Nick", "Tag_Profile_IM_Gender", "Tag_Profile_IM_AllowType"]}),
        )
    };
    let answer = get(A16);
    assert_eq!(
        answer["UserProfileItem"][0]["ProfileItem"],
        json!([
        {"Tag": "Tag_Profile_IM_Nick", "Value": "七月流火2016"},
        {"Tag": "Tag_Profile_IM_Gender", "Value": "Gender_Type_Female"},
        {"Tag": "Tag_Profile_IM_AllowType", "Value": "AllowType_Type_NeedConfirm"}])
    );
    let ghost = get("ghost");
    assert_eq!(ghost["UserProfileItem"][0]["ResultCode"], 40003);
    assert_eq!(ghost["Fail_Account"], json!(["ghost"]));

    let set =
        |items: serde_json::Value| h.call(A16, Command::PortraitSet, json!({"ProfileItem": items}));
    for nick in ["", "   ", &"x".repeat(65)] {
        let answer = set(json!([{"Tag": "Tag_Profile_IM_Nick", "Value": nick}]));
        assert_eq!(answer["ErrorCode"], 40604, "{nick:?}");
    }
    assert_eq!(
        set(json!([{"Tag": "Tag_SNS_IM_Remark", "Value": "x"}]))["ErrorCode"],
        40603
    );
    assert_eq!(set(json!([]))["ErrorCode"], 40605);
    let nick64 = "七".repeat(21) + "x";
    assert_eq!(
        set(json!([{"Tag": "Tag_Profile_IM_Nick", "Value": nick64},
        {"Tag": "Tag_Profile_IM_AllowType", "Value": "AllowType_Type_AllowAny"}]))["ActionStatus"],
        "OK"
    );
    assert_eq!(
        get(A16)["UserProfileItem"][0]["ProfileItem"][0]["Value"],
        nick64.as_str()
    );
    assert_eq!(h.add_friend(A18, A16), 0, "AllowAny now: friends at once");
    assert_eq!(
        h.code(
            A16,
            Command::PortraitGet,
            json!({"To_Account": [], "TagList": []})
        ),
        40605
    );
}

#[test]
fn test_reset_brings_back_the_first_run_state() {
    let h = Harness::new();
    h.send(A16, PEAKER, 1, "x");
    h.blacklist(A16, PEAKER);
    futures::executor::block_on(h.service.reset(webim_proto::Timestamp(5))).unwrap();
    assert_eq!(h.friends(A16), [PEAKER]);
    assert!(h.pull_all(PEAKER).is_empty());
}
