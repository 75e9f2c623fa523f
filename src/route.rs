//! The app's routes. Kept apart from `app.rs` so components can link to a route without
//! depending on the root component.
// `#[derive(Routable)]` keeps route parameters in a HashMap in the impl it generates, outside
// any item an attribute could reach; nothing here is serialized, so the ban does not apply.
#![allow(clippy::disallowed_types)]

use yew_router::Routable;

/// Every screen reachable by URL; reload and back/forward land on the same one.
#[derive(Debug, Clone, PartialEq, Eq, Routable)]
pub enum Route {
    /// The login picker over the five test accounts.
    #[at("/")]
    Login,
    /// The lab: one conversation through the SDK and the embedded backend, for tests.
    #[at("/lab")]
    Lab,
    /// Anything else goes back to the picker.
    #[not_found]
    #[at("/404")]
    NotFound,
}
