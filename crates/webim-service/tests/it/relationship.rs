//! Every ResultCode of the relationship chain (docs/behaviour.md, "The relationship
//! chain").

use serde_json::json;
use webim_proto::Command;

use crate::harness::{A16, A17, A18, A19, Harness, PEAKER};

#[test]
fn test_first_run_friends_are_as_the_test_accounts_say() {
    let h = Harness::new();
    assert_eq!(h.friends(PEAKER), [A16, A17]);
    assert_eq!(h.friends(A16), [PEAKER]);
    assert_eq!(h.friends(A18), Vec::<String>::new());
}

#[test]
fn test_need_confirm_creates_a_request_on_both_sides_30539() {
    let h = Harness::new();
    assert_eq!(h.add_friend(A18, A16), 30539);
    assert_eq!(h.pendency(A16, "Pendency_Type_ComeIn"), [A18]);
    assert_eq!(h.pendency(A18, "Pendency_Type_SendOut"), [A16]);
    assert!(h.friends(A18).is_empty(), "not friends yet");
    let incoming = h.ok(
        A16,
        Command::PendencyGet,
        json!({"PendencyType": "Pendency_Type_ComeIn"}),
    );
    assert_eq!(incoming["PendencyItem"][0]["AddWording"], "hi");
    assert_eq!(incoming["PendencyItem"][0]["Nick"], "七月流火2018");
    assert_eq!(incoming["UnreadPendencyCount"], 1);
}

#[test]
fn test_allow_any_makes_friends_both_ways_at_once() {
    let h = Harness::new();
    assert_eq!(h.add_friend(A18, A17), 0);
    assert_eq!(h.friends(A18), [A17]);
    assert!(h.friends(A17).contains(&A18.to_owned()));
}

#[test]
fn test_deny_any_refuses_30516() {
    let h = Harness::new();
    assert_eq!(h.add_friend(A18, A19), 30516);
    assert!(h.pendency(A19, "Pendency_Type_ComeIn").is_empty());
}

#[test]
fn test_already_friends_30520_and_unknown_target_30521() {
    let h = Harness::new();
    assert_eq!(h.add_friend(PEAKER, A16), 30520);
    let answer = h.ok(
        A18,
        Command::FriendAdd,
        json!({"AddFriendItem": [
        {"To_Account": "ghost", "AddSource": "AddSource_Type_Unknow"}]}),
    );
    assert_eq!(answer["ResultItem"][0]["ResultCode"], 30521);
    assert_eq!(answer["Invalid_Account"], json!(["ghost"]));
    assert_eq!(answer["Fail_Account"], json!(["ghost"]));
}

#[test]
fn test_agree_gives_the_requester_me_as_friend_only() {
    let h = Harness::new();
    h.add_friend(A18, A16);
    let code = h.result_code(
        A16,
        Command::FriendResponse,
        json!({"ResponseFriendItem": [
        {"To_Account": A18, "ResponseAction": "Response_Action_Agree"}]}),
    );
    assert_eq!(code, 0);
    assert_eq!(h.friends(A18), [A16]);
    assert_eq!(
        h.friends(A16),
        [PEAKER],
        "Agree alone does not add them to my list"
    );
    assert!(h.pendency(A16, "Pendency_Type_ComeIn").is_empty());
    assert!(h.pendency(A18, "Pendency_Type_SendOut").is_empty());
}

#[test]
fn test_agree_and_add_makes_friends_both_ways() {
    let h = Harness::new();
    h.add_friend(A18, A16);
    h.result_code(
        A16,
        Command::FriendResponse,
        json!({"ResponseFriendItem": [
        {"To_Account": A18, "ResponseAction": "Response_Action_AgreeAndAdd"}]}),
    );
    assert_eq!(h.friends(A18), [A16]);
    assert_eq!(h.friends(A16), [PEAKER, A18]);
}

#[test]
fn test_reject_drops_the_request_and_no_request_is_30614() {
    let h = Harness::new();
    h.add_friend(A18, A16);
    let body = json!({"ResponseFriendItem": [{"To_Account": A18, "ResponseAction": "Response_Action_Reject"}]});
    assert_eq!(h.result_code(A16, Command::FriendResponse, body.clone()), 0);
    assert!(h.friends(A18).is_empty());
    assert!(h.pendency(A16, "Pendency_Type_ComeIn").is_empty());
    assert_eq!(h.result_code(A16, Command::FriendResponse, body), 30614);
}

#[test]
fn test_delete_single_keeps_the_other_side_and_both_removes_both() {
    let h = Harness::new();
    let single = json!({"To_Account": [A16], "DeleteType": "Delete_Type_Single"});
    assert_eq!(h.result_code(PEAKER, Command::FriendDelete, single), 0);
    assert_eq!(h.friends(PEAKER), [A17]);
    assert_eq!(h.friends(A16), [PEAKER]);
    let both = json!({"To_Account": [A17], "DeleteType": "Delete_Type_Both"});
    assert_eq!(h.result_code(PEAKER, Command::FriendDelete, both), 0);
    assert!(h.friends(PEAKER).is_empty());
    assert!(h.friends(A17).is_empty());
}

#[test]
fn test_deleting_a_non_friend_is_31704() {
    let h = Harness::new();
    let body = json!({"To_Account": [A18], "DeleteType": "Delete_Type_Both"});
    assert_eq!(h.result_code(PEAKER, Command::FriendDelete, body), 31704);
}

#[test]
fn test_blacklist_dissolves_friendship_both_ways_and_drops_requests() {
    let h = Harness::new();
    h.add_friend(A18, A16);
    assert_eq!(h.blacklist(A16, PEAKER), 0);
    assert_eq!(h.friends(A16), Vec::<String>::new());
    assert_eq!(h.friends(PEAKER), [A17]);
    assert_eq!(h.blacklist(A16, A18), 0);
    assert!(
        h.pendency(A16, "Pendency_Type_ComeIn").is_empty(),
        "the request from 2018 is gone"
    );
    assert!(h.pendency(A18, "Pendency_Type_SendOut").is_empty());
}

#[test]
fn test_blacklist_blocks_requests_both_ways_30515_30525() {
    let h = Harness::new();
    h.blacklist(A16, A18);
    assert_eq!(h.add_friend(A16, A18), 30515, "target in my blacklist");
    assert_eq!(
        h.add_friend(A18, A16),
        30525,
        "I am in the target's blacklist"
    );
}

#[test]
fn test_blacklist_blocks_messages_both_ways_20007() {
    let h = Harness::new();
    h.blacklist(A16, A18);
    assert_eq!(h.send(A18, A16, 1, "hi")["ErrorCode"], 20007);
    assert_eq!(h.send(A16, A18, 1, "hi")["ErrorCode"], 20007);
    assert!(h.pull_all(A16).is_empty(), "nothing reached 2016");
}

#[test]
fn test_removing_from_the_blacklist_lets_messages_pass_but_not_the_friendship() {
    let h = Harness::new();
    h.blacklist(A16, PEAKER);
    let code = h.result_code(
        A16,
        Command::BlackListDelete,
        json!({"To_Account": [PEAKER]}),
    );
    assert_eq!(code, 0);
    assert_eq!(h.send(PEAKER, A16, 1, "back")["ActionStatus"], "OK");
    assert!(
        h.friends(A16).is_empty(),
        "the friendship does not come back"
    );
}

#[test]
fn test_blacklist_twice_is_31307_and_removing_a_stranger_31503() {
    let h = Harness::new();
    assert_eq!(h.blacklist(A16, A18), 0);
    assert_eq!(h.blacklist(A16, A18), 31307);
    let code = h.result_code(A16, Command::BlackListDelete, json!({"To_Account": [A19]}));
    assert_eq!(code, 31503);
    let list = h.ok(A16, Command::BlackListGet, json!({}));
    assert_eq!(list["BlackListItem"][0]["To_Account"], A18);
    assert!(
        list["BlackListItem"][0]["AddBlackTimeStamp"]
            .as_u64()
            .unwrap()
            > 0
    );
}

#[test]
fn test_deleting_requests_from_either_side_and_a_missing_one_is_31804() {
    let h = Harness::new();
    h.add_friend(A18, A16);
    let out = json!({"To_Account": [A16], "PendencyType": "Pendency_Type_SendOut"});
    assert_eq!(h.result_code(A18, Command::PendencyDelete, out.clone()), 0);
    assert!(h.pendency(A16, "Pendency_Type_ComeIn").is_empty());
    assert_eq!(h.result_code(A18, Command::PendencyDelete, out), 31804);
}

#[test]
fn test_non_friends_may_message_each_other() {
    let h = Harness::new();
    assert_eq!(h.send(A18, A19, 1, "hello stranger")["ActionStatus"], "OK");
    assert_eq!(h.pull_all(A19), ["qiyueluhuo2018:hello stranger"]);
}

#[test]
fn test_friend_list_pages_and_tags() {
    let h = Harness::new();
    let page = h.ok(
        PEAKER,
        Command::FriendGetAll,
        json!({"GetCount": 1, "StartIndex": 0,
        "TagList": ["Tag_Profile_IM_Nick", "Tag_SNS_IM_Remark"]}),
    );
    assert_eq!(page["FriendNum"], 2);
    assert_eq!(page["StartIndex"], 1, "more to come");
    assert_eq!(
        page["InfoItem"][0]["SnsProfileItem"][0],
        json!({"Tag": "Tag_Profile_IM_Nick", "Value": "七月流火2016"})
    );
    let rest = h.ok(
        PEAKER,
        Command::FriendGetAll,
        json!({"GetCount": 1, "StartIndex": 1, "TagList": []}),
    );
    assert_eq!(rest["InfoItem"][0]["Info_Account"], A17);
    assert_eq!(rest["StartIndex"], 0, "done");
}

/// A request naming 1,000 accounts is carried out a few accounts per transaction (the
/// writer is never held for all of them), and answers as one: every line, in order.
#[test]
fn test_a_thousand_account_blacklist_is_carried_out_in_parts_and_answered_whole() {
    let h = Harness::new();
    let mut names: Vec<String> = (0..998).map(|i| format!("nobody{i}")).collect();
    names.insert(10, A16.to_owned());
    names.push(A17.to_owned());
    let before = h.service.store().write_transactions();
    let answer = h.ok(
        PEAKER,
        Command::BlackListAdd,
        json!({"From_Account": PEAKER, "To_Account": names}),
    );
    let parts = h.service.store().write_transactions() - before;
    assert!(parts >= 1_000 / 16, "{parts} transactions");
    let lines = answer["ResultItem"].as_array().unwrap();
    assert_eq!(lines.len(), 1_000);
    let order: Vec<&str> = lines
        .iter()
        .map(|l| l["To_Account"].as_str().unwrap())
        .collect();
    assert_eq!(order, names.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(lines[10]["ResultCode"], 0);
    assert_eq!(lines[999]["ResultCode"], 0);
    assert_eq!(answer["Invalid_Account"].as_array().unwrap().len(), 998);
    let too_many: Vec<String> = (0..1_001).map(|i| format!("n{i}")).collect();
    let refused = h.code(
        PEAKER,
        Command::BlackListAdd,
        json!({"To_Account": too_many}),
    );
    assert_eq!(refused, 31301);
    let none = h.code(PEAKER, Command::BlackListAdd, json!({"To_Account": []}));
    assert_eq!(none, 31301);
}
