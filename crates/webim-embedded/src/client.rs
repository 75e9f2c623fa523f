//! The page's door to the embedded service's worker, as the SDK's [`Transport`]: a
//! SharedWorker where the browser has one (every tab of the origin talks to one service),
//! else a dedicated worker for this tab. The worker is started on the first request, so a
//! page behind a server never downloads it. A worker that stops answering (killed under
//! memory pressure, say) is dropped and the next request starts a new one; the SDK then
//! resumes from its cookie as after any network failure.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

use futures::future::{Either, select};
use futures_channel::oneshot;
use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, Event, MessageChannel, MessageEvent, MessagePort, SharedWorker, Worker};
use webim_proto::{AccountId, Endpoint};
use webim_sdk::{LoginInfo, Transport, TransportError};

use crate::wire::{FromWorker, ToWorker};
use webim_js_values as values;

/// Where the worker's script is served (`assets/embedded-worker.js`).
pub const WORKER_URL: &str = "/embedded-worker.js";
/// The SharedWorker's name: the same for every tab, so they share one. It names the
/// version of `wire.rs`'s messages: a tab of a new build that changed them must not join an
/// older build's worker that another tab keeps running (change the number with them).
const SHARED_NAME: &str = "webim-embedded-wire2";
/// How long a new worker's script may take to greet the page (a worker that was closing as
/// the page connected never does).
const GREETING_MS: u32 = 5_000;
/// How long a new worker may take to answer at all (it downloads and starts its wasm).
const STARTUP_MS: u32 = 60_000;
/// How often a question still waiting checks that the worker is alive, and how long the
/// worker has to say so.
const CHECK_EVERY_MS: u32 = 10_000;
const ALIVE_WITHIN_MS: u32 = 5_000;

/// Which kind of worker runs the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerKind {
    /// One for every tab of the origin.
    Shared,
    /// One per tab; tabs wake each other through a BroadcastChannel.
    Dedicated,
    /// No worker: the service runs in the page itself, through the same questions and
    /// answers (the app's component tests, which have no worker script to load).
    #[cfg(feature = "service")]
    InPage,
}

impl WorkerKind {
    /// Its name (`localStorage["webim.worker"]`, the lab).
    pub fn name(self) -> &'static str {
        match self {
            Self::Shared => "shared",
            Self::Dedicated => "dedicated",
            #[cfg(feature = "service")]
            Self::InPage => "in-page",
        }
    }

    /// SharedWorker where this browser has it (not Chrome on Android before 2024, say).
    pub fn best_available() -> Self {
        let has_shared =
            js_sys::Reflect::has(&js_sys::global(), &"SharedWorker".into()).unwrap_or(false);
        if has_shared {
            Self::Shared
        } else {
            Self::Dedicated
        }
    }
}

/// The worker's answer to one question (a protocol answer as a plain object).
type WorkerResult = Result<JsValue, TransportError>;
type Pending = Rc<RefCell<BTreeMap<u32, oneshot::Sender<WorkerResult>>>>;

enum Running {
    Shared(SharedWorker),
    Dedicated(Worker),
}

/// A started worker and this page's port to it.
struct Link {
    port: MessagePort,
    running: Running,
    answered: Rc<Cell<bool>>,
    greeted: Rc<Cell<bool>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl Drop for Link {
    fn drop(&mut self) {
        self.port.set_onmessage(None);
        self.port.close();
        match &self.running {
            Running::Dedicated(worker) => {
                worker.set_onerror(None);
                worker.terminate();
            }
            // Other tabs may still use it; this tab only lets go of its port.
            Running::Shared(worker) => worker.set_onerror(None),
        }
    }
}

struct Door {
    kind: WorkerKind,
    link: RefCell<Option<Link>>,
    next: Cell<u32>,
    pending: Pending,
}

/// The SDK's transport to the embedded service's worker.
#[derive(Clone)]
pub struct WorkerTransport(Rc<Door>);

impl std::fmt::Debug for WorkerTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerTransport")
            .field("kind", &self.0.kind)
            .field("started", &self.0.link.borrow().is_some())
            .finish_non_exhaustive()
    }
}

fn unreachable(why: impl Into<String>) -> TransportError {
    TransportError::Unreachable(why.into())
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser refused".to_owned())
}

/// Fails every question still waiting, and lets the worker go (after the current event:
/// the handler calling this belongs to the link).
fn give_up(door: &Weak<Door>, pending: &Pending, why: &str) {
    for (_, waiting) in std::mem::take(&mut *pending.borrow_mut()) {
        let _ = waiting.send(Err(unreachable(why)));
    }
    let door = door.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(door) = door.upgrade() {
            drop(door.link.borrow_mut().take());
        }
    });
}

impl WorkerTransport {
    /// A door to a worker of `kind` at [`WORKER_URL`]; nothing starts until the first request.
    pub fn new(kind: WorkerKind) -> Self {
        Self(Rc::new(Door {
            kind,
            link: RefCell::default(),
            next: Cell::new(1),
            pending: Rc::default(),
        }))
    }

    /// Imports `count` messages from `from` to `to` (demos and benchmarks).
    pub async fn import(
        &self,
        from: &AccountId,
        to: &AccountId,
        count: u32,
    ) -> Result<(), TransportError> {
        let (from, to) = (from.to_string(), to.to_string());
        self.ask(move |id| ToWorker::Import {
            id,
            from,
            to,
            count,
        })
        .await
        .map(drop)
    }

    /// The media type and bytes at the in-browser address `url`
    /// (`webim-local:{uuid}/{variant}`), as `identifier` may read them.
    pub async fn download(
        &self,
        identifier: &AccountId,
        url: &str,
    ) -> Result<(String, js_sys::Uint8Array), TransportError> {
        let (identifier, url) = (identifier.to_string(), url.to_owned());
        let answer = self
            .ask(move |id| ToWorker::Download {
                id,
                identifier,
                url,
            })
            .await?;
        let mime = values::field(&answer, "mime")
            .as_string()
            .unwrap_or_default();
        let bytes = values::field(&answer, "bytes")
            .dyn_into::<js_sys::Uint8Array>()
            .map_err(|_| TransportError::Garbled("a download without bytes".to_owned()))?;
        Ok((mime, bytes))
    }

    /// Resets the demo data to the first run, for every tab.
    pub async fn reset(&self) -> Result<(), TransportError> {
        self.ask(|id| ToWorker::Reset { id }).await.map(drop)
    }

    /// Stops the worker as if the browser had killed it (a dedicated worker is terminated,
    /// a shared one closes itself for every tab, and says so first, so that the next
    /// request starts a new one). What this tab was waiting for fails, as it would have;
    /// other tabs find out when their worker stops answering.
    pub async fn kill(&self) {
        let shared = matches!(
            self.0.link.borrow().as_ref().map(|l| &l.running),
            Some(Running::Shared(_))
        );
        if shared {
            let _ = self.ask(|id| ToWorker::Exit { id }).await;
        }
        drop(self.0.link.borrow_mut().take());
        for (_, waiting) in std::mem::take(&mut *self.0.pending.borrow_mut()) {
            let _ = waiting.send(Err(unreachable("the embedded service was stopped")));
        }
    }

    /// This page's port to the worker, starting the worker if there is none.
    fn port(&self) -> Result<(MessagePort, Life), TransportError> {
        let life = |link: &Link| Life {
            answered: Rc::clone(&link.answered),
            greeted: Rc::clone(&link.greeted),
        };
        if let Some(link) = self.0.link.borrow().as_ref() {
            return Ok((link.port.clone(), life(link)));
        }
        let link = self.start()?;
        let port = (link.port.clone(), life(&link));
        *self.0.link.borrow_mut() = Some(link);
        Ok(port)
    }

    fn start(&self) -> Result<Link, TransportError> {
        let door = Rc::downgrade(&self.0);
        let (pending, answered) = (Rc::clone(&self.0.pending), Rc::new(Cell::new(false)));
        let greeted = Rc::new(Cell::new(false));
        let (routes, heard, hello) = (
            Rc::clone(&pending),
            Rc::clone(&answered),
            Rc::clone(&greeted),
        );
        let failed = door.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            hello.set(true);
            let (id, answer) = match FromWorker::from_js(&event.data()) {
                Ok(FromWorker::Hello) => return,
                Ok(FromWorker::Reply { id, body }) => (id, Ok(body)),
                Ok(FromWorker::Failed { id, message }) => (id, Err(unreachable(message))),
                Ok(FromWorker::Fatal { message }) => return give_up(&failed, &routes, &message),
                // Nothing to pair it with: a stray post is not an answer.
                Err(_) => return,
            };
            heard.set(true);
            if let Some(waiting) = routes.borrow_mut().remove(&id) {
                let _ = waiting.send(answer);
            }
        });
        let (crashed, lost, started) = (door, Rc::clone(&pending), Rc::clone(&answered));
        let on_error = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            // An error in a worker that runs is not its death (the pings tell that).
            if started.get() {
                return;
            }
            let detail = event
                .dyn_ref::<ErrorEvent>()
                .map(|e| format!(": {} ({}:{})", e.message(), e.filename(), e.lineno()))
                .unwrap_or_default();
            give_up(
                &crashed,
                &lost,
                &format!("the embedded service's worker failed to start{detail}"),
            );
        });
        let (port, running) = match self.0.kind {
            WorkerKind::Shared => {
                let worker = SharedWorker::new_with_str(WORKER_URL, SHARED_NAME)
                    .map_err(|e| unreachable(describe(&e)))?;
                worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
                (worker.port(), Running::Shared(worker))
            }
            WorkerKind::Dedicated => {
                let worker = Worker::new(WORKER_URL).map_err(|e| unreachable(describe(&e)))?;
                worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
                let channel = MessageChannel::new().map_err(|e| unreachable(describe(&e)))?;
                let hello = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&hello, &"connect".into(), &channel.port2());
                let transfer = js_sys::Array::of1(&channel.port2());
                worker
                    .post_message_with_transfer(&hello, &transfer)
                    .map_err(|e| unreachable(describe(&e)))?;
                (channel.port1(), Running::Dedicated(worker))
            }
            #[cfg(feature = "service")]
            WorkerKind::InPage => return Err(unreachable("the service runs in the page")),
        };
        port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(Link {
            port,
            running,
            answered,
            greeted,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// A new question's number (never 0).
    fn next_id(&self) -> u32 {
        let id = self.0.next.get();
        self.0.next.set(id.wrapping_add(1).max(1));
        id
    }

    /// A place among the pending questions for a new one, and where its answer will come.
    fn wait_for_answer(&self) -> (Waiting, oneshot::Receiver<WorkerResult>) {
        let (id, (tx, rx)) = (self.next_id(), oneshot::channel());
        self.0.pending.borrow_mut().insert(id, tx);
        let waiting = Waiting {
            pending: Rc::clone(&self.0.pending),
            id,
        };
        (waiting, rx)
    }

    /// Posts a question and waits for its answer, for as long as the worker is alive.
    async fn ask(&self, question: impl FnOnce(u32) -> ToWorker) -> WorkerResult {
        #[cfg(feature = "service")]
        if self.0.kind == WorkerKind::InPage {
            return in_page(question(self.next_id())).await;
        }
        let (port, life) = self.port()?;
        let (waiting, rx) = self.wait_for_answer();
        if let Err(e) = port.post_message(&question(waiting.id).to_js()) {
            return Err(unreachable(describe(&e)));
        }
        let watch = Box::pin(self.watch(port.clone(), life));
        let answer = match select(rx, watch).await {
            Either::Left((Ok(answer), _)) => answer,
            Either::Left((Err(_), _)) => Err(unreachable("the embedded service went away")),
            Either::Right((why, _)) => {
                // Unless another request has already started a new worker in its place.
                let current = self
                    .0
                    .link
                    .borrow()
                    .as_ref()
                    .is_some_and(|l| l.port == port);
                if current {
                    give_up(&Rc::downgrade(&self.0), &self.0.pending, &why);
                }
                Err(unreachable(why))
            }
        };
        drop(waiting);
        answer
    }

    /// Ends (with why) only when the worker behind `port` seems dead: a new worker that has
    /// not greeted the page within [`GREETING_MS`] or answered within [`STARTUP_MS`], or one
    /// that answered before and no longer answers a ping.
    async fn watch(&self, port: MessagePort, life: Life) -> String {
        if !life.answered.get() {
            TimeoutFuture::new(GREETING_MS).await;
            if !life.greeted.get() {
                return "the embedded service's worker did not start".to_owned();
            }
            TimeoutFuture::new(STARTUP_MS - GREETING_MS).await;
            if !life.answered.get() {
                return "the embedded service did not start".to_owned();
            }
        }
        loop {
            TimeoutFuture::new(CHECK_EVERY_MS).await;
            let (ping, rx) = self.wait_for_answer();
            if port
                .post_message(&ToWorker::Ping { id: ping.id }.to_js())
                .is_err()
            {
                return "the embedded service is gone".to_owned();
            }
            match select(rx, TimeoutFuture::new(ALIVE_WITHIN_MS)).await {
                Either::Left((Ok(Ok(_)), _)) => {}
                _ => return "the embedded service stopped answering".to_owned(),
            }
        }
    }
}

/// Answers a question with the service in this page (one for every door of the page).
#[cfg(feature = "service")]
async fn in_page(question: ToWorker) -> WorkerResult {
    match crate::serve::answer(crate::wake::ConnId(u32::MAX), question).await {
        FromWorker::Reply { body, .. } => Ok(body),
        FromWorker::Failed { message, .. } | FromWorker::Fatal { message } => {
            Err(unreachable(message))
        }
        FromWorker::Hello => Err(unreachable("no answer")),
    }
}

/// What a link has heard from its worker so far.
struct Life {
    /// An answer: the service runs.
    answered: Rc<Cell<bool>>,
    /// The greeting: the worker's script runs (its wasm may still be starting).
    greeted: Rc<Cell<bool>>,
}

/// A question's place among the pending ones, given up if its request is dropped.
struct Waiting {
    pending: Pending,
    id: u32,
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.pending.borrow_mut().remove(&self.id);
    }
}

impl Transport for WorkerTransport {
    async fn request<R: Endpoint>(
        &self,
        login: &LoginInfo,
        request: &R,
    ) -> Result<webim_sdk::Answer<R::Response>, TransportError> {
        let body = values::request(request)?;
        let (identifier, user_sig) = (login.identifier.to_string(), login.user_sig.clone());
        let reply = self
            .ask(move |id| ToWorker::Command {
                id,
                command: R::COMMAND,
                identifier,
                user_sig,
                body,
            })
            .await?;
        values::answer(reply)
    }
}
