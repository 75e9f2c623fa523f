//! The SDK's doors in the browser: [`EmbeddedTransport`] carries each command to the
//! embedded service in this tab (the same JSON a server would get), and [`BrowserEnv`]
//! gives the clock, random numbers and timers (a retry's wait cut short when the network
//! returns).

use std::rc::Rc;

use gloo::timers::future::TimeoutFuture;
use webim_proto::{Command, Timestamp};
use webim_sdk::{Env, LoginInfo, Transport, TransportError};

use super::Backend;

/// The SDK's transport to the embedded backend.
#[derive(Debug, Clone)]
pub struct EmbeddedTransport(pub Rc<Backend>);

impl Transport for EmbeddedTransport {
    async fn request(
        &self,
        command: Command,
        login: &LoginInfo,
        body: String,
    ) -> Result<String, TransportError> {
        Ok(self.0.request(command, login, &body).await)
    }
}

/// The browser's clock, `Math.random` and timers.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserEnv;

impl Env for BrowserEnv {
    fn now(&self) -> Timestamp {
        super::now()
    }

    fn random_u32(&self) -> u32 {
        (js_sys::Math::random() * 4_294_967_296.0) as u32
    }

    /// The SDK sleeps only to wait before trying again after a failure: when the browser
    /// comes back online the wait ends at once, not up to 30 s later.
    async fn sleep(&self, ms: u32) {
        let (online, back) = futures_channel::oneshot::channel::<()>();
        let _listener = web_sys::window().map(|w| {
            gloo::events::EventListener::once(&w, "online", move |_| {
                let _ = online.send(());
            })
        });
        futures::future::select(TimeoutFuture::new(ms), back).await;
    }
}
