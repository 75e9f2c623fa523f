//! `openim/longpolling` on the service side: what is new for the caller since its cookie,
//! told in the caller's dialect (docs/protocol.md, "Long polls per dialect"), and the loop
//! both shells hold a poll with (look; while there is nothing to say, wait as the shell
//! waits and look again). A client is never sent an event its version cannot read: it
//! would never move past it, and would be answered again at once, forever. What one
//! dialect cannot be told stays in the notice log for the clients that can.

use std::future::Future;

use serde::Serialize;
use webim_proto::openim::getlongpollingid;
use webim_proto::openim::longpolling::{self, Cookie, Event, FriendNotice, FriendNoticeType, v17};
use webim_proto::{AccountId, Command, Dialect, ErrorCode, Tag, Timestamp};

use crate::codec::Codec;
use crate::db::{Counters, Db, Side};
use crate::service::{Caller, Ctx, Failure, Handled, Service, failed};
use crate::store::{Store, Tx};

/// Most notices one answer carries (the client asks again at once for the rest).
const NOTICES_PER_ANSWER: usize = 100;

/// How a shell waits between two looks of a held long poll. [`PollWait::arm`] is called
/// before each look, so a wake-up that comes during the look is kept; the future it
/// returns ends when the caller may have news (look again) or the poll is over.
pub trait PollWait {
    /// A wait, armed (it owns what it waits on).
    type Armed: Future<Output = Waited>;

    /// Starts listening for the caller's wake-ups. `timeout` is what the client asked, in
    /// seconds (at most [`longpolling::MAX_TIMEOUT_SECS`]); the shell bounds it further.
    fn arm(&mut self, timeout: u32) -> Self::Armed;
}

/// How a wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waited {
    /// Something may be new for the caller: look again.
    Woken,
    /// The poll's time is up (or the shell is stopping): answer that nothing is new.
    Over,
}

impl<S: Store, F: crate::blob::Files> Service<S, F> {
    /// `openim/longpolling` for `caller`: looks at once, and while there is nothing to say,
    /// waits as `wait` does and looks again; once the wait is over, answers with no events
    /// and the client's own cookie. The body is read once; a body that is not a long poll
    /// is refused at once. `clock` dates each look.
    pub async fn long_poll<C: Codec, W: PollWait>(
        &self,
        codec: &C,
        caller: &Caller,
        body: &C::Body,
        clock: impl Fn() -> Timestamp,
        wait: &mut W,
    ) -> Handled<C::Encoded> {
        let request: longpolling::Request = match codec.decode(Command::LongPolling, body) {
            Ok(request) => request,
            Err(failure) => return failed(codec, failure),
        };
        let timeout = request.timeout.min(longpolling::MAX_TIMEOUT_SECS);
        loop {
            let armed = wait.arm(timeout);
            // Boxed, and the box gone before the wait: a look's future is several kB, and a
            // poll waiting between two looks must not carry it (a held poll costs what its
            // wait needs).
            let handled = Box::pin(self.answer(
                codec,
                caller,
                Command::LongPolling,
                body,
                Some(&request),
                clock(),
            ))
            .await;
            if handled.reply.is_some() {
                return handled;
            }
            if armed.await == Waited::Over {
                return Handled {
                    reply: Some(nothing_new(codec, request.cookie)),
                    status: ErrorCode::Ok,
                    ..handled
                };
            }
        }
    }
}

/// The answer to a long poll that found nothing before it was over: no events, the cookie
/// as the client sent it.
pub fn nothing_new<C: Codec>(codec: &C, cookie: Cookie) -> C::Encoded {
    codec.encode_ok(&longpolling::Response {
        event_array: Vec::new(),
        cookie,
    })
}

/// A long poll's answer, in the shapes of the caller's dialect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum LongPollAnswer {
    /// The protocol's own shapes (our SDK; the seed's family, with event 1 only).
    Own(longpolling::Response),
    /// webim.js 1.7's shapes.
    V17(v17::Response),
}

/// What is new since the client's cookie; `None` when nothing is, so the shell waits for a
/// wake-up and asks again.
pub async fn long_poll<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: longpolling::Request,
) -> Result<Option<LongPollAnswer>, Failure> {
    let counters = db.counters(&ctx.me).await?;
    let seen = req.cookie;
    Ok(match ctx.dialect {
        Dialect::Classic => classic(&counters, &seen).map(LongPollAnswer::Own),
        Dialect::V17 => v17_poll(db, &ctx.me, &counters, &seen)
            .await?
            .map(LongPollAnswer::V17),
        Dialect::Rust => own(db, &ctx.me, &counters, &seen)
            .await?
            .map(LongPollAnswer::Own),
    })
}

/// The seed's family reads event 1 only and takes its `NotifySeq` as it is, so messages
/// are news whenever the sequence differs (lower too: the data was reset).
fn classic(counters: &Counters, seen: &Cookie) -> Option<longpolling::Response> {
    (counters.inbox != seen.notify_seq).then(|| longpolling::Response {
        event_array: vec![Event::c2c(counters.inbox)],
        cookie: Cookie {
            notify_seq: counters.inbox,
            notice_seq: seen.notice_seq,
            long_polling_id: None,
        },
    })
}

/// Our own SDK: every event, and a cookie ahead of the service answered at once (the
/// data was reset), so the client sees its sequences go back and starts over.
async fn own<T: Tx>(
    db: &Db<'_, T>,
    me: &AccountId,
    counters: &Counters,
    seen: &Cookie,
) -> Result<Option<longpolling::Response>, Failure> {
    let went_back = seen.notify_seq > counters.inbox || seen.notice_seq > counters.notice;
    let mut events = Vec::new();
    if counters.inbox > seen.notify_seq || went_back {
        events.push(Event::c2c(counters.inbox));
    }
    let mut notice_seq = seen.notice_seq.min(counters.notice);
    if counters.notice > seen.notice_seq && !went_back {
        let notices = db
            .notices_after(me, seen.notice_seq, NOTICES_PER_ANSWER)
            .await?;
        notice_seq = notices
            .last()
            .and_then(|e| e.notice_seq)
            .unwrap_or(counters.notice);
        events.extend(notices);
    }
    if events.is_empty() {
        return Ok(None);
    }
    Ok(Some(longpolling::Response {
        event_array: events,
        cookie: Cookie {
            notify_seq: counters.inbox,
            notice_seq,
            long_polling_id: None,
        },
    }))
}

/// webim.js 1.7: event 1 as the seed's family reads it, and each notice after the later of
/// the cookie's `NoticeSeq` and the start of its `LongPollingId`, in 1.7's shapes. 1.7
/// cannot be told that notices went back (a reset): its notices resume when the log passes
/// where it was.
async fn v17_poll<T: Tx>(
    db: &Db<'_, T>,
    me: &AccountId,
    counters: &Counters,
    seen: &Cookie,
) -> Result<Option<v17::Response>, Failure> {
    let mut events = Vec::new();
    if counters.inbox != seen.notify_seq {
        events.push(v17::Event::c2c(counters.inbox));
    }
    let start = seen
        .long_polling_id
        .as_deref()
        .and_then(getlongpollingid::start_of)
        .map_or(seen.notice_seq, |s| s.max(seen.notice_seq));
    let mut notice_seq = start.min(counters.notice);
    if counters.notice > start {
        for notice in db.notices_after(me, start, NOTICES_PER_ANSWER).await? {
            notice_seq = notice.notice_seq.unwrap_or(notice_seq);
            events.push(in_v17_shape(db, me, notice).await?);
        }
    }
    if events.is_empty() {
        return Ok(None);
    }
    Ok(Some(v17::Response {
        event_array: events,
        cookie: Cookie {
            notify_seq: counters.inbox,
            notice_seq,
            long_polling_id: seen.long_polling_id.clone(),
        },
    }))
}

/// One notice as 1.7 reads it, with what 1.7's notices carry beside the account (a
/// request's wording, a profile's values) read as they are now.
async fn in_v17_shape<T: Tx>(
    db: &Db<'_, T>,
    me: &AccountId,
    notice: Event,
) -> Result<v17::Event, Failure> {
    let seq = notice.notice_seq.unwrap_or_default();
    if let Some(FriendNotice {
        push_type,
        accounts,
    }) = notice.friend_notice
    {
        let mut change = v17::FriendListMod::new(push_type, seq, accounts.clone());
        if push_type == FriendNoticeType::PendencyAdd {
            change.pendency_add = Some(pendencies(db, me, accounts).await?);
        }
        return Ok(v17::Event::friend(change));
    }
    if let Some(profile) = notice.profile_notice {
        let values = match db.account(&profile.account).await? {
            Some(rec) => vec![
                value(Tag::Nick, rec.nick),
                value(Tag::Gender, rec.gender.as_str().to_owned()),
                value(Tag::AllowType, rec.allow_type.as_str().to_owned()),
            ],
            None => Vec::new(),
        };
        return Ok(v17::Event::profile(v17::ProfileDataMod {
            push_type: v17::PROFILE_MODIFY,
            notice_seq: seq,
            profile_account: profile.account,
            profile_list: values,
        }));
    }
    if let Some(read) = notice.c2c_readed {
        let pair = v17::UinPairRead::new(read.peer_account, me.clone(), read.lasted_msg_time);
        return Ok(v17::Event::readed(seq, pair));
    }
    // A notice of no kind 1.7 knows: an empty friend change still moves its NoticeSeq.
    Ok(v17::Event::friend(v17::FriendListMod::new(
        FriendNoticeType::FriendAdd,
        seq,
        Vec::new(),
    )))
}

fn value(tag: Tag, value_bytes: String) -> v17::ProfileValue {
    v17::ProfileValue { tag, value_bytes }
}

/// The friend requests to `me` from `from`, as 1.7's notice lists them (a request already
/// answered is listed with its account alone).
async fn pendencies<T: Tx>(
    db: &Db<'_, T>,
    me: &AccountId,
    from: Vec<AccountId>,
) -> Result<Vec<v17::PendencyAdd>, Failure> {
    let mut list = Vec::with_capacity(from.len());
    for other in from {
        let request = db.pendency(Side::In, me, &other).await?;
        let nick = db
            .account(&other)
            .await?
            .map(|a| a.nick)
            .unwrap_or_default();
        let (add_source, add_wording) = request
            .map(|r| (r.add_source, r.add_wording))
            .unwrap_or_default();
        list.push(v17::PendencyAdd {
            pendency_add_account: other,
            profile_im_nick: nick,
            add_source,
            add_wording,
        });
    }
    Ok(list)
}
