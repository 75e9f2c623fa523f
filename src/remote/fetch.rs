//! One POST with the browser's `fetch`: a deadline, and cancelled (the connection freed)
//! when the caller stops waiting, so a logged-out tab does not keep a long poll open.

use gloo::timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestInit, Response};

/// Why no answer came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError(pub String);

fn js_error(e: JsValue) -> FetchError {
    FetchError(
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "the request failed".to_owned()),
    )
}

/// Aborts the request when dropped before it finished.
struct AbortOnDrop(Option<AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = self.0.take() {
            controller.abort();
        }
    }
}

/// POSTs `body` (JSON) to `url`; the HTTP status and the response's text, or why none came
/// within `timeout_ms`.
pub async fn post(url: &str, body: &str, timeout_ms: u32) -> Result<(u16, String), FetchError> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    let headers = Headers::new().map_err(js_error)?;
    headers
        .set("Content-Type", "application/json")
        .map_err(js_error)?;
    init.set_headers(&headers);
    let controller = AbortController::new().ok();
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
    }
    let deadline = controller
        .clone()
        .map(|c| Timeout::new(timeout_ms, move || c.abort()));
    let mut guard = AbortOnDrop(controller);
    let result = async {
        let promise = gloo::utils::window().fetch_with_str_and_init(url, &init);
        let response: Response = JsFuture::from(promise)
            .await
            .map_err(js_error)?
            .dyn_into()
            .map_err(js_error)?;
        let text = JsFuture::from(response.text().map_err(js_error)?)
            .await
            .map_err(js_error)?
            .as_string()
            .unwrap_or_default();
        Ok((response.status(), text))
    }
    .await;
    guard.0 = None;
    drop(deadline);
    result
}
