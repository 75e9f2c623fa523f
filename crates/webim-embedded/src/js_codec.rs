//! The service's codec in the worker: requests read from and answers written to plain JS
//! objects (`webim_js_values`), the in-browser twin of the server's JSON text.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use webim_js_values::to_js;
use webim_proto::Status;

/// The service's side: requests read from and answers written to JS objects.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct JsCodec;

impl webim_service::Codec for JsCodec {
    type Body = JsValue;
    type Encoded = JsValue;

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
