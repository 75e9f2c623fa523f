//! The `sns` commands on the service side: friends, friend requests, the blacklist, with
//! the rules of docs/protocol.md ("Relationship chain"), and a notice to every client of
//! each account concerned.

use webim_proto::openim::longpolling::{Event, FriendNotice, FriendNoticeType};
use webim_proto::sns::black_list_get::{self, BlackListItem};
use webim_proto::sns::friend_get_all::{self, InfoItem, MAX_PAGE};
use webim_proto::sns::pendency_get::{self, PendencyItem};
use webim_proto::sns::{
    DeleteType, MAX_ADD_WORDING_BYTES, MAX_BATCH, MAX_REMARK_BYTES, NeedUpdateAll, PendencyType,
    ResponseAction, black_list_add, black_list_delete, friend_add, friend_delete, friend_response,
    pendency_delete,
};
use webim_proto::{AccountId, AllowType, BatchResponse, ErrorCode, ResultItem, Tag, TagValue};

use crate::db::{Db, FriendRec, PendencyRec, Side};
use crate::service::{Ctx, Failure, Outcome, refuse};
use crate::store::Tx;

/// Most accounts one `friend_add` may name (more would be a flood of requests).
pub const MAX_ADD: usize = 100;

/// Collects one line per account of a batch call.
#[derive(Debug, Default)]
struct Batch(BatchResponse);

impl Batch {
    fn line(&mut self, to: &AccountId, code: ErrorCode, info: &str) {
        if !code.is_success() {
            self.0.fail_account.push(to.clone());
        }
        if code == ErrorCode::NoSuchTarget {
            self.0.invalid_account.push(to.clone());
        }
        self.0.result_item.push(ResultItem {
            to_account: to.clone(),
            result_code: code,
            result_info: info.to_owned(),
        });
    }

    fn done(self) -> Outcome<BatchResponse> {
        Ok(Some(self.0))
    }
}

fn check_count(n: usize, max: usize, code: ErrorCode) -> Result<(), Failure> {
    if n == 0 || n > max {
        return refuse(code, format!("name 1 to {max} accounts, not {n}"));
    }
    Ok(())
}

async fn notice<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    user: &AccountId,
    kind: FriendNoticeType,
    other: &AccountId,
) -> Result<(), Failure> {
    let notice = FriendNotice {
        push_type: kind,
        accounts: vec![other.clone()],
    };
    db.notify(user, |seq| Event::friend(seq, notice)).await?;
    ctx.wake.insert(user.clone());
    Ok(())
}

/// Ends any friendship and drops any request between `a` and `b`, telling both.
async fn sever<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    a: &AccountId,
    b: &AccountId,
) -> Result<(), Failure> {
    for (x, y) in [(a, b), (b, a)] {
        if db.delete_friend(x, y).await? {
            notice(db, ctx, x, FriendNoticeType::FriendDelete, y).await?;
        }
        if db.delete_pendency(x, y).await? {
            notice(db, ctx, x, FriendNoticeType::PendencyDelete, y).await?;
            notice(db, ctx, y, FriendNoticeType::PendencyDelete, x).await?;
        }
    }
    Ok(())
}

/// `sns/friend_add`: AllowAny → friends both ways now; NeedConfirm → a request (30539);
/// DenyAny → 30516; blacklists → 30515 / 30525; already friends → 30520.
pub async fn add_friend<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: friend_add::Request,
) -> Outcome<BatchResponse> {
    check_count(req.add_friend_item.len(), MAX_ADD, ErrorCode::BadAddCount)?;
    let me = ctx.me.clone();
    let mut batch = Batch::default();
    for item in req.add_friend_item {
        let to = &item.to_account;
        let source_ok = item
            .add_source
            .strip_prefix("AddSource_Type_")
            .is_some_and(|k| !k.is_empty() && k.len() <= 8);
        let (code, info) = if *to == me {
            (ErrorCode::SnsBadRequest, "you cannot add yourself")
        } else if !source_ok {
            (
                ErrorCode::BadAddSource,
                "AddSource must be AddSource_Type_ and a keyword of 1 to 8 bytes",
            )
        } else if item.add_wording.len() > MAX_ADD_WORDING_BYTES
            || item.remark.len() > MAX_REMARK_BYTES
        {
            (
                ErrorCode::AddFieldTooLong,
                "AddWording is at most 120 bytes and Remark 96",
            )
        } else if db.account(to).await?.is_none() {
            (ErrorCode::NoSuchTarget, "no such account")
        } else if db.friend(&me, to).await?.is_some() {
            (ErrorCode::AlreadyFriends, "already friends")
        } else if db.blacklisted(&me, to).await?.is_some() {
            (
                ErrorCode::TargetInMyBlacklist,
                "the account is in your blacklist",
            )
        } else if db.blacklisted(to, &me).await?.is_some() {
            (
                ErrorCode::InTargetsBlacklist,
                "the account has blacklisted you",
            )
        } else {
            let target = db
                .account(to)
                .await?
                .map(|a| a.allow_type)
                .unwrap_or_default();
            match target {
                AllowType::DenyAny => (
                    ErrorCode::TargetDeniesAll,
                    "the account accepts no friend requests",
                ),
                AllowType::AllowAny => {
                    let mine = FriendRec {
                        remark: item.remark.clone(),
                        add_source: item.add_source.clone(),
                        add_wording: item.add_wording.clone(),
                        add_time: ctx.now,
                    };
                    let theirs = FriendRec {
                        remark: String::new(),
                        ..mine.clone()
                    };
                    db.put_friend(&me, to, &mine).await?;
                    db.put_friend(to, &me, &theirs).await?;
                    db.delete_pendency(&me, to).await?;
                    db.delete_pendency(to, &me).await?;
                    notice(db, ctx, &me, FriendNoticeType::FriendAdd, to).await?;
                    notice(db, ctx, to, FriendNoticeType::FriendAdd, &me).await?;
                    (ErrorCode::Ok, "")
                }
                AllowType::NeedConfirm => {
                    let rec = PendencyRec {
                        from: me.clone(),
                        to: to.clone(),
                        add_source: item.add_source.clone(),
                        add_wording: item.add_wording.clone(),
                        remark: item.remark.clone(),
                        add_time: ctx.now,
                    };
                    db.put_pendency(&rec).await?;
                    notice(db, ctx, &me, FriendNoticeType::PendencyAdd, to).await?;
                    notice(db, ctx, to, FriendNoticeType::PendencyAdd, &me).await?;
                    (ErrorCode::PendencyCreated, "friend request sent")
                }
            }
        };
        batch.line(to, code, info);
    }
    batch.done()
}

/// `sns/friend_response`: Agree gives the requester me as a friend; AgreeAndAdd makes it
/// both ways; Reject drops the request. No request → 30614.
pub async fn respond<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: friend_response::Request,
) -> Outcome<BatchResponse> {
    check_count(
        req.response_friend_item.len(),
        MAX_ADD,
        ErrorCode::BadResponseCount,
    )?;
    let me = ctx.me.clone();
    let mut batch = Batch::default();
    for item in req.response_friend_item {
        let from = &item.to_account;
        if item.remark.len() > MAX_REMARK_BYTES {
            batch.line(
                from,
                ErrorCode::ResponseFieldTooLong,
                "Remark is at most 96 bytes",
            );
            continue;
        }
        let Some(request) = db.pendency(Side::In, &me, from).await? else {
            batch.line(
                from,
                ErrorCode::NoSuchPendency,
                "no friend request from this account",
            );
            continue;
        };
        db.delete_pendency(from, &me).await?;
        notice(db, ctx, &me, FriendNoticeType::PendencyDelete, from).await?;
        notice(db, ctx, from, FriendNoticeType::PendencyDelete, &me).await?;
        let theirs = FriendRec {
            remark: request.remark.clone(),
            add_source: request.add_source.clone(),
            add_wording: request.add_wording.clone(),
            add_time: ctx.now,
        };
        let mine = FriendRec {
            remark: item.remark.clone(),
            ..theirs.clone()
        };
        match item.response_action {
            ResponseAction::Reject => {}
            ResponseAction::Agree => {
                db.put_friend(from, &me, &theirs).await?;
                notice(db, ctx, from, FriendNoticeType::FriendAdd, &me).await?;
            }
            ResponseAction::AgreeAndAdd => {
                db.put_friend(from, &me, &theirs).await?;
                db.put_friend(&me, from, &mine).await?;
                notice(db, ctx, from, FriendNoticeType::FriendAdd, &me).await?;
                notice(db, ctx, &me, FriendNoticeType::FriendAdd, from).await?;
            }
        }
        batch.line(from, ErrorCode::Ok, "");
    }
    batch.done()
}

/// `sns/friend_delete`: from my list (Single) or both (Both); not a friend → 31704.
pub async fn delete_friend<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: friend_delete::Request,
) -> Outcome<BatchResponse> {
    check_count(req.to_account.len(), MAX_BATCH, ErrorCode::BadDeleteCount)?;
    let me = ctx.me.clone();
    let mut batch = Batch::default();
    for to in &req.to_account {
        if !db.delete_friend(&me, to).await? {
            let code = if db.account(to).await?.is_none() {
                ErrorCode::NoSuchTarget
            } else {
                ErrorCode::NotFriend
            };
            batch.line(to, code, "not a friend");
            continue;
        }
        notice(db, ctx, &me, FriendNoticeType::FriendDelete, to).await?;
        if req.delete_type == DeleteType::Both && db.delete_friend(to, &me).await? {
            notice(db, ctx, to, FriendNoticeType::FriendDelete, &me).await?;
        }
        batch.line(to, ErrorCode::Ok, "");
    }
    batch.done()
}

/// `sns/friend_get_all`: my friends in id order, a page at a time, with the tags asked.
pub async fn friends<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: friend_get_all::Request,
) -> Outcome<friend_get_all::Response> {
    if !(1..=MAX_PAGE).contains(&req.get_count) {
        return refuse(
            ErrorCode::BadFriendGetParam,
            format!("GetCount must be 1 to {MAX_PAGE}"),
        );
    }
    let all = db.friends(&ctx.me).await?;
    let total = all.len();
    let start = req.start_index as usize;
    let mut info_item = Vec::new();
    for (id, rec) in all.into_iter().skip(start).take(req.get_count as usize) {
        let account = db.account(&id).await?;
        let sns_profile_item = req
            .tag_list
            .iter()
            .filter_map(|tag| match tag {
                Tag::Remark => Some(TagValue::Remark(rec.remark.clone())),
                Tag::AddSource => Some(TagValue::AddSource(rec.add_source.clone())),
                Tag::AddWording => Some(TagValue::AddWording(rec.add_wording.clone())),
                Tag::AddTime => Some(TagValue::AddTime(rec.add_time)),
                profile_tag => account
                    .as_ref()
                    .and_then(|a| crate::profile::value_of(a, *profile_tag)),
            })
            .collect();
        info_item.push(InfoItem {
            info_account: id,
            sns_profile_item,
        });
    }
    let next = start + info_item.len();
    Ok(Some(friend_get_all::Response {
        need_update_all: NeedUpdateAll::Yes,
        time_stamp_now: ctx.now,
        start_index: if next < total {
            u32::try_from(next).unwrap_or(0)
        } else {
            0
        },
        info_item,
        current_standard_sequence: 0,
        friend_num: u32::try_from(total).unwrap_or(u32::MAX),
    }))
}

/// `sns/pendency_get`: requests to me (ComeIn) or from me (SendOut), newest first.
pub async fn pendencies<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: pendency_get::Request,
) -> Outcome<pendency_get::Response> {
    let side = match req.pendency_type {
        PendencyType::ComeIn => Side::In,
        PendencyType::SendOut => Side::Out,
    };
    let mut all: Vec<PendencyRec> = db
        .pendencies(side, &ctx.me)
        .await?
        .into_iter()
        .filter(|p| p.add_time >= req.start_time)
        .collect();
    all.sort_by_key(|p| std::cmp::Reverse(p.add_time));
    let incoming = if side == Side::In {
        all.len()
    } else {
        db.pendencies(Side::In, &ctx.me).await?.len()
    };
    if req.max_limited > 0 {
        all.truncate(req.max_limited as usize);
    }
    let mut items = Vec::with_capacity(all.len());
    for p in all {
        let other = if side == Side::In { p.from } else { p.to };
        let nick = db
            .account(&other)
            .await?
            .map(|a| a.nick)
            .unwrap_or_default();
        items.push(PendencyItem {
            to_account: other,
            add_time: p.add_time,
            add_source: p.add_source,
            add_wording: p.add_wording,
            nick,
        });
    }
    Ok(Some(pendency_get::Response {
        pendency_item: items,
        start_time: req.start_time,
        unread_pendency_count: u32::try_from(incoming).unwrap_or(u32::MAX),
        current_sequence: db.counters(&ctx.me).await?.notice,
    }))
}

/// `sns/pendency_delete`: drops requests on my side; none there → 31804.
pub async fn delete_pendency<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: pendency_delete::Request,
) -> Outcome<BatchResponse> {
    check_count(req.to_account.len(), MAX_BATCH, ErrorCode::SnsBadRequest)?;
    let me = ctx.me.clone();
    let mut batch = Batch::default();
    for other in &req.to_account {
        let (from, to) = match req.pendency_type {
            PendencyType::ComeIn => (other, &me),
            PendencyType::SendOut => (&me, other),
        };
        if db.delete_pendency(from, to).await? {
            notice(db, ctx, &me, FriendNoticeType::PendencyDelete, other).await?;
            notice(db, ctx, other, FriendNoticeType::PendencyDelete, &me).await?;
            batch.line(other, ErrorCode::Ok, "");
        } else {
            batch.line(other, ErrorCode::NotPending, "no such friend request");
        }
    }
    batch.done()
}

/// `sns/black_list_add`: blacklists, ending any friendship and request between the two.
pub async fn add_black<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: black_list_add::Request,
) -> Outcome<BatchResponse> {
    check_count(
        req.to_account.len(),
        MAX_BATCH,
        ErrorCode::BadBlacklistAddCount,
    )?;
    let me = ctx.me.clone();
    let mut batch = Batch::default();
    for to in &req.to_account {
        if *to == me {
            batch.line(
                to,
                ErrorCode::SnsBadRequest,
                "you cannot blacklist yourself",
            );
        } else if db.account(to).await?.is_none() {
            batch.line(to, ErrorCode::NoSuchTarget, "no such account");
        } else if db.blacklisted(&me, to).await?.is_some() {
            batch.line(
                to,
                ErrorCode::AlreadyInBlacklist,
                "already in the blacklist",
            );
        } else {
            db.put_blacklist(&me, to, ctx.now).await?;
            sever(db, ctx, &me, to).await?;
            notice(db, ctx, &me, FriendNoticeType::BlackListAdd, to).await?;
            batch.line(to, ErrorCode::Ok, "");
        }
    }
    batch.done()
}

/// `sns/black_list_delete`: removes from the blacklist (no friendship comes back).
pub async fn delete_black<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: black_list_delete::Request,
) -> Outcome<BatchResponse> {
    check_count(
        req.to_account.len(),
        MAX_BATCH,
        ErrorCode::BadBlacklistDeleteCount,
    )?;
    let me = ctx.me.clone();
    let mut batch = Batch::default();
    for to in &req.to_account {
        if db.blacklisted(&me, to).await?.is_none() {
            batch.line(to, ErrorCode::NotInBlacklist, "not in the blacklist");
            continue;
        }
        db.delete_blacklist(&me, to).await?;
        notice(db, ctx, &me, FriendNoticeType::BlackListDelete, to).await?;
        batch.line(to, ErrorCode::Ok, "");
    }
    batch.done()
}

/// `sns/black_list_get`: my blacklist in id order, a page at a time.
pub async fn blacklist<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: black_list_get::Request,
) -> Outcome<black_list_get::Response> {
    let all = db.blacklist(&ctx.me).await?;
    let total = all.len();
    let start = req.start_index as usize;
    let take = if req.max_limited == 0 {
        total
    } else {
        req.max_limited as usize
    };
    let items: Vec<BlackListItem> = all
        .into_iter()
        .skip(start)
        .take(take)
        .map(|(id, time)| BlackListItem {
            to_account: id,
            add_black_time_stamp: time,
        })
        .collect();
    let next = start + items.len();
    Ok(Some(black_list_get::Response {
        black_list_item: items,
        start_index: if next < total {
            u32::try_from(next).unwrap_or(0)
        } else {
            0
        },
        current_sequence: db.counters(&ctx.me).await?.notice,
    }))
}
