//! One POST with the browser's `fetch`: a deadline, and cancelled (the connection freed)
//! when the caller stops waiting, so a logged-out tab does not keep a long poll open.

use gloo::timers::callback::Timeout;
use js_sys::JSON;
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

/// POSTs `body` (a protocol value as a plain JS object) to `url` as JSON, written and read
/// by the browser's own `JSON`: the HTTP status and the answer as an object (or why it is
/// not JSON), or why no answer came within `timeout_ms`.
pub async fn post_json(
    url: &str,
    body: &JsValue,
    timeout_ms: u32,
) -> Result<(u16, Result<JsValue, String>), FetchError> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JSON::stringify(body).map_err(js_error)?.into());
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
        // A body that is not JSON (a proxy's error page) is told apart from a lost one.
        let parsed = JSON::parse(&text).map_err(|e| js_error(e).0);
        Ok((response.status(), parsed))
    }
    .await;
    guard.0 = None;
    drop(deadline);
    result
}
