//! Finding 4: connections. Headers trickled byte by byte and idle connections are closed
//! after the header timeout; one address cannot take every connection; past the global cap
//! new connections are told 503 at once while the open ones are still served.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use super::binary::Binary;

/// Waits until the server closes `stream` (a read of 0 bytes or an error), sending
/// `trickle` every half second meanwhile; how long that took, or `None` after `limit`.
async fn closed_after(stream: &mut TcpStream, trickle: &[u8], limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 512];
    while started.elapsed() < limit {
        if !trickle.is_empty() && stream.write_all(trickle).await.is_err() {
            return Some(started.elapsed());
        }
        let read = tokio::time::timeout(Duration::from_millis(500), stream.read(&mut buf)).await;
        if let Ok(Ok(0) | Err(_)) = read {
            return Some(started.elapsed());
        }
    }
    None
}

/// A connection to `port` from the loopback address `from` (127.0.0.x).
async fn connect_from(from: &str, port: u16) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket
        .connect(format!("127.0.0.1:{port}").parse().unwrap())
        .await
        .unwrap()
}

fn port_of(server: &Binary) -> u16 {
    server.base.rsplit(':').next().unwrap().parse().unwrap()
}

/// What the server says first on `stream` to a request for `/healthz` (its status line).
async fn status_line(stream: &mut TcpStream) -> String {
    let _ = stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await;
    let mut buf = vec![0u8; 256];
    let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or(0);
    String::from_utf8_lossy(&buf[..n])
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_trickled_headers_and_idle_connections_are_closed_after_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let server = Binary::start(dir.path(), &["--header-timeout", "2s"]).await;
    let port = port_of(&server);
    let mut slow = connect_from("127.0.0.1", port).await;
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let took = closed_after(&mut slow, b"X-Slow: 1\r\n", Duration::from_secs(15)).await;
    assert!(
        took.is_some_and(|t| t < Duration::from_secs(6)),
        "a trickling client was closed after {took:?}"
    );
    let mut idle = connect_from("127.0.0.1", port).await;
    let took = closed_after(&mut idle, b"", Duration::from_secs(15)).await;
    assert!(
        took.is_some_and(|t| t < Duration::from_secs(6)),
        "an idle connection was closed after {took:?}"
    );
    // Between requests too: one request, then silence.
    let mut kept = connect_from("127.0.0.1", port).await;
    assert!(status_line(&mut kept).await.contains("200"));
    let took = closed_after(&mut kept, b"", Duration::from_secs(15)).await;
    assert!(took.is_some_and(|t| t < Duration::from_secs(6)), "{took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_one_address_cannot_take_every_connection() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "--max-connections-per-address",
        "20",
        "--header-timeout",
        "60s",
    ];
    let server = Binary::start(dir.path(), &args).await;
    let port = port_of(&server);
    let mut hogs = Vec::new();
    for _ in 0..20 {
        hogs.push(connect_from("127.0.0.1", port).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut one_more = connect_from("127.0.0.1", port).await;
    let line = status_line(&mut one_more).await;
    assert!(line.contains("503"), "past the address's cap: {line:?}");
    // Someone else is served at once.
    let client = reqwest::Client::builder()
        .local_address("127.0.0.2".parse::<std::net::IpAddr>().unwrap())
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let answer = client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .expect("another address is served within 1 s");
    assert_eq!(answer.status(), reqwest::StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_past_the_cap_new_connections_are_refused_and_open_ones_served() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["--max-connections", "30", "--header-timeout", "60s"];
    let server = Binary::start(dir.path(), &args).await;
    let port = port_of(&server);
    let mut open = Vec::new();
    for i in 0..30 {
        open.push(connect_from(&format!("127.0.0.{}", 10 + i % 5), port).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let mut late = connect_from("127.0.0.2", port).await;
    let line = status_line(&mut late).await;
    assert!(line.contains("503"), "past the cap: {line:?}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "refused at once"
    );
    let line = status_line(&mut open[7]).await;
    assert!(
        line.contains("200"),
        "an open connection is still served: {line:?}"
    );
}
