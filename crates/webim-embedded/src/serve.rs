//! The worker's side of the page's door: every connected page's port is served by one
//! [`WorkerBackend`], opened once on the first question. A SharedWorker gets a port per tab; a
//! dedicated worker gets its one page's port.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;
use web_sys::{Event, MessageEvent, MessagePort};
use webim_proto::AccountId;
use webim_sdk::LoginInfo;

use crate::backend::WorkerBackend;
use crate::wake::ConnId;
use crate::wire::{FromWorker, ToWorker};

type Opening = Shared<LocalBoxFuture<'static, Result<Rc<WorkerBackend>, String>>>;

/// One connected page: its port and the handlers that must live as long as it does.
struct Conn {
    port: MessagePort,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(Event)>,
}

thread_local! {
    static OPENING: RefCell<Option<Opening>> = const { RefCell::new(None) };
    static NEXT: Cell<u32> = const { Cell::new(0) };
    static CONNS: RefCell<BTreeMap<ConnId, Conn>> = const { RefCell::new(BTreeMap::new()) };
}

/// The backend, opened by whoever asks first; everyone else awaits the same opening.
fn backend() -> Opening {
    OPENING.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| {
                async { WorkerBackend::open().await.map_err(|e| e.to_string()) }
                    .boxed_local()
                    .shared()
            })
            .clone()
    })
}

/// Serves a page's port until the page goes away.
pub fn connect(port: MessagePort) {
    let conn = ConnId(NEXT.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        id
    }));
    let replies = port.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let replies = replies.clone();
        let asked = ToWorker::from_js(&event.data());
        if let Ok(ToWorker::Exit { id }) = asked {
            // Said before closing, and the close in the same task: once the page hears
            // it, no new page can be connected to this worker any more.
            let bye = FromWorker::Reply {
                id,
                body: JsValue::UNDEFINED,
            };
            let _ = replies.post_message(&bye.to_js());
            return exit();
        }
        spawn_local(async move {
            let answer = match asked {
                Ok(question) => answer(conn, question).await,
                Err((id, bad)) => FromWorker::Failed {
                    id: id.unwrap_or(u32::MAX),
                    message: format!("the worker cannot read this message: {}", bad.0),
                },
            };
            // A page that has gone away cannot be told; there is nothing else to do.
            let _ = replies.post_message(&answer.to_js());
        });
    });
    // Browsers that say when a port's page has gone (Chrome 122+) let it go at once;
    // elsewhere the handful of bytes stay until the worker ends.
    let on_close = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        // Not from inside this handler, which the connection owns.
        spawn_local(async move {
            let gone = CONNS.with(|conns| conns.borrow_mut().remove(&conn));
            drop(gone);
        });
    });
    port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let _ = port.add_event_listener_with_callback("close", on_close.as_ref().unchecked_ref());
    CONNS.with(|conns| {
        conns.borrow_mut().insert(
            conn,
            Conn {
                port,
                _on_message: on_message,
                _on_close: on_close,
            },
        )
    });
}

/// Ends the worker (`close()` of its global scope), for every page connected to it.
fn exit() {
    let global = js_sys::global();
    let close = js_sys::Reflect::get(&global, &"close".into()).ok();
    if let Some(close) = close.and_then(|c| c.dyn_into::<js_sys::Function>().ok()) {
        let _ = close.call0(&global);
    }
}

/// The answer to one question that came over connection `conn`.
pub(crate) async fn answer(conn: ConnId, question: ToWorker) -> FromWorker {
    let id = question.id();
    if let ToWorker::Ping { .. } = question {
        return FromWorker::Reply {
            id,
            body: JsValue::UNDEFINED,
        };
    }
    let backend = match backend().await {
        Ok(b) => b,
        Err(message) => return FromWorker::Failed { id, message },
    };
    let done = match question {
        ToWorker::Command {
            command,
            identifier,
            user_sig,
            body,
            ..
        } => {
            // The service itself refuses an invalid identifier with the protocol's code.
            let login = match AccountId::new(identifier.as_str()) {
                Ok(me) => LoginInfo::demo(me, user_sig),
                Err(e) => {
                    return FromWorker::Failed {
                        id,
                        message: format!("identifier: {e}"),
                    };
                }
            };
            Ok(backend.request(conn, command, &login, &body).await)
        }
        ToWorker::Import {
            from, to, count, ..
        } => match (AccountId::new(from), AccountId::new(to)) {
            (Ok(from), Ok(to)) => backend
                .import(&from, &to, count)
                .await
                .map(|()| JsValue::UNDEFINED)
                .map_err(|e| e.to_string()),
            _ => Err("import: not account ids".to_owned()),
        },
        ToWorker::Download {
            identifier, url, ..
        } => download(&backend, &identifier, &url).await,
        ToWorker::Ping { .. } | ToWorker::Exit { .. } => Ok(JsValue::UNDEFINED),
        ToWorker::Reset { .. } => backend
            .reset()
            .await
            .map(|()| JsValue::UNDEFINED)
            .map_err(|e| e.to_string()),
    };
    match done {
        Ok(body) => FromWorker::Reply { id, body },
        Err(message) => FromWorker::Failed { id, message },
    }
}

/// `{mime, bytes}` of the local address `url`, for the page's account `identifier`.
async fn download(backend: &WorkerBackend, identifier: &str, url: &str) -> Result<JsValue, String> {
    let reader = AccountId::new(identifier).map_err(|e| format!("identifier: {e}"))?;
    let (uuid, variant) =
        crate::files::parse_local(url).ok_or_else(|| format!("not a local address: {url}"))?;
    let (mime, bytes) = backend.download(&reader, &uuid, variant).await?;
    let answer = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&answer, &"mime".into(), &mime.into());
    let _ = js_sys::Reflect::set(
        &answer,
        &"bytes".into(),
        &js_sys::Uint8Array::from(bytes.as_slice()),
    );
    Ok(answer.into())
}

impl Drop for Conn {
    fn drop(&mut self) {
        self.port.set_onmessage(None);
        self.port.close();
    }
}
