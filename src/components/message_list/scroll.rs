//! The message list's scrolling: the view stays at the bottom only while the reader is
//! there, stays still when messages are added above, fills itself when a short conversation
//! cannot scroll, and reports which edge the reader reached.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use super::ScrollEdge;

/// Keeps the list at `list` scrolled as described above; `fill` while more messages exist
/// above that are not loading yet; `on_edge` gets every edge reached. Returns the list's
/// scroll listener.
#[hook]
pub fn use_scroll_keeper(
    list: NodeRef,
    stick: bool,
    fill: bool,
    on_edge: Callback<ScrollEdge>,
) -> Callback<Event> {
    // The first message in view and its distance from the top, kept while scrolling.
    let anchor: Rc<RefCell<Option<(String, f64)>>> = use_mut_ref(|| None);
    {
        let (list, anchor, on_top) = (list.clone(), anchor.clone(), on_edge.clone());
        use_effect(move || {
            let Some(el) = list.cast::<HtmlElement>() else {
                return;
            };
            // Nothing to scroll yet but more above: bring it in until the view is full.
            if fill && el.scroll_height() <= el.client_height() {
                on_top.emit(ScrollEdge::Top);
            }
            if stick {
                el.set_scroll_top(el.scroll_height());
                return;
            }
            let kept = anchor.borrow().clone();
            if let Some((key, offset)) = kept {
                let target = el
                    .query_selector(&format!("[data-key=\"{key}\"]"))
                    .ok()
                    .flatten();
                if let Some(item) = target.and_then(|t| t.dyn_into::<HtmlElement>().ok()) {
                    el.set_scroll_top((f64::from(item.offset_top()) - offset) as i32);
                }
            }
        });
    }
    Callback::from(move |_| {
        let Some(el) = list.cast::<HtmlElement>() else {
            return;
        };
        let top = f64::from(el.scroll_top());
        let items = el.query_selector_all("[data-key]").ok();
        let first = items.and_then(|all| {
            (0..all.length())
                .filter_map(|i| all.item(i)?.dyn_into::<HtmlElement>().ok())
                .find(|item| f64::from(item.offset_top() + item.offset_height()) > top)
        });
        *anchor.borrow_mut() = first.and_then(|item| {
            Some((
                item.get_attribute("data-key")?,
                f64::from(item.offset_top()) - top,
            ))
        });
        let bottom_gap = f64::from(el.scroll_height()) - top - f64::from(el.client_height());
        // At the bottom first: a conversation shorter than the view is at both ends, and
        // then new messages must keep it at the bottom.
        on_edge.emit(if bottom_gap < 40.0 {
            ScrollEdge::Bottom
        } else if top < 80.0 {
            ScrollEdge::Top
        } else {
            ScrollEdge::Away
        });
    })
}
