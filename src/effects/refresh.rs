//! Re-reading what the lists show (sessions, nicks, friends, requests, the blacklist, my
//! profile) from the SDK. Called when the client starts and on the SDK's events, never by
//! a component: one change, one refresh.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use webim_proto::sns::{PendencyType, black_list_get, friend_get_all, pendency_get};
use webim_proto::{AccountId, AllowType, Gender, Tag, TagValue};

use super::{AppClient, Effects};
use crate::store::{Action, MyProfile, Request, SessionRow};

impl Effects {
    /// Rebuilds the session list from the SDK's `MsgStore`.
    pub(super) fn refresh_sessions(&self) {
        let Some(client) = self.client() else { return };
        let lang = self.store.state().lang;
        let rows: Vec<SessionRow> = client
            .msg_store()
            .sessions_newest_first()
            .filter_map(|s| {
                let last = s.msgs().last()?;
                Some(SessionRow {
                    peer: s.id().clone(),
                    unread: s.unread(),
                    time: s.time(),
                    preview: crate::i18n::msg_text(lang, last).into(),
                    from_me: last.is_send(),
                    status: last.status(),
                })
            })
            .collect();
        let unknown: Vec<AccountId> = {
            let state = self.store.state();
            let mut asked = self.nicks_asked.borrow_mut();
            rows.iter()
                .map(|r| r.peer.clone())
                .filter(|p| !state.nicks.contains_key(p) && asked.insert(p.clone()))
                .collect()
        };
        self.store.dispatch(Action::Sessions(rows));
        if !unknown.is_empty() {
            self.refresh_nicks_of(unknown);
        }
    }

    pub(super) fn refresh_nicks(&self, accounts: Vec<AccountId>) {
        self.nicks_asked
            .borrow_mut()
            .extend(accounts.iter().cloned());
        self.refresh_nicks_of(accounts);
    }

    fn refresh_nicks_of(&self, accounts: Vec<AccountId>) {
        let Some(client) = self.client() else { return };
        let store = self.store.clone();
        spawn_local(async move {
            if let Ok(answer) = client.get_profile_portrait(accounts, vec![Tag::Nick]).await {
                let nicks = answer.user_profile_item.into_iter().filter_map(|item| {
                    item.profile_item.into_iter().find_map(|v| match v {
                        TagValue::Nick(nick) => Some((item.to_account.clone(), nick)),
                        _ => None,
                    })
                });
                store.dispatch(Action::Nicks(nicks.collect()));
            }
        });
    }

    /// Re-reads friends, friend requests and the blacklist (the friends apart, so each
    /// list arrives as soon as it is read).
    pub(super) fn refresh_relationships(&self) {
        self.refresh_friends();
        let Some(client) = self.client() else { return };
        let store = self.store.clone();
        spawn_local(async move {
            let incoming = requests(&client, PendencyType::ComeIn).await;
            let outgoing = requests(&client, PendencyType::SendOut).await;
            store.dispatch(Action::Requests(incoming, outgoing));
            let request = black_list_get::Request {
                from_account: None,
                start_index: 0,
                max_limited: 0,
                last_sequence: 0,
            };
            if let Ok(answer) = client.get_black_list(request).await {
                let list = answer
                    .black_list_item
                    .into_iter()
                    .map(|b| (b.to_account, b.add_black_time_stamp));
                store.dispatch(Action::Blacklist(list.collect()));
            }
        });
    }

    fn refresh_friends(&self) {
        let Some(client) = self.client() else { return };
        let store = self.store.clone();
        spawn_local(async move {
            if let Ok(answer) = client.get_all_friend(all_friends()).await {
                let mut nicks = Vec::new();
                let mut friends = Vec::new();
                for item in answer.info_item {
                    for value in item.sns_profile_item {
                        if let TagValue::Nick(nick) = value {
                            nicks.push((item.info_account.clone(), nick));
                        }
                    }
                    friends.push(item.info_account);
                }
                store.dispatch(Action::Nicks(nicks));
                store.dispatch(Action::Friends(friends));
            }
        });
    }

    /// Re-reads my profile.
    pub(super) fn refresh_profile(&self) {
        let Some(client) = self.client() else { return };
        let Some(me) = client.identifier() else {
            return;
        };
        let store = self.store.clone();
        spawn_local(async move {
            let tags = vec![Tag::Nick, Tag::Gender, Tag::AllowType];
            let answer = client.get_profile_portrait(vec![me], tags).await;
            if let Some(item) = answer
                .ok()
                .and_then(|a| a.user_profile_item.into_iter().next())
            {
                store.dispatch(Action::Profile(profile_of(item.profile_item)));
            }
        });
    }
}

/// Every friend with their nick, in one page.
fn all_friends() -> friend_get_all::Request {
    friend_get_all::Request {
        from_account: None,
        time_stamp: Default::default(),
        start_index: 0,
        tag_list: vec![Tag::Nick],
        last_standard_sequence: 0,
        get_count: friend_get_all::MAX_PAGE,
    }
}

/// A profile's three fields from the service's items.
pub(super) fn profile_of(items: Vec<TagValue>) -> MyProfile {
    let mut profile = MyProfile {
        nick: String::new(),
        gender: Gender::Unknown,
        allow_type: AllowType::NeedConfirm,
    };
    for item in items {
        match item {
            TagValue::Nick(n) => profile.nick = n,
            TagValue::Gender(g) => profile.gender = g,
            TagValue::AllowType(a) => profile.allow_type = a,
            _ => {}
        }
    }
    profile
}

async fn requests(client: &Rc<AppClient>, kind: PendencyType) -> Vec<Request> {
    let request = pendency_get::Request {
        from_account: None,
        pendency_type: kind,
        start_time: Default::default(),
        max_limited: 0,
        last_sequence: 0,
    };
    client.get_pendency(request).await.map_or_else(
        |_| Vec::new(),
        |answer| {
            answer
                .pendency_item
                .into_iter()
                .map(|p| Request {
                    peer: p.to_account,
                    nick: p.nick,
                    wording: p.add_wording,
                    time: p.add_time,
                })
                .collect()
        },
    )
}
