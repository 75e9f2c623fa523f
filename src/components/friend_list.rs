//! My friends with their nicks; clicking one opens the conversation.

use stylist::yew::styled_component;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{Avatar, Placeholder, t, use_lang};
use crate::i18n::Phrase;
use crate::route::Route;
use crate::store::hooks::use_selector;
use crate::store::{AppState, display_name};

/// The friend list.
#[styled_component]
pub fn FriendList() -> Html {
    let lang = use_lang();
    let navigator = use_navigator();
    let friends = use_selector((), |s: &AppState, _| {
        s.friends
            .iter()
            .map(|id| (id.to_string(), display_name(s, id)))
            .collect::<Vec<_>>()
    });
    if friends.is_empty() {
        return html! { <Placeholder text={t(lang, Phrase::NoFriends)} /> };
    }
    let class = css!(
        r#"
        display: flex; flex-direction: column; gap: 2px; padding: 6px; overflow-y: auto;
        button {
            width: 100%; display: flex; gap: 12px; align-items: center; padding: 10px 12px;
            border: 0; background: transparent; border-radius: 10px; cursor: pointer; text-align: left;
        }
        button:hover { background: var(--webim-hover); }
        .name { font-weight: 600; }
        .id { font-size: 12px; color: var(--webim-muted); }
        "#
    );
    html! {
        <ul {class} id="friend-list" aria-label={t(lang, Phrase::Friends)}>
            { for friends.into_iter().map(|(id, name)| {
                let onclick = {
                    let (navigator, peer) = (navigator.clone(), id.clone());
                    Callback::from(move |_| {
                        if let Some(n) = &navigator { n.push(&Route::Chat { peer: peer.clone() }); }
                    })
                };
                html! {
                    <li key={id.clone()}>
                        <button {onclick} data-friend={id.clone()}>
                            <Avatar id={id.clone()} name={name.clone()} size={40} />
                            <span>
                                <span class="name" style="display:block">{ name }</span>
                                <span class="id" style="display:block">{ id }</span>
                            </span>
                        </button>
                    </li>
                }
            }) }
        </ul>
    }
}
