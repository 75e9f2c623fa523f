//! The app's state: one `Rc` snapshot, changed only by [`reduce`], a pure function of the
//! old snapshot and an [`Action`]. Everything that talks to the SDK, storage or timers is
//! in `effects`; components read slices through `store::hooks::use_selector`, so a change
//! re-renders only what shows it.
//!
//! Messages themselves stay in the SDK's `MsgStore` (the source of truth, never copied
//! whole); the state holds what lists need and a version per conversation.

pub mod hooks;
pub mod uploads;

pub use uploads::{UploadAction, UploadRow};

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use webim_proto::{AccountId, AllowType, ErrorCode, Gender, Timestamp};
use webim_sdk::{ConnectionState, MsgKey, SendStatus};

use crate::i18n::Lang;

/// The colour theme a person chose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ThemeChoice {
    /// Follow the system (the default).
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// Whether desktop notifications are shown (the browser's permission and my choice).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Notify {
    /// Off (the default: permission is asked only when I turn them on).
    #[default]
    Off,
    /// On: the browser allows them and I want them.
    On,
    /// The browser refuses them for this site (only its settings can change that).
    Denied,
    /// This browser cannot show them.
    Unsupported,
}

/// Where logging in stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Login {
    /// Nobody is logged in.
    #[default]
    Out,
    /// Logging in as this account.
    InProgress(AccountId),
    /// Logged in as this account.
    In(AccountId),
    /// The last attempt failed, with the reason.
    Failed(String),
}

/// One row of the session list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// The other party.
    pub peer: AccountId,
    /// Received messages not yet read.
    pub unread: u32,
    /// The newest message's time.
    pub time: Timestamp,
    /// The newest message as text (emoticons as their names).
    pub preview: Rc<str>,
    /// Whether I sent the newest message.
    pub from_me: bool,
    /// The newest message's send status.
    pub status: SendStatus,
}

/// One friend request, seen from my side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The other party.
    pub peer: AccountId,
    /// Their nick, as the service gave it.
    pub nick: String,
    /// The wording sent with it.
    pub wording: String,
    /// When it was made.
    pub time: Timestamp,
}

/// My own profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyProfile {
    /// `Tag_Profile_IM_Nick`.
    pub nick: String,
    /// `Tag_Profile_IM_Gender`.
    pub gender: Gender,
    /// `Tag_Profile_IM_AllowType`.
    pub allow_type: AllowType,
}

/// The whole state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppState {
    /// Who is logged in.
    pub login: Login,
    /// Whether the backend answers.
    pub connection: Option<ConnectionState>,
    /// The UI language.
    pub lang: Lang,
    /// The colour theme.
    pub theme: ThemeChoice,
    /// Nicks by account.
    pub nicks: Rc<BTreeMap<AccountId, String>>,
    /// Conversations, newest first.
    pub sessions: Rc<Vec<SessionRow>>,
    /// My friends.
    pub friends: Rc<Vec<AccountId>>,
    /// A counter per conversation, bumped whenever its messages change.
    pub versions: Rc<BTreeMap<AccountId, u64>>,
    /// Unsent text per conversation.
    pub drafts: Rc<BTreeMap<AccountId, String>>,
    /// Friend requests to me.
    pub requests_in: Rc<Vec<Request>>,
    /// Friend requests I sent.
    pub requests_out: Rc<Vec<Request>>,
    /// My blacklist, with when each was added.
    pub blacklist: Rc<Vec<(AccountId, Timestamp)>>,
    /// My profile, once read.
    pub profile: Option<MyProfile>,
    /// Why my failed messages failed.
    pub send_errors: Rc<BTreeMap<MsgKey, ErrorCode>>,
    /// Desktop notifications.
    pub notify: Notify,
    /// Conversations I muted (no notification from them).
    pub muted: Rc<BTreeSet<AccountId>>,
    /// The conversation on screen, if any.
    pub viewing: Option<AccountId>,
    /// True while this tab is hidden: it reads nothing and notifies about everything.
    pub hidden: bool,
    /// Conversations whose next older page is being fetched.
    pub loading_history: Rc<BTreeSet<AccountId>>,
    /// Conversations with nothing older to fetch: all of it is here.
    pub history_complete: Rc<BTreeSet<AccountId>>,
    /// Pictures and files on their way up.
    pub uploads: Rc<Vec<UploadRow>>,
}

/// Everything that changes the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Logging in as this account began.
    LoginStarted(AccountId),
    /// Logged in.
    LoggedIn(AccountId),
    /// Logging in failed.
    LoginFailed(String),
    /// Logged out: everything of the account goes.
    LoggedOut,
    /// The backend went away or came back.
    Connection(ConnectionState),
    /// The language changed.
    Lang(Lang),
    /// The theme changed.
    Theme(ThemeChoice),
    /// Nicks learnt or changed.
    Nicks(Vec<(AccountId, String)>),
    /// The session list as it is now.
    Sessions(Vec<SessionRow>),
    /// The friend list as it is now.
    Friends(Vec<AccountId>),
    /// These conversations' messages changed.
    Touched(Vec<AccountId>),
    /// A conversation's draft changed (empty: no draft).
    Draft(AccountId, String),
    /// Every draft, as loaded from storage.
    Drafts(BTreeMap<AccountId, String>),
    /// The friend requests as they are now (to me, from me).
    Requests(Vec<Request>, Vec<Request>),
    /// The blacklist as it is now.
    Blacklist(Vec<(AccountId, Timestamp)>),
    /// My profile as it is now.
    Profile(MyProfile),
    /// A message of mine failed, for this reason.
    SendFailed(MsgKey, ErrorCode),
    /// A message of mine was sent (a retry succeeded).
    SendOk(MsgKey),
    /// Desktop notifications were turned on or off, or the browser's permission changed.
    Notify(Notify),
    /// The muted conversations, as they are now.
    Muted(BTreeSet<AccountId>),
    /// The conversation on screen changed (`None`: none).
    Viewing(Option<AccountId>),
    /// The tab was hidden (`true`) or shown.
    Hidden(bool),
    /// A conversation's next older page is being fetched.
    HistoryLoading(AccountId),
    /// A conversation's page came (or failed); `complete`: nothing older exists.
    HistoryLoaded {
        /// The conversation.
        peer: AccountId,
        /// True when nothing older exists.
        complete: bool,
    },
    /// The service started afresh: whatever was known of every history is unknown again.
    HistoryForgotten,
    /// A picture or file on its way up changed.
    Upload(UploadAction),
}

/// The next state. Returns the same `Rc` when nothing changed, so nothing re-renders.
pub fn reduce(state: Rc<AppState>, action: Action) -> Rc<AppState> {
    let mut next = (*state).clone();
    match action {
        Action::LoginStarted(id) => next.login = Login::InProgress(id),
        Action::LoggedIn(id) => next.login = Login::In(id),
        Action::LoginFailed(why) => next.login = Login::Failed(why),
        Action::LoggedOut => {
            next = AppState {
                lang: state.lang,
                theme: state.theme,
                notify: state.notify,
                hidden: state.hidden,
                ..AppState::default()
            };
        }
        Action::Connection(c) => next.connection = Some(c),
        Action::Lang(lang) => next.lang = lang,
        Action::Theme(theme) => next.theme = theme,
        Action::Nicks(nicks) => {
            let mut map = (*state.nicks).clone();
            map.extend(nicks);
            next.nicks = Rc::new(map);
        }
        Action::Sessions(rows) => next.sessions = Rc::new(rows),
        Action::Friends(friends) => next.friends = Rc::new(friends),
        Action::Touched(peers) => {
            let mut versions = (*state.versions).clone();
            for peer in peers {
                *versions.entry(peer).or_default() += 1;
            }
            next.versions = Rc::new(versions);
        }
        Action::Draft(peer, text) => {
            let mut drafts = (*state.drafts).clone();
            if text.is_empty() {
                drafts.remove(&peer);
            } else {
                drafts.insert(peer, text);
            }
            next.drafts = Rc::new(drafts);
        }
        Action::Drafts(drafts) => next.drafts = Rc::new(drafts),
        Action::Requests(incoming, outgoing) => {
            next.requests_in = Rc::new(incoming);
            next.requests_out = Rc::new(outgoing);
        }
        Action::Blacklist(list) => next.blacklist = Rc::new(list),
        Action::Profile(profile) => next.profile = Some(profile),
        Action::SendFailed(key, code) => {
            let mut errors = (*state.send_errors).clone();
            errors.insert(key, code);
            next.send_errors = Rc::new(errors);
        }
        Action::SendOk(key) => {
            if state.send_errors.contains_key(&key) {
                let mut errors = (*state.send_errors).clone();
                errors.remove(&key);
                next.send_errors = Rc::new(errors);
            }
        }
        Action::Notify(notify) => next.notify = notify,
        Action::Muted(muted) => next.muted = Rc::new(muted),
        Action::Viewing(peer) => next.viewing = peer,
        Action::Hidden(hidden) => next.hidden = hidden,
        Action::HistoryLoading(peer) => {
            let mut loading = (*state.loading_history).clone();
            loading.insert(peer);
            next.loading_history = Rc::new(loading);
        }
        Action::HistoryLoaded { peer, complete } => {
            let mut loading = (*state.loading_history).clone();
            loading.remove(&peer);
            next.loading_history = Rc::new(loading);
            if complete {
                let mut done = (*state.history_complete).clone();
                done.insert(peer);
                next.history_complete = Rc::new(done);
            }
        }
        Action::HistoryForgotten => next.history_complete = Rc::default(),
        Action::Upload(action) => next.uploads = uploads::reduce(&state.uploads, action),
    }
    if next == *state { state } else { Rc::new(next) }
}

/// The account logged in, if any.
pub fn me(state: &AppState) -> Option<AccountId> {
    match &state.login {
        Login::In(id) => Some(id.clone()),
        _ => None,
    }
}

/// The name to show for an account: its nick, else its id.
pub fn display_name(state: &AppState, id: &AccountId) -> String {
    state
        .nicks
        .get(id)
        .filter(|n| !n.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| id.to_string())
}

/// True if `id` is in my blacklist.
pub fn is_blocked(state: &AppState, id: &AccountId) -> bool {
    state.blacklist.iter().any(|(b, _)| b == id)
}

/// True if I muted the conversation with `id`.
pub fn is_muted(state: &AppState, id: &AccountId) -> bool {
    state.muted.contains(id)
}

/// Unread messages over every conversation.
pub fn total_unread(state: &AppState) -> u32 {
    state
        .sessions
        .iter()
        .map(|s| s.unread)
        .fold(0, u32::saturating_add)
}

/// The tab title: `(3) WebIM` with unread messages, `WebIM` without.
pub fn title(unread: u32) -> String {
    match unread {
        0 => "WebIM".to_owned(),
        n => format!("({n}) WebIM"),
    }
}

/// The text of an unread badge: the count, `99+` above 99.
pub fn badge_text(unread: u32) -> String {
    if unread > 99 {
        "99+".to_owned()
    } else {
        unread.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> AccountId {
        AccountId::new(s).unwrap()
    }

    fn row(peer: &str, unread: u32) -> SessionRow {
        SessionRow {
            peer: id(peer),
            unread,
            time: Timestamp(1),
            preview: "hi".into(),
            from_me: false,
            status: SendStatus::Sent,
        }
    }

    #[test]
    fn test_an_action_that_changes_nothing_keeps_the_same_snapshot() {
        let state = Rc::new(AppState::default());
        let same = reduce(Rc::clone(&state), Action::Sessions(Vec::new()));
        assert!(Rc::ptr_eq(&state, &same));
        let changed = reduce(Rc::clone(&state), Action::Sessions(vec![row("a", 1)]));
        assert!(!Rc::ptr_eq(&state, &changed));
    }

    #[test]
    fn test_logout_forgets_the_account_but_keeps_language_and_theme() {
        let mut state = Rc::new(AppState::default());
        for action in [
            Action::Lang(Lang::En),
            Action::Theme(ThemeChoice::Dark),
            Action::LoggedIn(id("peakerdong")),
            Action::Sessions(vec![row("a", 2)]),
            Action::Draft(id("a"), "draft".to_owned()),
            Action::LoggedOut,
        ] {
            state = reduce(state, action);
        }
        assert_eq!(state.login, Login::Out);
        assert!(state.sessions.is_empty() && state.drafts.is_empty());
        assert_eq!((state.lang, state.theme), (Lang::En, ThemeChoice::Dark));
    }

    #[test]
    fn test_touching_a_conversation_bumps_only_its_version() {
        let state = reduce(Rc::new(AppState::default()), Action::Touched(vec![id("a")]));
        let state = reduce(state, Action::Touched(vec![id("a"), id("b")]));
        assert_eq!(state.versions.get(&id("a")), Some(&2));
        assert_eq!(state.versions.get(&id("b")), Some(&1));
    }

    #[test]
    fn test_history_is_per_conversation_and_a_reset_forgets_it() {
        let state = reduce(
            Rc::new(AppState::default()),
            Action::HistoryLoading(id("a")),
        );
        let state = reduce(state, Action::HistoryLoading(id("b")));
        let state = reduce(
            state,
            Action::HistoryLoaded {
                peer: id("b"),
                complete: true,
            },
        );
        let state = reduce(
            state,
            Action::HistoryLoaded {
                peer: id("a"),
                complete: false,
            },
        );
        assert!(state.loading_history.is_empty());
        assert_eq!(*state.history_complete, BTreeSet::from([id("b")]));
        let state = reduce(state, Action::HistoryForgotten);
        assert!(state.history_complete.is_empty());
    }

    #[test]
    fn test_an_empty_draft_is_no_draft() {
        let state = reduce(
            Rc::new(AppState::default()),
            Action::Draft(id("a"), "x".to_owned()),
        );
        assert_eq!(state.drafts.get(&id("a")).map(String::as_str), Some("x"));
        let state = reduce(state, Action::Draft(id("a"), String::new()));
        assert!(state.drafts.is_empty());
    }

    #[test]
    fn test_title_badge_and_names() {
        let state = reduce(
            Rc::new(AppState::default()),
            Action::Sessions(vec![row("a", 2), row("b", 1)]),
        );
        assert_eq!(title(total_unread(&state)), "(3) WebIM");
        assert_eq!(title(0), "WebIM");
        assert_eq!(badge_text(99), "99");
        assert_eq!(badge_text(100), "99+");
        let state = reduce(
            state,
            Action::Nicks(vec![
                (id("a"), "七月".to_owned()),
                (id("b"), " ".to_owned()),
            ]),
        );
        assert_eq!(display_name(&state, &id("a")), "七月");
        assert_eq!(
            display_name(&state, &id("b")),
            "b",
            "a blank nick shows the id"
        );
    }
}
