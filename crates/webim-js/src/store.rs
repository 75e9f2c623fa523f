//! webim.js `MsgStore`: the logged-in client's sessions, as `Session` objects the page may
//! keep. Before a login the store is empty, as webim.js's was.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use webim_proto::AccountId;
use webim_sdk::SessionType;

use crate::callback::set;
use crate::client::logged_in;
use crate::model::Session;

/// `MsgStore.sessMap()`: every session, keyed by `type + id` (e.g. `"C2Calice"`).
#[wasm_bindgen(js_name = msgStoreSessMap)]
pub fn sess_map() -> Object {
    let map = Object::new();
    if let Ok(client) = logged_in() {
        for (key, session) in client.msg_store().sess_map() {
            set(&map, &key.to_string(), Session::of(session));
        }
    }
    map
}

/// `MsgStore.sessCount()`: how many sessions there are.
#[wasm_bindgen(js_name = msgStoreSessCount)]
pub fn sess_count() -> usize {
    logged_in().map_or(0, |c| c.msg_store().sess_count())
}

/// `MsgStore.sessByTypeId(type, id)`: the session, or `undefined`.
#[wasm_bindgen(js_name = msgStoreSessByTypeId)]
pub fn sess_by_type_id(kind: &str, id: &str) -> Option<Session> {
    if kind != SessionType::C2c.as_str() {
        return None;
    }
    let id = AccountId::new(id).ok()?;
    let client = logged_in().ok()?;
    let store = client.msg_store();
    store
        .sess_by_type_id(SessionType::C2c, &id)
        .map(Session::of)
}

/// `MsgStore.delSessByTypeId(type, id)`: forgets a session here (not on the service);
/// true if it was held.
#[wasm_bindgen(js_name = msgStoreDelSessByTypeId)]
pub fn del_sess_by_type_id(kind: &str, id: &str) -> bool {
    let (Ok(client), Ok(id)) = (logged_in(), AccountId::new(id)) else {
        return false;
    };
    kind == SessionType::C2c.as_str()
        && client.with_msg_store(|store| store.del_sess_by_type_id(SessionType::C2c, &id))
}

/// `MsgStore.resetCookieAndSyncFlag()`: the next `syncMsgs` pulls from the start
/// (messages already held are recognised and not notified again).
#[wasm_bindgen(js_name = msgStoreResetCookieAndSyncFlag)]
pub fn reset_cookie_and_sync_flag() {
    if let Ok(client) = logged_in() {
        client.with_msg_store(|store| store.reset_cookie_and_sync_flag());
    }
}

/// The sessions newest first (1.x kept this list private; the SDK offers it).
#[wasm_bindgen(js_name = msgStoreSessions)]
pub fn sessions() -> Array {
    let Ok(client) = logged_in() else {
        return Array::new();
    };
    let store = client.msg_store();
    store
        .sessions_newest_first()
        .map(|s| JsValue::from(Session::of(s)))
        .collect()
}
