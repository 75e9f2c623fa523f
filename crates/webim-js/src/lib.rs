//! webim.js: the seed's JavaScript API, backed by the Rust SDK, so a page written for
//! WebIM SDK 1.x swaps its `<script src="webim.js">` and keeps its code. wasm-bindgen
//! exports flat names (`Msg`, `MsgElemText`, `msgStoreSessMap`, …); `js/webim.js` arranges
//! them into the seed's shape (`webim.Msg.Elem.Text`, `webim.MsgStore.sessMap`, …) and
//! queues calls made while the wasm is still loading.
//!
//! One page has one logged-in account at a time, as in the seed: the client lives in a
//! thread-local of this module's [`client`].

mod attachments;
mod callback;
mod client;
mod model;
mod relationship;
mod store;
mod tool;

pub use attachments::{FileContent, Image, Images};
pub use model::{Face, Msg, MsgElem, Session, Text};
