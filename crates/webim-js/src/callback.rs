//! The seed's callback conventions: `cbOk(resp)` on success, `cbErr(err)` with an error
//! object `{ActionStatus: "FAIL", ErrorCode, ErrorInfo}` on failure. A missing callback is
//! allowed (the seed's examples omit them); nothing else is ever silently dropped.

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use webim_sdk::WebimError;

/// Sets `key` on a plain object (cannot fail on one).
pub(crate) fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(object, &JsValue::from_str(key), &value.into());
}

/// The seed's error object for `e`: `ErrorInfo` is `[code]info`, as webim.js rewrote it;
/// a batch failure (99999) carries every account's `ResultItem` too.
pub(crate) fn error_object(e: &WebimError) -> JsValue {
    let err = Object::new();
    set(&err, "ActionStatus", "FAIL");
    set(&err, "ErrorCode", e.code.code() as f64);
    set(&err, "ErrorInfo", e.to_string());
    if !e.results.is_empty()
        && let Ok(items) = webim_js_values::to_js(&e.results)
    {
        set(&err, "ResultItem", items);
    }
    err.into()
}

/// `object` with the success status beside its fields (what the service answered).
pub(crate) fn assign_ok(object: &JsValue) -> JsValue {
    match object.dyn_ref::<Object>() {
        Some(fields) => Object::assign(fields, ok_object().unchecked_ref()).into(),
        None => ok_object(),
    }
}

/// The seed's success answer `{ActionStatus: "OK", ErrorCode: 0, ErrorInfo: ""}`.
pub(crate) fn ok_object() -> JsValue {
    let ok = Object::new();
    set(&ok, "ActionStatus", "OK");
    set(&ok, "ErrorCode", 0);
    set(&ok, "ErrorInfo", "");
    ok.into()
}

/// What `object.name()` returns, for a page's object read through its methods without
/// taking it over (`None` when it has no such method or the method throws).
pub(crate) fn call_method(object: &JsValue, name: &str) -> Option<JsValue> {
    let method = Reflect::get(object, &JsValue::from_str(name)).ok()?;
    function(&method)?.call0(object).ok()
}

/// A page's callback, if it gave a function.
pub(crate) fn function(value: &JsValue) -> Option<Function> {
    value.dyn_ref::<Function>().cloned()
}

/// Calls `cbOk(value)` or `cbErr(error object)`. An exception thrown by the page's own
/// callback is reported on the console, not swallowed, and does not break the SDK.
pub(crate) fn settle(result: Result<JsValue, WebimError>, ok: &JsValue, err: &JsValue) {
    let (callback, argument) = match result {
        Ok(value) => (function(ok), value),
        Err(e) => match function(err) {
            Some(cb) => (Some(cb), error_object(&e)),
            None => {
                // The seed logged failures; a page without cbErr still sees why.
                web_console_error(&format!("webim: {e}"));
                return;
            }
        },
    };
    if let Some(callback) = callback
        && let Err(thrown) = callback.call1(&JsValue::NULL, &argument)
    {
        web_console_error_value(&thrown);
    }
}

fn web_console_error(message: &str) {
    web_console_error_value(&JsValue::from_str(message));
}

fn web_console_error_value(value: &JsValue) {
    let console = Reflect::get(&js_sys::global(), &"console".into()).ok();
    let error = console
        .as_ref()
        .and_then(|c| Reflect::get(c, &"error".into()).ok())
        .and_then(|f| function(&f));
    if let (Some(console), Some(error)) = (console, error) {
        let _ = error.call1(&console, value);
    }
}
