//! The open conversation: the peer's name and id, the messages, a "N new messages" button
//! when the reader is not at the bottom, and the composer. It decides which window of the
//! conversation is rendered (never more than [`view::MAX_WINDOW`] messages in the DOM).

pub(crate) mod view;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use stylist::yew::styled_component;
use webim_proto::AccountId;
use webim_sdk::{Msg, MsgKey};
use yew::prelude::*;

use view::{View, arrivals, arrived_unseen};

use super::attach::use_attach;
use super::viewer::{OpenPicture, use_viewer};
use super::{Composer, ConversationHeader, MessageList, ScrollEdge, t, use_lang};
use crate::effects::use_chat;
use crate::i18n::{Phrase, code_sentence};
use crate::store::hooks::{use_selector, use_store};
use crate::store::{AppState, display_name};

/// Props of [`ChatPane`].
#[derive(Debug, Properties, PartialEq)]
pub struct ChatPaneProps {
    /// The other party.
    pub peer: AccountId,
}

/// The chat pane.
#[styled_component]
pub fn ChatPane(props: &ChatPaneProps) -> Html {
    let lang = use_lang();
    let effects = use_chat();
    let peer = props.peer.clone();
    // The conversation's version (its messages changed) and whether older ones are being
    // fetched, in one selector.
    let (_version, loading) = use_selector(peer.clone(), |s: &AppState, p| {
        let version = s.versions.get(p).copied().unwrap_or(0);
        (version, s.loading_history.contains(p))
    });
    let name = use_selector(peer.clone(), display_name);
    // The draft seeds the composer once per conversation; following it would render the
    // whole pane on every keystroke.
    let store = use_store();
    let draft = use_memo(peer.clone(), |p| {
        store.state().drafts.get(p).cloned().unwrap_or_default()
    });
    let send_errors = use_selector((), |s: &AppState, _| s.send_errors.clone());
    // `_eq`: setting what is already there (sending at the bottom) renders nothing.
    let view = use_state_eq(|| View::NEWEST);
    let newest: Rc<RefCell<Option<(MsgKey, usize)>>> = use_mut_ref(|| None);
    let unseen = use_state_eq(|| 0usize);
    // What the screen reader is told: new messages only (the log itself is not live, so
    // opening a conversation or loading history reads nothing).
    let heard = use_state_eq(String::new);

    let window = effects.window(&peer, view.from_end, view.size);
    let errors: Rc<BTreeMap<MsgKey, String>> = Rc::new(
        window
            .msgs
            .iter()
            .filter_map(|m| {
                send_errors
                    .get(&m.key())
                    .map(|code| (m.key(), code_sentence(lang, *code)))
            })
            .collect(),
    );
    let total = window.above + window.msgs.len() + view.from_end;

    // New messages at the end while the reader is elsewhere: count them for the button.
    let last = window
        .msgs
        .last()
        .filter(|_| view.from_end == 0)
        .map(Msg::key);
    {
        let mut seen = newest.borrow_mut();
        let fresh = arrivals(seen.as_ref().map(|(k, _)| k), &window.msgs);
        if !fresh.is_empty() {
            let said: Vec<String> = fresh
                .iter()
                .map(|m| format!("{name}: {}", crate::i18n::msg_text(lang, m)))
                .collect();
            heard.set(said.join("\n"));
        }
        let arrived = arrived_unseen(seen.as_ref(), last.as_ref(), total, *view);
        if arrived > 0 {
            unseen.set(*unseen + arrived);
        }
        if let Some(key) = last {
            *seen = Some((key, total));
        }
    }

    let on_edge = {
        let (view, unseen, effects, peer) =
            (view.clone(), unseen.clone(), effects.clone(), peer.clone());
        let (above, complete) = (window.above, window.complete);
        Callback::from(move |edge: ScrollEdge| {
            let (next, load_older) = view.at_edge(edge, above, complete);
            if load_older {
                effects.load_older(&peer);
            }
            if edge == ScrollEdge::Bottom && next.follows_newest() {
                unseen.set(0);
            }
            view.set(next);
        })
    };
    // Back to the newest messages, followed again.
    let to_newest = {
        let (view, unseen) = (view.clone(), unseen.clone());
        Callback::from(move |()| {
            unseen.set(0);
            view.set(View::NEWEST);
        })
    };
    let jump = to_newest.reform(|_: MouseEvent| ());
    let attaching = use_attach(&peer, to_newest.clone());
    let (open_picture, viewer) = use_viewer(&window.msgs);
    let on_send = {
        let (effects, peer) = (effects.clone(), peer.clone());
        Callback::from(move |text: String| {
            let sent = effects.send_text(&peer, &text);
            if sent.is_ok() {
                // Sending takes the reader to their new message, as chat apps do.
                to_newest.emit(());
            }
            sent
        })
    };
    let on_draft = {
        let (effects, peer) = (effects.clone(), peer.clone());
        Callback::from(move |text: String| effects.set_draft(&peer, &text))
    };
    // One callback for the pane's life (per peer): a new one each render would make
    // every message row render again for each new message.
    let on_retry = use_callback(peer.clone(), move |msg: Msg, peer| {
        effects.retry(peer, msg.key());
    });
    let class = css!(
        r#"
        flex: 1; display: flex; flex-direction: column; min-width: 0; min-height: 0; position: relative;
        .new {
            position: absolute; right: 18px; bottom: 92px; border: 0; border-radius: 16px;
            padding: 8px 14px; background: var(--webim-accent); color: var(--webim-accent-text);
            box-shadow: var(--webim-shadow); cursor: pointer; font-weight: 600;
        }
        "#
    );
    html! {
        <section {class} id="chat-pane" aria-label={name.clone()} data-peer={peer.to_string()}
            ondrop={attaching.ondrop} ondragover={attaching.ondragover}>
            <ConversationHeader peer={peer.clone()} name={name.clone()} />
            <ContextProvider<OpenPicture> context={open_picture}>
            <MessageList msgs={window.msgs} peer_name={name} complete={window.complete && window.above == 0}
                loading={loading && window.above == 0} stick={view.follows_newest()} {on_edge} more_above={window.above > 0 || !window.complete} {on_retry} {errors}
                tail={attaching.rows} />
            </ContextProvider<OpenPicture>>
            { viewer }
            if *unseen > 0 {
                <button class="new" id="new-messages" onclick={jump}>{ format!("{} {}", *unseen, t(lang, Phrase::NewMessages)) }</button>
            }
            { attaching.preview }
            <Composer key={peer.to_string()} initial={(*draft).clone()} {on_send} {on_draft}
                on_attach={attaching.on_pick} />
            <p class="visually-hidden" role="status" id="chat-announcer">{ (*heard).clone() }</p>
        </section>
    }
}
