//! Which backend this page talks to, chosen when it starts: the `webim-server` that served
//! it (the server puts its configuration in the page), or, on a static host where the page
//! carries none, the service inside the browser. One build serves both.

use wasm_bindgen::JsCast;
use webim_js_values as values;
use webim_proto::login::{CONFIG_ELEMENT_ID, ServerConfig};

/// Where the IM service runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// In this browser (IndexedDB), shared by the origin's tabs.
    Embedded,
    /// On the server that served the page.
    Server(ServerConfig),
}

impl Mode {
    /// Reads the page: a server's configuration means the server backend.
    pub fn detect() -> Self {
        gloo::utils::document()
            .get_element_by_id(CONFIG_ELEMENT_ID)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .and_then(|e| e.text_content())
            .and_then(|json| js_sys::JSON::parse(&json).ok())
            .and_then(|config| values::from_js::<ServerConfig>(config).ok())
            .map_or(Self::Embedded, Self::Server)
    }

    /// True when the five test accounts log in with one click (the embedded backend, or
    /// a server in demo mode); otherwise people log in with a password.
    pub fn has_picker(&self) -> bool {
        match self {
            Self::Embedded => true,
            Self::Server(config) => config.demo,
        }
    }
}

/// The SDK's transport to whichever backend the page runs on.
pub use webim_browser::PageTransport as AppTransport;
