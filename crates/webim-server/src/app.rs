//! The server's state and router. [`open`] brings up the data (database, first-run data,
//! signing key) from the command line's settings; [`app`] builds the router over it, so
//! tests start exactly the router the binary serves, on a loopback port.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::{any, get, post};
use tokio::sync::watch;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel, predicate::SizeAbove};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use webim_proto::login::ServerConfig;

use crate::accept::Door;
use crate::backend::{Backend, Cluster, PollCaps, now};
use crate::config::DataArgs;
use crate::credentials::LoginGuard;
use crate::error::ServerError;
use crate::hints::Hints;
use crate::limits::Limits;
use crate::metrics::Metrics;
use crate::routes::{self, login, protocol, web};
use crate::store::{PgStore, ServerStore, SqliteStore};
use crate::usersig::SigKey;
use crate::wake::Wakeups;

/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "webim.sqlite3";
/// The generated signing key's file inside the data directory.
pub const SECRET_KEY_FILE: &str = "secret-key";

/// Everything a request may need; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    store: ServerStore,
    backend: Backend,
    key: SigKey,
    login: LoginGuard,
    door: Arc<Door>,
    settings: Settings,
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
}

impl AppState {
    /// The database.
    pub fn store(&self) -> &ServerStore {
        &self.0.store
    }

    /// The service and its wake-ups.
    pub fn backend(&self) -> &Backend {
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
    ) -> Result<crate::usersig::SigClaims, crate::usersig::SigError> {
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

    /// Answers every held long poll and stops holding new ones (before a shutdown, so
    /// clients move on at once).
    pub fn begin_shutdown(&self) {
        let _ = self.0.shutdown.send(true);
    }
}

/// Opens the store named by `data`: `--database-url` if given, else the SQLite file in the
/// data directory (created with the directory).
pub async fn open_store(data: &DataArgs) -> Result<ServerStore, ServerError> {
    match &data.database_url {
        Some(url) if url.starts_with("sqlite:") => Ok(SqliteStore::open_url(url).await?.into()),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(PgStore::open(url).await?.into())
        }
        Some(url) => Err(ServerError::Config(format!(
            "--database-url {}: give a sqlite: or postgres:// URL",
            url.split(':').next().unwrap_or_default()
        ))),
        None => {
            crate::private::dir(&data.data)?;
            let file = data.data.join(DATABASE_FILE);
            for name in [DATABASE_FILE, "webim.sqlite3-wal", "webim.sqlite3-shm"] {
                let path = data.data.join(name);
                if name == DATABASE_FILE || path.exists() {
                    crate::private::file(&path)?;
                }
            }
            Ok(SqliteStore::open(&file).await?.into())
        }
    }
}

/// The signing key: `--secret-key`; else, on PostgreSQL, the one in the database (the
/// first process to start generates it, every other reads it); else `DATA/secret-key`,
/// generated on first use.
pub async fn sig_key(data: &DataArgs, store: Option<&ServerStore>) -> Result<SigKey, ServerError> {
    if let Some(key) = &data.secret_key {
        if key.is_empty() {
            return Err(ServerError::Config("--secret-key is empty".to_owned()));
        }
        return Ok(SigKey::new(data.sdkappid, key.clone()));
    }
    if let Some(ServerStore::Postgres(pg)) = store {
        let key = pg.shared_secret(&random_key()?).await?;
        return Ok(SigKey::new(data.sdkappid, key));
    }
    local_sig_key(data)
}

/// The signing key of a data directory: `DATA/secret-key`, generated on first use.
fn local_sig_key(data: &DataArgs) -> Result<SigKey, ServerError> {
    let path = data.data.join(SECRET_KEY_FILE);
    let key = match std::fs::read_to_string(&path) {
        Ok(_) if crate::private::open_to_others(&path)? != 0 => {
            return Err(ServerError::Config(format!(
                "{} can be read by other users of this machine, so the key in it may be \
                 known: delete it to have a new key generated (every userSig signed with the \
                 old one stops working), or, if no one else could have read it, \
                 `chmod 600` it",
                path.display()
            )));
        }
        Ok(text) if !text.trim().is_empty() => text.trim().to_owned(),
        Ok(_) => return Err(ServerError::Config(format!("{} is empty", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => new_secret(&path)?,
        Err(e) => return Err(ServerError::io(&path, e)),
    };
    Ok(SigKey::new(data.sdkappid, key))
}

/// 32 random bytes as 64 hex digits (the shape of a Tencent IM key), written readable by
/// the owner only.
fn new_secret(path: &Path) -> Result<String, ServerError> {
    let key = random_key()?;
    if let Some(dir) = path.parent() {
        crate::private::dir(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| ServerError::io(path, e))?;
    std::io::Write::write_all(&mut file, key.as_bytes()).map_err(|e| ServerError::io(path, e))?;
    tracing::info!(path = %path.display(), "generated a new userSig secret key");
    Ok(key)
}

/// 32 random bytes as 64 hex digits (the shape of a Tencent IM key).
fn random_key() -> Result<String, ServerError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ServerError::Config(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Brings up the state: the store (migrated, first-run data in), the key, the throttles.
pub async fn open(
    store: impl Into<ServerStore>,
    key: SigKey,
    settings: Settings,
) -> Result<AppState, ServerError> {
    let store: ServerStore = store.into();
    let (shutdown, shutdown_rx) = watch::channel(false);
    let wakeups = Arc::new(Wakeups::default());
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
    let door = Door::new(
        settings.limits.clone(),
        settings.trusted_proxies.clone(),
        Arc::clone(&metrics),
    );
    let backend = Backend::new(
        store.clone(),
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
    Ok(AppState(Arc::new(Inner {
        store,
        backend,
        key,
        login,
        door,
        settings,
        shutdown,
    })))
}

/// The router: the protocol, the logins, the configuration, and the app's files, as served
/// on `local`.
pub fn app(state: AppState, local: std::net::SocketAddr) -> Router {
    // Long enough for the longest long poll, short enough that nothing hangs forever.
    let deadline = state.0.settings.poll_timeout + Duration::from_secs(15);
    let settings = &state.0.settings;
    let cors = crate::origin::cors(&settings.allowed_origins);
    let origins = Arc::new(crate::origin::Origins {
        public: settings.public_origin.clone(),
        local,
        allowed: settings.allowed_origins.clone(),
        trusted: settings.trusted_proxies.clone(),
    });
    let files = state
        .0
        .settings
        .dist
        .clone()
        .map(|dist| web::router(dist.clone(), web::page(&dist, &state.server_config())));
    let api = Router::new()
        // Only the protocol's versions: any other three-part path is the app's to route.
        .route("/v3/{service}/{command}", any(protocol::command))
        .route("/v4/{service}/{command}", any(protocol::command))
        .route("/login", post(login::password))
        .route("/demo/login", post(login::demo))
        .route("/webim/config", get(login::config))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz));
    let api = if state.0.settings.metrics_here {
        api.route("/metrics", get(metrics))
    } else {
        api
    };
    let api = api.with_state(state);
    let router = match files {
        Some(files) => api.merge(files),
        None => api.fallback(routes::not_found),
    };
    router
        .layer(cors)
        .layer(axum::middleware::from_fn_with_state(
            origins,
            crate::origin::refuse_foreign,
        ))
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Fastest)
                .compress_when(SizeAbove::new(1024)),
        )
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            deadline,
        ))
        // A bug must not take every connection down with it: that request gets the
        // protocol's service error, the rest go on.
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                tracing::error!("a request panicked");
                let failure = webim_proto::Status::fail(
                    webim_proto::ErrorCode::ServiceError,
                    "the server hit a bug while answering; it has been logged",
                );
                routes::json(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    serde_json::to_string(&failure).unwrap_or_default(),
                )
            },
        ))
        .layer(TraceLayer::new_for_http())
}

/// The router of `--metrics-listen`: `/metrics` alone.
pub fn metrics_app(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .fallback(routes::not_found)
        .with_state(state)
}

/// `GET /metrics`: the Prometheus text format.
async fn metrics(axum::extract::State(state): axum::extract::State<AppState>) -> String {
    state.backend().render_metrics()
}

/// `GET /readyz`: 200 when the database answers and the hint bus (if any) is connected;
/// 503 saying which is not, so a load balancer sends requests elsewhere.
async fn readyz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> (StatusCode, String) {
    let mut problems = Vec::new();
    let ping = tokio::time::timeout(Duration::from_secs(2), state.store().ping()).await;
    match ping {
        Ok(Ok(())) => {}
        Ok(Err(e)) => problems.push(format!("database: {e}")),
        Err(_) => problems.push("database: no answer within 2 s".to_owned()),
    }
    if state.backend().hints().is_some_and(|h| !h.is_connected()) {
        problems.push("nats: not connected".to_owned());
    }
    if *state.0.shutdown.borrow() {
        problems.push("shutting down".to_owned());
    }
    if problems.is_empty() {
        (StatusCode::OK, "ready\n".to_owned())
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, problems.join("\n") + "\n")
    }
}

/// Serves `state`'s router on `listener` until `stop` resolves (within the connection
/// bounds, `accept`); then held long polls are answered at once and open requests drain.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = app(state.clone(), listener.local_addr()?);
    let door = Arc::clone(&state.0.door);
    crate::accept::serve(listener, router, door, stop, move || {
        tracing::info!("shutting down: answering held long polls");
        state.begin_shutdown();
    })
    .await;
    Ok(())
}
