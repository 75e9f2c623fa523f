//! The app's components, one per file, each with its props and its styles beside it.

mod account_card;
mod add_friend;
pub mod attach;
pub mod attachment;
mod avatar;
pub mod blacklist_panel;
mod chat_pane;
pub mod composer;
pub mod confirm_bar;
mod connection_banner;
mod conversation_header;
mod emoticon_picker;
mod friend_list;
mod header;
mod login_form;
mod login_picker;
pub mod message_item;
mod message_list;
mod mute_toggle;
mod nav_tabs;
mod notification_clicks;
mod notify_setting;
mod placeholder;
mod prefs_toggles;
pub mod profile_panel;
pub mod requests_panel;
mod session_item;
mod session_list;
mod shell;
mod tab_title;
pub mod unread_badge;
pub mod viewer;

pub use account_card::AccountCard;
pub use add_friend::AddFriend;
pub use avatar::Avatar;
pub use blacklist_panel::BlacklistPanel;
pub use chat_pane::ChatPane;
pub use composer::Composer;
pub use confirm_bar::ConfirmBar;
pub use connection_banner::ConnectionBanner;
pub use conversation_header::ConversationHeader;
pub use emoticon_picker::EmoticonPicker;
pub use friend_list::FriendList;
pub use header::Header;
pub use login_form::LoginForm;
pub use login_picker::{LoginPicker, PickerAccount};
pub use message_item::MessageItem;
pub use message_list::{MessageList, ScrollEdge};
pub use mute_toggle::{MuteToggle, bell_icon};
pub use nav_tabs::NavTabs;
pub use notification_clicks::NotificationClicks;
pub use notify_setting::NotifySetting;
pub use placeholder::Placeholder;
pub use prefs_toggles::PrefsToggles;
pub use profile_panel::ProfilePanel;
pub use requests_panel::RequestsPanel;
pub use session_item::SessionItem;
pub use session_list::SessionList;
pub use shell::Shell;
pub use tab_title::TabTitle;
pub use unread_badge::UnreadBadge;

use crate::i18n::{Lang, Phrase, tr};
use crate::store::AppState;
use crate::store::hooks::use_selector;

/// The UI language, for components that show words.
#[yew::hook]
pub fn use_lang() -> Lang {
    use_selector((), |s: &AppState, _| s.lang)
}

/// A phrase in the current language.
pub fn t(lang: Lang, phrase: Phrase) -> &'static str {
    tr(lang, phrase)
}
