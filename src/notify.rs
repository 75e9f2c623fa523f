//! Which arriving messages become desktop notifications, and what they say. Pure rules over
//! the store's snapshot, so they are tested natively; `effects::notify` shows the result.

use std::collections::BTreeMap;

use webim_proto::AccountId;
use webim_sdk::Msg;

use crate::i18n::Lang;
use crate::store::{self, AppState, Notify};

/// One desktop notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// The conversation it opens.
    pub peer: AccountId,
    /// Who wrote: their nick, else their id.
    pub title: String,
    /// The newest message as text (emoticons as their names), with how many came if more
    /// than one.
    pub body: String,
    /// One per conversation and account: a newer alert replaces the older one.
    pub tag: String,
}

/// Where the person is looking when messages arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attention<'a> {
    /// The conversation open in this tab, if any.
    pub viewing: Option<&'a AccountId>,
    /// Whether this tab is visible.
    pub visible: bool,
}

/// The tag of `me`'s notifications about `peer`.
pub fn tag(me: &AccountId, peer: &AccountId) -> String {
    format!("webim:{me}:{peer}")
}

/// The alerts for `msgs` (one sync's new messages, oldest first): at most one per
/// conversation, none when notifications are off, for my own messages, for the
/// conversation I am reading, or from a muted conversation or a blocked person.
pub fn alerts(state: &AppState, msgs: &[Msg], attention: Attention<'_>) -> Vec<Alert> {
    let Some(me) = store::me(state) else {
        return Vec::new();
    };
    if state.notify != Notify::On {
        return Vec::new();
    }
    let mut newest: BTreeMap<&AccountId, (&Msg, usize)> = BTreeMap::new();
    for msg in msgs.iter().filter(|m| !m.is_send()) {
        let peer = &msg.session().id;
        let reading = attention.visible && attention.viewing == Some(peer);
        if reading || store::is_muted(state, peer) || store::is_blocked(state, peer) {
            continue;
        }
        let entry = newest.entry(peer).or_insert((msg, 0));
        *entry = (msg, entry.1 + 1);
    }
    newest
        .into_iter()
        .map(|(peer, (msg, count))| Alert {
            peer: peer.clone(),
            title: store::display_name(state, peer),
            body: body(state.lang, &crate::i18n::msg_text(state.lang, msg), count),
            tag: tag(&me, peer),
        })
        .collect()
}

fn body(lang: Lang, text: &str, count: usize) -> String {
    match (count, lang) {
        (0 | 1, _) => text.to_owned(),
        (n, Lang::Zh) => format!("[{n}条] {text}"),
        (n, Lang::En) => format!("[{n} messages] {text}"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::rc::Rc;

    use webim_proto::{MsgRandom, MsgSeq, Timestamp};
    use webim_sdk::{Face, SessionKey, Text};

    use super::*;
    use crate::store::{Action, Login, reduce};

    fn id(s: &str) -> AccountId {
        AccountId::new(s).unwrap()
    }

    fn msg(from: &str, text: &str) -> Msg {
        let mut m = Msg::new(
            SessionKey::c2c(id(from)),
            false,
            MsgSeq(1),
            MsgRandom(7),
            Timestamp(100),
            id(from),
        );
        m.add_text(Text::new(text));
        m
    }

    fn state() -> AppState {
        let mut s = Rc::new(AppState {
            login: Login::In(id("me")),
            notify: Notify::On,
            ..AppState::default()
        });
        s = reduce(s, Action::Nicks(vec![(id("ann"), "Ann".to_owned())]));
        (*s).clone()
    }

    const AWAY: Attention<'static> = Attention {
        viewing: None,
        visible: false,
    };

    #[test]
    fn test_a_message_to_a_hidden_tab_is_one_alert_with_nick_and_text() {
        let mut hello = msg("ann", "hello ");
        hello.add_face(Face::new(0, "[惊讶]"));
        let alerts = alerts(&state(), &[hello], AWAY);
        assert_eq!(
            alerts,
            vec![Alert {
                peer: id("ann"),
                title: "Ann".to_owned(),
                body: "hello [惊讶]".to_owned(),
                tag: "webim:me:ann".to_owned(),
            }]
        );
    }

    #[test]
    fn test_alerts_are_grouped_per_conversation_with_the_newest_text() {
        let msgs = [msg("ann", "one"), msg("bob", "hi"), msg("ann", "two")];
        let alerts = alerts(&state(), &msgs, AWAY);
        assert_eq!(alerts.len(), 2);
        assert_eq!(
            (alerts[0].title.as_str(), alerts[0].body.as_str()),
            ("Ann", "[2条] two")
        );
        assert_eq!(
            (alerts[1].title.as_str(), alerts[1].body.as_str()),
            ("bob", "hi")
        );
    }

    #[test]
    fn test_no_alert_for_the_open_conversation_of_a_visible_tab_only() {
        let ann = id("ann");
        let reading = Attention {
            viewing: Some(&ann),
            visible: true,
        };
        assert!(alerts(&state(), &[msg("ann", "x")], reading).is_empty());
        let elsewhere = Attention {
            viewing: Some(&ann),
            visible: false,
        };
        assert_eq!(alerts(&state(), &[msg("ann", "x")], elsewhere).len(), 1);
        let other = Attention {
            viewing: Some(&ann),
            visible: true,
        };
        assert_eq!(alerts(&state(), &[msg("bob", "x")], other).len(), 1);
    }

    #[test]
    fn test_muted_blocked_mine_or_off_give_nothing() {
        let mut muted = state();
        muted.muted = Rc::new(BTreeSet::from([id("ann")]));
        assert!(alerts(&muted, &[msg("ann", "x")], AWAY).is_empty());
        let mut blocked = state();
        blocked.blacklist = Rc::new(vec![(id("ann"), Timestamp(1))]);
        assert!(alerts(&blocked, &[msg("ann", "x")], AWAY).is_empty());
        let mut mine = msg("ann", "x");
        mine = Msg::new(
            mine.session().clone(),
            true,
            MsgSeq(2),
            MsgRandom(1),
            Timestamp(1),
            id("me"),
        );
        assert!(alerts(&state(), &[mine], AWAY).is_empty());
        for notify in [Notify::Off, Notify::Denied, Notify::Unsupported] {
            let off = AppState { notify, ..state() };
            assert!(alerts(&off, &[msg("ann", "x")], AWAY).is_empty());
        }
        let out = AppState {
            login: Login::Out,
            ..state()
        };
        assert!(alerts(&out, &[msg("ann", "x")], AWAY).is_empty());
    }
}
