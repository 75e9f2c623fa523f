//! The service in the worker takes requests and gives answers as plain JS objects with the
//! protocol's field names (what crosses between page and worker by structured clone), and
//! refuses a body of the wrong form with the protocol's code, changing nothing.

use js_sys::{Array, JSON, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use webim_embedded::{ConnId, Reads, WorkerBackend};
use webim_proto::{AccountId, Command, ErrorCode};
use webim_sdk::LoginInfo;

use crate::unique;

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).expect("a readable field")
}

/// A plain object built the way a page's script would, field by field.
fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let obj = Object::new();
    for (k, v) in fields {
        Reflect::set(&obj, &(*k).into(), v).expect("set a field");
    }
    obj.into()
}

fn login(who: &str) -> LoginInfo {
    LoginInfo::demo(AccountId::new(who).expect("an account"), "test")
}

fn send_request(text: &str) -> JsValue {
    let content = object(&[("Text", text.into())]);
    let elem = object(&[("MsgType", "TIMTextElem".into()), ("MsgContent", content)]);
    object(&[
        ("From_Account", "qiyueluhuo2016".into()),
        ("To_Account", "peakerdong".into()),
        ("MsgSeq", 1.into()),
        ("MsgRandom", 77.into()),
        ("MsgTimeStamp", 1_448_000_000.into()),
        ("MsgBody", Array::of1(&elem).into()),
    ])
}

async fn open() -> std::rc::Rc<WorkerBackend> {
    WorkerBackend::open_named(&unique("objects-db"), &unique("objects-wake"), Reads::Copy)
        .await
        .expect("open the backend")
}

/// The receiver's messages, asked for as an object and read from the object answered.
async fn received(backend: &WorkerBackend) -> Vec<String> {
    let ask = object(&[("Cookie", "".into()), ("SyncFlag", 0.into())]);
    let answer = backend
        .request(ConnId(1), Command::GetMsg, &login("peakerdong"), &ask)
        .await;
    assert_eq!(
        get(&answer, "ActionStatus").as_string().as_deref(),
        Some("OK")
    );
    Array::from(&get(&answer, "MsgList"))
        .iter()
        .map(|m| {
            let elem = Array::from(&get(&m, "MsgBody")).get(0);
            get(&get(&elem, "MsgContent"), "Text")
                .as_string()
                .unwrap_or_default()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_send_as_a_plain_object_is_answered_with_a_plain_object() {
    let backend = open().await;
    let answer = backend
        .request(
            ConnId(0),
            Command::SendMsg,
            &login("qiyueluhuo2016"),
            &send_request("hi"),
        )
        .await;
    assert!(answer.is_object(), "an object, not JSON text: {answer:?}");
    assert_eq!(
        get(&answer, "ActionStatus").as_string().as_deref(),
        Some("OK")
    );
    assert_eq!(get(&answer, "ErrorCode").as_f64(), Some(0.0));
    assert_eq!(received(&backend).await, ["hi"]);
}

#[wasm_bindgen_test]
async fn json_text_or_a_wrong_shape_is_refused_and_changes_nothing() {
    let backend = open().await;
    let as_text = JSON::stringify(&send_request("as text")).expect("stringify");
    let no_body = send_request("no body");
    Reflect::delete_property(no_body.unchecked_ref::<Object>(), &"MsgBody".into()).expect("delete");
    for body in [JsValue::from(as_text), no_body, JsValue::UNDEFINED] {
        let answer = backend
            .request(ConnId(0), Command::SendMsg, &login("qiyueluhuo2016"), &body)
            .await;
        assert_eq!(
            get(&answer, "ActionStatus").as_string().as_deref(),
            Some("FAIL")
        );
        let code = get(&answer, "ErrorCode").as_f64().map(|c| c as i64);
        assert_eq!(code, Some(ErrorCode::InvalidPacket.code()), "{body:?}");
        let info = get(&answer, "ErrorInfo").as_string().unwrap_or_default();
        assert!(
            info.contains("openim/sendmsg"),
            "says which command: {info}"
        );
    }
    assert!(received(&backend).await.is_empty());
}
