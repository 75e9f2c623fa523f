//! The app's release build (`dist/`): files as they are (their `.br`/`.gz` twins when the
//! browser takes them), every other path answered with the page (a single-page app routes
//! in the browser). The page carries the server's configuration, so the same build knows
//! it runs behind a server; on a static host it finds none and runs the service itself.
//! Hashed files are cached for a year, the page never.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, Response, StatusCode, header};
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
    tracing::debug!(target: "webim_server::files", ?path, status = response.status().as_u16(), "served a file");
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

/// The router for the app's files: `page` for every other path read (GET or HEAD), the
/// protocol's 404 for anything else.
pub fn router(dist: PathBuf, page: String) -> Router {
    let page = Arc::new(page);
    let page_or_404 = move |method: Method| {
        let page = Arc::clone(&page);
        async move {
            if method == Method::GET || method == Method::HEAD {
                let html = [(header::CONTENT_TYPE, "text/html; charset=utf-8")];
                (html, page.as_str().to_owned()).into_response()
            } else {
                super::not_found().await.into_response()
            }
        }
    };
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
        .layer(middleware::from_fn(cache_headers))
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
