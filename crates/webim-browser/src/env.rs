//! The SDK's [`Env`] in the browser: the clock, random numbers and timers (a retry's wait
//! cut short when the network returns).

use gloo::timers::future::TimeoutFuture;
use webim_proto::Timestamp;
use webim_sdk::Env;

/// The browser's clock, `Math.random` and timers.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserEnv;

impl Env for BrowserEnv {
    fn now(&self) -> Timestamp {
        crate::now()
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
