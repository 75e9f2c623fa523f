//! Browser tests of the embedded backend in headless Chromium: the IndexedDB store passes
//! the same conformance suite as the in-memory one, and two backends on one database (as
//! two tabs are) chat live and lose nothing when writing at once.
#![cfg(target_arch = "wasm32")]

mod backend;
mod idb_store;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// A database and channel name no other test uses.
pub fn unique(what: &str) -> String {
    format!("test-{what}-{}", js_sys::Math::random().to_bits())
}
