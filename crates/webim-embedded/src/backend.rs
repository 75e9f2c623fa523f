//! The embedded service: webim-service over the origin's IndexedDB, with long polls that
//! wait for a write concerning their account (here or in another copy of the service).
//! It runs in a worker (see `serve`); tests run it in the page, through [`LocalTransport`].

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use futures::future::{Either, select};
use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::{JsCast, JsValue};
use webim_proto::{AccountId, Command, Endpoint, ErrorCode, Status};
use webim_sdk::{Answer, LoginInfo, Transport, TransportError};
use webim_service::store::Mirrored;
use webim_service::{Codec, PollWait, Service, Waited};

use crate::files::WorkerFiles;
use crate::idb::IdbStore;
use crate::js_codec::JsCodec;
use crate::wake::{ConnId, OriginWakeups};
use crate::{DB_NAME, WAKE_CHANNEL, now};
use webim_js_values as values;

/// The longest a long poll waits here, whatever the client asks (seconds).
const MAX_POLL_SECS: u32 = 60;

/// The most text (keys and values) the copy of the database in memory may hold; a larger
/// database is read from IndexedDB (about 20,000 messages).
const COPY_LIMIT_BYTES: usize = 32 << 20;

/// Where a backend's read-only transactions read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    /// From IndexedDB: this backend may not be the database's only writer (a dedicated
    /// worker, one per tab).
    Database,
    /// From a copy in memory, kept while this backend is the only writer (the
    /// SharedWorker) and the copy within its bound; any other writer heard of ends it.
    Copy,
}

/// The service, over the origin's database.
#[derive(Debug)]
pub struct WorkerBackend {
    service: Service<Mirrored<IdbStore>, WorkerFiles>,
    store: Mirrored<IdbStore>,
    wake: OriginWakeups,
}

impl WorkerBackend {
    /// Opens the origin's database (creating it and the first-run data the first time),
    /// reading from a copy in memory when this is the origin's one SharedWorker.
    pub async fn open() -> Result<Rc<Self>, TransportError> {
        let shared = JsCast::has_type::<web_sys::SharedWorkerGlobalScope>(&js_sys::global());
        let reads = if shared { Reads::Copy } else { Reads::Database };
        Self::open_named(DB_NAME, WAKE_CHANNEL, reads).await
    }

    /// Opens a backend on a database and wake-up channel of its own (for tests).
    pub async fn open_named(
        db: &str,
        channel: &str,
        reads: Reads,
    ) -> Result<Rc<Self>, TransportError> {
        let unreachable = |e: webim_service::store::StoreError| {
            TransportError::Unreachable(e.message().to_owned())
        };
        let idb = IdbStore::open(db).await.map_err(unreachable)?;
        let files = WorkerFiles::new(idb.blobs());
        let store = Mirrored::new(idb);
        let service = Service::new(store.clone()).with_files(files);
        service.ensure_seeded(now()).await.map_err(unreachable)?;
        if reads == Reads::Copy {
            // Before the first command: nothing of this backend writes meanwhile.
            store.load(COPY_LIMIT_BYTES).await.map_err(unreachable)?;
        }
        let other_writer = store.clone();
        Ok(Rc::new(Self {
            service,
            store,
            wake: OriginWakeups::new(channel, move || other_writer.forget()),
        }))
    }

    /// Where read-only transactions read now ([`Reads::Copy`] ends for good when the copy
    /// outgrows its bound or another writer is heard of).
    pub fn reads(&self) -> Reads {
        if self.store.is_mirrored() {
            Reads::Copy
        } else {
            Reads::Database
        }
    }

    /// Carries out one command that came over connection `conn`; a long poll waits here
    /// until something concerns the caller or its timeout passes.
    /// The request and the answer are plain JS objects (see `values`).
    pub async fn request(
        &self,
        conn: ConnId,
        command: Command,
        login: &LoginInfo,
        body: &JsValue,
    ) -> JsValue {
        if command == Command::LongPolling {
            return self.long_poll(conn, login, body).await;
        }
        let handled = self.handle(conn, command, login, body).await;
        // Only a long poll may have nothing to say; anything else says the service failed.
        handled.unwrap_or_else(|| {
            JsCodec.encode_status(&Status::fail(
                ErrorCode::ServiceError,
                format!("{} gave no answer", command.path()),
            ))
        })
    }

    async fn handle(
        &self,
        conn: ConnId,
        command: Command,
        login: &LoginInfo,
        body: &JsValue,
    ) -> Option<JsValue> {
        let handled = self
            .service
            .handle_with(
                &JsCodec,
                login.identifier.as_str(),
                &login.user_sig,
                command,
                body,
                now(),
            )
            .await;
        if !handled.wake.is_empty() {
            // The caller's own client already holds what it sent or read.
            let own = matches!(command, Command::SendMsg | Command::MsgReaded);
            let sender = own.then_some((&login.identifier, conn));
            self.wake.wake(&handled.wake, sender);
        }
        handled.reply
    }

    /// Holds a long poll (the service's loop) until something concerns the caller or its
    /// timeout passes.
    async fn long_poll(&self, conn: ConnId, login: &LoginInfo, body: &JsValue) -> JsValue {
        let reply_of =
            |handled: webim_service::Handled<JsValue>| handled.reply.unwrap_or(JsValue::UNDEFINED);
        let identifier = login.identifier.as_str();
        let caller =
            match Service::<Mirrored<IdbStore>>::page_caller(&JsCodec, identifier, &login.user_sig)
            {
                Ok(caller) => caller,
                Err(handled) => return reply_of(handled),
            };
        let mut wait = HeldPoll {
            backend: self,
            account: &login.identifier,
            conn,
            deadline: None,
        };
        let handled = self
            .service
            .long_poll(&JsCodec, &caller, body, now, &mut wait)
            .await;
        reply_of(handled)
    }

    /// Imports `count` messages from `from` to `to` in one transaction (for demos and
    /// benchmarks: a long conversation without sending it message by message).
    pub async fn import(
        &self,
        from: &AccountId,
        to: &AccountId,
        count: u32,
    ) -> Result<(), TransportError> {
        let texts: Vec<String> = (1..=count).map(|i| format!("h{i}")).collect();
        let woken = self
            .service
            .import_messages(from, to, &texts, now())
            .await
            .map_err(|e| TransportError::Unreachable(format!("{e:?}")))?;
        self.wake.wake(&woken, None);
        Ok(())
    }

    /// The bytes and media type of `variant` of the attachment `uuid`, for `reader` (the
    /// page's account): refused unless `reader` sent or received it.
    pub async fn download(
        &self,
        reader: &AccountId,
        uuid: &webim_service::blob::BlobId,
        variant: webim_service::blob::Variant,
    ) -> Result<(String, Vec<u8>), String> {
        use webim_service::blob::{BlobStore, Files};
        let found = self
            .service
            .download(reader, uuid, variant)
            .await
            .map_err(|e| format!("{e:?}"))?;
        let bytes = self
            .service
            .files()
            .blobs()
            .read(&found.blob, 0..found.size)
            .await
            .map_err(|e| e.message().to_owned())?
            .ok_or_else(|| "this picture or file is no longer kept".to_owned())?;
        Ok((found.mime, bytes))
    }

    /// Resets the demo data to the first run, for every tab.
    pub async fn reset(&self) -> Result<(), TransportError> {
        let everyone = self
            .service
            .reset(now())
            .await
            .map_err(|e| TransportError::Unreachable(e.message().to_owned()))?;
        self.wake.wake(&everyone, None);
        Ok(())
    }
}

/// How a long poll waits here: for a wake-up of its account (from this worker's writes or,
/// through the BroadcastChannel, another copy's) or its deadline.
struct HeldPoll<'a> {
    backend: &'a WorkerBackend,
    account: &'a AccountId,
    conn: ConnId,
    deadline: Option<f64>,
}

impl<'a> PollWait for HeldPoll<'a> {
    type Armed = Pin<Box<dyn Future<Output = Waited> + 'a>>;

    fn arm(&mut self, timeout: u32) -> Self::Armed {
        let deadline = *self.deadline.get_or_insert_with(|| {
            js_sys::Date::now() + f64::from(timeout.clamp(1, MAX_POLL_SECS)) * 1000.0
        });
        // Registered now, before the look, so a wake-up between the two is not lost.
        let woken = self.backend.wake.register(self.account, self.conn);
        Box::pin(async move {
            let left = deadline - js_sys::Date::now();
            if left <= 0.0 {
                return Waited::Over;
            }
            match select(woken, TimeoutFuture::new(left.ceil() as u32)).await {
                Either::Left(_) => Waited::Woken,
                Either::Right(_) => Waited::Over,
            }
        })
    }
}

/// The SDK's transport straight to a service in the same global scope, as connection
/// `conn` (tests: two of them on one backend are two tabs of one shared worker).
#[derive(Debug, Clone)]
pub struct LocalTransport {
    /// The service.
    pub backend: Rc<WorkerBackend>,
    /// Which connection this transport is.
    pub conn: ConnId,
}

impl Transport for LocalTransport {
    /// The request and answer cross as the worker's would, as plain JS objects.
    async fn request<R: Endpoint>(
        &self,
        login: &LoginInfo,
        request: &R,
    ) -> Result<Answer<R::Response>, TransportError> {
        let body = values::request(request)?;
        let reply = self
            .backend
            .request(self.conn, R::COMMAND, login, &body)
            .await;
        values::answer(reply)
    }
}
