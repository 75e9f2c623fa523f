//! The messages of the conversation on screen (a list in a `role="log"` box, not itself live:
//! the chat pane announces only new arrivals, so history is never read aloud): a window of at most
//! [`crate::components::chat_pane::view::MAX_WINDOW`] messages, with date separators and
//! consecutive messages of one sender grouped. It reports when the reader reaches the top
//! or the bottom, keeps the view still when messages are added above, and stays at the
//! bottom only if the reader was there.

mod rows;
mod scroll;

use std::collections::BTreeMap;
use std::rc::Rc;

use stylist::yew::styled_component;
use webim_sdk::{Msg, MsgKey, Tool};
use yew::prelude::*;

use rows::{Day, Row, rows};
use scroll::use_scroll_keeper;

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
    /// Rows after the newest message (pictures and files on their way up).
    #[prop_or_default]
    pub tail: Html,
}

fn day_label(lang: Lang, day: &Day) -> String {
    match day {
        Day::Today => t(lang, Phrase::Today).to_owned(),
        Day::Yesterday => t(lang, Phrase::Yesterday).to_owned(),
        // The local day's midnight, formatted as UTC, is that day's date.
        Day::Earlier(days) => {
            let midnight = u64::try_from(days.saturating_mul(86_400)).unwrap_or(0);
            Tool::format_time_stamp(webim_proto::Timestamp(midnight), Some("yyyy-MM-dd"), 0)
        }
    }
}

/// The message list.
#[styled_component]
pub fn MessageList(props: &MessageListProps) -> Html {
    let lang = use_lang();
    let list = use_node_ref();
    let fill = props.more_above && !props.loading;
    let onscroll = use_scroll_keeper(list.clone(), props.stick, fill, props.on_edge.clone());

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
    for row in rows(&props.msgs, now, offset) {
        items.push(match row {
            Row::Day(day) => {
                let day = day_label(lang, &day);
                html! { <li class="day" key={format!("day-{day}")}>{ day }</li> }
            }
            Row::Msg { msg, grouped } => {
                let name = (!grouped && !msg.is_send()).then(|| props.peer_name.clone());
                let time = Tool::format_time_stamp(msg.time(), Some("hh:mm"), offset);
                let key = msg.key();
                html! {
                    <li key={format!("{}/{}/{}", key.from, key.seq, key.random.0)}>
                        <MessageItem msg={msg.clone()} {name} time={time} on_retry={props.on_retry.clone()}
                            error={props.errors.get(&key).map(|e| AttrValue::from(e.clone()))} />
                    </li>
                }
            }
        });
    }
    let label = format!("{}{}", t(lang, Phrase::MessagesOf), props.peer_name);
    html! {
        // The log is the scrolling box; the messages in it stay a list for assistive
        // technology (a list's own role cannot be "log"). Busy while older history is
        // put in above, so that is not read out as news.
        // Focusable, so a keyboard alone can scroll the history (arrow keys, Page Up).
        <div {class} ref={list} id="message-list" role="log" aria-live="off" tabindex="0"
            aria-label={label} aria-busy={props.loading.to_string()} {onscroll}>
            <ol>{ for items }{ props.tail.clone() }</ol>
        </div>
    }
}
