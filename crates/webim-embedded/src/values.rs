//! The protocol's values as plain JS objects: how a request and its answer cross between a
//! page and the worker (by structured clone), so neither side makes or reads JSON for a
//! trip that never leaves the browser. Both directions live here so they cannot drift.
//! The page's HTTP transport uses them too, with the browser's own `JSON` on the wire, so
//! the page carries one way of reading the protocol's values, not two.

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

/// The service's side: requests read from and answers written to JS objects.
#[cfg(feature = "service")]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct JsCodec;

#[cfg(feature = "service")]
impl webim_service::Codec for JsCodec {
    type Body = JsValue;
    type Answer = JsValue;

    fn decode<R: DeserializeOwned>(
        &self,
        command: webim_proto::Command,
        body: &JsValue,
    ) -> Result<R, webim_service::service::Failure> {
        serde_wasm_bindgen::from_value(body.clone()).map_err(|e| {
            let code = webim_service::service::bad_request(command);
            webim_service::service::Failure::Refused(code, format!("{}: {e}", command.path()))
        })
    }

    fn encode_ok<B: Serialize>(&self, body: &B) -> JsValue {
        use wasm_bindgen::JsCast as _;
        // The command's fields as an object, the status set beside them: what `Reply`'s
        // flattening would write, without serde's map machinery for every command.
        let fields = to_js(body).and_then(|fields| {
            let status = to_js(&Status::ok())?;
            let merged = js_sys::Object::assign(&js_sys::Object::new(), status.unchecked_ref());
            Ok(js_sys::Object::assign(&merged, fields.unchecked_ref()).into())
        });
        fields.unwrap_or_else(|e| {
            self.encode_status(&Status::fail(
                webim_proto::ErrorCode::ServiceError,
                format!("cannot encode the answer: {e}"),
            ))
        })
    }

    fn encode_status(&self, status: &Status) -> JsValue {
        to_js(status).unwrap_or(JsValue::NULL)
    }
}
