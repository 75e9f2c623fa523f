//! The app's release build (`dist/`): files as they are (their `.br`/`.gz` twins when the
//! browser takes them, never through a link that leads out of `dist/`), the app's routes
//! answered with the page (a single-page app routes in the browser), and anything else a
//! 404: a person's browser gets the page with it (the app shows its own "not found"),
//! anything else the protocol's JSON. The page carries the server's configuration, so the same build knows
//! it runs behind a server; on a static host it finds none and runs the service itself.
//! Hashed files are cached for a year, the page never.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::IntoResponse;
use tower_http::services::ServeDir;
use webim_proto::login::{CONFIG_ELEMENT_ID, ServerConfig};

/// The page with the server's configuration in it, or a note when there is no build.
pub fn page(dist: &Path, config: &ServerConfig) -> String {
    let json = serde_json::to_string(config)
        .unwrap_or_default()
        // Inside <script>, "</" could end the element early.
        .replace("</", "<\\/");
    let tag =
        format!(r#"<script id="{CONFIG_ELEMENT_ID}" type="application/json">{json}</script>"#);
    match std::fs::read_to_string(dist.join("index.html")) {
        Ok(html) => match html.find("</head>") {
            Some(at) => format!("{}{tag}\n{}", &html[..at], &html[at..]),
            None => format!("{tag}\n{html}"),
        },
        Err(_) => format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>WebIM server</title>\
             {tag}</head><body><p>The WebIM server is running, but the app is not built: \
             run <code>cargo xtask serve</code>, or pass <code>--dist</code> pointing at \
             a release build.</p></body></html>"
        ),
    }
}

/// True for names trunk gave a content hash (`webim-3f2a…9c_bg.wasm`): they never change.
/// Trunk writes the 64-bit hash without leading zeros, so it may be shorter than 16 digits.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    stem.rsplit('-')
        .next()
        .map(|h| h.trim_end_matches("_bg"))
        .is_some_and(|h| h.len() >= 12 && h.chars().all(|c| c.is_ascii_hexdigit()))
}

async fn cache_headers(request: Request<Body>, next: Next) -> Response<Body> {
    let hashed = is_hashed(request.uri().path());
    // The service worker and the embedded service's loader name the build's files: they
    // must be asked for afresh.
    let worker = matches!(request.uri().path(), "/sw.js" | "/embedded-worker.js");
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    // An access log of the app's files, at debug: which files a page behind this server
    // downloads (never the embedded service's worker, which the e2e tests check).
    // The path is as raw as it came, safely: a request line holds no control character
    // (the HTTP parser refuses one), and anything else arrives percent-encoded.
    tracing::debug!(target: "webim_server::files", path = %path, status = response.status().as_u16(), "served a file");
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let policy = if is_page || worker {
        "no-cache"
    } else if hashed && response.status() == StatusCode::OK {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// True for the paths the app routes (its `Route` enum, `src/route.rs`), and the page's
/// own name.
pub fn is_app_route(path: &str) -> bool {
    match path.trim_end_matches('/') {
        "" | "/index.html" | "/chat" | "/friends" | "/requests" | "/blacklist" | "/profile"
        | "/lab" | "/404" => true,
        other => other
            .strip_prefix("/chat/")
            .is_some_and(|peer| !peer.is_empty() && !peer.contains('/')),
    }
}

/// The router for the app's files: `page` for the app's routes (GET or HEAD), a 404 for
/// anything else.
pub fn router(dist: PathBuf, page: String) -> Router {
    let page = Arc::new(page);
    let page_or_404 = move |method: Method, uri: axum::http::Uri, headers: HeaderMap| {
        let page = Arc::clone(&page);
        async move {
            let read = method == Method::GET || method == Method::HEAD;
            let html = [(header::CONTENT_TYPE, "text/html; charset=utf-8")];
            if read && is_app_route(uri.path()) {
                return (html, page.as_str().to_owned()).into_response();
            }
            let browser = headers
                .get(header::ACCEPT)
                .and_then(|a| a.to_str().ok())
                .is_some_and(|a| a.contains("text/html"));
            if read && browser {
                (StatusCode::NOT_FOUND, html, page.as_str().to_owned()).into_response()
            } else {
                super::not_found().await.into_response()
            }
        }
    };
    let root = std::fs::canonicalize(&dist).unwrap_or_else(|_| dist.clone());
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .call_fallback_on_method_not_allowed(true)
        .fallback(axum::routing::any(page_or_404.clone()));
    Router::new()
        .route("/", axum::routing::any(page_or_404.clone()))
        .route("/index.html", axum::routing::any(page_or_404))
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(Arc::new(root), inside_dist))
        .layer(middleware::from_fn(cache_headers))
}

/// A file whose real place (links followed) is outside `dist/` is not served: a link
/// there, put by whoever could write to `dist/`, must not publish the rest of the disk.
async fn inside_dist(
    axum::extract::State(root): axum::extract::State<Arc<PathBuf>>,
    request: Request<Body>,
    next: Next,
) -> Response<Body> {
    let asked = request.uri().path().trim_start_matches('/');
    let decoded = percent_decoded(asked);
    let escapes = match decoded {
        Some(relative) if !relative.is_empty() => {
            let path = root.join(&relative);
            let mut twins = vec![path.clone()];
            for ext in ["br", "gz"] {
                twins.push(PathBuf::from(format!("{}.{ext}", path.display())));
            }
            let mut out = false;
            for twin in twins {
                if let Ok(real) = tokio::fs::canonicalize(&twin).await {
                    out |= !real.starts_with(root.as_path());
                }
            }
            out
        }
        _ => false,
    };
    if escapes {
        tracing::warn!(path = ?asked, "refused a file that links out of dist/");
        return super::not_found().await.into_response();
    }
    next.run(request).await
}

/// `text` with its %XX escapes decoded, if that is UTF-8.
fn percent_decoded(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_trunk_hashed_names_are_told_apart() {
        assert!(is_hashed("/webim-1f3e5a7c9b2d4f60_bg.wasm"));
        assert!(is_hashed("/webim-1f3e5a7c9b2d4f60.js"));
        assert!(is_hashed("/theme-0123456789abcdef.css"));
        assert!(
            is_hashed("/theme-bc0e04ad1107a04.css"),
            "a hash with a leading zero dropped"
        );
        assert!(!is_hashed("/pwa/icon-maskable.svg"));
        assert!(!is_hashed("/emoticons/1.svg"));
        assert!(!is_hashed("/favicon.ico"));
        assert!(!is_hashed("/chat/peakerdong"));
    }

    #[test]
    fn test_every_route_of_the_app_is_answered_with_the_page() {
        let routes = include_str!("../../../../src/route.rs");
        let paths: Vec<&str> = routes
            .split("#[at(\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(paths.len() >= 9, "{paths:?}");
        for path in paths {
            let concrete = path.replace(":peer", "john.doe");
            assert!(is_app_route(&concrete), "{path}");
        }
        for other in [
            "/robots.txt",
            "/missing.png",
            "/chat/a/b",
            "/wp-admin",
            "/v5/x",
        ] {
            assert!(!is_app_route(other), "{other}");
        }
    }

    #[test]
    fn test_escapes_are_decoded() {
        assert_eq!(percent_decoded("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decoded("%E4%BD%A0").as_deref(), Some("你"));
        assert_eq!(percent_decoded("bad%2"), None);
        assert_eq!(percent_decoded("bad%zz"), None);
    }

    #[test]
    fn test_the_page_carries_the_configuration_in_its_head() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("index.html"),
            "<html><head><title>x</title></head><body></body></html>",
        )
        .unwrap();
        let config = ServerConfig {
            sdk_app_id: 7,
            demo: true,
        };
        let html = page(dir.path(), &config);
        assert!(html.contains(
            r#"<script id="webim-config" type="application/json">{"SdkAppID":7,"Demo":true}</script>
</head>"#
        ));
        let bare = page(&dir.path().join("missing"), &config);
        assert!(bare.contains("not built"));
    }
}
