//! The profile and the relationship chain: webim.js `getProfilePortrait`,
//! `setProfilePortrait` and the nine `sns` calls (docs/protocol.md), with webim.js's rule that a
//! batch with any failed account is an error 99999 listing each failure (docs/sdk.md, "Calls
//! and callbacks").

use webim_proto::openim::longpolling::FriendNoticeType;
use webim_proto::profile::{MAX_NICK_BYTES, portrait_get, portrait_set};
use webim_proto::sns::{
    MAX_ADD_WORDING_BYTES, MAX_REMARK_BYTES, black_list_add, black_list_delete, black_list_get,
    friend_add, friend_delete, friend_get_all, friend_response, pendency_delete, pendency_get,
};
use webim_proto::{AccountId, BatchResponse, ErrorCode, ResultItem, Tag, TagValue};

use super::Client;
use crate::error::{ErrorOrigin, Result, WebimError};
use crate::event::SdkEvent;
use crate::transport::{Env, Transport};

impl<T: Transport, E: Env> Client<T, E> {
    /// webim.js `getProfilePortrait`: the profiles of `accounts` (the `tags` asked for).
    /// Any account that cannot be read makes it error 99999 with one line per account
    /// (`账号:<id>,[<code>]<info>`); the readable profiles are in the error's results.
    pub async fn get_profile_portrait(
        &self,
        accounts: Vec<AccountId>,
        tags: Vec<Tag>,
    ) -> Result<portrait_get::Response> {
        let request = portrait_get::Request {
            from_account: Some(self.me()?),
            to_account: accounts,
            tag_list: tags,
            last_standard_sequence: 0,
        };
        let answer = self.call(&request).await?;
        if answer.fail_account.is_empty() && answer.invalid_account.is_empty() {
            return Ok(answer);
        }
        let info = answer
            .user_profile_item
            .iter()
            .filter(|item| item.result_code != ErrorCode::Ok)
            .map(|item| {
                format!(
                    "账号:{},[{}]{}\n",
                    item.to_account, item.result_code, item.result_info
                )
            })
            .collect();
        Err(batch_error(info, Vec::new()))
    }

    /// webim.js `setProfilePortrait`: sets my own profile fields. A nick that is empty,
    /// only spaces or over 64 bytes is refused before sending (40604).
    pub async fn set_profile_portrait(&self, items: Vec<TagValue>) -> Result<()> {
        let me = self.me()?;
        for item in &items {
            check_profile_item(item)?;
        }
        let request = portrait_set::Request {
            from_account: Some(me.clone()),
            profile_item: items,
        };
        self.call(&request).await?;
        self.emit(SdkEvent::ProfileChanged(me));
        Ok(())
    }

    /// webim.js `applyAddFriend`: asks to add each account. Per account: 0 = friends now
    /// (AllowAny), 30539 = a request now waits for them (NeedConfirm), otherwise why not.
    pub async fn apply_add_friend(
        &self,
        items: Vec<friend_add::AddFriendItem>,
    ) -> Result<BatchResponse> {
        for item in &items {
            check_len("AddWording", &item.add_wording, MAX_ADD_WORDING_BYTES)?;
            check_len("Remark", &item.remark, MAX_REMARK_BYTES)?;
        }
        let request = friend_add::Request {
            from_account: Some(self.me()?),
            add_friend_item: items,
        };
        let answer = batch(self.call(&request).await?)?;
        let by = |code: ErrorCode| -> Vec<AccountId> {
            answer
                .result_item
                .iter()
                .filter(|r| r.result_code == code)
                .map(|r| r.to_account.clone())
                .collect()
        };
        self.changed(FriendNoticeType::FriendAdd, by(ErrorCode::Ok));
        self.changed(
            FriendNoticeType::PendencyAdd,
            by(ErrorCode::PendencyCreated),
        );
        Ok(answer)
    }

    /// webim.js `getPendency` (the seed's `getPending`): friend requests to or from me.
    pub async fn get_pendency(
        &self,
        mut request: pendency_get::Request,
    ) -> Result<pendency_get::Response> {
        request.from_account = Some(self.me()?);
        self.call(&request).await
    }

    /// webim.js `responseFriend`: answers friend requests.
    pub async fn response_friend(
        &self,
        items: Vec<friend_response::ResponseFriendItem>,
    ) -> Result<BatchResponse> {
        for item in &items {
            check_len("Remark", &item.remark, MAX_REMARK_BYTES)?;
        }
        let request = friend_response::Request {
            from_account: Some(self.me()?),
            response_friend_item: items,
        };
        let answer = batch(self.call(&request).await?)?;
        self.changed(
            FriendNoticeType::PendencyDelete,
            accounts_of(&answer.result_item),
        );
        Ok(answer)
    }

    /// webim.js `deletePendency` (the seed's `deletePending`): deletes friend requests.
    pub async fn delete_pendency(
        &self,
        mut request: pendency_delete::Request,
    ) -> Result<BatchResponse> {
        request.from_account = Some(self.me()?);
        let answer = batch(self.call(&request).await?)?;
        self.changed(
            FriendNoticeType::PendencyDelete,
            accounts_of(&answer.result_item),
        );
        Ok(answer)
    }

    /// webim.js `getAllFriend`: one page of my friends.
    pub async fn get_all_friend(
        &self,
        mut request: friend_get_all::Request,
    ) -> Result<friend_get_all::Response> {
        request.from_account = Some(self.me()?);
        self.call(&request).await
    }

    /// webim.js `deleteFriend`: deletes friends, from my list or from both.
    pub async fn delete_friend(
        &self,
        mut request: friend_delete::Request,
    ) -> Result<BatchResponse> {
        request.from_account = Some(self.me()?);
        let answer = batch(self.call(&request).await?)?;
        self.changed(
            FriendNoticeType::FriendDelete,
            accounts_of(&answer.result_item),
        );
        Ok(answer)
    }

    /// webim.js `addBlackList`: blacklists accounts (which ends any friendship with them).
    pub async fn add_black_list(&self, to: Vec<AccountId>) -> Result<BatchResponse> {
        let request = black_list_add::Request {
            from_account: Some(self.me()?),
            to_account: to,
        };
        let answer = batch(self.call(&request).await?)?;
        self.changed(
            FriendNoticeType::BlackListAdd,
            accounts_of(&answer.result_item),
        );
        Ok(answer)
    }

    /// webim.js `getBlackList`: one page of my blacklist.
    pub async fn get_black_list(
        &self,
        mut request: black_list_get::Request,
    ) -> Result<black_list_get::Response> {
        request.from_account = Some(self.me()?);
        self.call(&request).await
    }

    /// webim.js `deleteBlackList`: removes accounts from my blacklist.
    pub async fn delete_black_list(&self, to: Vec<AccountId>) -> Result<BatchResponse> {
        let request = black_list_delete::Request {
            from_account: Some(self.me()?),
            to_account: to,
        };
        let answer = batch(self.call(&request).await?)?;
        self.changed(
            FriendNoticeType::BlackListDelete,
            accounts_of(&answer.result_item),
        );
        Ok(answer)
    }

    /// Tells the listener at once what this client changed (the service's notice follows
    /// for every other client).
    fn changed(&self, kind: FriendNoticeType, accounts: Vec<AccountId>) {
        if !accounts.is_empty() {
            self.emit(SdkEvent::RelationshipChanged { kind, accounts });
        }
    }
}

fn accounts_of(items: &[ResultItem]) -> Vec<AccountId> {
    items
        .iter()
        .filter(|r| r.result_code.is_success())
        .map(|r| r.to_account.clone())
        .collect()
}

/// webim.js's batch rule (docs/sdk.md, "Calls and callbacks"): any `Fail_Account` or
/// `Invalid_Account` turns a successful answer into error 99999 whose info has one
/// `[code]info` line per failure.
fn batch(answer: BatchResponse) -> Result<BatchResponse> {
    if answer.fail_account.is_empty() && answer.invalid_account.is_empty() {
        return Ok(answer);
    }
    let info = answer
        .result_item
        .iter()
        .filter(|r| !r.result_code.is_success())
        .map(|r| format!("[{}]{}\n", r.result_code, r.result_info))
        .collect();
    Err(batch_error(info, answer.result_item))
}

fn batch_error(info: String, results: Vec<ResultItem>) -> WebimError {
    WebimError {
        code: ErrorCode::BatchFailure,
        info,
        origin: ErrorOrigin::Service,
        results,
    }
}

fn check_len(field: &str, value: &str, max: usize) -> Result<()> {
    if value.len() > max {
        return Err(WebimError::local(
            ErrorCode::AddFieldTooLong,
            format!("{field} is {} bytes; at most {max}", value.len()),
        ));
    }
    Ok(())
}

fn check_profile_item(item: &TagValue) -> Result<()> {
    let bad = |info: String| {
        Err(WebimError::local(
            ErrorCode::IllegalProfileFieldLength,
            info,
        ))
    };
    match item {
        TagValue::Nick(nick) if nick.trim().is_empty() => {
            bad("请输入昵称: a nick cannot be empty or only spaces".to_owned())
        }
        TagValue::Nick(nick) if nick.len() > MAX_NICK_BYTES => bad(format!(
            "a nick is at most {MAX_NICK_BYTES} bytes, this one has {}",
            nick.len()
        )),
        TagValue::Nick(_) | TagValue::Gender(_) | TagValue::AllowType(_) | TagValue::Image(_) => {
            Ok(())
        }
        other => Err(WebimError::local(
            ErrorCode::IllegalProfileField,
            format!("{:?} is not a profile field", other.tag()),
        )),
    }
}
