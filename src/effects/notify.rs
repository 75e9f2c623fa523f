//! Desktop notifications and muted conversations: the browser's permission (asked only
//! when the person turns notifications on), my choice and my mutes kept in storage, and
//! showing what `crate::notify` decides. Through the service worker's registration when
//! there is one (so a click reaches the tab even after a reload, and phones show them);
//! else as a page notification.

use std::collections::BTreeSet;
use std::rc::Rc;

use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Notification, NotificationOptions, NotificationPermission};
use webim_proto::AccountId;
use webim_sdk::Msg;

use super::{Effects, handle};
use crate::notify::{Alert, Attention, alerts};
use crate::store::{Action, Notify};

handle!(
    /// Desktop notifications and muted conversations.
    NotifyHandle,
    use_notifications
);

const NOTIFY: &str = "webim.notify";

/// The event a page notification's click raises on `window` (the service worker's
/// clicks arrive as messages); `components::NotificationClicks` opens the conversation.
pub const OPEN_EVENT: &str = "webim-open";

fn muted_key(me: &AccountId) -> String {
    format!("webim.muted.{me}")
}

fn supported() -> bool {
    web_sys::window()
        .is_some_and(|w| js_sys::Reflect::has(&w, &"Notification".into()).unwrap_or(false))
}

/// Notifications as the browser and my stored choice allow them now.
fn current(wanted: bool) -> Notify {
    if !supported() {
        return Notify::Unsupported;
    }
    match Notification::permission() {
        NotificationPermission::Denied => Notify::Denied,
        NotificationPermission::Granted if wanted => Notify::On,
        _ => Notify::Off,
    }
}

fn wanted() -> bool {
    LocalStorage::get::<String>(NOTIFY).is_ok_and(|v| v == "on")
}

impl Effects {
    /// Reads the notification setting (the permission may have changed in the browser's
    /// settings since last time) and, once logged in, my muted conversations.
    pub(super) fn restore_notify(&self, me: Option<&AccountId>) {
        self.store.dispatch(Action::Notify(current(wanted())));
        if let Some(me) = me {
            let muted: BTreeSet<AccountId> = LocalStorage::get(muted_key(me)).unwrap_or_default();
            self.store.dispatch(Action::Muted(muted));
        }
    }
}

impl NotifyHandle {
    /// Turns desktop notifications on (asking the browser's permission if it was never
    /// given) or off. The answer arrives in the store's `notify`.
    pub fn set_notifications(&self, on: bool) {
        let store = self.0.store.clone();
        wasm_bindgen_futures::spawn_local(async move {
            store.dispatch(Action::Notify(switch_notifications(on).await));
        });
    }

    /// Mutes or unmutes the conversation with `peer` (kept per account).
    pub fn set_muted(&self, peer: &AccountId, muted: bool) {
        let store = &self.0.store;
        let state = store.state();
        let Some(me) = crate::store::me(&state) else {
            return;
        };
        let mut set = (*state.muted).clone();
        if muted {
            set.insert(peer.clone());
        } else {
            set.remove(peer);
        }
        let _ = LocalStorage::set(muted_key(&me), &set);
        store.dispatch(Action::Muted(set));
    }
}

/// Keeps the choice, asks the browser's permission if it was never given, and says where
/// notifications stand now.
async fn switch_notifications(on: bool) -> Notify {
    let _ = LocalStorage::set(NOTIFY, if on { "on" } else { "off" });
    let ask = on && supported() && Notification::permission() == NotificationPermission::Default;
    // A dismissed prompt leaves the permission at "default": notifications stay off.
    if let Some(promise) = ask
        .then(Notification::request_permission)
        .and_then(Result::ok)
    {
        let _ = JsFuture::from(promise).await;
    }
    let now = current(on);
    if on && now != Notify::On {
        let _ = LocalStorage::set(NOTIFY, "off");
    }
    now
}

impl Effects {
    /// Shows what `msgs` call for, given where the person is looking.
    pub(super) fn notify(&self, msgs: &[Msg]) {
        let state = self.store.state();
        let attention = Attention {
            viewing: state.viewing.as_ref(),
            visible: !state.hidden,
        };
        let me = crate::store::me(&state);
        for alert in alerts(&state, msgs, attention) {
            if let Some(me) = &me {
                show(me.clone(), alert);
            }
        }
    }
}

/// Shows one alert; a browser that refuses is left alone (the unread badge still tells).
fn show(me: AccountId, alert: Alert) {
    let options = NotificationOptions::new();
    options.set_body(&alert.body);
    options.set_tag(&alert.tag);
    options.set_renotify(true);
    options.set_icon("/pwa/icon.svg");
    let data = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&data, &"me".into(), &me.as_str().into());
    let _ = js_sys::Reflect::set(&data, &"peer".into(), &alert.peer.as_str().into());
    options.set_data(&data);
    wasm_bindgen_futures::spawn_local(async move {
        let shown = registration().await.and_then(|r| {
            r.show_notification_with_options(&alert.title, &options)
                .ok()
        });
        if let Some(shown) = shown
            && JsFuture::from(shown).await.is_ok()
        {
            return;
        }
        show_in_page(&alert, &options);
    });
}

/// The service worker's registration, when one controls this page.
async fn registration() -> Option<web_sys::ServiceWorkerRegistration> {
    let container = web_sys::window()?.navigator().service_worker();
    container.controller()?;
    let found = JsFuture::from(container.get_registration()).await.ok()?;
    found.dyn_into().ok()
}

fn show_in_page(alert: &Alert, options: &NotificationOptions) {
    let Ok(notification) = Notification::new_with_options(&alert.title, options) else {
        return;
    };
    let peer = alert.peer.to_string();
    let shown = Rc::new(notification);
    let closed = Rc::clone(&shown);
    let onclick = Closure::<dyn FnMut()>::new(move || {
        closed.close();
        if let Some(window) = web_sys::window() {
            let _ = window.focus();
            let init = web_sys::CustomEventInit::new();
            init.set_detail(&peer.as_str().into());
            if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(OPEN_EVENT, &init) {
                let _ = window.dispatch_event(&event);
            }
        }
    });
    shown.set_onclick(Some(onclick.as_ref().unchecked_ref()));
    // The closure lives as long as the notification may be clicked: for the page's life.
    onclick.forget();
}
