//! The operator's routes: `/healthz` (the process answers), `/readyz` (the database and the
//! hint bus answer) and `/metrics` (Prometheus), the last on the main router only when
//! `--metrics-listen` does not give it an address of its own.

use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use crate::state::AppState;

/// `/healthz`, `/readyz`, and `/metrics` when `metrics_here`.
pub fn router(metrics_here: bool) -> Router<AppState> {
    let ops = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz));
    if metrics_here {
        ops.route("/metrics", get(metrics))
    } else {
        ops
    }
}

/// The router of `--metrics-listen`: `/metrics` alone.
pub fn metrics_app(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .fallback(super::not_found)
        .with_state(state)
}

/// `GET /metrics`: the Prometheus text format.
async fn metrics(State(state): State<AppState>) -> String {
    state.backend().render_metrics()
}

/// `GET /readyz`: 200 when the database answers and the hint bus (if any) is connected;
/// 503 saying which is not, so a load balancer sends requests elsewhere.
async fn readyz(State(state): State<AppState>) -> (StatusCode, String) {
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
    if state.shutting_down() {
        problems.push("shutting down".to_owned());
    }
    if problems.is_empty() {
        (StatusCode::OK, "ready\n".to_owned())
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, problems.join("\n") + "\n")
    }
}
