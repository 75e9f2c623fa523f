//! Which web pages may call this server: its own (the app it serves, or any page on its
//! origin), and the origins named by `--allow-origin` (pages on other sites using webim.js,
//! issue 15). For those, CORS headers let the browser read the answers (tower-http); a
//! request from any other origin is refused with 403 before it reaches the protocol, so a
//! page elsewhere cannot make a logged-in visitor's browser act here even with a request
//! the browser sends without asking first.

use std::str::FromStr;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// A web origin: `scheme://host[:port]`, as browsers send it in `Origin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebOrigin(String);

impl FromStr for WebOrigin {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim().trim_end_matches('/');
        let Some((scheme, rest)) = trimmed.split_once("://") else {
            return Err(format!(
                "{text:?} is not an origin like https://chat.example.com"
            ));
        };
        if !matches!(scheme, "http" | "https")
            || rest.is_empty()
            || rest.contains(['/', '?', '#', '@'])
        {
            return Err(format!(
                "{text:?} is not an origin: scheme http or https, a host, an optional port, no path"
            ));
        }
        Ok(Self(format!("{scheme}://{}", rest.to_ascii_lowercase())))
    }
}

impl WebOrigin {
    /// As it appears in `Origin`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The CORS layer for `allowed` origins (none: the layer allows nothing).
pub fn cors(allowed: &[WebOrigin]) -> CorsLayer {
    let origins: Vec<HeaderValue> = allowed
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.as_str()).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .max_age(std::time::Duration::from_secs(600))
}

/// True when `origin` is the request's own host (`Host`), whatever the scheme: the page
/// this server served.
fn same_origin(origin: &str, host: Option<&str>) -> bool {
    let Some(host) = host else {
        return false;
    };
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host))
}

/// True when `origin` is the host the browser asked for: `Host`, or the host a reverse
/// proxy passed on in `X-Forwarded-Host`.
fn is_own(origin: &str, headers: &axum::http::HeaderMap) -> bool {
    let first = |name: &str| {
        headers
            .get(name)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.split(',').next())
            .map(str::trim)
    };
    same_origin(origin, first(header::HOST.as_str()))
        || same_origin(origin, first("x-forwarded-host"))
}

/// Refuses a request from a page of an origin that is neither this server's nor allowed.
/// Requests without `Origin` (not from a page: the load client, curl) pass.
pub async fn refuse_foreign(
    State(allowed): State<std::sync::Arc<Vec<WebOrigin>>>,
    request: Request,
    next: Next,
) -> Response {
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(str::to_owned);
    let refused = match origin.as_deref() {
        Some(origin) => {
            !is_own(origin, request.headers())
                && !allowed
                    .iter()
                    .any(|a| a.as_str().eq_ignore_ascii_case(origin))
        }
        None => false,
    };
    if !refused {
        return next.run(request).await;
    }
    let failure = webim_proto::Status::fail(
        webim_proto::ErrorCode::ServiceError,
        format!(
            "pages of {} may not call this server (webim-server --allow-origin)",
            origin.unwrap_or_default()
        ),
    );
    Response::builder()
        .status(StatusCode::FORBIDDEN)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::to_string(&failure).unwrap_or_default(),
        ))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{WebOrigin, same_origin};

    #[test]
    fn origins_are_read_as_browsers_send_them() {
        let o: WebOrigin = "https://Chat.Example.com:8443/".parse().expect("an origin");
        assert_eq!(o.as_str(), "https://chat.example.com:8443");
        for bad in [
            "chat.example.com",
            "ftp://x",
            "https://x/path",
            "https://",
            "https://u@x",
        ] {
            assert!(bad.parse::<WebOrigin>().is_err(), "{bad} refused");
        }
    }

    #[test]
    fn a_page_of_the_servers_own_host_is_its_own() {
        assert!(same_origin("http://127.0.0.1:8080", Some("127.0.0.1:8080")));
        assert!(!same_origin(
            "http://127.0.0.1:9090",
            Some("127.0.0.1:8080")
        ));
        assert!(!same_origin("http://127.0.0.1:8080", None));
    }
}
