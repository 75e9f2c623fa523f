//! A message renders its text as text, never as HTML, and its emoticons as images.

use wasm_bindgen_test::wasm_bindgen_test;
use webim::components::MessageItem;
use webim::components::message_item::MessageItemProps;
use webim_proto::{AccountId, MsgRandom, MsgSeq, Timestamp};
use webim_sdk::{Face, Msg, SessionKey, Text};
use yew::Callback;

use crate::dom::{exists, find, mount_with, text_of};

fn received(elems: impl FnOnce(&mut Msg)) -> Msg {
    let peer = AccountId::new("peakerdong").expect("an account");
    let mut msg = Msg::new(
        SessionKey::c2c(peer.clone()),
        false,
        MsgSeq(1),
        MsgRandom(1),
        Timestamp(1_448_000_000),
        peer,
    );
    elems(&mut msg);
    msg
}

#[wasm_bindgen_test]
async fn a_script_tag_in_a_message_is_shown_as_text() {
    let msg = received(|m| m.add_text(Text::new("<script>alert(1)</script>")));
    let props = MessageItemProps {
        msg,
        name: None,
        time: "10:00".into(),
        on_retry: Callback::noop(),
        error: None,
    };
    let root = mount_with::<MessageItem>(props).await;
    assert_eq!(text_of(&root, ".text"), "<script>alert(1)</script>");
    assert!(!exists(&root, "script"), "no script element was made");
}

#[wasm_bindgen_test]
async fn emoticons_are_inline_images_named_by_their_face() {
    let msg = received(|m| {
        m.add_text(Text::new("hi "));
        m.add_face(Face::new(1, "[微笑]"));
    });
    let props = MessageItemProps {
        msg,
        name: Some("peakerdong".into()),
        time: "10:00".into(),
        on_retry: Callback::noop(),
        error: None,
    };
    let root = mount_with::<MessageItem>(props).await;
    let img = find(&root, "img.face");
    assert_eq!(img.get_attribute("alt").as_deref(), Some("[微笑]"));
    assert_eq!(
        img.get_attribute("src").as_deref(),
        Some("/emoticons/1.svg")
    );
    assert_eq!(text_of(&root, ".name"), "peakerdong");
}
