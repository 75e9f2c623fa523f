//! The logged-in screen: header, section tabs and list on the left, the conversation on
//! the right (one column below 720 px, with back navigation). It also tells the effects
//! what is on screen and whether the tab is visible, and moves between conversations with
//! Alt+↑/↓.

use gloo::events::EventListener;
use stylist::yew::styled_component;
use wasm_bindgen::JsCast;
use webim_proto::AccountId;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{
    BlacklistPanel, ChatPane, ConnectionBanner, FriendList, Header, NavTabs, Placeholder,
    ProfilePanel, RequestsPanel, SessionList, TabTitle, t, use_lang,
};
use crate::effects::use_chat;
use crate::i18n::Phrase;
use crate::route::{Route, Section};
use crate::store::AppState;
use crate::store::hooks::use_selector;

/// Props of [`Shell`].
#[derive(Debug, Properties, PartialEq)]
pub struct ShellProps {
    /// The left pane's section.
    pub section: Section,
    /// The open conversation, if any.
    pub peer: Option<AccountId>,
}

/// The shell.
#[styled_component]
pub fn Shell(props: &ShellProps) -> Html {
    let lang = use_lang();
    let effects = use_chat();
    let navigator = use_navigator();
    let order = use_selector((), |s: &AppState, _| {
        s.sessions
            .iter()
            .map(|r| r.peer.clone())
            .collect::<Vec<_>>()
    });

    {
        let effects = effects.clone();
        use_effect_with(props.peer.clone(), move |peer| {
            effects.view(peer.clone());
            move || effects.view(None)
        });
    }
    {
        use_effect_with((), move |_| {
            let document = gloo::utils::document();
            let listener = EventListener::new(&document, "visibilitychange", move |_| {
                effects.visibility(!gloo::utils::document().hidden());
            });
            move || drop(listener)
        });
    }
    {
        // Alt+↑ / Alt+↓: the previous / next conversation of the list.
        let peer = props.peer.clone();
        use_effect_with((order, peer), move |(order, peer)| {
            let (order, peer) = (order.clone(), peer.clone());
            let listener = EventListener::new(&gloo::utils::window(), "keydown", move |e| {
                let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                let step: isize = match e.key().as_str() {
                    "ArrowUp" if e.alt_key() => -1,
                    "ArrowDown" if e.alt_key() => 1,
                    _ => return,
                };
                e.prevent_default();
                let at = peer
                    .as_ref()
                    .and_then(|p| order.iter().position(|x| x == p));
                let next = match at {
                    Some(i) => i.checked_add_signed(step).filter(|&j| j < order.len()),
                    None if !order.is_empty() => Some(0),
                    None => None,
                };
                if let (Some(j), Some(n)) = (next, &navigator) {
                    n.push(&Route::Chat {
                        peer: order[j].to_string(),
                    });
                }
            });
            move || drop(listener)
        });
    }

    let class = css!(
        r#"
        height: 100vh; height: 100dvh; display: flex; flex-direction: column;
        > .shell-body { flex: 1; display: flex; min-height: 0; }
        .shell-side {
            width: 340px; flex: none; display: flex; flex-direction: column; min-height: 0;
            background: var(--webim-surface); border-right: 1px solid var(--webim-border);
        }
        .shell-main { flex: 1; display: flex; min-width: 0; min-height: 0; }
        @media (max-width: 719px) {
            .shell-side { width: 100%; border-right: 0; }
            &.open .shell-side { display: none; }
            &:not(.open) .shell-main { display: none; }
        }
        "#
    );
    let side = match props.section {
        Section::Chats => html! { <SessionList active={props.peer.clone()} /> },
        Section::Friends => html! { <FriendList /> },
        Section::Requests => html! { <RequestsPanel /> },
        Section::Blacklist => html! { <BlacklistPanel /> },
        Section::Profile => html! { <ProfilePanel /> },
    };
    let main = match &props.peer {
        Some(peer) => html! { <ChatPane peer={peer.clone()} /> },
        None => html! { <Placeholder text={t(lang, Phrase::PickConversation)} /> },
    };
    html! {
        <div class={classes!(class, props.peer.is_some().then_some("open"))} id="shell">
            <TabTitle />
            <ConnectionBanner />
            <Header />
            <div class="shell-body">
                <div class="shell-side">
                    <NavTabs current={props.section} />
                    { side }
                </div>
                <main class="shell-main">{ main }</main>
            </div>
        </div>
    }
}
