//! The server's state: everything a request may need (the store, the service with its
//! wake-ups, the signing key, the login guard, the connection door, the settings), brought
//! up by [`open`] from the command line's settings.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use webim_proto::login::ServerConfig;

use crate::accept::Door;
use crate::backend::{Cluster, PollCaps, ServerBackend, now};
use crate::blobs::FileBlobs;
use crate::credentials::LoginGuard;
use crate::error::ServerError;
use crate::files::{ServerBlobs, ServerFiles};
use crate::hints::Hints;
use crate::limits::Limits;
use crate::metrics::Metrics;
use crate::store::ServerStore;
use crate::upload_gate::UploadGate;
use crate::usersig::{SigClaims, SigError, SigKey};
use crate::wake::ProcessWakeups;

/// Everything a request may need; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    store: ServerStore,
    backend: ServerBackend,
    key: SigKey,
    login: LoginGuard,
    door: Arc<Door>,
    settings: Settings,
    uploads: Arc<UploadGate>,
    shutdown: watch::Sender<bool>,
}

/// How the server behaves (from the command line).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Demo mode: the five test accounts log in with one click.
    pub demo: bool,
    /// Longest a long poll is held.
    pub poll_timeout: Duration,
    /// Largest request body.
    pub body_limit: usize,
    /// How long a login's userSig stays valid.
    pub sig_expire: Duration,
    /// The longest validity a presented userSig may claim.
    pub sig_max_expire: Duration,
    /// The app's build, if served.
    pub dist: Option<PathBuf>,
    /// The NATS server that carries wake-up hints between processes, if any.
    pub nats: Option<String>,
    /// How often a held long poll looks at a shared database on its own (the bound on a
    /// delivery delayed by a lost hint).
    pub recheck: Duration,
    /// The proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<crate::proxy::Network>,
    /// Other sites whose pages may call this server.
    pub allowed_origins: Vec<crate::origin::WebOrigin>,
    /// The bounds against one person sending too much.
    pub limits: Limits,
    /// Whether `/metrics` is on the main router (else on its own address, or nowhere).
    pub metrics_here: bool,
    /// Where people open the app (`--public-url`), if said.
    pub public_origin: Option<crate::origin::WebOrigin>,
    /// Where pictures and files are kept on SQLite (on PostgreSQL, in the database).
    pub blob_dir: Option<PathBuf>,
}

impl AppState {
    /// The database.
    pub fn store(&self) -> &ServerStore {
        &self.0.store
    }

    /// The service and its wake-ups.
    pub fn backend(&self) -> &ServerBackend {
        &self.0.backend
    }

    /// The userSig key.
    pub fn sig_key(&self) -> &SigKey {
        &self.0.key
    }

    /// The login throttles.
    pub fn login_guard(&self) -> &LoginGuard {
        &self.0.login
    }

    /// True in demo mode.
    pub fn demo(&self) -> bool {
        self.0.settings.demo
    }

    /// Largest request body.
    pub fn body_limit(&self) -> usize {
        self.0.settings.body_limit
    }

    /// Largest body of an upload's slice: the largest slice in base64, with room for the
    /// rest of its JSON.
    pub fn upload_body_limit(&self) -> usize {
        let slice = self.0.settings.limits.uploads.max_slice_base64();
        usize::try_from(slice)
            .unwrap_or(usize::MAX)
            .saturating_add(self.body_limit())
    }

    /// The gate an upload's slice passes before its body is read.
    pub fn upload_gate(&self) -> &Arc<UploadGate> {
        &self.0.uploads
    }

    /// The bounds against one person sending too much.
    pub fn limits(&self) -> &Limits {
        &self.0.settings.limits
    }

    /// The proxies whose `X-Forwarded-For` names the client.
    pub fn trusted_proxies(&self) -> &[crate::proxy::Network] {
        &self.0.settings.trusted_proxies
    }

    /// How long a login's userSig stays valid.
    pub fn sig_expire(&self) -> Duration {
        self.0.settings.sig_expire
    }

    /// Checks `sig` as `identifier`'s for app `sdk_app_id` now: its signature, its times
    /// and the server's limit on its lifetime.
    pub fn check_sig(
        &self,
        sig: &str,
        identifier: &str,
        sdk_app_id: u64,
    ) -> Result<SigClaims, SigError> {
        let now = now().0;
        let claims = self.0.key.verify(sig, identifier, sdk_app_id, now)?;
        let max = self.0.settings.sig_max_expire.as_secs();
        crate::usersig::check_lifetime(&claims, now, max)?;
        Ok(claims)
    }

    /// What the page is told about this server.
    pub fn server_config(&self) -> ServerConfig {
        ServerConfig {
            sdk_app_id: self.0.key.sdk_app_id(),
            demo: self.0.settings.demo,
        }
    }

    /// What the server was started with.
    pub fn settings(&self) -> &Settings {
        &self.0.settings
    }

    /// The connection door (its caps and tallies).
    pub fn door(&self) -> &Arc<Door> {
        &self.0.door
    }

    /// True once a shutdown has begun.
    pub fn shutting_down(&self) -> bool {
        *self.0.shutdown.borrow()
    }

    /// Answers every held long poll and stops holding new ones (before a shutdown, so
    /// clients move on at once).
    pub fn begin_shutdown(&self) {
        let _ = self.0.shutdown.send(true);
    }
}

/// Brings up the state: the store (migrated, first-run data in), the key, the throttles.
pub async fn open(
    store: impl Into<ServerStore>,
    key: SigKey,
    settings: Settings,
) -> Result<AppState, ServerError> {
    let store: ServerStore = store.into();
    let (shutdown, shutdown_rx) = watch::channel(false);
    let wakeups = Arc::new(ProcessWakeups::default());
    let metrics = Arc::new(Metrics::default());
    let hints = match &settings.nats {
        Some(url) => Some(
            Hints::connect(url, Arc::clone(&wakeups), Arc::clone(&metrics))
                .await
                .map_err(|e| ServerError::Config(format!("--nats {url}: {e}")))?,
        ),
        None => None,
    };
    let cluster = Cluster {
        hints,
        recheck: store.is_shared().then_some(settings.recheck),
    };
    let blobs = match (&store, &settings.blob_dir) {
        (ServerStore::Postgres(pg), _) => ServerBlobs::Postgres(pg.blobs()),
        (ServerStore::Sqlite(_), Some(dir)) => ServerBlobs::Files(FileBlobs::open(dir)?),
        (ServerStore::Sqlite(_), None) => {
            return Err(ServerError::Config(
                "on SQLite, pictures and files need a directory (Settings::blob_dir)".to_owned(),
            ));
        }
    };
    let files = ServerFiles::new(
        blobs,
        key.clone(),
        settings.limits.uploads,
        settings.limits.picture_workers,
    );
    if let Some(origin) = &settings.public_origin {
        files.set_base(origin.as_str());
    }
    let door = Door::new(
        settings.limits.clone(),
        settings.trusted_proxies.clone(),
        Arc::clone(&metrics),
    );
    let backend = ServerBackend::new(
        store.clone(),
        files,
        settings.poll_timeout,
        shutdown_rx,
        cluster,
        wakeups,
        metrics,
        PollCaps {
            per_account: settings.limits.polls_per_account,
            per_address: settings.limits.polls_per_address,
        },
    );
    // Processes starting together race to put the first-run data in; the losers find it.
    let mut tries = 0;
    loop {
        match backend.service().ensure_seeded(now()).await {
            Err(e) if e.is_conflict() && tries < 20 => tries += 1,
            other => break other?,
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let hashes = settings.limits.login_hashes;
    let login = tokio::task::spawn_blocking(move || LoginGuard::new(hashes))
        .await
        .map_err(|e| ServerError::Config(e.to_string()))??;
    let uploads = UploadGate::new(
        settings.limits.upload_bodies,
        settings.limits.upload_bodies_per_account,
        settings.limits.upload_wait,
    );
    Ok(AppState(Arc::new(Inner {
        store,
        backend,
        key,
        login,
        door,
        settings,
        uploads,
        shutdown,
    })))
}
