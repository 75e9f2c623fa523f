//! My blacklist (webim.js `getBlackList`): each account with the time it was added, removal
//! with confirmation (the friendship does not come back), and blocking by account id.

use stylist::yew::styled_component;
use wasm_bindgen_futures::spawn_local;
use webim_proto::AccountId;
use webim_sdk::Tool;
use yew::prelude::*;

use super::session_item::local_offset_minutes;
use super::{Avatar, ConfirmBar, Placeholder, t, use_lang};
use crate::effects::use_relationship;
use crate::i18n::{Phrase, code_sentence};
use crate::store::hooks::use_selector;
use crate::store::{AppState, display_name};

/// The blacklist panel.
#[styled_component]
pub fn BlacklistPanel() -> Html {
    let lang = use_lang();
    let effects = use_relationship();
    let list = use_selector((), |s: &AppState, _| {
        s.blacklist
            .iter()
            .map(|(id, time)| (id.clone(), display_name(s, id), *time))
            .collect::<Vec<_>>()
    });
    let confirming = use_state(|| None::<AccountId>);
    let query = use_state(String::new);
    let message = use_state(|| None::<String>);

    let on_query = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                query.set(i.value());
            }
        })
    };
    let on_block = {
        let (effects, query, message) = (effects.clone(), query.clone(), message.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Ok(id) = AccountId::new(query.trim()) else {
                message.set(Some(t(lang, Phrase::EnterAccount).to_owned()));
                return;
            };
            let (effects, query, message) = (effects.clone(), query.clone(), message.clone());
            spawn_local(async move {
                match effects.block(&id).await {
                    Ok(()) => {
                        query.set(String::new());
                        message.set(None);
                    }
                    Err(code) => message.set(Some(code_sentence(lang, code))),
                }
            });
        })
    };
    let class = css!(
        r#"
        overflow-y: auto; display: flex; flex-direction: column;
        form { display: flex; gap: 6px; padding: 10px; border-bottom: 1px solid var(--webim-border); }
        input { flex: 1; padding: 8px 10px; border: 1px solid var(--webim-border); border-radius: 8px; background: var(--webim-surface-2); }
        form button { border: 0; border-radius: 8px; padding: 8px 12px; cursor: pointer; background: var(--webim-danger); color: var(--webim-danger-text); }
        ul { padding: 6px; }
        .row { display: flex; gap: 10px; align-items: center; padding: 10px 8px; border-radius: 10px; }
        .row:hover { background: var(--webim-hover); }
        .blocked-body { flex: 1; min-width: 0; }
        .time { color: var(--webim-muted); font-size: 12px; }
        .row button { border: 1px solid var(--webim-border); background: var(--webim-surface-2); border-radius: 8px; padding: 5px 10px; cursor: pointer; }
        .bad { color: var(--webim-danger); padding: 0 10px; }
        "#
    );
    let rows = list.iter().map(|(id, name, time)| {
        let ask = {
            let (confirming, id) = (confirming.clone(), id.clone());
            Callback::from(move |_| confirming.set(Some(id.clone())))
        };
        let on_confirm = {
            let (effects, confirming, message, id) = (effects.clone(), confirming.clone(), message.clone(), id.clone());
            Callback::from(move |()| {
                confirming.set(None);
                let (effects, message, id) = (effects.clone(), message.clone(), id.clone());
                spawn_local(async move {
                    message.set(effects.unblock(&id).await.err().map(|code| code_sentence(lang, code)));
                });
            })
        };
        let on_cancel = {
            let confirming = confirming.clone();
            Callback::from(move |()| confirming.set(None))
        };
        let added = Tool::format_time_stamp(*time, Some("yyyy-MM-dd hh:mm"), local_offset_minutes());
        html! {
            <li key={id.to_string()} data-blocked={id.to_string()}>
                <div class="row">
                    <Avatar id={id.to_string()} name={name.clone()} size={36} />
                    <div class="blocked-body">
                        <div><strong>{ name.clone() }</strong>{ " " }<span class="time">{ id.to_string() }</span></div>
                        <div class="time">{ t(lang, Phrase::AddedAt) }{ ": " }{ added }</div>
                    </div>
                    <button onclick={ask} data-action="unblock">{ t(lang, Phrase::Unblock) }</button>
                </div>
                if confirming.as_ref() == Some(id) {
                    <ConfirmBar question={t(lang, Phrase::ConfirmUnblock)} {on_confirm} {on_cancel} />
                }
            </li>
        }
    });
    html! {
        <div {class} id="blacklist-panel">
            <form onsubmit={on_block} novalidate=true>
                <input id="block-id" value={(*query).clone()} oninput={on_query}
                    placeholder={t(lang, Phrase::BlockAccount)} aria-label={t(lang, Phrase::BlockAccount)} />
                <button type="submit" id="block-submit">{ t(lang, Phrase::ToBlacklist) }</button>
            </form>
            if let Some(text) = &*message { <p class="bad" role="alert" id="blacklist-message">{ text.clone() }</p> }
            if list.is_empty() {
                <Placeholder text={t(lang, Phrase::NoBlacklist)} />
            } else {
                <ul>{ for rows }</ul>
            }
        </div>
    }
}
