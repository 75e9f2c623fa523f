//! The embedded backend as the app uses it: the in-browser IM service (`webim-embedded`)
//! and the SDK's doors to it in this tab (`transport`).

mod transport;

pub use transport::{BrowserEnv, EmbeddedTransport};
pub use webim_embedded::{Backend, DB_NAME, IdbStore, WAKE_CHANNEL, Wakeups, now};
