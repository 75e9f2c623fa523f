//! IndexedDB as the service's [`Store`]: one object store per table, string keys, JSON
//! string values, one IndexedDB transaction per service transaction.
//!
//! Why it works: a request's result wakes the waiting Rust task, which wasm-bindgen-futures
//! runs in a microtask, still inside the success event, while the transaction is active.
//! So the service may await its own requests freely. It must await nothing else inside a
//! transaction: the transaction would commit itself meanwhile.

use std::cell::RefCell;
use std::future::Future;
use std::ops::Bound;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures::StreamExt;
use futures_channel::{mpsc, oneshot};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Event, IdbCursorDirection, IdbCursorWithValue, IdbDatabase, IdbKeyRange, IdbObjectStore,
    IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode,
};
use webim_service::store::{Direction, KeyRange, Mode, Store, StoreError, Table, Tx};

/// 2: the blob stores (`idb_blobs`: `blob_data`, `blob_chunks`) beside the tables.
/// 3: the `uploads` and `attachments` tables. An upgrade creates whatever is missing.
const VERSION: u32 = 3;

pub(crate) fn js_error(what: &str, e: &JsValue) -> StoreError {
    let detail = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"));
    StoreError::new(format!("{what}: {detail}"))
}

/// Waits for one request's `success` (its result) or `error` event.
pub(crate) struct Request {
    rx: oneshot::Receiver<Result<JsValue, StoreError>>,
    req: IdbRequest,
    _on_success: Closure<dyn FnMut(Event)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl Request {
    pub(crate) fn new(req: IdbRequest, what: &'static str) -> Self {
        let (tx, rx) = oneshot::channel();
        let tx = Rc::new(RefCell::new(Some(tx)));
        let (ok_tx, ok_req) = (Rc::clone(&tx), req.clone());
        let on_success = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            if let Some(tx) = ok_tx.borrow_mut().take() {
                let _ = tx.send(ok_req.result().map_err(|e| js_error(what, &e)));
            }
        });
        let err_req = req.clone();
        let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            let why = match err_req.error() {
                Ok(Some(e)) => format!("{what}: {}", e.message()),
                _ => format!("{what}: failed"),
            };
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(Err(StoreError::new(why)));
            }
        });
        req.set_onsuccess(Some(on_success.as_ref().unchecked_ref()));
        req.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Self {
            rx,
            req,
            _on_success: on_success,
            _on_error: on_error,
        }
    }
}

impl Future for Request {
    type Output = Result<JsValue, StoreError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.rx)
            .poll(cx)
            .map(|r| r.unwrap_or_else(|_| Err(StoreError::new("request abandoned".to_owned()))))
    }
}

impl Drop for Request {
    fn drop(&mut self) {
        self.req.set_onsuccess(None);
        self.req.set_onerror(None);
    }
}

/// The origin's database.
#[derive(Debug, Clone)]
pub struct IdbStore {
    db: IdbDatabase,
}

/// The IndexedDB of this global scope: a page's window or a worker's (the service runs in
/// a worker; the tests open it from a page).
fn factory() -> Option<web_sys::IdbFactory> {
    js_sys::Reflect::get(&js_sys::global(), &"indexedDB".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
}

impl IdbStore {
    /// Opens (or creates) the database `name` with every table.
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        let factory = factory()
            .ok_or_else(|| StoreError::new("this browser offers no IndexedDB here".to_owned()))?;
        let open: IdbOpenDbRequest = factory
            .open_with_u32(name, VERSION)
            .map_err(|e| js_error("open", &e))?;
        let upgrading = open.clone();
        let on_upgrade = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            let Ok(db) = upgrading
                .result()
                .map(|r| r.unchecked_into::<IdbDatabase>())
            else {
                return;
            };
            let existing = db.object_store_names();
            let names = Table::ALL.iter().map(|t| t.name());
            for name in names.chain(crate::idb_blobs::STORES) {
                if !existing.contains(name) {
                    // A failure here fails the open request, which `open` reports.
                    let _ = db.create_object_store(name);
                }
            }
        });
        open.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
        let result = Request::new(open.clone().unchecked_into(), "open").await;
        open.set_onupgradeneeded(None);
        let db: IdbDatabase = result?.unchecked_into();
        // Another tab with a newer version asks us to step aside: close, it reopens.
        let closing = db.clone();
        let on_version = Closure::<dyn FnMut(Event)>::new(move |_: Event| closing.close());
        db.set_onversionchange(Some(on_version.as_ref().unchecked_ref()));
        on_version.forget();
        Ok(Self { db })
    }

    /// Deletes the database `name` (tests use one database each).
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        let factory = factory().ok_or_else(|| StoreError::new("no IndexedDB".to_owned()))?;
        let req = factory
            .delete_database(name)
            .map_err(|e| js_error("delete", &e))?;
        Request::new(req.unchecked_into(), "delete")
            .await
            .map(|_| ())
    }

    /// Closes this connection.
    pub fn close(&self) {
        self.db.close();
    }

    /// The blobs kept in this database.
    pub fn blobs(&self) -> crate::idb_blobs::IdbBlobs {
        crate::idb_blobs::IdbBlobs::new(self.clone())
    }

    /// A transaction over the object stores `names`.
    pub(crate) fn transaction(&self, names: &[&str], mode: Mode) -> Result<IdbTx, StoreError> {
        let list = js_sys::Array::new();
        for name in names {
            list.push(&JsValue::from_str(name));
        }
        let idb_mode = match mode {
            Mode::ReadOnly => IdbTransactionMode::Readonly,
            Mode::ReadWrite => IdbTransactionMode::Readwrite,
        };
        let tx = self
            .db
            .transaction_with_str_sequence_and_mode(&list, idb_mode)
            .map_err(|e| js_error("transaction", &e))?;
        Ok(IdbTx::watch(tx))
    }
}

/// How a transaction ended, recorded by its own events.
#[derive(Default)]
struct Ending {
    outcome: Option<Result<(), StoreError>>,
    waker: Option<Waker>,
}

/// One IndexedDB transaction over every table.
pub struct IdbTx {
    tx: IdbTransaction,
    ending: Rc<RefCell<Ending>>,
    committed: bool,
    _handlers: [Closure<dyn FnMut(Event)>; 3],
}

impl std::fmt::Debug for IdbTx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdbTx")
            .field("committed", &self.committed)
            .finish_non_exhaustive()
    }
}

impl Store for IdbStore {
    type Tx = IdbTx;

    async fn begin(&self, mode: Mode) -> Result<IdbTx, StoreError> {
        let names: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
        self.transaction(&names, mode)
    }
}

impl IdbTx {
    /// `tx`, with its ending recorded by its own events.
    fn watch(tx: IdbTransaction) -> Self {
        let ending: Rc<RefCell<Ending>> = Rc::default();
        let handler = |outcome: fn(&IdbTransaction) -> Result<(), StoreError>| {
            let (ending, tx) = (Rc::clone(&ending), tx.clone());
            Closure::<dyn FnMut(Event)>::new(move |_: Event| {
                let mut ending = ending.borrow_mut();
                if ending.outcome.is_none() {
                    ending.outcome = Some(outcome(&tx));
                }
                if let Some(waker) = ending.waker.take() {
                    waker.wake();
                }
            })
        };
        let failed = |tx: &IdbTransaction| {
            let why = tx
                .error()
                .map_or_else(|| "aborted".to_owned(), |e| e.message());
            Err(StoreError::new(format!("transaction: {why}")))
        };
        let on_complete = handler(|_| Ok(()));
        let on_error = handler(failed);
        let on_abort = handler(failed);
        tx.set_oncomplete(Some(on_complete.as_ref().unchecked_ref()));
        tx.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        tx.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
        IdbTx {
            tx,
            ending,
            committed: false,
            _handlers: [on_complete, on_error, on_abort],
        }
    }

    fn store(&self, table: Table) -> Result<IdbObjectStore, StoreError> {
        self.object_store(table.name())
    }

    /// The object store `name` of this transaction.
    pub(crate) fn object_store(&self, name: &str) -> Result<IdbObjectStore, StoreError> {
        self.tx.object_store(name).map_err(|e| js_error(name, &e))
    }
}

/// The IndexedDB form of a key range; `Ok(None)` for "every key", `Err(())` for a range
/// that holds no key at all (IndexedDB refuses to build one whose ends cross).
fn idb_range(range: &KeyRange) -> Result<Option<IdbKeyRange>, Option<StoreError>> {
    let end = |b: &Bound<String>| match b {
        Bound::Included(k) => Some((JsValue::from_str(k), false)),
        Bound::Excluded(k) => Some((JsValue::from_str(k), true)),
        Bound::Unbounded => None,
    };
    let built = match (end(&range.start), end(&range.end)) {
        (None, None) => return Ok(None),
        (Some((lo, open)), None) => IdbKeyRange::lower_bound_with_open(&lo, open),
        (None, Some((hi, open))) => IdbKeyRange::upper_bound_with_open(&hi, open),
        (Some((lo, lo_open)), Some((hi, hi_open))) => {
            let (l, h) = (
                lo.as_string().unwrap_or_default(),
                hi.as_string().unwrap_or_default(),
            );
            if l > h || (l == h && (lo_open || hi_open)) {
                return Err(None);
            }
            IdbKeyRange::bound_with_lower_open_and_upper_open(&lo, &hi, lo_open, hi_open)
        }
    };
    built.map(Some).map_err(|e| Some(js_error("key range", &e)))
}

fn limit_of(limit: usize) -> Option<u32> {
    u32::try_from(limit).ok().filter(|l| *l < u32::MAX)
}

impl Tx for IdbTx {
    async fn get(&self, table: Table, key: &str) -> Result<Option<String>, StoreError> {
        let req = self
            .store(table)?
            .get(&JsValue::from_str(key))
            .map_err(|e| js_error("get", &e))?;
        Ok(Request::new(req, "get").await?.as_string())
    }

    // Writes are placed, not awaited: IndexedDB runs a transaction's requests in order (so
    // a later read sees them), and a failed write aborts the transaction, which `commit`
    // then reports. Not waiting for each write saves a round trip per write.
    async fn put(&self, table: Table, key: &str, value: &str) -> Result<(), StoreError> {
        let store = self.store(table)?;
        store
            .put_with_key(&JsValue::from_str(value), &JsValue::from_str(key))
            .map(drop)
            .map_err(|e| js_error("put", &e))
    }

    async fn delete(&self, table: Table, key: &str) -> Result<(), StoreError> {
        let store = self.store(table)?;
        store
            .delete(&JsValue::from_str(key))
            .map(drop)
            .map_err(|e| js_error("delete", &e))
    }

    async fn clear(&self, table: Table) -> Result<(), StoreError> {
        self.store(table)?
            .clear()
            .map(drop)
            .map_err(|e| js_error("clear", &e))
    }

    async fn scan(
        &self,
        table: Table,
        range: &KeyRange,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let store = self.store(table)?;
        let range = match idb_range(range) {
            Ok(range) => range.map(JsValue::from).unwrap_or(JsValue::UNDEFINED),
            Err(None) => return Ok(Vec::new()),
            Err(Some(e)) => return Err(e),
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        match direction {
            Direction::Forward => {
                // Both requests are placed before either is awaited: the transaction
                // stays busy, and both read the same state.
                let (keys, values) = match limit_of(limit) {
                    Some(n) => (
                        store.get_all_keys_with_key_and_limit(&range, n),
                        store.get_all_with_key_and_limit(&range, n),
                    ),
                    None => (
                        store.get_all_keys_with_key(&range),
                        store.get_all_with_key(&range),
                    ),
                };
                let keys = Request::new(keys.map_err(|e| js_error("scan", &e))?, "scan keys");
                let values = Request::new(values.map_err(|e| js_error("scan", &e))?, "scan values");
                let keys: js_sys::Array = keys.await?.unchecked_into();
                let values: js_sys::Array = values.await?.unchecked_into();
                Ok(keys
                    .iter()
                    .zip(values.iter())
                    .filter_map(|(k, v)| Some((k.as_string()?, v.as_string()?)))
                    .collect())
            }
            Direction::Reverse => self.scan_back(&store, &range, limit).await,
        }
    }

    async fn commit(mut self) -> Result<(), StoreError> {
        self.committed = true;
        // Already committing on its own is fine: then the call throws, and we just wait.
        // (web-sys marks `commit` deprecated; it is standard IndexedDB 3.0, in every current
        // browser, and only saves the wait for the automatic commit.)
        #[allow(deprecated)]
        let _ = self.tx.commit();
        Ending::wait(Rc::clone(&self.ending)).await
    }
}

impl IdbTx {
    /// A descending scan: a cursor walking back, one success event per entry.
    async fn scan_back(
        &self,
        store: &IdbObjectStore,
        range: &JsValue,
        limit: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let req = store
            .open_cursor_with_range_and_direction(range, IdbCursorDirection::Prev)
            .map_err(|e| js_error("cursor", &e))?;
        let (tx, mut rx) = mpsc::unbounded::<Result<Option<IdbCursorWithValue>, StoreError>>();
        let (ok_tx, ok_req) = (tx.clone(), req.clone());
        let on_success = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            let step = ok_req
                .result()
                .map(|r| r.dyn_into::<IdbCursorWithValue>().ok());
            let _ = ok_tx.unbounded_send(step.map_err(|e| js_error("cursor", &e)));
        });
        let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            let _ = tx.unbounded_send(Err(StoreError::new("cursor failed".to_owned())));
        });
        req.set_onsuccess(Some(on_success.as_ref().unchecked_ref()));
        req.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let mut out = Vec::new();
        let result = loop {
            match rx.next().await {
                Some(Ok(Some(cursor))) => {
                    let key = cursor.key().ok().and_then(|k| k.as_string());
                    let value = cursor.value().ok().and_then(|v| v.as_string());
                    if let (Some(k), Some(v)) = (key, value) {
                        out.push((k, v));
                    }
                    if out.len() >= limit {
                        break Ok(out);
                    }
                    if let Err(e) = cursor.continue_() {
                        break Err(js_error("cursor", &e));
                    }
                }
                Some(Ok(None)) => break Ok(out),
                Some(Err(e)) => break Err(e),
                None => break Err(StoreError::new("cursor abandoned".to_owned())),
            }
        };
        req.set_onsuccess(None);
        req.set_onerror(None);
        result
    }
}

impl Ending {
    fn wait(ending: Rc<RefCell<Ending>>) -> impl Future<Output = Result<(), StoreError>> {
        std::future::poll_fn(move |cx| {
            let mut ending = ending.borrow_mut();
            match ending.outcome.take() {
                Some(outcome) => Poll::Ready(outcome),
                None => {
                    ending.waker = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
    }
}

impl Drop for IdbTx {
    fn drop(&mut self) {
        // Its handlers go with it: the `abort` (or late `complete`) event must not call
        // them once they are freed.
        self.tx.set_oncomplete(None);
        self.tx.set_onerror(None);
        self.tx.set_onabort(None);
        if !self.committed {
            // Dropped without commit: nothing of it may land. (A read-only or already
            // finished transaction throws here, harmlessly.)
            let _ = self.tx.abort();
        }
    }
}
