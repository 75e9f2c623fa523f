//! The lab: a bare page at `/lab?me=…&peer=…` that logs in through the real SDK and the
//! embedded backend's worker and shows one conversation, for the end-to-end tests and
//! benchmarks of delivery between tabs (and of a worker killed under them). Not part of
//! the product's navigation.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlElement, HtmlInputElement};
use webim_proto::AccountId;
use webim_sdk::{Client, Listener, LoginInfo, MsgKey, SessionKey, Text};
use yew::prelude::*;

use crate::embedded::{BrowserEnv, WorkerTransport, worker_kind};

type LabClient = Client<WorkerTransport, BrowserEnv>;

/// Milliseconds since the Unix epoch, with the sub-millisecond part, the same in every tab.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.time_origin() + p.now())
}

/// A time in milliseconds with three decimals, written by the browser (the lab is the
/// app's only user of fractional numbers; Rust's float formatting would cost the download
/// 10 kB for it).
fn stamp(ms: f64) -> String {
    js_sys::Number::from(ms)
        .to_fixed(3)
        .map(String::from)
        .unwrap_or_default()
}

fn query(name: &str) -> Option<AccountId> {
    let search = web_sys::window()?.location().search().ok()?;
    let value = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)?;
    AccountId::new(value).ok()
}

fn input_u32(node: &NodeRef) -> u32 {
    node.cast::<HtmlInputElement>()
        .and_then(|i| i.value().parse().ok())
        .unwrap_or(0)
}

/// The lab page.
#[component]
pub fn Lab() -> Html {
    let me = use_memo((), |_| query("me"));
    let peer = use_memo((), |_| query("peer"));
    let client: Rc<RefCell<Option<Rc<LabClient>>>> = use_mut_ref(|| None);
    let backend: Rc<RefCell<Option<WorkerTransport>>> = use_mut_ref(|| None);
    let status = use_state(|| "starting".to_owned());
    let redraw = use_force_update();
    let (count, interval, latency) = (use_node_ref(), use_node_ref(), use_node_ref());
    let prefix = use_node_ref();
    let measured: Rc<RefCell<(BTreeSet<MsgKey>, Vec<f64>)>> = use_mut_ref(Default::default);

    {
        let (client, backend, status) = (client.clone(), backend.clone(), status.clone());
        let (me, peer) = (me.clone(), peer.clone());
        use_effect_with((), move |_| {
            spawn_local(async move {
                let (Some(me), Some(peer)) = ((*me).clone(), (*peer).clone()) else {
                    status.set("error: give ?me=…&peer=… (two test accounts)".to_owned());
                    return;
                };
                let opened = WorkerTransport::new(worker_kind());
                let sdk = Rc::new(Client::new(opened.clone(), BrowserEnv));
                let listener: Listener = Rc::new(move |_| redraw.force_update());
                if let Err(e) = sdk.init(LoginInfo::demo(me, "lab"), Some(listener)).await {
                    return status.set(format!("error: {e}"));
                }
                while let Ok(page) = sdk.get_c2c_history_msgs(&peer, 100).await {
                    if page.complete {
                        break;
                    }
                }
                *client.borrow_mut() = Some(Rc::clone(&sdk));
                *backend.borrow_mut() = Some(opened);
                status.set("ready".to_owned());
                let _ = sdk.run().await;
            });
        });
    }

    let on_send = {
        let (client, peer, count, interval) = (
            client.clone(),
            peer.clone(),
            count.clone(),
            interval.clone(),
        );
        let prefix = prefix.clone();
        Callback::from(move |_| {
            let (Some(sdk), Some(peer)) = (client.borrow().clone(), (*peer).clone()) else {
                return;
            };
            let (n, pause) = (input_u32(&count), input_u32(&interval));
            let tag = prefix
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            spawn_local(async move {
                for i in 1..=n {
                    let Ok(mut msg) = sdk.create_msg(&peer) else {
                        return;
                    };
                    msg.add_text(Text::new(format!("{tag}{i}|{}", stamp(now_ms()))));
                    if pause == 0 {
                        let sdk = Rc::clone(&sdk);
                        spawn_local(async move {
                            let _ = sdk.send_msg(msg).await;
                        });
                    } else {
                        let _ = sdk.send_msg(msg).await;
                        TimeoutFuture::new(pause).await;
                    }
                }
            });
        })
    };
    let on_read = {
        let (client, peer) = (client.clone(), peer.clone());
        Callback::from(move |_| {
            let (Some(sdk), Some(peer)) = (client.borrow().clone(), (*peer).clone()) else {
                return;
            };
            spawn_local(async move {
                let _ = sdk
                    .set_auto_read(Some(&SessionKey::c2c(peer)), true, true)
                    .await;
            });
        })
    };
    let on_import = {
        let (backend, count) = (backend.clone(), count.clone());
        let (me, peer, status) = ((*me).clone(), (*peer).clone(), status.clone());
        Callback::from(move |_| {
            let (Some(b), Some(me), Some(peer)) =
                (backend.borrow().clone(), me.clone(), peer.clone())
            else {
                return;
            };
            let (n, status) = (input_u32(&count), status.clone());
            spawn_local(async move {
                status.set(match b.import(&me, &peer, n).await {
                    Ok(_) => format!("imported {n}"),
                    Err(e) => format!("error: {e}"),
                });
            });
        })
    };
    let on_kill = {
        let backend = backend.clone();
        Callback::from(move |_| {
            if let Some(worker) = backend.borrow().clone() {
                spawn_local(async move { worker.kill().await });
            }
        })
    };
    let on_reset = {
        Callback::from(move |_| {
            let Some(backend) = backend.borrow().clone() else {
                return;
            };
            spawn_local(async move {
                if backend.reset().await.is_ok() {
                    let _ = web_sys::window().map(|w| w.location().reload());
                }
            });
        })
    };

    let worker_name = worker_kind().name();
    let sdk = client.borrow().clone();
    let session = sdk
        .as_ref()
        .zip((*peer).clone())
        .and_then(|(sdk, peer)| sdk.msg_store().session(&SessionKey::c2c(peer)).cloned());
    let (unread, msgs) = session.map_or((0, Vec::new()), |s| (s.unread(), s.msgs().to_vec()));

    {
        // Delivery latency: received messages carry their send time after a `|`.
        let (latency, msgs) = (latency.clone(), msgs.clone());
        use_effect(move || {
            let now = now_ms();
            let mut measured = measured.borrow_mut();
            for msg in msgs.iter().filter(|m| !m.is_send()) {
                let sent = msg
                    .to_text()
                    .rsplit_once('|')
                    .map(|(_, t)| js_sys::Number::parse_float(t))
                    .filter(|t| !t.is_nan());
                if let Some(sent) = sent.filter(|_| measured.0.insert(msg.key())) {
                    measured.1.push(now - sent);
                }
            }
            if let Some(el) = latency.cast::<HtmlElement>() {
                let figures: js_sys::Array =
                    measured.1.iter().map(|&ms| JsValue::from(ms)).collect();
                let text = js_sys::JSON::stringify(&figures).map(String::from);
                el.set_text_content(Some(&text.unwrap_or_default()));
            }
        });
    }

    html! {
        <main id="lab">
            <p id="lab-status">{ (*status).clone() }</p>
            <p>{ "worker: " }<span id="lab-worker">{ worker_name }</span></p>
            <p>{ "unread: " }<span id="lab-unread">{ unread }</span></p>
            <input id="lab-count" ref={count} type="number" value="10" aria-label="how many" />
            <input id="lab-interval" ref={interval} type="number" value="0" aria-label="pause in ms" />
            <input id="lab-prefix" ref={prefix} value="m" aria-label="text before the number" />
            <button id="lab-send" onclick={on_send}>{ "send" }</button>
            <button id="lab-read" onclick={on_read}>{ "read" }</button>
            <button id="lab-import" onclick={on_import}>{ "import" }</button>
            <button id="lab-reset" onclick={on_reset}>{ "reset demo data" }</button>
            <button id="lab-kill" onclick={on_kill}>{ "kill the worker" }</button>
            <pre id="lab-latency" ref={latency}></pre>
            <ul id="lab-msgs">
                // The newest 300 only: this page measures delivery, not rendering.
                { for msgs.iter().skip(msgs.len().saturating_sub(300)).map(|m| html! {
                    <li data-from={m.from_account().to_string()} data-status={m.status().as_str()}>
                        { m.to_text() }
                    </li>
                }) }
            </ul>
        </main>
    }
}
