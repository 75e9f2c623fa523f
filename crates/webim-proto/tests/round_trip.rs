//! Every command's request and response fixture (`tests/fixtures/<path>.*.json`) parses
//! into the protocol types and serializes back to the same JSON: the types say exactly
//! what the wire says, no field lost, renamed or added.

use std::path::PathBuf;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value as JsonValue;
use webim_proto::group::get_joined_group_list;
use webim_proto::imopenstat::web_report;
use webim_proto::openim::longpolling::v17;
use webim_proto::openim::{
    authkey, getlongpollingid, getmsg, getroammsg, logout, longpolling, longpollinglogout,
    msgreaded,
};
use webim_proto::openpic::{apply_download, pic_up};
use webim_proto::profile::{portrait_get, portrait_set};
use webim_proto::recentcontact;
use webim_proto::sns::{
    black_list_add, black_list_delete, black_list_get, friend_add, friend_delete, friend_get_all,
    friend_response, pendency_delete, pendency_get,
};
use webim_proto::{ActionStatus, C2cMsg, Command, Endpoint, ErrorCode, Reply, Status};

fn fixture(name: &str) -> JsonValue {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"))
}

fn round_trip<T: Serialize + DeserializeOwned>(name: &str) {
    let original = fixture(name);
    let typed: T = serde_json::from_value(original.clone())
        .unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
    let back = serde_json::to_value(&typed).expect("serializes");
    assert_eq!(
        back, original,
        "{name} changed on the way through the types"
    );
}

fn command<E: Endpoint>() {
    let path = E::COMMAND.path();
    round_trip::<E>(&format!("{path}.request.json"));
    round_trip::<Reply<E::Response>>(&format!("{path}.response.json"));
}

#[test]
fn test_every_command_round_trips_its_fixtures() {
    command::<C2cMsg>();
    command::<getmsg::Request>();
    command::<longpolling::Request>();
    command::<msgreaded::Request>();
    command::<logout::Request>();
    command::<getroammsg::Request>();
    command::<portrait_get::Request>();
    command::<portrait_set::Request>();
    command::<friend_add::Request>();
    command::<friend_response::Request>();
    command::<friend_delete::Request>();
    command::<friend_get_all::Request>();
    command::<pendency_get::Request>();
    command::<pendency_delete::Request>();
    command::<black_list_add::Request>();
    command::<black_list_delete::Request>();
    command::<black_list_get::Request>();
    command::<getlongpollingid::Request>();
    command::<longpollinglogout::Request>();
    command::<authkey::Request>();
    command::<recentcontact::Request>();
    command::<get_joined_group_list::Request>();
    command::<web_report::Request>();
    command::<pic_up::Request>();
    command::<apply_download::Request>();
}

#[test]
fn test_v17_long_poll_events_round_trip() {
    round_trip::<Reply<v17::Response>>("openim/longpolling.v17.response.json");
}

#[test]
fn test_every_command_has_fixtures() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for command in Command::ALL {
        for side in ["request", "response"] {
            let file = root.join(format!("{}.{side}.json", command.path()));
            assert!(file.is_file(), "{} has no {side} fixture", command.path());
        }
    }
}

#[test]
fn test_a_failure_reply_parses_as_status_with_its_code() {
    let status: Status = serde_json::from_value(fixture("failure.response.json")).unwrap();
    assert_eq!(status.action_status, ActionStatus::Fail);
    assert_eq!(status.error_code, ErrorCode::BlockedByRecipient);
    assert_eq!(status.error_display, "对方已将你拉黑");
    round_trip::<Status>("failure.response.json");
}

#[test]
fn test_unknown_values_are_errors_not_panics() {
    let bad_flag = r#"{"Cookie":"","SyncFlag":7}"#;
    let err = serde_json::from_str::<getmsg::Request>(bad_flag).unwrap_err();
    assert!(err.to_string().contains("SyncFlag has no value 7"), "{err}");
    let bad_elem = r#"{"From_Account":"a","To_Account":"b","MsgSeq":1,"MsgRandom":1,
        "MsgTimeStamp":1,"MsgBody":[{"MsgType":"TIMSoundElem","MsgContent":{}}]}"#;
    assert!(serde_json::from_str::<C2cMsg>(bad_elem).is_err());
    let bad_account = r#"{"To_Account":["a b"],"DeleteType":"Delete_Type_Both"}"#;
    assert!(serde_json::from_str::<friend_delete::Request>(bad_account).is_err());
}
