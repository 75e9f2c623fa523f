//! The profile and the nine relationship calls: requests as on the wire, and webim.js's
//! batch rule (any failed account → 99999 with one line per failure).

use futures::executor::block_on;
use serde_json::json;
use webim_sdk::SdkEvent;
use webim_sdk::proto::openim::longpolling::FriendNoticeType;
use webim_sdk::proto::sns::friend_add::AddFriendItem;
use webim_sdk::proto::sns::friend_response::ResponseFriendItem;
use webim_sdk::proto::sns::{
    ADD_SOURCE_UNKNOWN, DeleteType, PendencyType, ResponseAction, black_list_get, friend_delete,
    friend_get_all, pendency_delete, pendency_get,
};
use webim_sdk::proto::{AllowType, Command, ErrorCode, Gender, Tag, TagValue};
use webim_sdk::testing::account;

use crate::harness::{Harness, ME, PEER};

fn ok_item(to: &str) -> serde_json::Value {
    json!({"To_Account": to, "ResultCode": 0, "ResultInfo": ""})
}

fn add_item(to: &str, wording: &str) -> AddFriendItem {
    AddFriendItem {
        to_account: account(to),
        remark: String::new(),
        add_source: ADD_SOURCE_UNKNOWN.to_owned(),
        add_wording: wording.to_owned(),
    }
}

#[test]
fn test_apply_add_friend_sends_from_me_and_reports_a_pending_request() {
    let h = Harness::logged_in();
    h.transport.reply(
        Command::FriendAdd,
        json!({"ResultItem": [
        {"To_Account": PEER, "ResultCode": 30539, "ResultInfo": "request sent"}],
        "Fail_Account": [], "Invalid_Account": []}),
    );
    let answer = block_on(h.client.apply_add_friend(vec![add_item(PEER, "hello")])).unwrap();
    assert_eq!(
        answer.result_item[0].result_code,
        ErrorCode::PendencyCreated
    );
    assert_eq!(
        h.transport.sent(Command::FriendAdd),
        [json!({"From_Account": ME, "AddFriendItem": [
            {"To_Account": PEER, "AddSource": "AddSource_Type_Unknow", "AddWording": "hello"}]})]
    );
    assert_eq!(
        h.take_events(),
        [SdkEvent::RelationshipChanged {
            kind: FriendNoticeType::PendencyAdd,
            accounts: vec![account(PEER)]
        }]
    );
}

#[test]
fn test_a_batch_with_failed_accounts_is_error_99999_with_one_line_each() {
    let h = Harness::logged_in();
    h.transport.reply(
        Command::FriendAdd,
        json!({"ResultItem": [
        ok_item("qiyueluhuo2017"),
        {"To_Account": "qiyueluhuo2019", "ResultCode": 30516, "ResultInfo": "denies all"},
        {"To_Account": "qiyueluhuo2018", "ResultCode": 30525, "ResultInfo": "blacklisted you"}],
        "Fail_Account": ["qiyueluhuo2019", "qiyueluhuo2018"], "Invalid_Account": []}),
    );
    let items = ["qiyueluhuo2017", "qiyueluhuo2019", "qiyueluhuo2018"].map(|to| add_item(to, ""));
    let err = block_on(h.client.apply_add_friend(items.to_vec())).unwrap_err();
    assert_eq!(err.code, ErrorCode::BatchFailure);
    assert_eq!(err.info, "[30516]denies all\n[30525]blacklisted you\n");
    assert_eq!(err.results.len(), 3, "every account's line is kept");
}

#[test]
fn test_an_invalid_account_alone_also_makes_the_batch_fail() {
    let h = Harness::logged_in();
    h.transport.reply(
        Command::BlackListAdd,
        json!({"ResultItem": [],
        "Fail_Account": [], "Invalid_Account": ["nosuchuser"]}),
    );
    let err = block_on(h.client.add_black_list(vec![account("nosuchuser")])).unwrap_err();
    assert_eq!(err.code, ErrorCode::BatchFailure);
}

#[test]
fn test_wording_over_120_bytes_is_refused_before_sending() {
    let h = Harness::logged_in();
    let err = block_on(
        h.client
            .apply_add_friend(vec![add_item(PEER, &"好".repeat(41))]),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::AddFieldTooLong);
    assert!(h.transport.sent(Command::FriendAdd).is_empty());
}

#[test]
fn test_response_friend_and_its_batch_rule() {
    let h = Harness::logged_in();
    h.transport.reply(
        Command::FriendResponse,
        json!({"ResultItem": [ok_item("qiyueluhuo2018")],
        "Fail_Account": [], "Invalid_Account": []}),
    );
    let item = ResponseFriendItem {
        to_account: account("qiyueluhuo2018"),
        remark: String::new(),
        response_action: ResponseAction::AgreeAndAdd,
    };
    block_on(h.client.response_friend(vec![item])).unwrap();
    assert_eq!(
        h.transport.sent(Command::FriendResponse),
        [json!({"From_Account": ME, "ResponseFriendItem": [
            {"To_Account": "qiyueluhuo2018", "ResponseAction": "Response_Action_AgreeAndAdd"}]})]
    );
}

#[test]
fn test_pendency_friend_and_blacklist_calls_send_their_commands_from_me() {
    let h = Harness::logged_in();
    h.transport
        .reply(Command::PendencyGet, json!({"PendencyItem": [], "StartTime": 0, "UnreadPendencyCount": 0, "CurrentSequence": 1}))
        .reply(Command::PendencyDelete, json!({"ResultItem": [ok_item(PEER)], "Fail_Account": [], "Invalid_Account": []}))
        .reply(Command::FriendGetAll, json!({"NeedUpdateAll": "GetAll_Type_YES", "TimeStampNow": 5,
            "StartIndex": 0, "InfoItem": [{"Info_Account": PEER, "SnsProfileItem": [
                {"Tag": "Tag_Profile_IM_Nick", "Value": "peakerdong"}]}], "FriendNum": 1}))
        .reply(Command::FriendDelete, json!({"ResultItem": [ok_item(PEER)], "Fail_Account": [], "Invalid_Account": []}))
        .reply(Command::BlackListAdd, json!({"ResultItem": [ok_item(PEER)], "Fail_Account": [], "Invalid_Account": []}))
        .reply(Command::BlackListGet, json!({"BlackListItem": [{"To_Account": PEER, "AddBlackTimeStamp": 9}],
            "StartIndex": 0, "CurrentSequence": 1}))
        .reply(Command::BlackListDelete, json!({"ResultItem": [ok_item(PEER)], "Fail_Account": [], "Invalid_Account": []}));
    let c = &h.client;
    let peer = account(PEER);
    block_on(c.get_pendency(pendency_get::Request {
        from_account: None,
        pendency_type: PendencyType::ComeIn,
        start_time: Default::default(),
        max_limited: 30,
        last_sequence: 0,
    }))
    .unwrap();
    block_on(c.delete_pendency(pendency_delete::Request {
        from_account: None,
        to_account: vec![peer.clone()],
        pendency_type: PendencyType::ComeIn,
    }))
    .unwrap();
    let friends = block_on(c.get_all_friend(friend_get_all::Request {
        from_account: None,
        time_stamp: Default::default(),
        start_index: 0,
        tag_list: vec![Tag::Nick],
        last_standard_sequence: 0,
        get_count: 100,
    }))
    .unwrap();
    assert_eq!(friends.info_item[0].info_account, peer);
    block_on(c.delete_friend(friend_delete::Request {
        from_account: None,
        to_account: vec![peer.clone()],
        delete_type: DeleteType::Single,
    }))
    .unwrap();
    block_on(c.add_black_list(vec![peer.clone()])).unwrap();
    let black = block_on(c.get_black_list(black_list_get::Request {
        from_account: None,
        start_index: 0,
        max_limited: 0,
        last_sequence: 0,
    }))
    .unwrap();
    assert_eq!(black.black_list_item[0].add_black_time_stamp.0, 9);
    block_on(c.delete_black_list(vec![peer])).unwrap();

    for (command, _) in h.transport.requests().iter().skip(1) {
        let body = &h.transport.sent(*command)[0];
        assert_eq!(
            body["From_Account"],
            ME,
            "{} sends From_Account = me",
            command.path()
        );
    }
    assert_eq!(
        h.transport.sent(Command::FriendDelete)[0]["DeleteType"],
        "Delete_Type_Single"
    );
    let kinds: Vec<FriendNoticeType> = h
        .take_events()
        .into_iter()
        .filter_map(|e| match e {
            SdkEvent::RelationshipChanged { kind, .. } => Some(kind),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        [
            FriendNoticeType::PendencyDelete,
            FriendNoticeType::FriendDelete,
            FriendNoticeType::BlackListAdd,
            FriendNoticeType::BlackListDelete,
        ]
    );
}

#[test]
fn test_get_profile_portrait_with_an_unknown_account_is_99999_with_account_lines() {
    let h = Harness::logged_in();
    h.transport.reply(Command::PortraitGet, json!({"UserProfileItem": [
        {"To_Account": PEER, "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "peakerdong"}], "ResultCode": 0, "ResultInfo": ""},
        {"To_Account": "ghost", "ProfileItem": [], "ResultCode": 40003, "ResultInfo": "no such user"}],
        "CurrentStandardSequence": 1, "Fail_Account": ["ghost"], "Invalid_Account": ["ghost"]}));
    let err = block_on(
        h.client
            .get_profile_portrait(vec![account(PEER), account("ghost")], vec![Tag::Nick]),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::BatchFailure);
    assert_eq!(err.info, "账号:ghost,[40003]no such user\n");
}

#[test]
fn test_set_profile_portrait_sends_my_fields_and_announces_the_change() {
    let h = Harness::logged_in();
    h.transport.reply(Command::PortraitSet, json!({}));
    let items = vec![
        TagValue::Nick("七月".to_owned()),
        TagValue::Gender(Gender::Unknown),
        TagValue::AllowType(AllowType::DenyAny),
    ];
    block_on(h.client.set_profile_portrait(items)).unwrap();
    assert_eq!(
        h.transport.sent(Command::PortraitSet),
        [json!({"From_Account": ME, "ProfileItem": [
            {"Tag": "Tag_Profile_IM_Nick", "Value": "七月"},
            {"Tag": "Tag_Profile_IM_Gender", "Value": "Gender_Type_Unknown"},
            {"Tag": "Tag_Profile_IM_AllowType", "Value": "AllowType_Type_DenyAny"}]})]
    );
    assert_eq!(h.take_events(), [SdkEvent::ProfileChanged(account(ME))]);
}

#[test]
fn test_bad_nicks_are_refused_before_sending() {
    let h = Harness::logged_in();
    for nick in ["", "   ", &"x".repeat(65)] {
        let err = block_on(
            h.client
                .set_profile_portrait(vec![TagValue::Nick(nick.to_owned())]),
        )
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::IllegalProfileFieldLength, "{nick:?}");
    }
    let err = block_on(
        h.client
            .set_profile_portrait(vec![TagValue::Remark("r".to_owned())]),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::IllegalProfileField);
    assert!(h.transport.sent(Command::PortraitSet).is_empty());
}
