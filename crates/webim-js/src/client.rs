//! The page's one client, as webim.js kept its state in module variables: `init` / `login`
//! log in and start receiving, `offline` / `logout` end it; `syncMsgs`, `sendMsg` and
//! `setAutoRead` act for the logged-in account. Every call answers through the seed's
//! callbacks; a call without a login gets `cbErr` with -4 (docs/sdk.md).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use webim_browser::remote::{HttpTransport, PollShare};
use webim_browser::{BrowserEnv, PageTransport};
use webim_embedded::client::{WorkerKind, WorkerTransport};
use webim_js_values::field;
use webim_proto::{AccountId, ErrorCode};
use webim_sdk::{Client, ConnectionState, Listener, LoginInfo, SdkEvent, WebimError};

use crate::callback::{call_method, function, ok_object, set, settle};
use crate::model::Msg;

pub(crate) type PageClient = Client<PageTransport, BrowserEnv>;

/// The page's client and its listeners.
struct Page {
    client: Rc<PageClient>,
    listeners: JsValue,
}

thread_local! {
    static PAGE: RefCell<Option<Page>> = const { RefCell::new(None) };
}

/// The logged-in client, or -4.
pub(crate) fn logged_in() -> Result<Rc<PageClient>, WebimError> {
    PAGE.with(|p| p.borrow().as_ref().map(|p| Rc::clone(&p.client)))
        .filter(|c| c.is_logged_in())
        .ok_or_else(WebimError::not_logged_in)
}

/// A number or a numeric string (the seed's `sdkAppID` is either).
fn number(value: &JsValue) -> Option<u64> {
    value
        .as_f64()
        .or_else(|| value.as_string().and_then(|s| s.trim().parse().ok()))
        .filter(|n| *n >= 0.0 && n.fract() == 0.0)
        .map(|n| n as u64)
}

/// webim.js `loginInfo` read from the page's object.
fn login_info(info: &JsValue) -> Result<LoginInfo, WebimError> {
    let bad =
        |what: &str| WebimError::local(ErrorCode::JsonBodyParse, format!("loginInfo: {what}"));
    let identifier = field(info, "identifier")
        .as_string()
        .ok_or_else(|| bad("identifier is missing"))?;
    let identifier = AccountId::new(identifier).map_err(|e| bad(&e.to_string()))?;
    let user_sig = field(info, "userSig")
        .as_string()
        .ok_or_else(|| bad("userSig is missing"))?;
    let demo = LoginInfo::demo(identifier, user_sig);
    let sdk_app_id = number(&field(info, "sdkAppID")).unwrap_or(demo.sdk_app_id);
    Ok(LoginInfo {
        sdk_app_id,
        app_id_at_3rd: number(&field(info, "appIDAt3rd")).unwrap_or(sdk_app_id),
        account_type: number(&field(info, "accountType"))
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(demo.account_type),
        ..demo
    })
}

/// The backend the options ask for: `options.server` (a `webim-server`'s URL) or, by
/// default, the service in this browser's worker.
fn transport(options: &JsValue) -> PageTransport {
    match field(options, "server").as_string() {
        Some(base) => PageTransport::Server(HttpTransport::to_server(base, PollShare::new())),
        None => PageTransport::Embedded(WorkerTransport::new(WorkerKind::best_available())),
    }
}

/// The session a page's object names, by its `id()` (a `Session` of ours, or any object
/// with that method, as 1.x's duck typing allowed). Read without taking the object from
/// the page.
fn session_key(session: &JsValue) -> Option<webim_sdk::SessionKey> {
    let id = call_method(session, "id")?.as_string()?;
    AccountId::new(id).ok().map(webim_sdk::SessionKey::c2c)
}

/// Calls the listener `name` with `argument`, if the page gave one.
fn notify(listeners: &JsValue, name: &str, argument: &JsValue) {
    if let Some(listener) = function(&field(listeners, name)) {
        // The page's exception is the page's; the SDK keeps going.
        let _ = listener.call1(&JsValue::NULL, argument);
    }
}

/// The seed's `notifyInfo`: `[{msg: Msg}]`.
pub(crate) fn notify_info(msgs: Vec<webim_sdk::Msg>) -> JsValue {
    msgs.into_iter()
        .map(|m| {
            let entry = Object::new();
            set(&entry, "msg", Msg::from(m));
            JsValue::from(entry)
        })
        .collect::<Array>()
        .into()
}

/// 1.7's `onConnNotify` argument: `ErrorCode` 0 when connected, 9999 when not.
fn conn_info(state: ConnectionState) -> JsValue {
    let info = Object::new();
    let (code, text) = match state {
        ConnectionState::Online => (0, "connected"),
        ConnectionState::Offline => (9999, "disconnected; retrying"),
    };
    set(&info, "ActionStatus", "OK");
    set(&info, "ErrorCode", code);
    set(&info, "ErrorInfo", text);
    info.into()
}

fn listener(listeners: JsValue) -> Listener {
    Rc::new(move |event: &SdkEvent| match event {
        SdkEvent::MsgNotify(msgs) => notify(&listeners, "onMsgNotify", &notify_info(msgs.clone())),
        SdkEvent::Connection(state) => notify(&listeners, "onConnNotify", &conn_info(*state)),
        _ => {}
    })
}

/// webim.js 1.2 `init(loginInfo, listeners, options)` (and 1.7's `cbOk`, `cbErr`): logs
/// in, pulls what is new and keeps receiving. A login already running is replaced.
#[wasm_bindgen]
pub fn init(login: JsValue, listeners: JsValue, options: JsValue, cb_ok: JsValue, cb_err: JsValue) {
    let info = match login_info(&login) {
        Ok(info) => info,
        Err(e) => return settle(Err(e), &cb_ok, &cb_err),
    };
    let client = Rc::new(Client::new(transport(&options), BrowserEnv));
    let previous = PAGE.with(|p| {
        p.borrow_mut().replace(Page {
            client: Rc::clone(&client),
            listeners: listeners.clone(),
        })
    });
    spawn_local(async move {
        if let Some(previous) = previous {
            let _ = previous.client.offline().await;
        }
        let result = client.init(info, Some(listener(listeners))).await;
        let started = result.is_ok();
        settle(result.map(|()| ok_object()), &cb_ok, &cb_err);
        if started {
            let _ = client.run().await;
        }
    });
}

/// webim.js 1.7 `login(loginInfo, listeners, options, cbOk, cbErr)`: the same as `init`.
#[wasm_bindgen]
pub fn login(
    login: JsValue,
    listeners: JsValue,
    options: JsValue,
    cb_ok: JsValue,
    cb_err: JsValue,
) {
    init(login, listeners, options, cb_ok, cb_err);
}

/// webim.js `offline(cbOk, cbErr)`: logs out on the service and clears the SDK's state.
#[wasm_bindgen]
pub fn offline(cb_ok: JsValue, cb_err: JsValue) {
    let page = PAGE.with(|p| p.borrow_mut().take());
    let Some(page) = page.filter(|p| p.client.is_logged_in()) else {
        return settle(Err(WebimError::not_logged_in()), &cb_ok, &cb_err);
    };
    spawn_local(async move {
        let result = page.client.offline().await;
        settle(result.map(|()| ok_object()), &cb_ok, &cb_err);
    });
}

/// webim.js 1.7 `logout(cbOk, cbErr)`: the same as `offline`.
#[wasm_bindgen]
pub fn logout(cb_ok: JsValue, cb_err: JsValue) {
    offline(cb_ok, cb_err);
}

/// webim.js `syncMsgs(cbOk, cbErr)`: pulls new messages. With `cbOk` it gets the
/// `notifyInfo` (even empty); without, new messages go to `onMsgNotify` as on their own.
#[wasm_bindgen(js_name = syncMsgs)]
pub fn sync_msgs(cb_ok: JsValue, cb_err: JsValue) {
    let client = match logged_in() {
        Ok(client) => client,
        Err(e) => return settle(Err(e), &cb_ok, &cb_err),
    };
    spawn_local(async move {
        match client.sync_msgs().await {
            Ok(msgs) if function(&cb_ok).is_none() => {
                if !msgs.is_empty() {
                    let listeners = PAGE.with(|p| p.borrow().as_ref().map(|p| p.listeners.clone()));
                    if let Some(listeners) = listeners {
                        notify(&listeners, "onMsgNotify", &notify_info(msgs));
                    }
                }
            }
            result => settle(result.map(notify_info), &cb_ok, &cb_err),
        }
    });
}

/// webim.js `sendMsg(msg, cbOk, cbErr)`: sends one C2C message; on success it is in
/// `MsgStore` once.
#[wasm_bindgen(js_name = sendMsg)]
pub fn send_msg(msg: &Msg, cb_ok: JsValue, cb_err: JsValue) {
    let client = match logged_in() {
        Ok(client) => client,
        Err(e) => return settle(Err(e), &cb_ok, &cb_err),
    };
    let Some(me) = client.identifier() else {
        return settle(Err(WebimError::not_logged_in()), &cb_ok, &cb_err);
    };
    let msg = msg.to_sdk(&me);
    spawn_local(async move {
        let result = client.send_msg(msg).await;
        settle(result.map(|()| ok_object()), &cb_ok, &cb_err);
    });
}

/// webim.js `setAutoRead(selSess, isOn, isResetAll)`: see docs/sdk.md. A failed read
/// report is reported on the console (the seed only logged it).
#[wasm_bindgen(js_name = setAutoRead)]
pub fn set_auto_read(session: JsValue, is_on: bool, is_reset_all: bool) {
    let client = match logged_in() {
        Ok(client) => client,
        Err(e) => return settle(Err(e), &JsValue::UNDEFINED, &JsValue::UNDEFINED),
    };
    let key = session_key(&session);
    spawn_local(async move {
        let result = client
            .set_auto_read(key.as_ref(), is_on, is_reset_all)
            .await;
        settle(
            result.map(|()| JsValue::UNDEFINED),
            &JsValue::UNDEFINED,
            &JsValue::UNDEFINED,
        );
    });
}
