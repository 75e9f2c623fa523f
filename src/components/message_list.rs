//! The messages of the conversation on screen (`role="log"`): a window of at most
//! [`crate::components::chat_pane::MAX_WINDOW`] messages, with date separators and
//! consecutive messages of one sender grouped. It reports when the reader reaches the top
//! or the bottom, keeps the view still when messages are added above, and stays at the
//! bottom only if the reader was there.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use stylist::yew::styled_component;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use webim_sdk::{Msg, MsgKey, Tool};
use yew::prelude::*;

use super::session_item::local_offset_minutes;
use super::{MessageItem, t, use_lang};
use crate::i18n::{Lang, Phrase};

/// Where the reader scrolled to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScrollEdge {
    /// Near the top: older messages are wanted.
    Top,
    /// At the bottom.
    Bottom,
    /// Somewhere in between.
    Away,
}

/// Props of [`MessageList`].
#[derive(Debug, Properties, PartialEq)]
pub struct MessageListProps {
    /// The messages shown, oldest first.
    pub msgs: Rc<[Msg]>,
    /// The peer's name (for their messages and the label).
    pub peer_name: AttrValue,
    /// True when nothing older exists.
    pub complete: bool,
    /// True while older messages are loading.
    pub loading: bool,
    /// True if older messages exist above the ones shown (held or not yet fetched).
    #[prop_or_default]
    pub more_above: bool,
    /// Keep the view at the bottom after this render.
    pub stick: bool,
    /// The reader reached an edge.
    pub on_edge: Callback<ScrollEdge>,
    /// Retry a failed message.
    pub on_retry: Callback<Msg>,
    /// Why my failed messages failed, as sentences.
    #[prop_or_default]
    pub errors: Rc<BTreeMap<MsgKey, String>>,
}

/// Seconds between two messages of one sender that still make one group.
const GROUP_SECS: u64 = 300;

fn day_label(lang: Lang, time: u64, now: u64, offset: i32) -> String {
    let day = |t: u64| (t as i64 + i64::from(offset) * 60).div_euclid(86_400);
    match day(now) - day(time) {
        0 => t(lang, Phrase::Today).to_owned(),
        1 => t(lang, Phrase::Yesterday).to_owned(),
        _ => Tool::format_time_stamp(webim_proto::Timestamp(time), Some("yyyy-MM-dd"), offset),
    }
}

/// The message list.
#[styled_component]
pub fn MessageList(props: &MessageListProps) -> Html {
    let lang = use_lang();
    let list = use_node_ref();
    // The first message in view and its distance from the top, kept while scrolling.
    let anchor: Rc<RefCell<Option<(String, f64)>>> = use_mut_ref(|| None);
    {
        let (list, anchor, stick) = (list.clone(), anchor.clone(), props.stick);
        let fill = (props.more_above && !props.loading).then(|| props.on_edge.clone());
        use_effect(move || {
            let Some(el) = list.cast::<HtmlElement>() else {
                return;
            };
            // Nothing to scroll yet but more above: bring it in until the view is full.
            if let Some(on_edge) = fill.filter(|_| el.scroll_height() <= el.client_height()) {
                on_edge.emit(ScrollEdge::Top);
            }
            if stick {
                el.set_scroll_top(el.scroll_height());
                return;
            }
            let kept = anchor.borrow().clone();
            if let Some((key, offset)) = kept {
                let target = el
                    .query_selector(&format!("[data-key=\"{key}\"]"))
                    .ok()
                    .flatten();
                if let Some(item) = target.and_then(|t| t.dyn_into::<HtmlElement>().ok()) {
                    el.set_scroll_top((f64::from(item.offset_top()) - offset) as i32);
                }
            }
        });
    }
    let onscroll = {
        let (list, on_edge) = (list.clone(), props.on_edge.clone());
        Callback::from(move |_| {
            let Some(el) = list.cast::<HtmlElement>() else {
                return;
            };
            let top = f64::from(el.scroll_top());
            let items = el.query_selector_all("[data-key]").ok();
            let first = items.and_then(|all| {
                (0..all.length())
                    .filter_map(|i| all.item(i)?.dyn_into::<HtmlElement>().ok())
                    .find(|item| f64::from(item.offset_top() + item.offset_height()) > top)
            });
            *anchor.borrow_mut() = first.and_then(|item| {
                Some((
                    item.get_attribute("data-key")?,
                    f64::from(item.offset_top()) - top,
                ))
            });
            let bottom_gap = f64::from(el.scroll_height()) - top - f64::from(el.client_height());
            // At the bottom first: a conversation shorter than the view is at both ends, and
            // then new messages must keep it at the bottom.
            on_edge.emit(if bottom_gap < 40.0 {
                ScrollEdge::Bottom
            } else if top < 80.0 {
                ScrollEdge::Top
            } else {
                ScrollEdge::Away
            });
        })
    };

    let class = css!(
        r#"
        flex: 1; overflow-y: auto; padding: 8px 0 12px; overscroll-behavior: contain;
        .day { text-align: center; font-size: 12px; color: var(--webim-muted); margin: 12px 0 4px; }
        .edge { text-align: center; font-size: 12px; color: var(--webim-muted); padding: 10px; }
        "#
    );
    let offset = local_offset_minutes();
    let now = crate::embedded::now().0;
    let mut items: Vec<Html> = Vec::with_capacity(props.msgs.len() * 2 + 1);
    if props.loading {
        items.push(html! { <li class="edge" key="edge">{ t(lang, Phrase::LoadingHistory) }</li> });
    } else if props.complete {
        items.push(html! { <li class="edge" key="edge">{ t(lang, Phrase::HistoryStart) }</li> });
    }
    let mut previous: Option<&Msg> = None;
    for msg in props.msgs.iter() {
        let day = day_label(lang, msg.time().0, now, offset);
        let new_day = previous.is_none_or(|p| day_label(lang, p.time().0, now, offset) != day);
        if new_day {
            items.push(
                html! { <li class="day" role="separator" key={format!("day-{day}")}>{ day }</li> },
            );
        }
        let grouped = !new_day
            && previous.is_some_and(|p| {
                p.from_account() == msg.from_account()
                    && msg.time().0.saturating_sub(p.time().0) < GROUP_SECS
            });
        let name = (!grouped && !msg.is_send()).then(|| props.peer_name.clone());
        let time = Tool::format_time_stamp(msg.time(), Some("hh:mm"), offset);
        let key = msg.key();
        items.push(html! {
            <li key={format!("{}/{}/{}", key.from, key.seq, key.random.0)}>
                <MessageItem msg={msg.clone()} {name} time={time} on_retry={props.on_retry.clone()}
                    error={props.errors.get(&key).map(|e| AttrValue::from(e.clone()))} />
            </li>
        });
        previous = Some(msg);
    }
    let label = format!("{}{}", t(lang, Phrase::MessagesOf), props.peer_name);
    html! {
        <ol {class} ref={list} id="message-list" role="log" aria-live="polite" aria-label={label} {onscroll}>
            { for items }
        </ol>
    }
}
