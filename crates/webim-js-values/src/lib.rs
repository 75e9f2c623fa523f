//! The protocol's values as plain JS objects: how a request and its answer cross between a
//! page and the in-browser service's worker (by structured clone), so neither side makes or
//! reads JSON for a trip that never leaves the browser. Both directions live here so they
//! cannot drift. The page's HTTP transport and webim.js use them too, with the browser's
//! own `JSON` on the wire, so a page carries one way of reading the protocol's values, not
//! two. A crate of its own because the page, the worker and webim.js all need it and none
//! of them owns it.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use webim_proto::Status;
use webim_sdk::{Answer, TransportError};

/// A value as a plain JS object with the protocol's field names.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, String> {
    // A reply's status and fields are flattened, which serde writes as a map: plain
    // objects keep it the same shape as the protocol's JSON.
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    value.serialize(&serializer).map_err(|e| e.to_string())
}

/// A value read from a plain JS object (the protocol's field names).
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// One field of a JS object (`undefined` when it has none, or is not an object).
pub fn field(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A request for the worker (nothing is sent when it cannot be written).
pub fn request<T: Serialize>(value: &T) -> Result<JsValue, TransportError> {
    to_js(value).map_err(TransportError::Unencodable)
}

/// Reads the service's answer: a `FAIL` status is its refusal; an `OK` one must carry the
/// command's fields.
pub fn answer<B: DeserializeOwned>(value: JsValue) -> Result<Answer<B>, TransportError> {
    let status: Status = serde_wasm_bindgen::from_value(value.clone()).map_err(|e| {
        TransportError::Garbled(format!("the service's answer is not a WebIM reply: {e}"))
    })?;
    if !status.is_ok() {
        return Ok(Err(status));
    }
    // The command's fields sit beside the status fields; read them straight from the
    // object (its other fields are ignored), not through `Reply`'s flattening, which would
    // copy every answer into serde's buffer first and double the decoding code.
    serde_wasm_bindgen::from_value::<B>(value)
        .map(Ok)
        .map_err(|e| TransportError::Garbled(format!("the service's answer does not parse: {e}")))
}
