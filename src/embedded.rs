//! The embedded backend as the app uses it: the door to the in-browser IM service's worker
//! (`webim-embedded`'s client half; the service is the worker's own download), which kind
//! of worker this tab uses, and the browser's clock and timers for the SDK (`webim-browser`).

pub use webim_browser::BrowserEnv;
pub use webim_embedded::client::{WorkerKind, WorkerTransport};
pub use webim_embedded::now;

/// Where a person (or a test) may ask for one kind of worker: `"dedicated"` or `"shared"`.
pub const WORKER_CHOICE: &str = "webim.worker";

/// The kind of worker this tab runs the service in: as chosen under [`WORKER_CHOICE`], else
/// a SharedWorker where the browser has one. (Built with the `in-page-service` feature, as
/// the component tests are, the service runs in the page: they have no worker to load.)
pub fn worker_kind() -> WorkerKind {
    #[cfg(feature = "in-page-service")]
    return WorkerKind::InPage;
    #[cfg(not(feature = "in-page-service"))]
    chosen_worker_kind()
}

#[cfg(not(feature = "in-page-service"))]
fn chosen_worker_kind() -> WorkerKind {
    use gloo::storage::{LocalStorage, Storage};
    let chosen = LocalStorage::raw().get_item(WORKER_CHOICE).ok().flatten();
    match chosen.as_deref() {
        Some("dedicated") => WorkerKind::Dedicated,
        Some("shared") => WorkerKind::Shared,
        _ => WorkerKind::best_available(),
    }
}
