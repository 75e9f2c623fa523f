//! The SDK in a browser page, whoever the page is (the Yew app or a page using webim.js):
//! the HTTP transport to `webim-server` with its logins ([`remote`]), and the browser's
//! clock and timers ([`BrowserEnv`]). The worker's door is `webim-embedded`'s client half.

mod env;
pub mod remote;

pub use env::BrowserEnv;
pub use webim_embedded::now;
