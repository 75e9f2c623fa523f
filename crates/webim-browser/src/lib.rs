//! The SDK in a browser page, whoever the page is (the Yew app or a page using webim.js):
//! the HTTP transport to `webim-server` with its logins ([`remote`]), and the browser's
//! clock and timers ([`BrowserEnv`]). The worker's door is `webim-embedded`'s client half.

mod env;
pub mod remote;

pub use env::BrowserEnv;
pub use webim_embedded::now;

use webim_embedded::client::WorkerTransport;
use webim_proto::Endpoint;
use webim_sdk::{Answer, LoginInfo, Transport, TransportError};

use remote::HttpTransport;

/// The SDK's transport to whichever backend the page uses.
#[derive(Debug, Clone)]
pub enum PageTransport {
    /// The service in this browser's worker.
    Embedded(WorkerTransport),
    /// A server, over HTTP.
    Server(HttpTransport),
}

impl Transport for PageTransport {
    async fn request<R: Endpoint>(
        &self,
        login: &LoginInfo,
        request: &R,
    ) -> Result<Answer<R::Response>, TransportError> {
        match self {
            Self::Embedded(t) => t.request(login, request).await,
            Self::Server(t) => t.request(login, request).await,
        }
    }
}
