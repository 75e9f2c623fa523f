//! Opens the conversation of a clicked desktop notification. A page notification raises
//! `effects::OPEN_EVENT` on the window; the service worker asks each tab in a message
//! `{type: "webim-open", me, peer}` with a reply port, and focuses the tab that answers
//! `true` (the one logged in as `me`: two tabs may be two people). Renders nothing.

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use webim_proto::AccountId;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::effects::OPEN_EVENT;
use crate::route::Route;
use crate::store::hooks::use_selector;
use crate::store::{AppState, me};

/// What a message from the service worker asks, read leniently: anything else is not ours.
fn open_request(data: &wasm_bindgen::JsValue) -> Option<(String, String)> {
    let get = |key: &str| {
        js_sys::Reflect::get(data, &key.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    (get("type")? == "webim-open").then_some(())?;
    Some((get("me")?, get("peer")?))
}

/// Listens for notification clicks while the app is open.
#[component]
pub fn NotificationClicks() -> Html {
    let navigator = use_navigator();
    let me = use_selector((), |s: &AppState, _| me(s));
    use_effect_with((me, navigator), |(me, navigator)| {
        let open = {
            let navigator = navigator.clone();
            move |peer: &str| {
                if let (Some(n), Ok(peer)) = (&navigator, AccountId::new(peer)) {
                    n.push(&Route::Chat {
                        peer: peer.to_string(),
                    });
                }
            }
        };
        let window = gloo::utils::window();
        let from_page = {
            let open = open.clone();
            let logged_in = me.is_some();
            EventListener::new(&window, OPEN_EVENT, move |event| {
                let detail = event
                    .dyn_ref::<web_sys::CustomEvent>()
                    .and_then(|e| e.detail().as_string());
                if let (true, Some(peer)) = (logged_in, detail) {
                    open(&peer);
                }
            })
        };
        let container = window.navigator().service_worker();
        let me = me.clone();
        let from_worker = EventListener::new(&container, "message", move |event| {
            let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
                return;
            };
            let Some((to, peer)) = open_request(&event.data()) else {
                return;
            };
            let mine = me.as_ref().is_some_and(|m| m.as_str() == to);
            if let Ok(port) = event.ports().get(0).dyn_into::<web_sys::MessagePort>() {
                let _ = port.post_message(&mine.into());
            }
            if mine {
                open(&peer);
            }
        });
        move || drop((from_page, from_worker))
    });
    html! {}
}
