//! Which web pages may call this server: its own (the app it serves, or any page on its
//! origin), and the origins named by `--allow-origin` (pages on other sites using webim.js). For those, CORS headers let the browser read the answers (tower-http); a
//! request from any other origin is refused with 403 before it reaches the protocol, so a
//! page elsewhere cannot make a logged-in visitor's browser act here even with a request
//! the browser sends without asking first.
//!
//! Which origin is the server's own is configuration, not whatever the request says: the
//! `--public-url`; else, on a loopback address, that address's names (127.0.0.1,
//! localhost, [::1]) at its port, so a DNS-rebinding page (a name of the attacker's that
//! now resolves to 127.0.0.1) is foreign; else, listening beyond loopback, the host the
//! browser asked for. `X-Forwarded-Host` is believed only from `--trusted-proxy` peers.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::proxy::Network;

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

/// Which pages may call: the server's own and the allowed others.
#[derive(Debug, Clone)]
pub struct Origins {
    /// `--public-url`, if given.
    pub public: Option<WebOrigin>,
    /// The address the server listens on.
    pub local: SocketAddr,
    /// `--allow-origin`.
    pub allowed: Vec<WebOrigin>,
    /// `--trusted-proxy`: whose `X-Forwarded-Host` is believed.
    pub trusted: Vec<Network>,
}

impl Origins {
    /// True when `origin` is the server's own, for a request from `peer` with `headers`.
    fn is_own(&self, origin: &str, headers: &HeaderMap, peer: Option<IpAddr>) -> bool {
        if let Some(public) = &self.public {
            return public.as_str().eq_ignore_ascii_case(origin);
        }
        let first = |name: &str| {
            headers
                .get(name)
                .and_then(|h| h.to_str().ok())
                .and_then(|h| h.split(',').next())
                .map(str::trim)
        };
        let from_proxy = peer.is_some_and(|p| self.trusted.iter().any(|n| n.contains(p)));
        if from_proxy && same_origin(origin, first("x-forwarded-host")) {
            return true;
        }
        if self.local.ip().is_loopback() {
            let port = self.local.port();
            return ["127.0.0.1", "localhost", "[::1]"]
                .iter()
                .any(|name| same_origin(origin, Some(&format!("{name}:{port}"))))
                || (from_proxy && same_origin(origin, first(header::HOST.as_str())));
        }
        same_origin(origin, first(header::HOST.as_str()))
    }

    fn is_allowed(&self, origin: &str) -> bool {
        self.allowed
            .iter()
            .any(|a| a.as_str().eq_ignore_ascii_case(origin))
    }
}

/// Refuses a request from a page of an origin that is neither this server's nor allowed.
/// Requests without `Origin` (not from a page: the load client, curl) pass.
pub async fn refuse_foreign(
    State(origins): State<std::sync::Arc<Origins>>,
    request: Request,
    next: Next,
) -> Response {
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(str::to_owned);
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let refused = match origin.as_deref() {
        Some(origin) => {
            !origins.is_own(origin, request.headers(), peer) && !origins.is_allowed(origin)
        }
        None => false,
    };
    if !refused {
        return next.run(request).await;
    }
    let failure = webim_proto::Status::fail(
        webim_proto::ErrorCode::ServiceError,
        format!(
            "pages of {} may not call this server (webim-server --public-url names its \
             own, --allow-origin others)",
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
    use super::*;

    fn origins(local: &str, public: Option<&str>) -> Origins {
        Origins {
            public: public.map(|p| p.parse().unwrap()),
            local: local.parse().unwrap(),
            allowed: Vec::new(),
            trusted: vec!["10.0.0.0/8".parse().unwrap()],
        }
    }

    fn host(name: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, name.parse().unwrap());
        headers
    }

    #[test]
    fn a_rebinding_page_is_not_the_servers_own_on_loopback() {
        let o = origins("127.0.0.1:8080", None);
        let me = Some("127.0.0.1".parse().unwrap());
        assert!(o.is_own("http://localhost:8080", &host("localhost:8080"), me));
        assert!(o.is_own("http://127.0.0.1:8080", &host("127.0.0.1:8080"), me));
        // evil.example now resolves to 127.0.0.1: its page asks with its own Host.
        let rebound = host("evil.example:8080");
        assert!(!o.is_own("http://evil.example:8080", &rebound, me));
    }

    #[test]
    fn forwarded_host_is_believed_from_a_trusted_proxy_only() {
        let o = origins("0.0.0.0:8080", None);
        let mut headers = host("10.1.1.1:8080");
        headers.insert("x-forwarded-host", "chat.example.com".parse().unwrap());
        let page = "https://chat.example.com";
        assert!(o.is_own(page, &headers, Some("10.0.0.2".parse().unwrap())));
        assert!(!o.is_own(page, &headers, Some("203.0.113.9".parse().unwrap())));
        let p = origins("0.0.0.0:8080", Some("https://chat.example.com"));
        assert!(p.is_own(page, &host("anything"), None));
        assert!(!p.is_own("https://other.example", &host("other.example"), None));
    }

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
