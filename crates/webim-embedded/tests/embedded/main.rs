//! Browser tests of the embedded backend in headless Chromium: the IndexedDB store passes
//! the same conformance suite as the in-memory one; two backends on one database (tabs
//! with dedicated workers) and two connections to one backend (tabs of one shared worker)
//! chat live and lose nothing when writing at once.
#![cfg(target_arch = "wasm32")]

mod backend;
mod idb_blobs;
mod idb_store;
mod objects;
mod pictures;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// A database and channel name no other test uses.
pub fn unique(what: &str) -> String {
    format!("test-{what}-{}", js_sys::Math::random().to_bits())
}

/// The SDK's clock and timers for tests in the page.
#[derive(Debug, Clone, Copy)]
pub struct TestEnv;

impl webim_sdk::Env for TestEnv {
    fn now(&self) -> webim_proto::Timestamp {
        webim_embedded::now()
    }

    fn random_u32(&self) -> u32 {
        (js_sys::Math::random() * 4_294_967_296.0) as u32
    }

    async fn sleep(&self, ms: u32) {
        gloo::timers::future::TimeoutFuture::new(ms).await;
    }
}
