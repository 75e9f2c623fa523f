//! One conversation in the session list: avatar, name, time, last message, unread badge.

use stylist::yew::styled_component;
use webim_proto::Timestamp;
use webim_sdk::{SendStatus, Tool};
use yew::prelude::*;

use super::{Avatar, UnreadBadge, bell_icon, t, use_lang};
use crate::i18n::{Lang, Phrase};

/// Props of [`SessionItem`].
#[derive(Debug, Properties, PartialEq)]
pub struct SessionItemProps {
    /// The peer's id.
    pub peer: AttrValue,
    /// The peer's name (nick, else id).
    pub name: AttrValue,
    /// The newest message as text.
    pub preview: AttrValue,
    /// The newest message's time.
    pub time: Timestamp,
    /// Unread messages.
    pub unread: u32,
    /// True if this conversation is open.
    pub active: bool,
    /// An unsent draft, if any.
    #[prop_or_default]
    pub draft: Option<AttrValue>,
    /// The newest message's status (a failed send is marked).
    pub status: SendStatus,
    /// True if I muted the conversation.
    #[prop_or_default]
    pub muted: bool,
    /// Opens the conversation.
    pub on_open: Callback<AttrValue>,
}

/// Local day number and offset of the browser's time zone, in minutes east of UTC.
pub fn local_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// Today's messages by their time (`HH:mm`), older ones by their date.
pub fn list_time(time: Timestamp, now: Timestamp, offset: i32) -> String {
    let day = |t: Timestamp| (t.0 as i64 + i64::from(offset) * 60).div_euclid(86_400);
    let format = if day(time) == day(now) {
        "hh:mm"
    } else {
        "yyyy-MM-dd"
    };
    Tool::format_time_stamp(time, Some(format), offset)
}

/// A session row.
#[styled_component]
pub fn SessionItem(props: &SessionItemProps) -> Html {
    let lang: Lang = use_lang();
    let class = css!(
        r#"
        width: 100%; display: flex; gap: 12px; align-items: center; padding: 10px 12px;
        border: 0; background: transparent; text-align: left; cursor: pointer; border-radius: 10px;
        &:hover { background: var(--webim-hover); }
        &[aria-current="true"] { background: var(--webim-active); }
        .body { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 3px; }
        .top, .bottom { display: flex; align-items: center; gap: 8px; }
        .name { flex: 1; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .time { font-size: 12px; color: var(--webim-muted); flex: none; }
        .preview { flex: 1; color: var(--webim-muted); font-size: 13px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .draft, .failed { color: var(--webim-danger); }
        .muted { flex: none; color: var(--webim-muted); line-height: 0; }
        "#
    );
    let onclick = {
        let (peer, on_open) = (props.peer.clone(), props.on_open.clone());
        Callback::from(move |_| on_open.emit(peer.clone()))
    };
    let now = crate::embedded::now();
    html! {
        <li>
            <button {class} {onclick} aria-current={props.active.to_string()} data-peer={props.peer.clone()}>
                <Avatar id={props.peer.clone()} name={props.name.clone()} size={42} />
                <span class="body">
                    <span class="top">
                        <span class="name">{ props.name.clone() }</span>
                        if props.muted {
                            <span class="muted" role="img" aria-label={t(lang, Phrase::Muted)} title={t(lang, Phrase::Muted)}>{ bell_icon(true, 14) }</span>
                        }
                        <span class="time">{ list_time(props.time, now, local_offset_minutes()) }</span>
                    </span>
                    <span class="bottom">
                        <span class="preview">
                            if let Some(draft) = &props.draft {
                                <span class="draft">{ t(lang, Phrase::Draft) }</span>{ " " }{ draft.clone() }
                            } else {
                                if props.status == SendStatus::Failed { <span class="failed">{ "! " }</span> }
                                { props.preview.clone() }
                            }
                        </span>
                        <UnreadBadge count={props.unread} />
                    </span>
                </span>
            </button>
        </li>
    }
}
