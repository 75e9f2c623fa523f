//! End-to-end tests: the release build served like a static host, opened in real headless
//! Chromium windows, checked on what a person sees.

mod accessibility;
mod chat;
mod cluster;
mod delivery;
mod keyboard;
mod login_picker;
mod notifications;
mod offline;
mod pictures;
mod real_clients;
mod relationship;
mod server;
mod webim_js;
mod webim_js_api;
mod worker;
