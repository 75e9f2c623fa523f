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
    /// The conversation list, nothing open.
    #[at("/chat")]
    Chats,
    /// One conversation (the peer's account id).
    #[at("/chat/:peer")]
    Chat {
        /// The other party.
        peer: String,
    },
    /// The friend list.
    #[at("/friends")]
    Friends,
    /// Friend requests.
    #[at("/requests")]
    Requests,
    /// The blacklist.
    #[at("/blacklist")]
    Blacklist,
    /// My profile.
    #[at("/profile")]
    Profile,
    /// The lab: one conversation through the SDK and the embedded backend, for tests.
    #[at("/lab")]
    Lab,
    /// Anything else goes back to the start.
    #[not_found]
    #[at("/404")]
    NotFound,
}

/// The left pane's section of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Conversations.
    Chats,
    /// Friends.
    Friends,
    /// Friend requests.
    Requests,
    /// The blacklist.
    Blacklist,
    /// My profile.
    Profile,
}

impl Section {
    /// Every section, in the navigation's order.
    pub const ALL: [Section; 5] = [
        Self::Chats,
        Self::Friends,
        Self::Requests,
        Self::Blacklist,
        Self::Profile,
    ];

    /// The route that opens this section.
    pub fn route(self) -> Route {
        match self {
            Self::Chats => Route::Chats,
            Self::Friends => Route::Friends,
            Self::Requests => Route::Requests,
            Self::Blacklist => Route::Blacklist,
            Self::Profile => Route::Profile,
        }
    }

    /// The id of the section's tab in the navigation (`nav-chats`, …).
    pub fn element_id(self) -> &'static str {
        match self {
            Self::Chats => "nav-chats",
            Self::Friends => "nav-friends",
            Self::Requests => "nav-requests",
            Self::Blacklist => "nav-blacklist",
            Self::Profile => "nav-profile",
        }
    }

    /// The section's name.
    pub fn phrase(self) -> crate::i18n::Phrase {
        use crate::i18n::Phrase;
        match self {
            Self::Chats => Phrase::Sessions,
            Self::Friends => Phrase::Friends,
            Self::Requests => Phrase::Requests,
            Self::Blacklist => Phrase::Blacklist,
            Self::Profile => Phrase::Profile,
        }
    }
}
