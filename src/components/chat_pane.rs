//! The open conversation: the peer's name and id, the messages, a "N new messages" button
//! when the reader is not at the bottom, and the composer. It decides which window of the
//! conversation is rendered (never more than [`MAX_WINDOW`] messages in the DOM).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use stylist::yew::styled_component;
use webim_proto::AccountId;
use webim_sdk::{Msg, MsgKey};
use yew::prelude::*;
use yew_router::prelude::*;

use super::{Avatar, Composer, MessageList, ScrollEdge, t, use_lang};
use crate::effects::use_effects;
use crate::i18n::{Phrase, code_sentence};
use crate::route::Route;
use crate::store::hooks::{use_selector, use_store};
use crate::store::{AppState, display_name};

/// Messages rendered when a conversation opens.
pub const FIRST_WINDOW: usize = 60;
/// The most messages ever in the DOM at once.
pub const MAX_WINDOW: usize = 200;
/// How far the window moves at a time.
const STEP: usize = 50;

/// Which slice is on screen: `size` messages ending `from_end` before the newest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct View {
    from_end: usize,
    size: usize,
    stick: bool,
}

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
    let effects = use_effects();
    let navigator = use_navigator();
    let peer = props.peer.clone();
    let _version = use_selector(peer.clone(), |s: &AppState, p| {
        s.versions.get(p).copied().unwrap_or(0)
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
    let view = use_state_eq(|| View {
        from_end: 0,
        size: FIRST_WINDOW,
        stick: true,
    });
    let newest: Rc<RefCell<Option<(MsgKey, usize)>>> = use_mut_ref(|| None);
    let unseen = use_state_eq(|| 0usize);

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
    let loading = effects.is_loading_history(&peer);
    let total = window.above + window.msgs.len() + view.from_end;

    // New messages at the end while the reader is elsewhere: count them for the button.
    let last = window
        .msgs
        .last()
        .filter(|_| view.from_end == 0)
        .map(Msg::key);
    {
        let mut seen = newest.borrow_mut();
        if let (Some((old_key, old_total)), Some(key)) = (seen.as_ref(), last.as_ref())
            && old_key != key
            && !view.stick
            && total > *old_total
        {
            unseen.set(*unseen + (total - old_total));
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
            let v = *view;
            let next = match edge {
                ScrollEdge::Top if above > 0 && v.size < MAX_WINDOW => View {
                    size: (v.size + STEP).min(MAX_WINDOW),
                    stick: false,
                    ..v
                },
                ScrollEdge::Top if above > 0 => View {
                    from_end: v.from_end + STEP.min(above),
                    stick: false,
                    ..v
                },
                ScrollEdge::Top => {
                    if !complete {
                        effects.load_older(&peer);
                    }
                    v
                }
                ScrollEdge::Bottom if v.from_end > 0 => View {
                    from_end: v.from_end.saturating_sub(STEP),
                    stick: false,
                    ..v
                },
                ScrollEdge::Bottom => {
                    unseen.set(0);
                    View { stick: true, ..v }
                }
                ScrollEdge::Away => View { stick: false, ..v },
            };
            view.set(next);
        })
    };
    let jump = {
        let (view, unseen) = (view.clone(), unseen.clone());
        Callback::from(move |_| {
            unseen.set(0);
            view.set(View {
                from_end: 0,
                size: FIRST_WINDOW,
                stick: true,
            });
        })
    };
    let on_send = {
        let (effects, peer, view, unseen) =
            (effects.clone(), peer.clone(), view.clone(), unseen.clone());
        Callback::from(move |text: String| {
            // Sending takes the reader to their new message, as chat apps do.
            unseen.set(0);
            view.set(View {
                from_end: 0,
                size: FIRST_WINDOW,
                stick: true,
            });
            let _ = effects.send_text(&peer, &text);
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
    let back = Callback::from(move |_| {
        if let Some(n) = &navigator {
            n.push(&Route::Chats);
        }
    });

    let class = css!(
        r#"
        flex: 1; display: flex; flex-direction: column; min-width: 0; min-height: 0; position: relative;
        > header {
            display: flex; align-items: center; gap: 10px; padding: 10px 14px;
            background: var(--webim-surface); border-bottom: 1px solid var(--webim-border);
        }
        > header h2 { font-size: 16px; }
        > header .id { font-size: 12px; color: var(--webim-muted); }
        .back { display: none; border: 0; background: transparent; font-size: 20px; cursor: pointer; padding: 4px 8px; }
        @media (max-width: 719px) { .back { display: inline-block; } }
        .new {
            position: absolute; right: 18px; bottom: 92px; border: 0; border-radius: 16px;
            padding: 8px 14px; background: var(--webim-accent); color: var(--webim-accent-text);
            box-shadow: var(--webim-shadow); cursor: pointer; font-weight: 600;
        }
        "#
    );
    html! {
        <section {class} id="chat-pane" aria-label={name.clone()} data-peer={peer.to_string()}>
            <header>
                <button class="back" onclick={back} aria-label={t(lang, Phrase::Back)}>{ "‹" }</button>
                <Avatar id={peer.to_string()} name={name.clone()} size={36} />
                <div>
                    <h2 id="chat-title">{ name.clone() }</h2>
                    <div class="id">{ peer.to_string() }</div>
                </div>
            </header>
            <MessageList msgs={window.msgs} peer_name={name} complete={window.complete && window.above == 0}
                loading={loading && window.above == 0} stick={view.stick && view.from_end == 0} {on_edge} more_above={window.above > 0 || !window.complete} {on_retry} {errors} />
            if *unseen > 0 {
                <button class="new" id="new-messages" onclick={jump}>{ format!("{} {}", *unseen, t(lang, Phrase::NewMessages)) }</button>
            }
            <Composer key={peer.to_string()} initial={(*draft).clone()} {on_send} {on_draft} />
        </section>
    }
}
