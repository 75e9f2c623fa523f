//! The `profile` commands on the service side: read anyone's profile, set one's own, and
//! tell every client that shows the person (docs/protocol.md, "Profile").

use webim_proto::openim::longpolling::{Event, ProfileNotice};
use webim_proto::profile::portrait_get::{self, MAX_ACCOUNTS, UserProfileItem};
use webim_proto::profile::{MAX_IMAGE_BYTES, MAX_NICK_BYTES, portrait_set};
use webim_proto::{ErrorCode, Tag, TagValue};

use crate::db::{AccountRec, Db};
use crate::service::{Ctx, Outcome, refuse};
use crate::store::Tx;

/// `profile/portrait_get`: one item per requested account; unknown accounts fail alone.
pub async fn get<T: Tx>(
    db: &Db<'_, T>,
    _ctx: &mut Ctx,
    req: portrait_get::Request,
) -> Outcome<portrait_get::Response> {
    if req.to_account.is_empty() || req.to_account.len() > MAX_ACCOUNTS {
        return refuse(
            ErrorCode::BadProfileParam,
            format!("To_Account must name 1 to {MAX_ACCOUNTS} accounts"),
        );
    }
    if let Some(tag) = req.tag_list.iter().find(|t| !t.is_profile()) {
        return refuse(
            ErrorCode::IllegalProfileField,
            format!("{tag:?} is not a profile tag"),
        );
    }
    let mut answer = portrait_get::Response::default();
    for id in req.to_account {
        match db.account(&id).await? {
            Some(rec) => answer.user_profile_item.push(UserProfileItem {
                to_account: id,
                profile_item: req
                    .tag_list
                    .iter()
                    .filter_map(|t| value_of(&rec, *t))
                    .collect(),
                result_code: ErrorCode::Ok,
                result_info: String::new(),
            }),
            None => {
                answer.fail_account.push(id.clone());
                answer.invalid_account.push(id.clone());
                answer.user_profile_item.push(UserProfileItem {
                    to_account: id,
                    profile_item: Vec::new(),
                    result_code: ErrorCode::NoSuchUser,
                    result_info: "no such user".to_owned(),
                });
            }
        }
    }
    Ok(Some(answer))
}

/// A profile tag's value for an account (friendship tags have none here).
pub fn value_of(rec: &AccountRec, tag: Tag) -> Option<TagValue> {
    Some(match tag {
        Tag::Nick => TagValue::Nick(rec.nick.clone()),
        Tag::Gender => TagValue::Gender(rec.gender),
        Tag::AllowType => TagValue::AllowType(rec.allow_type),
        Tag::Image if rec.image.is_empty() => return None,
        Tag::Image => TagValue::Image(rec.image.clone()),
        _ => return None,
    })
}

/// `profile/portrait_set`: checks every field, then sets them all and notifies everyone.
pub async fn set<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: portrait_set::Request,
) -> Outcome<portrait_set::Response> {
    if req.profile_item.is_empty() {
        return refuse(ErrorCode::BadProfileParam, "ProfileItem is empty");
    }
    let Some(mut rec) = db.account(&ctx.me).await? else {
        return refuse(ErrorCode::NoSuchUser, "no such user");
    };
    for item in req.profile_item {
        match item {
            TagValue::Nick(nick) if nick.trim().is_empty() => {
                return refuse(
                    ErrorCode::IllegalProfileFieldLength,
                    "a nick cannot be empty or only spaces",
                );
            }
            TagValue::Nick(nick) if nick.len() > MAX_NICK_BYTES => {
                return refuse(
                    ErrorCode::IllegalProfileFieldLength,
                    format!("a nick is at most {MAX_NICK_BYTES} bytes"),
                );
            }
            TagValue::Nick(nick) => rec.nick = nick,
            TagValue::Gender(gender) => rec.gender = gender,
            TagValue::AllowType(allow) => rec.allow_type = allow,
            TagValue::Image(url) if url.len() > MAX_IMAGE_BYTES => {
                return refuse(
                    ErrorCode::IllegalProfileFieldLength,
                    format!("an image URL is at most {MAX_IMAGE_BYTES} bytes"),
                );
            }
            TagValue::Image(url) => rec.image = url,
            other => {
                return refuse(
                    ErrorCode::IllegalProfileField,
                    format!("{:?} cannot be set", other.tag()),
                );
            }
        }
    }
    db.put_account(&ctx.me, &rec).await?;
    // Five test accounts, each of whom may show me somewhere: tell them all.
    for account in db.account_ids().await? {
        let notice = ProfileNotice {
            account: ctx.me.clone(),
        };
        db.notify(&account, |seq| Event::profile(seq, notice))
            .await?;
        ctx.wake.insert(account);
    }
    Ok(Some(portrait_set::Response {}))
}
