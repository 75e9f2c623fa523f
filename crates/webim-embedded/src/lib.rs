//! The embedded backend: the IM service running inside the browser, so `trunk serve` or any
//! static host is a complete chat system (ARCHITECTURE.md, "The embedded backend"). Its
//! data lives in IndexedDB. It runs in a worker: one SharedWorker for every tab of the
//! origin where the browser has them, else a dedicated worker per tab whose writes wake the
//! others through a BroadcastChannel. The page reaches it through
//! [`client::WorkerTransport`]; the app links only that half (the `service` feature is the
//! rest).

pub mod client;
pub mod wire;

#[cfg(feature = "service")]
mod backend;
#[cfg(feature = "service")]
pub mod files;
#[cfg(feature = "service")]
mod idb;
#[cfg(feature = "service")]
mod idb_blobs;
#[cfg(feature = "service")]
mod js_codec;
#[cfg(feature = "service")]
pub mod pictures;
#[cfg(feature = "service")]
pub mod serve;
#[cfg(feature = "service")]
mod wake;

#[cfg(feature = "service")]
pub use backend::{LocalTransport, Reads, WorkerBackend};
#[cfg(feature = "service")]
pub use idb::IdbStore;
#[cfg(feature = "service")]
pub use idb_blobs::IdbBlobs;
#[cfg(feature = "service")]
pub use wake::{ConnId, OriginWakeups};

use webim_proto::Timestamp;

/// The IndexedDB database of the embedded service.
pub const DB_NAME: &str = "webim";
/// The scheme of an in-browser picture's or file's address (`webim-local:{uuid}/{size}`):
/// a page of the origin resolves it by asking the worker for the bytes.
pub const LOCAL_SCHEME: &str = "webim-local:";

/// The BroadcastChannel that carries wake-ups between copies of the service.
pub const WAKE_CHANNEL: &str = "webim-wake";

/// The current time in seconds (the service's clock, and the page's).
pub fn now() -> Timestamp {
    Timestamp((js_sys::Date::now() / 1000.0) as u64)
}
