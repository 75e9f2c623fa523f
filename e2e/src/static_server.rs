//! A tiny static file server over std only, behaving like a static host configured for a
//! single-page app: files by path, and `index.html` for any route without a file.
//!
//! Written here rather than taken from a crate so the tests depend on nothing but the
//! build output and the browser.

use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

/// A running server; stops when dropped.
#[derive(Debug)]
pub struct StaticServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    requested: Requested,
}

/// The paths asked for so far, in order, each with what the browser fetched it as (its
/// `Sec-Fetch-Dest`: `document`, `script`, `sharedworker`…), an access log.
type Requested = Arc<Mutex<Vec<(String, String)>>>;

impl StaticServer {
    /// Serves `root` on `127.0.0.1` at a free port.
    pub fn start(root: &Path) -> io::Result<Self> {
        if !root.join("index.html").is_file() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} has no index.html: build the app first", root.display()),
            ));
        }
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let root = root.to_path_buf();
        let stopped = Arc::clone(&stop);
        let requested = Requested::default();
        let log = Arc::clone(&requested);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let root = root.clone();
                let (stopped, log) = (Arc::clone(&stopped), Arc::clone(&log));
                thread::spawn(move || {
                    // A client that hangs up mid-response is not the server's failure.
                    let _ = serve_connection(stream, &root, &stopped, &log);
                });
            }
        });
        Ok(Self {
            addr,
            stop,
            requested,
        })
    }

    /// Every path asked for so far (without the query), in order.
    pub fn requested(&self) -> Vec<String> {
        self.requested_as()
            .into_iter()
            .map(|(path, _)| path)
            .collect()
    }

    /// Every path asked for so far, each with what the browser fetched it as.
    pub fn requested_as(&self) -> Vec<(String, String)> {
        self.requested.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// The base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve_connection(
    stream: TcpStream,
    root: &Path,
    stopped: &AtomicBool,
    log: &Requested,
) -> io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        // A stopped server is gone for kept-alive connections too (the offline test).
        if stopped.load(Ordering::Relaxed) {
            return Ok(());
        }
        let (mut keep_alive, mut dest) = (true, String::new());
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
                break;
            }
            let lower = header.to_ascii_lowercase();
            if lower.starts_with("connection: close") {
                keep_alive = false;
            }
            if let Some(value) = lower.strip_prefix("sec-fetch-dest:") {
                dest = value.trim().to_owned();
            }
        }
        let mut parts = request_line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
        if let Ok(mut log) = log.lock() {
            let path = target.split(['?', '#']).next().unwrap_or("/").to_owned();
            log.push((path, dest.clone()));
        }
        let (status, content_type, body) = match method {
            "GET" | "HEAD" => respond(root, target),
            _ => (
                "405 Method Not Allowed",
                "text/plain",
                b"method not allowed".to_vec(),
            ),
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\n\r\n",
            body.len()
        );
        writer.write_all(head.as_bytes())?;
        if method != "HEAD" {
            writer.write_all(&body)?;
        }
        writer.flush()?;
        if !keep_alive {
            return Ok(());
        }
    }
}

fn respond(root: &Path, target: &str) -> (&'static str, &'static str, Vec<u8>) {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    match safe_join(root, path) {
        Some(file) if file.is_file() => match fs::read(&file) {
            Ok(body) => ("200 OK", content_type(&file), body),
            Err(_) => (
                "500 Internal Server Error",
                "text/plain",
                b"read failed".to_vec(),
            ),
        },
        // A route of the single-page app (no file extension): the app handles it.
        Some(file) if file.extension().is_none() => match fs::read(root.join("index.html")) {
            Ok(body) => ("200 OK", "text/html; charset=utf-8", body),
            Err(_) => (
                "500 Internal Server Error",
                "text/plain",
                b"read failed".to_vec(),
            ),
        },
        _ => ("404 Not Found", "text/plain", b"not found".to_vec()),
    }
}

/// Joins a URL path onto `root`, refusing anything that would climb out of it.
fn safe_join(root: &Path, url_path: &str) -> Option<PathBuf> {
    let mut out = root.to_path_buf();
    for component in Path::new(url_path.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out == root {
        Some(root.join("index.html"))
    } else {
        Some(out)
    }
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_paths_cannot_climb_out_of_the_root() {
        let root = Path::new("/srv/dist");
        assert_eq!(safe_join(root, "/../etc/passwd"), None);
        assert_eq!(safe_join(root, "/"), Some(root.join("index.html")));
        assert_eq!(safe_join(root, "/a/b.js"), Some(root.join("a/b.js")));
    }
}
