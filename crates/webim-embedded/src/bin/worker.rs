//! The embedded service's worker binary. `assets/embedded-worker.js` loads it and keeps the
//! ports of pages that connected while its wasm was on its way; once it runs, every
//! connection (queued or new) is handed to [`webim_embedded::serve::connect`].

use wasm_bindgen::prelude::Closure;
use web_sys::MessagePort;

fn main() {
    let accept = Closure::<dyn FnMut(MessagePort)>::new(webim_embedded::serve::connect);
    // The loader calls `webimAccept` for each port from now on, the queued ones first.
    let _ = js_sys::Reflect::set(
        &js_sys::global(),
        &"webimAccept".into(),
        &accept.into_js_value(),
    );
}
