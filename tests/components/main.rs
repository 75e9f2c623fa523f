//! Browser tests of the app's components: each mounts a component into a real page in
//! headless Chromium, waits for Yew's scheduler, and checks what a person would see.
#![cfg(target_arch = "wasm32")]

mod dom;

mod attachments;
mod composer;
mod login_picker;
mod message_item;
mod notify;
mod panels;
mod tab_title;
mod unread_badge;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
