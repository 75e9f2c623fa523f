//! The sections of the left pane: chats, friends, requests, blacklist, profile.

use stylist::yew::styled_component;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{t, use_lang};
use crate::i18n::Phrase;
use crate::route::{Route, Section};
use crate::store::hooks::use_selector;
use crate::store::{AppState, total_unread};

/// Props of [`NavTabs`].
#[derive(Debug, Properties, PartialEq)]
pub struct NavTabsProps {
    /// The section shown.
    pub current: Section,
}

/// The section tabs.
#[styled_component]
pub fn NavTabs(props: &NavTabsProps) -> Html {
    let lang = use_lang();
    let (unread, requests) =
        use_selector((), |s: &AppState, _| (total_unread(s), s.requests_in.len()));
    let navigator = use_navigator();
    let class = css!(
        r#"
        display: flex; gap: 1px; padding: 6px 4px; overflow-x: auto;
        border-bottom: 1px solid var(--webim-border); background: var(--webim-surface);
        a {
            flex: 1; text-align: center; padding: 8px 3px; border-radius: 8px; white-space: nowrap;
            color: var(--webim-muted); text-decoration: none; font-size: 13.5px;
        }
        a:hover { background: var(--webim-hover); }
        a[aria-current="page"] { color: var(--webim-accent); background: var(--webim-active); font-weight: 600; }
        .dot { color: var(--webim-badge); margin-left: 2px; }
        .count { margin-left: 4px; padding: 0 6px; border-radius: 9px; background: var(--webim-badge); color: #fff; font-size: 12px; }
        "#
    );
    html! {
        <nav {class} aria-label={t(lang, Phrase::Navigation)}>
            { for Section::ALL.into_iter().map(|section| {
                let current = (section == props.current).then_some("page");
                let route: Route = section.route();
                let onclick = {
                    let (navigator, route) = (navigator.clone(), route.clone());
                    Callback::from(move |e: MouseEvent| {
                        e.prevent_default();
                        if let Some(n) = &navigator { n.push(&route); }
                    })
                };
                html! {
                    <a href={route.to_path()} {onclick} aria-current={current}
                        id={section.element_id()}>
                        { t(lang, section.phrase()) }
                        if section == Section::Chats && unread > 0 { <span class="dot" aria-hidden="true">{ "•" }</span> }
                        if section == Section::Requests && requests > 0 {
                            <span class="count" id="requests-badge">{ requests.to_string() }</span>
                        }
                    </a>
                }
            }) }
        </nav>
    }
}
