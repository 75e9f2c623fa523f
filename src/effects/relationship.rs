//! The profile and the relationship chain, for the panels: each call returns the code a
//! person is told about (as a sentence), and the lists refresh themselves on every change,
//! here or in any other window (the SDK's relationship and profile events).

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use webim_proto::sns::friend_add::AddFriendItem;
use webim_proto::sns::friend_response::ResponseFriendItem;
use webim_proto::sns::{
    ADD_SOURCE_UNKNOWN, DeleteType, PendencyType, ResponseAction, black_list_get, friend_delete,
    pendency_delete, pendency_get,
};
use webim_proto::{AccountId, AllowType, ErrorCode, Gender, Tag, TagValue};
use webim_sdk::WebimError;

use super::{AppClient, Effects};
use crate::store::{Action, MyProfile, Request};

/// What a person searched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// The account.
    pub id: AccountId,
    /// Its nick.
    pub nick: String,
    /// Its gender.
    pub gender: Gender,
    /// Who may add it (a missing value means NeedConfirm).
    pub allow_type: AllowType,
}

/// The code to tell a person: for a batch failure (99999), the first failed account's.
pub fn code_of(e: &WebimError) -> ErrorCode {
    match e.code {
        ErrorCode::BatchFailure => e
            .results
            .iter()
            .map(|r| r.result_code)
            .find(|c| !c.is_success())
            .unwrap_or(ErrorCode::BatchFailure),
        code => code,
    }
}

fn profile_of(items: Vec<TagValue>) -> MyProfile {
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

async fn requests(client: &AppClient, kind: PendencyType) -> Vec<Request> {
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

impl Effects {
    fn client_or_err(&self) -> Result<Rc<AppClient>, ErrorCode> {
        self.client().ok_or(ErrorCode::NotLoggedIn)
    }

    /// Re-reads friends, friend requests and the blacklist.
    pub(super) fn refresh_relationships(self: &Rc<Self>) {
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

    /// Re-reads my profile.
    pub(super) fn refresh_profile(self: &Rc<Self>) {
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

    /// webim.js `getProfilePortrait` for one account typed into a search box.
    pub async fn lookup(&self, id: &str) -> Result<Lookup, ErrorCode> {
        let id = AccountId::new(id.trim()).map_err(|_| ErrorCode::NoSuchTarget)?;
        let client = self.client_or_err()?;
        let tags = vec![Tag::Nick, Tag::Gender, Tag::AllowType];
        let answer = client
            .get_profile_portrait(vec![id.clone()], tags)
            .await
            .map_err(|e| match e.code {
                ErrorCode::BatchFailure => ErrorCode::NoSuchTarget,
                _ => code_of(&e),
            })?;
        let item = answer
            .user_profile_item
            .into_iter()
            .next()
            .ok_or(ErrorCode::NoSuchTarget)?;
        let profile = profile_of(item.profile_item);
        Ok(Lookup {
            id,
            nick: profile.nick,
            gender: profile.gender,
            allow_type: profile.allow_type,
        })
    }

    /// webim.js `applyAddFriend`: the result code (0: friends now; 30539: request sent).
    pub async fn add_friend(
        self: &Rc<Self>,
        id: &AccountId,
        wording: &str,
    ) -> Result<ErrorCode, ErrorCode> {
        let item = AddFriendItem {
            to_account: id.clone(),
            remark: String::new(),
            add_source: ADD_SOURCE_UNKNOWN.to_owned(),
            add_wording: wording.to_owned(),
        };
        let answer = self
            .client_or_err()?
            .apply_add_friend(vec![item])
            .await
            .map_err(|e| code_of(&e))?;
        self.refresh_relationships();
        Ok(answer
            .result_item
            .first()
            .map_or(ErrorCode::Ok, |r| r.result_code))
    }

    /// webim.js `responseFriend`.
    pub async fn respond(
        self: &Rc<Self>,
        id: &AccountId,
        action: ResponseAction,
    ) -> Result<(), ErrorCode> {
        let item = ResponseFriendItem {
            to_account: id.clone(),
            remark: String::new(),
            response_action: action,
        };
        self.client_or_err()?
            .response_friend(vec![item])
            .await
            .map_err(|e| code_of(&e))?;
        self.refresh_relationships();
        Ok(())
    }

    /// webim.js `deletePendency`.
    pub async fn delete_request(
        self: &Rc<Self>,
        id: &AccountId,
        kind: PendencyType,
    ) -> Result<(), ErrorCode> {
        let request = pendency_delete::Request {
            from_account: None,
            to_account: vec![id.clone()],
            pendency_type: kind,
        };
        self.client_or_err()?
            .delete_pendency(request)
            .await
            .map_err(|e| code_of(&e))?;
        self.refresh_relationships();
        Ok(())
    }

    /// webim.js `deleteFriend`, from both lists or only mine.
    pub async fn delete_friend(
        self: &Rc<Self>,
        id: &AccountId,
        both: bool,
    ) -> Result<(), ErrorCode> {
        let delete_type = if both {
            DeleteType::Both
        } else {
            DeleteType::Single
        };
        let request = friend_delete::Request {
            from_account: None,
            to_account: vec![id.clone()],
            delete_type,
        };
        self.client_or_err()?
            .delete_friend(request)
            .await
            .map_err(|e| code_of(&e))?;
        self.refresh_relationships();
        Ok(())
    }

    /// webim.js `addBlackList`.
    pub async fn block(self: &Rc<Self>, id: &AccountId) -> Result<(), ErrorCode> {
        self.client_or_err()?
            .add_black_list(vec![id.clone()])
            .await
            .map_err(|e| code_of(&e))?;
        self.refresh_relationships();
        Ok(())
    }

    /// webim.js `deleteBlackList`.
    pub async fn unblock(self: &Rc<Self>, id: &AccountId) -> Result<(), ErrorCode> {
        self.client_or_err()?
            .delete_black_list(vec![id.clone()])
            .await
            .map_err(|e| code_of(&e))?;
        self.refresh_relationships();
        Ok(())
    }

    /// webim.js `setProfilePortrait` with the profile panel's three fields.
    pub async fn save_profile(self: &Rc<Self>, profile: MyProfile) -> Result<(), ErrorCode> {
        let items = vec![
            TagValue::Nick(profile.nick.clone()),
            TagValue::Gender(profile.gender),
            TagValue::AllowType(profile.allow_type),
        ];
        self.client_or_err()?
            .set_profile_portrait(items)
            .await
            .map_err(|e| code_of(&e))?;
        if let Some(me) = crate::store::me(&self.store.state()) {
            self.store
                .dispatch(Action::Nicks(vec![(me, profile.nick.clone())]));
        }
        self.store.dispatch(Action::Profile(profile));
        Ok(())
    }
}
