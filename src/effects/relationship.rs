//! The profile and the relationship chain, for the panels: each call returns the code a
//! person is told about (as a sentence), and the lists refresh themselves on every change,
//! here or in any other window (the SDK's relationship and profile events, which it raises
//! for this client's own changes too: a call never refreshes them itself).

use std::rc::Rc;

use webim_proto::sns::friend_add::AddFriendItem;
use webim_proto::sns::friend_response::ResponseFriendItem;
use webim_proto::sns::{
    ADD_SOURCE_UNKNOWN, DeleteType, PendencyType, ResponseAction, friend_delete, pendency_delete,
};
use webim_proto::{AccountId, AllowType, ErrorCode, Gender, Tag, TagValue};
use webim_sdk::WebimError;

use super::refresh::profile_of;
use super::{AppClient, handle};
use crate::store::{Action, MyProfile};

handle!(
    /// The profile and the relationship chain: each call returns the code the asking panel
    /// shows; the lists change through the SDK's events.
    RelationshipHandle,
    use_relationship
);

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

impl RelationshipHandle {
    fn client(&self) -> Result<Rc<AppClient>, ErrorCode> {
        self.0.client().ok_or(ErrorCode::NotLoggedIn)
    }

    /// webim.js `getProfilePortrait` for one account typed into a search box.
    pub async fn lookup(&self, id: &str) -> Result<Lookup, ErrorCode> {
        let id = AccountId::new(id.trim()).map_err(|_| ErrorCode::NoSuchTarget)?;
        let client = self.client()?;
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
    pub async fn add_friend(&self, id: &AccountId, wording: &str) -> Result<ErrorCode, ErrorCode> {
        let item = AddFriendItem {
            to_account: id.clone(),
            remark: String::new(),
            add_source: ADD_SOURCE_UNKNOWN.to_owned(),
            add_wording: wording.to_owned(),
        };
        let answer = self
            .client()?
            .apply_add_friend(vec![item])
            .await
            .map_err(|e| code_of(&e))?;
        Ok(answer
            .result_item
            .first()
            .map_or(ErrorCode::Ok, |r| r.result_code))
    }

    /// webim.js `responseFriend`.
    pub async fn respond(&self, id: &AccountId, action: ResponseAction) -> Result<(), ErrorCode> {
        let item = ResponseFriendItem {
            to_account: id.clone(),
            remark: String::new(),
            response_action: action,
        };
        self.client()?
            .response_friend(vec![item])
            .await
            .map_err(|e| code_of(&e))?;
        Ok(())
    }

    /// webim.js `deletePendency`.
    pub async fn delete_request(
        &self,
        id: &AccountId,
        kind: PendencyType,
    ) -> Result<(), ErrorCode> {
        let request = pendency_delete::Request {
            from_account: None,
            to_account: vec![id.clone()],
            pendency_type: kind,
        };
        self.client()?
            .delete_pendency(request)
            .await
            .map_err(|e| code_of(&e))?;
        Ok(())
    }

    /// webim.js `deleteFriend`, from both lists or only mine.
    pub async fn delete_friend(&self, id: &AccountId, both: bool) -> Result<(), ErrorCode> {
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
        self.client()?
            .delete_friend(request)
            .await
            .map_err(|e| code_of(&e))?;
        Ok(())
    }

    /// webim.js `addBlackList`.
    pub async fn block(&self, id: &AccountId) -> Result<(), ErrorCode> {
        self.client()?
            .add_black_list(vec![id.clone()])
            .await
            .map_err(|e| code_of(&e))?;
        Ok(())
    }

    /// webim.js `deleteBlackList`.
    pub async fn unblock(&self, id: &AccountId) -> Result<(), ErrorCode> {
        self.client()?
            .delete_black_list(vec![id.clone()])
            .await
            .map_err(|e| code_of(&e))?;
        Ok(())
    }

    /// webim.js `setProfilePortrait` with the profile panel's three fields.
    pub async fn save_profile(&self, profile: MyProfile) -> Result<(), ErrorCode> {
        let items = vec![
            TagValue::Nick(profile.nick.clone()),
            TagValue::Gender(profile.gender),
            TagValue::AllowType(profile.allow_type),
        ];
        self.client()?
            .set_profile_portrait(items)
            .await
            .map_err(|e| code_of(&e))?;
        // Shown at once; the SDK's profile event reads it back from the service.
        let store = &self.0.store;
        if let Some(me) = crate::store::me(&store.state()) {
            store.dispatch(Action::Nicks(vec![(me, profile.nick.clone())]));
        }
        store.dispatch(Action::Profile(profile));
        Ok(())
    }
}
