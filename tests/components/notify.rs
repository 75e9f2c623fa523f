//! The notification switch says why it cannot be on, and the mute bell mutes one
//! conversation (kept for the account, marked in the session list).

use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlInputElement;
use webim::components::{MuteToggle, NotifySetting};
use webim::store::{Action, Notify};
use webim_proto::AccountId;
use yew::prelude::*;

use crate::dom::{click, context, find, host, text_of};

fn switch(root: &web_sys::Element) -> HtmlInputElement {
    find(root, "#notify-toggle").unchecked_into()
}

#[wasm_bindgen_test]
async fn the_notification_switch_says_why_it_cannot_be_on() {
    let (store, effects) = context(vec![Action::Notify(Notify::Denied)]);
    let root = host(&store, &effects, html! { <NotifySetting /> }).await;
    assert!(switch(&root).disabled() && !switch(&root).checked());
    assert!(text_of(&root, "#profile-notify-note").contains("浏览器已禁止本站的通知"));

    let (store, effects) = context(vec![Action::Notify(Notify::Unsupported)]);
    let root = host(&store, &effects, html! { <NotifySetting /> }).await;
    assert!(switch(&root).disabled());
    assert_eq!(
        text_of(&root, "#profile-notify-note"),
        "这个浏览器不能显示通知。"
    );

    let (store, effects) = context(vec![Action::Notify(Notify::On)]);
    let root = host(&store, &effects, html! { <NotifySetting /> }).await;
    assert!(!switch(&root).disabled() && switch(&root).checked());
    assert_eq!(text_of(&root, "#profile-notify-title"), "通知");
}

#[wasm_bindgen_test]
async fn the_bell_mutes_only_its_conversation_and_is_kept() {
    let me = AccountId::new("peakerdong").expect("an id");
    let peer = AccountId::new("qiyueluhuo2016").expect("an id");
    let (store, effects) = context(vec![Action::LoggedIn(me.clone())]);
    let root = host(
        &store,
        &effects,
        html! { <MuteToggle peer={peer.clone()} /> },
    )
    .await;
    let pressed =
        |root: &web_sys::Element| find(root, "#mute-toggle").get_attribute("aria-pressed");
    assert_eq!(pressed(&root).as_deref(), Some("false"));
    assert_eq!(
        find(&root, "#mute-toggle")
            .get_attribute("aria-label")
            .as_deref(),
        Some("消息免打扰")
    );
    click(&root, "#mute-toggle").await;
    assert_eq!(pressed(&root).as_deref(), Some("true"));
    assert!(store.state().muted.contains(&peer) && store.state().muted.len() == 1);
    let kept = <gloo::storage::LocalStorage as gloo::storage::Storage>::raw()
        .get_item("webim.muted.peakerdong")
        .ok()
        .flatten()
        .unwrap_or_default();
    assert!(kept.contains("qiyueluhuo2016"), "{kept}");
    click(&root, "#mute-toggle").await;
    assert_eq!(pressed(&root).as_deref(), Some("false"));
    assert!(store.state().muted.is_empty());
}
