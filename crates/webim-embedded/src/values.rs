//! The protocol's values as plain JS objects: how a request and its answer cross between a
//! page and the worker (by structured clone), so neither side makes or reads JSON for a
//! trip that never leaves the browser. Both directions live here so they cannot drift.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use webim_proto::{Reply, Status};
use webim_sdk::{Answer, TransportError};

/// A value as a plain JS object with the protocol's field names.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, String> {
    // A reply's status and fields are flattened, which serde writes as a map: plain
    // objects keep it the same shape as the protocol's JSON.
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    value.serialize(&serializer).map_err(|e| e.to_string())
}

/// A request for the worker (nothing is sent when it cannot be written).
pub(crate) fn request<T: Serialize>(value: &T) -> Result<JsValue, TransportError> {
    to_js(value).map_err(TransportError::Unencodable)
}

/// Reads the service's answer: a `FAIL` status is its refusal; an `OK` one must carry the
/// command's fields.
pub(crate) fn answer<B: DeserializeOwned>(value: JsValue) -> Result<Answer<B>, TransportError> {
    let status: Status = serde_wasm_bindgen::from_value(value.clone()).map_err(|e| {
        TransportError::Garbled(format!("the service's answer is not a WebIM reply: {e}"))
    })?;
    if !status.is_ok() {
        return Ok(Err(status));
    }
    serde_wasm_bindgen::from_value::<Reply<B>>(value)
        .map(|reply| Ok(reply.body))
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

    fn encode<T: Serialize>(&self, value: &T) -> JsValue {
        to_js(value).unwrap_or_else(|e| {
            let code = webim_proto::ErrorCode::ServiceError;
            let status = Status::fail(code, format!("cannot encode the answer: {e}"));
            to_js(&status).unwrap_or(JsValue::NULL)
        })
    }
}
