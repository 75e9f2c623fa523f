//! Helpers shared by the browser tests: mount a component into a fresh element and read
//! the DOM the way a person reads the screen (text, not internals).
#![allow(dead_code)] // each test module uses a different subset

use wasm_bindgen::JsCast;
use web_sys::{
    Element, Event, EventInit, HtmlElement, HtmlTextAreaElement, InputEvent, InputEventInit,
    KeyboardEvent, KeyboardEventInit,
};
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

/// Mounts `C` with `props` and waits until it has rendered.
pub async fn mount_with<C: BaseComponent>(props: C::Properties) -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("a div");
    gloo::utils::body()
        .append_child(&root)
        .expect("append to body");
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

/// The first element matching `selector` (panics if none: the test fails).
pub fn find(root: &Element, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .expect("a valid selector")
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

/// True if something matches `selector`.
pub fn exists(root: &Element, selector: &str) -> bool {
    root.query_selector(selector).ok().flatten().is_some()
}

/// Clicks the first element matching `selector` and waits for the re-render.
pub async fn click(root: &Element, selector: &str) {
    find(root, selector).click();
    yew::scheduler::flush().await;
}

/// Types `value` into the textarea `selector` as a person would (value, then `input`).
pub async fn type_text(root: &Element, selector: &str, value: &str) {
    let area: HtmlTextAreaElement = find(root, selector).unchecked_into();
    area.set_value(value);
    let init = InputEventInit::new();
    init.set_bubbles(true);
    let event = InputEvent::new_with_event_init_dict("input", &init).expect("an input event");
    area.dispatch_event(&event).expect("dispatch input");
    yew::scheduler::flush().await;
}

/// Presses `key` (with Shift if `shift`) in the element `selector`.
pub async fn press(root: &Element, selector: &str, key: &str, shift: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("a key event");
    find(root, selector)
        .dispatch_event(&event)
        .expect("dispatch keydown");
    yew::scheduler::flush().await;
}

/// Dispatches a plain bubbling event named `name` on `selector`.
pub async fn fire(root: &Element, selector: &str, name: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict(name, &init).expect("an event");
    find(root, selector)
        .dispatch_event(&event)
        .expect("dispatch");
    yew::scheduler::flush().await;
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

/// Props of [`Host`].
#[derive(yew::Properties, PartialEq)]
pub struct HostProps {
    /// The store the children see.
    pub store: webim::store::hooks::AppStore,
    /// The effects the children see.
    pub effects: std::rc::Rc<webim::effects::Effects>,
    /// What to mount.
    pub children: yew::Html,
}

/// Provides a store and effects, as the app's root does, around a component under test.
#[yew::component]
pub fn Host(props: &HostProps) -> yew::Html {
    use std::rc::Rc;

    use webim::effects::Effects;
    use webim::store::hooks::AppStore;
    use yew::prelude::*;
    html! {
        <ContextProvider<AppStore> context={props.store.clone()}>
            <ContextProvider<Rc<Effects>> context={props.effects.clone()}>
                { props.children.clone() }
            </ContextProvider<Rc<Effects>>>
        </ContextProvider<AppStore>>
    }
}

/// A fresh store and effects (nobody logged in), with `state` applied.
pub fn context(
    actions: Vec<webim::store::Action>,
) -> (
    webim::store::hooks::AppStore,
    std::rc::Rc<webim::effects::Effects>,
) {
    let store = webim::store::hooks::AppStore::new(webim::store::AppState::default());
    for action in actions {
        store.dispatch(action);
    }
    let effects = webim::effects::Effects::new(store.clone());
    (store, effects)
}

/// Mounts `children` inside a [`Host`].
pub async fn host(
    store: &webim::store::hooks::AppStore,
    effects: &std::rc::Rc<webim::effects::Effects>,
    children: yew::Html,
) -> Element {
    let props = HostProps {
        store: store.clone(),
        effects: effects.clone(),
        children,
    };
    mount_with::<Host>(props).await
}

/// Waits (up to 5 s, checking every 20 ms) until `done` holds.
pub async fn until(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..250 {
        if done() {
            return true;
        }
        gloo::timers::future::TimeoutFuture::new(20).await;
        yew::scheduler::flush().await;
    }
    false
}
