//! The browser tab's title with the total unread count: `(3) WebIM`, or `WebIM`.

use yew::prelude::*;

use crate::store::hooks::use_selector;
use crate::store::{AppState, title, total_unread};

/// Keeps `document.title` in step with the unread total; renders nothing.
#[component]
pub fn TabTitle() -> Html {
    let unread = use_selector((), |s: &AppState, _| total_unread(s));
    use_effect_with(unread, |unread| {
        gloo::utils::document().set_title(&title(*unread));
    });
    use_effect_with((), |_| move || gloo::utils::document().set_title(&title(0)));
    html! {}
}
