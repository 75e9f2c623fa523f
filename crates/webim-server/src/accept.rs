//! The accept loop, where a connection's own bounds are kept: at most `max_connections`
//! open (below the open-file limit, so the server can still open its database), at most
//! `connections_per_address` from one client address (an IPv6 /64; a trusted proxy's are
//! not counted), and a connection that takes longer than `header_timeout` to send a
//! request's headers, or that sits idle that long between requests, is closed. Past a
//! cap a new connection is answered 503 at once and closed; the open ones go on. A held
//! long poll is a request in progress, so no timeout here cuts it.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tower::ServiceExt;

use crate::limits::{Limits, PerAddress, Place};
use crate::metrics::Metrics;
use crate::proxy::Network;

/// How long open requests may take to finish once the server is stopping.
const DRAIN: Duration = Duration::from_secs(20);
/// What a connection past a cap is told before it is closed.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n\
Content-Type: text/plain\r\nContent-Length: 37\r\nConnection: close\r\n\r\n\
too many connections: try again soon\n";

/// The open connections, in all and per client address.
#[derive(Debug)]
pub struct Door {
    limits: Limits,
    trusted: Vec<Network>,
    all: AtomicUsize,
    by_address: Arc<PerAddress>,
    metrics: Arc<Metrics>,
}

/// One admitted connection; its places are given back when it is dropped.
#[derive(Debug)]
pub struct Admitted {
    door: Arc<Door>,
    _place: Option<Place>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.door.all.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Door {
    /// A door with these bounds; `trusted` proxies' connections are not counted per
    /// address.
    pub fn new(limits: Limits, trusted: Vec<Network>, metrics: Arc<Metrics>) -> Arc<Self> {
        Arc::new(Self {
            limits,
            trusted,
            all: AtomicUsize::new(0),
            by_address: Arc::default(),
            metrics,
        })
    }

    /// Admits a connection from `peer`, or `None` past a cap.
    pub fn admit(self: &Arc<Self>, peer: IpAddr) -> Option<Admitted> {
        let place = if self.trusted.iter().any(|n| n.contains(peer)) {
            None
        } else {
            Some(
                self.by_address
                    .take(peer, self.limits.connections_per_address)?,
            )
        };
        let max = self.limits.max_connections;
        // Past the cap the address's place goes back as `place` drops.
        self.all
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()?;
        Some(Admitted {
            door: Arc::clone(self),
            _place: place,
        })
    }
}

/// Serves `router` on `listener` through `door` until `stop` resolves; then
/// `before_drain` runs (held long polls are answered) and open requests get [`DRAIN`] to
/// finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    door: Arc<Door>,
    stop: impl Future<Output = ()>,
    before_drain: impl FnOnce(),
) {
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(door.limits.header_timeout);
    let mut stop = std::pin::pin!(stop);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors, most likely: the open connections go on, and
                // the next accept is tried in a moment.
                tracing::warn!("cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Some(admitted) = door.admit(peer.ip()) else {
            door.metrics.connection_refused();
            let _ = stream.try_write(BUSY);
            continue;
        };
        let _ = stream.set_nodelay(true);
        // The router as this connection's service: each request carries the peer.
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request)
        });
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that closes or times out is no error of ours.
            let _ = connection.await;
            drop(admitted);
        });
    }
    drop(listener);
    before_drain();
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("open requests did not finish within {DRAIN:?}");
    }
}
