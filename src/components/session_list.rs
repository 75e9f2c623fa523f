//! The conversations, newest first (webim.js kept this timeline private; the SDK offers
//! for it). Each row subscribes to nothing itself: the list selects its rows once.

use stylist::yew::styled_component;
use webim_proto::AccountId;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{Placeholder, SessionItem, t, use_lang};
use crate::i18n::Phrase;
use crate::route::Route;
use crate::store::hooks::use_selector;
use crate::store::{AppState, display_name};

/// Props of [`SessionList`].
#[derive(Debug, Properties, PartialEq)]
pub struct SessionListProps {
    /// The open conversation, if any.
    pub active: Option<AccountId>,
}

/// The session list.
#[styled_component]
pub fn SessionList(props: &SessionListProps) -> Html {
    let lang = use_lang();
    let navigator = use_navigator();
    let rows = use_selector((), |s: &AppState, _| {
        s.sessions
            .iter()
            .map(|row| {
                let name = display_name(s, &row.peer);
                let draft = s.drafts.get(&row.peer).cloned();
                let muted = s.muted.contains(&row.peer);
                (row.clone(), name, draft, muted)
            })
            .collect::<Vec<_>>()
    });
    if rows.is_empty() {
        return html! { <Placeholder text={t(lang, Phrase::NoSessions)} /> };
    }
    let class =
        css!("display: flex; flex-direction: column; gap: 2px; padding: 6px; overflow-y: auto;");
    let on_open = Callback::from(move |peer: AttrValue| {
        if let Some(n) = &navigator {
            n.push(&Route::Chat {
                peer: peer.to_string(),
            });
        }
    });
    html! {
        <ul {class} id="session-list" aria-label={t(lang, Phrase::Sessions)}>
            { for rows.into_iter().map(|(row, name, draft, muted)| {
                let active = props.active.as_ref() == Some(&row.peer);
                html! {
                    <SessionItem key={row.peer.as_str()} peer={row.peer.to_string()} {name}
                        preview={row.preview.to_string()} time={row.time} unread={row.unread}
                        {active} draft={draft.map(AttrValue::from)} status={row.status} {muted}
                        on_open={on_open.clone()} />
                }
            }) }
        </ul>
    }
}
