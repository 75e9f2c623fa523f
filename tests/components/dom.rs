//! Helpers shared by the browser tests: mount a component into a fresh element and read
//! the DOM the way a person reads the screen (text, not internals).
#![allow(dead_code)] // each test module uses a different subset

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::BaseComponent;

/// Mounts `C` into a new `<div>` appended to `<body>` and waits until it has rendered.
pub async fn mount<C>() -> Element
where
    C: BaseComponent<Properties = ()>,
{
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("a div");
    gloo::utils::body()
        .append_child(&root)
        .expect("append to body");
    yew::Renderer::<C>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    root
}

/// The visible text of the first element matching `selector`, trimmed.
pub fn text_of(root: &Element, selector: &str) -> String {
    let el = root
        .query_selector(selector)
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("nothing matches {selector}"));
    inner_text(&el)
}

/// The visible texts of every element matching `selector`, in document order.
pub fn texts_of(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).expect("a valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .map(|el| inner_text(&el))
        .collect()
}

fn inner_text(el: &Element) -> String {
    el.dyn_ref::<HtmlElement>()
        .map(HtmlElement::inner_text)
        .unwrap_or_else(|| el.text_content().unwrap_or_default())
        .trim()
        .to_owned()
}
