//! webim.js's profile and relationship calls: `getProfilePortrait`, `setProfilePortrait`
//! and the nine `sns` calls. Each takes the seed's options object (the protocol's request,
//! field for field; `From_Account` may be left out, it is always the logged-in account),
//! and answers `cbOk(resp)` with the protocol's response, or `cbErr(err)`; a batch where an
//! account failed is `cbErr` with 99999 and every account's `ResultItem` (docs/sdk.md,
//! "Calls and callbacks"). webim.js 1.7 `getC2CHistoryMsgs` is here too, being a call of
//! the same shape.

use std::future::Future;
use std::rc::Rc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use webim_js_values as values;
use webim_proto::profile::{portrait_get, portrait_set};
use webim_proto::sns::{
    black_list_add, black_list_delete, black_list_get, friend_add, friend_delete, friend_get_all,
    friend_response, pendency_delete, pendency_get,
};
use webim_proto::{AccountId, ErrorCode};
use webim_sdk::WebimError;

use crate::callback::{assign_ok, set, settle};
use crate::client::{PageClient, logged_in};
use crate::model::Msg;

/// Reads the options as `Req`, runs `call`, and answers with its response as an object.
fn call<Req, Resp, Fut>(
    options: JsValue,
    cb_ok: JsValue,
    cb_err: JsValue,
    call: impl FnOnce(Rc<PageClient>, Req) -> Fut,
) where
    Req: DeserializeOwned,
    Resp: Serialize,
    Fut: Future<Output = Result<Resp, WebimError>> + 'static,
{
    let client = match logged_in() {
        Ok(client) => client,
        Err(e) => return settle(Err(e), &cb_ok, &cb_err),
    };
    // The seed's options may leave out what the protocol defaults (an empty object).
    let options = if options.is_undefined() || options.is_null() {
        js_sys::Object::new().into()
    } else {
        options
    };
    let request = match values::from_js::<Req>(options) {
        Ok(request) => request,
        Err(why) => {
            let e = WebimError::local(ErrorCode::JsonBodyParse, format!("options: {why}"));
            return settle(Err(e), &cb_ok, &cb_err);
        }
    };
    let answer = call(client, request);
    spawn_local(async move {
        let result = answer.await.and_then(|resp| {
            values::to_js(&resp)
                .map(|object| assign_ok(&object))
                .map_err(|why| WebimError::local(ErrorCode::JsonBodyParse, why))
        });
        settle(result, &cb_ok, &cb_err);
    });
}

/// `getProfilePortrait(options, cbOk, cbErr)`: `To_Account`, `TagList`.
#[wasm_bindgen(js_name = getProfilePortrait)]
pub fn get_profile_portrait(options: JsValue, cb_ok: JsValue, cb_err: JsValue) {
    call(
        options,
        cb_ok,
        cb_err,
        |c, r: portrait_get::Request| async move {
            c.get_profile_portrait(r.to_account, r.tag_list).await
        },
    );
}

/// `setProfilePortrait(options, cbOk, cbErr)`: `ProfileItem`.
#[wasm_bindgen(js_name = setProfilePortrait)]
pub fn set_profile_portrait(options: JsValue, cb_ok: JsValue, cb_err: JsValue) {
    call(
        options,
        cb_ok,
        cb_err,
        |c, r: portrait_set::Request| async move {
            c.set_profile_portrait(r.profile_item)
                .await
                .map(|()| Nothing {})
        },
    );
}

/// `applyAddFriend(options, cbOk, cbErr)`: `AddFriendItem`.
#[wasm_bindgen(js_name = applyAddFriend)]
pub fn apply_add_friend(options: JsValue, cb_ok: JsValue, cb_err: JsValue) {
    call(
        options,
        cb_ok,
        cb_err,
        |c, r: friend_add::Request| async move { c.apply_add_friend(r.add_friend_item).await },
    );
}

/// `getPendency(options, cbOk, cbErr)` (the seed's `getPending`): `PendencyType`, …
#[wasm_bindgen(js_name = getPendency)]
pub fn get_pendency(options: JsValue, cb_ok: JsValue, cb_err: JsValue) {
    call(
        options,
        cb_ok,
        cb_err,
        |c, r: pendency_get::Request| async move { c.get_pendency(r).await },
    );
}

/// `responseFriend(options, cbOk, cbErr)`: `ResponseFriendItem`.
#[wasm_bindgen(js_name = responseFriend)]
pub fn response_friend(options: JsValue, cb_ok: JsValue, cb_err: JsValue) {
    call(
        options,
        cb_ok,
        cb_err,
        |c, r: friend_response::Request| async move { c.response_friend(r.response_friend_item).await },
    );
}

/// `deletePendency(options, cbOk, cbErr)` (the seed's `deletePending`).
#[wasm_bindgen(js_name = deletePendency)]
pub fn delete_pendency(options: JsValue, cb_ok: JsValue, cb_err: JsValue) {
    call(
        options,
        cb_ok,
        cb_err,
        |c, r: pendency_delete::Request| async move { c.delete_pendency(r).await },
    );
}

/// `getAllFriend(options, cbOk, cbErr)`.
#[wasm_bindgen(js_name = getAllFriend)]
pub fn get_all_friend(options: JsValue, cb_ok: JsValue, cb_err: JsValue) {
    call(
        options,
        cb_ok,
        cb_err,
        |c, r: friend_get_all::Request| async move { c.get_all_friend(r).await },
    );
}

/// `deleteFriend(options, cbOk, cbErr)`: `To_Account`, `DeleteType`.
#[wasm_bindgen(js_name = deleteFriend)]
pub fn delete_friend(options: JsValue, cb_ok: JsValue, cb_err: JsValue) {
    call(
        options,
        cb_ok,
        cb_err,
        |c, r: friend_delete::Request| async move { c.delete_friend(r).await },
    );
}

/// `addBlackList(options, cbOk, cbErr)`: `To_Account`.
#[wasm_bindgen(js_name = addBlackList)]
pub fn add_black_list(options: JsValue, cb_ok: JsValue, cb_err: JsValue) {
    call(
        options,
        cb_ok,
        cb_err,
        |c, r: black_list_add::Request| async move { c.add_black_list(r.to_account).await },
    );
}

/// `getBlackList(options, cbOk, cbErr)`.
#[wasm_bindgen(js_name = getBlackList)]
pub fn get_black_list(options: JsValue, cb_ok: JsValue, cb_err: JsValue) {
    call(
        options,
        cb_ok,
        cb_err,
        |c, r: black_list_get::Request| async move { c.get_black_list(r).await },
    );
}

/// `deleteBlackList(options, cbOk, cbErr)`: `To_Account`.
#[wasm_bindgen(js_name = deleteBlackList)]
pub fn delete_black_list(options: JsValue, cb_ok: JsValue, cb_err: JsValue) {
    call(
        options,
        cb_ok,
        cb_err,
        |c, r: black_list_delete::Request| async move { c.delete_black_list(r.to_account).await },
    );
}

/// What `setProfilePortrait` answers besides the status: nothing.
#[derive(Serialize)]
struct Nothing {}

/// webim.js 1.7 `getC2CHistoryMsgs(options, cbOk, cbErr)`: `Peer_Account`, `MaxCnt`; the
/// next older page, `cbOk({Complete, MsgCount, MsgList})` with `MsgList` oldest first.
#[wasm_bindgen(js_name = getC2CHistoryMsgs)]
pub fn get_c2c_history_msgs(options: JsValue, cb_ok: JsValue, cb_err: JsValue) {
    let client = match logged_in() {
        Ok(client) => client,
        Err(e) => return settle(Err(e), &cb_ok, &cb_err),
    };
    let peer = values::field(&options, "Peer_Account").as_string();
    let Some(peer) = peer.and_then(|p| AccountId::new(p).ok()) else {
        let e = WebimError::local(
            ErrorCode::JsonBodyParse,
            "options: Peer_Account is not an account",
        );
        return settle(Err(e), &cb_ok, &cb_err);
    };
    let max = values::field(&options, "MaxCnt").as_f64().unwrap_or(15.0);
    spawn_local(async move {
        let result = client
            .get_c2c_history_msgs(&peer, max as u32)
            .await
            .map(|page| {
                let list: js_sys::Array = page
                    .msgs
                    .into_iter()
                    .rev()
                    .map(|m| JsValue::from(Msg::from(m)))
                    .collect();
                let out = js_sys::Object::new();
                set(&out, "Complete", u32::from(page.complete));
                set(&out, "MsgCount", list.length());
                set(&out, "MsgList", list);
                assign_ok(&out.into())
            });
        settle(result, &cb_ok, &cb_err);
    });
}
