//! The composer: Enter sends, Shift+Enter does not; empty and oversized text is refused
//! with a visible sentence; an emoticon goes in at the caret.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlTextAreaElement;
use webim::components::Composer;
use webim::components::composer::ComposerProps;
use webim::effects::ComposeError;
use yew::Callback;

use crate::dom::{click, exists, find, mount_with, press, text_of, type_text};

thread_local! {
    static SENT: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

async fn composer() -> web_sys::Element {
    composer_answering(Ok(())).await
}

/// A composer whose sends are answered with `answer` (a refusal keeps the text).
async fn composer_answering(answer: Result<(), ComposeError>) -> web_sys::Element {
    SENT.with(|s| s.borrow_mut().clear());
    let on_send = Callback::from(move |text: String| {
        SENT.with(|s| s.borrow_mut().push(text));
        answer
    });
    mount_with::<Composer>(ComposerProps {
        initial: "".into(),
        on_send,
        on_draft: Callback::noop(),
        on_attach: None,
    })
    .await
}

fn sent() -> Vec<String> {
    SENT.with(|s| s.borrow().clone())
}

fn value(root: &web_sys::Element) -> String {
    find(root, "textarea")
        .unchecked_into::<HtmlTextAreaElement>()
        .value()
}

#[wasm_bindgen_test]
async fn enter_sends_and_shift_enter_does_not() {
    let root = composer().await;
    type_text(&root, "textarea", "hello").await;
    press(&root, "textarea", "Enter", true).await;
    assert!(sent().is_empty(), "Shift+Enter is a new line, not a send");
    press(&root, "textarea", "Enter", false).await;
    assert_eq!(sent(), ["hello"]);
    assert_eq!(value(&root), "", "the composer empties after sending");
}

#[wasm_bindgen_test]
async fn enter_sends_what_the_box_holds_even_before_a_render_caught_up() {
    let root = composer().await;
    type_text(&root, "textarea", "half").await;
    // A paste (or automation) changes the box and presses Enter in one task: no render
    // happens between, and the text sent must still be the box's.
    find(&root, "textarea")
        .unchecked_into::<HtmlTextAreaElement>()
        .set_value("half and the rest");
    press(&root, "textarea", "Enter", false).await;
    assert_eq!(sent(), ["half and the rest"]);
    assert_eq!(value(&root), "");
}

#[wasm_bindgen_test]
async fn empty_input_is_refused_with_a_visible_sentence() {
    let root = composer().await;
    type_text(&root, "textarea", "   ").await;
    press(&root, "textarea", "Enter", false).await;
    assert!(sent().is_empty());
    assert_eq!(text_of(&root, "[role=alert]"), "发送的消息不能为空");
    type_text(&root, "textarea", "ok").await;
    assert!(!exists(&root, "[role=alert]"), "typing clears the refusal");
}

#[wasm_bindgen_test]
async fn oversized_input_is_refused_and_the_byte_counter_shows() {
    let root = composer().await;
    type_text(&root, "textarea", &"七".repeat(3400)).await;
    assert_eq!(
        text_of(&root, ".count"),
        "10200 / 12000",
        "the counter appears near the limit"
    );
    type_text(&root, "textarea", &"七".repeat(4001)).await;
    assert!(exists(&root, ".count.over"));
    click(&root, "#send").await;
    assert!(sent().is_empty());
    assert_eq!(
        text_of(&root, "[role=alert]"),
        "消息长度超出限制（最多 12000 字节）"
    );
    assert_eq!(value(&root).chars().count(), 4001, "nothing typed is lost");
}

#[wasm_bindgen_test]
async fn an_emoticon_goes_in_at_the_caret_and_esc_closes_the_picker() {
    let root = composer().await;
    type_text(&root, "textarea", "ab").await;
    let area: HtmlTextAreaElement = find(&root, "textarea").unchecked_into();
    area.set_selection_range(1, 1).expect("place the caret");
    click(&root, "#emoticon-toggle").await;
    assert_eq!(
        root.query_selector_all("#emoticon-picker button")
            .map(|l| l.length())
            .unwrap_or(0),
        67
    );
    let smile = find(&root, "#emoticon-picker button[data-name=\"[微笑]\"]");
    assert_eq!(smile.get_attribute("aria-label").as_deref(), Some("微笑"));
    assert_eq!(smile.get_attribute("title").as_deref(), Some("微笑"));
    click(&root, "#emoticon-picker button[data-name=\"[微笑]\"]").await;
    assert_eq!(value(&root), "a[微笑]b");
    assert_eq!(
        area.selection_start().ok().flatten(),
        Some(5),
        "the caret follows the emoticon"
    );
    assert!(!exists(&root, "#emoticon-picker"));

    click(&root, "#emoticon-toggle").await;
    press(&root, "#emoticon-picker", "Escape", false).await;
    assert!(!exists(&root, "#emoticon-picker"), "Esc closes the picker");
}

#[wasm_bindgen_test]
async fn a_send_refused_before_login_keeps_the_text_and_says_why() {
    let root = composer_answering(Err(ComposeError::NotReady)).await;
    type_text(&root, "textarea", "typed too early").await;
    press(&root, "textarea", "Enter", false).await;
    assert_eq!(sent(), ["typed too early"], "it was offered to be sent");
    assert_eq!(value(&root), "typed too early", "the text stays in the box");
    assert_eq!(
        text_of(&root, "[role=alert]"),
        "还没有登录完成，消息未发送（文字已保留）"
    );
}
