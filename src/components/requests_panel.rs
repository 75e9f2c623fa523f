//! Friend requests to me and from me (webim.js `getPending`), live: each with the other
//! party, the wording and the time. Incoming ones can be accepted and added (the default),
//! accepted only, or rejected; any can be deleted (with confirmation).

use stylist::yew::styled_component;
use wasm_bindgen_futures::spawn_local;
use webim_proto::AccountId;
use webim_proto::sns::{PendencyType, ResponseAction};
use webim_sdk::Tool;
use yew::prelude::*;

use super::session_item::local_offset_minutes;
use super::{Avatar, ConfirmBar, Placeholder, t, use_lang};
use crate::effects::use_relationship;
use crate::i18n::{Phrase, code_sentence};
use crate::store::hooks::use_selector;
use crate::store::{AppState, Request};

/// The requests panel.
#[styled_component]
pub fn RequestsPanel() -> Html {
    let lang = use_lang();
    let effects = use_relationship();
    let (incoming, outgoing) = use_selector((), |s: &AppState, _| {
        (s.requests_in.clone(), s.requests_out.clone())
    });
    let confirming = use_state(|| None::<(AccountId, PendencyType)>);
    let message = use_state(|| None::<String>);

    let act = {
        let message = message.clone();
        move |peer: AccountId, action: Option<ResponseAction>, kind: PendencyType| {
            let (effects, message) = (effects.clone(), message.clone());
            spawn_local(async move {
                let result = match action {
                    Some(action) => effects.respond(&peer, action).await,
                    None => effects.delete_request(&peer, kind).await,
                };
                message.set(result.err().map(|code| code_sentence(lang, code)));
            });
        }
    };
    let class = css!(
        r#"
        overflow-y: auto; padding: 6px;
        h3 { font-size: 13px; color: var(--webim-muted); margin: 10px 8px 4px; font-weight: 600; }
        .request { display: flex; gap: 10px; align-items: flex-start; padding: 10px 8px; border-radius: 10px; }
        .request:hover { background: var(--webim-hover); }
        .request-body { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 2px; }
        .wording { color: var(--webim-muted); font-size: 13px; overflow-wrap: anywhere; }
        .time { color: var(--webim-muted); font-size: 12px; }
        .actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
        .actions button { border: 1px solid var(--webim-border); background: var(--webim-surface-2); border-radius: 8px; padding: 5px 10px; cursor: pointer; font-size: 13px; }
        .actions .primary { background: var(--webim-accent); color: var(--webim-accent-text); border-color: transparent; }
        .bad { color: var(--webim-danger); padding: 8px; }
        "#
    );
    let row = |r: &Request, kind: PendencyType| {
        let name = if r.nick.is_empty() {
            r.peer.to_string()
        } else {
            r.nick.clone()
        };
        let time =
            Tool::format_time_stamp(r.time, Some("yyyy-MM-dd hh:mm"), local_offset_minutes());
        let button = |phrase: Phrase, action: ResponseAction, name: &'static str, primary: bool| {
            let (act, peer) = (act.clone(), r.peer.clone());
            let onclick = Callback::from(move |_| act(peer.clone(), Some(action), kind));
            html! { <button class={primary.then_some("primary")} {onclick} data-action={name}>{ t(lang, phrase) }</button> }
        };
        let ask_delete = {
            let (confirming, peer) = (confirming.clone(), r.peer.clone());
            Callback::from(move |_| confirming.set(Some((peer.clone(), kind))))
        };
        let confirm_here = (*confirming)
            .as_ref()
            .is_some_and(|(p, k)| *p == r.peer && *k == kind);
        let on_confirm = {
            let (act, confirming, peer) = (act.clone(), confirming.clone(), r.peer.clone());
            Callback::from(move |()| {
                confirming.set(None);
                act(peer.clone(), None, kind);
            })
        };
        let on_cancel = {
            let confirming = confirming.clone();
            Callback::from(move |()| confirming.set(None))
        };
        html! {
            <li key={format!("{}-{}", kind_name(kind), r.peer)} data-request={r.peer.to_string()}>
                <div class="request">
                    <Avatar id={r.peer.to_string()} name={name.clone()} size={40} />
                    <div class="request-body">
                        <div><strong>{ name }</strong>{ " " }<span class="time">{ time }</span></div>
                        <div class="wording">{ r.wording.clone() }</div>
                        <div class="actions">
                            if kind == PendencyType::ComeIn {
                                { button(Phrase::AgreeAndAdd, ResponseAction::AgreeAndAdd, "AgreeAndAdd", true) }
                                { button(Phrase::Agree, ResponseAction::Agree, "Agree", false) }
                                { button(Phrase::Reject, ResponseAction::Reject, "Reject", false) }
                            }
                            <button onclick={ask_delete} data-action="Delete">{ t(lang, Phrase::DeleteRequest) }</button>
                        </div>
                    </div>
                </div>
                if confirm_here {
                    <ConfirmBar question={t(lang, Phrase::ConfirmDeleteRequest)} {on_confirm} {on_cancel} />
                }
            </li>
        }
    };
    let section = |phrase: Phrase, list: &[Request], kind: PendencyType, id: &'static str| {
        html! {
            <section {id}>
                <h3>{ t(lang, phrase) }</h3>
                if list.is_empty() {
                    <Placeholder text={t(lang, Phrase::NoRequests)} />
                } else {
                    <ul>{ for list.iter().map(|r| row(r, kind)) }</ul>
                }
            </section>
        }
    };
    html! {
        <div {class} id="requests-panel">
            if let Some(text) = &*message { <p class="bad" role="alert">{ text.clone() }</p> }
            { section(Phrase::Incoming, &incoming, PendencyType::ComeIn, "requests-in") }
            { section(Phrase::Outgoing, &outgoing, PendencyType::SendOut, "requests-out") }
        </div>
    }
}

/// A static name for each side of requests (row keys).
fn kind_name(kind: PendencyType) -> &'static str {
    match kind {
        PendencyType::ComeIn => "in",
        PendencyType::SendOut => "out",
    }
}
