//! The router the binary serves: each area's routes (`routes::protocol`, `routes::login`,
//! `routes::ops`, `routes::web`) merged over one [`AppState`], under the layers every
//! request passes (tracing, a deadline, compression, the origin check, CORS, a panic
//! catcher); and [`serve`], which runs it inside the connection bounds. Tests start exactly
//! this router on a loopback port.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::routes::{self, blob, login, ops, protocol, web};
use crate::state::AppState;

/// The router: the protocol, the logins, the configuration, and the app's files, as served
/// on `local`.
pub fn app(state: AppState, local: std::net::SocketAddr) -> Router {
    let settings = state.settings();
    // Long enough for the longest long poll, short enough that nothing hangs forever.
    let deadline = settings.poll_timeout + Duration::from_secs(15);
    let cors = crate::origin::cors(&settings.allowed_origins);
    let origins = Arc::new(crate::origin::Origins {
        public: settings.public_origin.clone(),
        local,
        allowed: settings.allowed_origins.clone(),
        trusted: settings.trusted_proxies.clone(),
    });
    let files = (settings.dist.clone())
        .map(|dist| web::router(dist.clone(), web::page(&dist, &state.server_config())));
    let api = Router::new()
        .merge(protocol::router())
        .merge(blob::router())
        .merge(login::router())
        .merge(ops::router(settings.metrics_here))
        .with_state(state);
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
                // Pictures are compressed already: only the time would be spent.
                .compress_when(SizeAbove::new(1024).and(NotForContentType::IMAGES)),
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

/// Serves `state`'s router on `listener` until `stop` resolves (within the connection
/// bounds, `accept`); then held long polls are answered at once and open requests drain.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let local = listener.local_addr()?;
    // Without --public-url, a loopback server names itself in download addresses (pages
    // of other origins, such as webim.js 1.7's, show them); beyond loopback they stay
    // relative to the page's origin, which is this server's behind any proxy.
    if local.ip().is_loopback() {
        state
            .backend()
            .service()
            .files()
            .set_base(&format!("http://{local}"));
    }
    let router = app(state.clone(), local);
    let door = Arc::clone(state.door());
    crate::accept::serve(listener, router, door, stop, move || {
        tracing::info!("shutting down: answering held long polls");
        state.begin_shutdown();
    })
    .await;
    Ok(())
}
