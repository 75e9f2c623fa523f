//! The `openim` commands on the service side: accept a message into both inboxes once,
//! serve pulls (fresh and incremental) and history pages, record read positions, list the
//! sessions (docs/protocol.md, "Messages"). Long polls are in `long_poll`.

use std::collections::BTreeMap;

use futures_util::future::{join, join4};
use webim_proto::attachment::{FILE_TEXT, PICTURE_TEXT};
use webim_proto::openim::getmsg::{self, SyncFlag, UnreadItem};
use webim_proto::openim::getroammsg::{self, Complete, MAX_PAGE};
use webim_proto::openim::longpolling::{Event, ReadedNotice};
use webim_proto::openim::{msgreaded, sendmsg};
use webim_proto::recentcontact::{self, ContactType, MAX_COUNT, SessionItem};
use webim_proto::{AccountId, C2cMsg, Dialect, ErrorCode, MsgElem, Timestamp, face};

use crate::attachments;
use crate::db::{Db, SummaryRec};
use crate::service::{Ctx, Failure, Outcome, refuse};
use crate::store::Tx;

/// Most messages one `getmsg` page carries.
pub const PULL_PAGE: usize = 100;
/// A message's longest text, in UTF-8 bytes (docs/protocol.md, "sendmsg").
pub use webim_proto::MAX_MSG_BYTES;

/// `openim/sendmsg`: checks, then stores the message once in the sender's and the
/// recipient's inboxes (a resend of the same identity is answered without storing again).
pub async fn send<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    mut msg: C2cMsg,
) -> Outcome<sendmsg::Response> {
    let to = msg.to_account.clone();
    if to == ctx.me {
        return refuse(
            ErrorCode::InvalidAccount,
            "a message needs another account as To_Account",
        );
    }
    // Every read goes out at once: over IndexedDB each read is a round trip, and a
    // refused message only wastes the delivery's reads.
    let (recipient, accepted, (blocked_by_them, blocked_by_me), found) = join4(
        db.account(&to),
        db.accepted(&ctx.me, msg.msg_seq, msg.msg_random),
        join(db.blacklisted(&to, &ctx.me), db.blacklisted(&ctx.me, &to)),
        db.before_delivery(&msg),
    )
    .await;
    if recipient?.is_none() {
        return refuse(ErrorCode::InvalidAccount, format!("no account {to}"));
    }
    name_faces(&mut msg.msg_body)?;
    attachments::check_elems(db, ctx, &to, &mut msg.msg_body).await?;
    check_body(&msg.msg_body)?;
    if let Some(time) = accepted? {
        // A resend of a stored message: the first attempt's answer was lost, and perhaps
        // its wake-up with it (the client cannot tell), so both parties are woken again.
        // A poll that finds nothing new just waits again.
        ctx.wake.insert(ctx.me.clone());
        ctx.wake.insert(to);
        return Ok(Some(sendmsg::Response {
            msg_time: Some(time),
        }));
    }
    if blocked_by_them?.is_some() {
        return refuse(
            ErrorCode::BlockedByRecipient,
            format!("{to} has blacklisted you"),
        );
    }
    if blocked_by_me?.is_some() {
        return refuse(
            ErrorCode::BlockedByRecipient,
            format!("you have blacklisted {to}"),
        );
    }
    // The service's clock orders and dates messages, so every client shows the same time.
    msg.msg_time_stamp = ctx.now;
    db.deliver_over(&msg, found?).await?;
    db.mark_accepted(&msg).await?;
    ctx.wake.insert(ctx.me.clone());
    ctx.wake.insert(to);
    Ok(Some(sendmsg::Response {
        msg_time: Some(ctx.now),
    }))
}

/// Writes every face as the protocol's table has it: known by its name first (webim.js
/// 1.7 numbers its own table differently but sends the name), else by its index; a face
/// that is neither is refused.
fn name_faces(body: &mut [MsgElem]) -> Result<(), Failure> {
    for elem in body {
        let MsgElem::Face(f) = elem else { continue };
        let index = face::index_of(&f.data).unwrap_or(f.index);
        let Some(name) = face::name_of(index) else {
            return refuse(ErrorCode::InvalidPacket, format!("no emoticon {}", f.index));
        };
        f.index = index;
        name.clone_into(&mut f.data);
    }
    Ok(())
}

fn check_body(body: &[MsgElem]) -> Result<(), Failure> {
    if body.is_empty() {
        return refuse(ErrorCode::InvalidPacket, "MsgBody is empty");
    }
    let mut bytes = 0;
    for elem in body {
        match elem {
            MsgElem::Text(t) if t.text.is_empty() => {
                return refuse(ErrorCode::InvalidPacket, "a TIMTextElem has no Text");
            }
            MsgElem::Text(t) => bytes += t.text.len(),
            MsgElem::Face(f) => bytes += f.data.len(),
            MsgElem::File(f) => bytes += f.file_name.len(),
            MsgElem::Image(_) => {}
        }
    }
    if bytes > MAX_MSG_BYTES {
        return refuse(
            ErrorCode::MsgTooLong,
            format!("{bytes} bytes; at most {MAX_MSG_BYTES}"),
        );
    }
    Ok(())
}

/// Where a pull continues: a fresh sync's snapshot, or an inbox position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    /// A fresh sync up to inbox sequence `end`, sent up to `after`.
    Fresh { end: u64, after: u64 },
    /// Everything after this inbox sequence.
    After(u64),
}

fn parse_cookie(cookie: &str) -> Result<Option<Position>, Failure> {
    let bad = || Failure::Refused(ErrorCode::InvalidPacket, format!("bad Cookie {cookie:?}"));
    if cookie.is_empty() {
        return Ok(None);
    }
    if let Some(rest) = cookie.strip_prefix('s') {
        let (end, after) = rest.split_once(':').ok_or_else(bad)?;
        let end = end.parse().map_err(|_| bad())?;
        let after = after.parse().map_err(|_| bad())?;
        return Ok(Some(Position::Fresh { end, after }));
    }
    cookie
        .parse()
        .map(|n| Some(Position::After(n)))
        .map_err(|_| bad())
}

/// `openim/getmsg`: an empty cookie starts a fresh sync (every conversation's unread
/// messages and latest message, with unread counts); a cookie continues after it.
pub async fn get<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: getmsg::Request,
) -> Outcome<getmsg::Response> {
    let me = ctx.me.clone();
    match parse_cookie(&req.cookie)? {
        Some(Position::After(after)) => {
            let mut page = db.inbox_after(&me, after, PULL_PAGE + 1).await?;
            let more = page.len() > PULL_PAGE;
            page.truncate(PULL_PAGE);
            let last = page.last().map_or(after, |(seq, _)| *seq);
            Ok(Some(getmsg::Response {
                msg_list: page.into_iter().map(|(_, m)| m).collect(),
                cookie: last.to_string(),
                sync_flag: if more { SyncFlag::More } else { SyncFlag::Done },
                unread_list: Vec::new(),
            }))
        }
        None => {
            let end = db.counters(&me).await?.inbox;
            let mut response = fresh_page(db, &me, end, 0).await?;
            response.unread_list = db
                .summaries(&me)
                .await?
                .into_iter()
                .filter(|(_, s)| s.unread > 0)
                .map(|(peer, s)| UnreadItem {
                    peer_account: peer,
                    unread_count: s.unread,
                })
                .collect();
            Ok(Some(response))
        }
        Some(Position::Fresh { end, after }) => {
            // A fresh sync never reaches past the inbox: a cookie claiming more is
            // held to what there is (the numbers are the client's).
            let end = end.min(db.counters(&me).await?.inbox);
            Ok(Some(fresh_page(db, &me, end, after).await?))
        }
    }
}

/// One page of a fresh sync: in inbox order, each conversation from its first unread
/// message (or its latest, when all is read), up to `end`.
async fn fresh_page<T: Tx>(
    db: &Db<'_, T>,
    me: &AccountId,
    end: u64,
    after: u64,
) -> Result<getmsg::Response, Failure> {
    let starts: BTreeMap<AccountId, u64> = db
        .summaries(me)
        .await?
        .into_iter()
        .map(|(peer, s)| (peer, start_of(&s)))
        .collect();
    let lowest = starts
        .values()
        .copied()
        .min()
        .unwrap_or(end.saturating_add(1));
    let mut cursor = after.max(lowest.saturating_sub(1));
    let mut msgs = Vec::new();
    let mut last = after;
    let mut more = false;
    'scan: while cursor < end {
        let chunk = db.inbox_after(me, cursor, PULL_PAGE * 2).await?;
        if chunk.is_empty() {
            break;
        }
        for (seq, msg) in chunk {
            if seq > end {
                break 'scan;
            }
            cursor = seq;
            let peer = if msg.from_account == *me {
                &msg.to_account
            } else {
                &msg.from_account
            };
            if starts.get(peer).is_some_and(|start| seq >= *start) {
                if msgs.len() == PULL_PAGE {
                    more = true;
                    break 'scan;
                }
                msgs.push(msg);
                last = seq;
            }
        }
    }
    let done = !more;
    Ok(getmsg::Response {
        msg_list: msgs,
        cookie: if done {
            end.to_string()
        } else {
            format!("s{end}:{last}")
        },
        sync_flag: if done { SyncFlag::Done } else { SyncFlag::More },
        unread_list: Vec::new(),
    })
}

fn start_of(summary: &SummaryRec) -> u64 {
    if summary.unread > 0 {
        summary.first_unread_seq
    } else {
        summary.last_seq
    }
}

/// `openim/getroammsg`: a conversation's messages, newest first, a page at a time.
pub async fn history<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: getroammsg::Request,
) -> Outcome<getroammsg::Response> {
    if !(1..=MAX_PAGE).contains(&req.max_cnt) {
        return refuse(
            ErrorCode::InvalidPacket,
            format!("MaxCnt must be 1 to {MAX_PAGE}"),
        );
    }
    let peer = req.peer_account;
    if db.account(&peer).await?.is_none() {
        return refuse(ErrorCode::InvalidAccount, format!("no account {peer}"));
    }
    let before = match req.last_msg_key.as_str() {
        "" => None,
        key => Some(key.parse().map_err(|_| {
            Failure::Refused(ErrorCode::InvalidPacket, format!("bad LastMsgKey {key:?}"))
        })?),
    };
    let want = req.max_cnt as usize;
    let mut entries = db
        .conversation_before(&ctx.me, &peer, before, want + 1)
        .await?;
    let complete = entries.len() <= want;
    entries.truncate(want);
    let mut msgs = Vec::with_capacity(entries.len());
    for (seq, _) in &entries {
        msgs.extend(db.inbox_msg(&ctx.me, *seq).await?);
    }
    let msg_cnt = u32::try_from(msgs.len()).unwrap_or(u32::MAX);
    let last_msg_key = entries
        .last()
        .map(|(seq, _)| seq.to_string())
        .unwrap_or_default();
    // webim.js 1.7 reads the same page under names of its own.
    let v17 = ctx.dialect == Dialect::V17;
    Ok(Some(getroammsg::Response {
        complete: if complete {
            Complete::Yes
        } else {
            Complete::No
        },
        max_cnt: v17.then_some(msg_cnt),
        msg_key: v17.then(|| last_msg_key.clone()),
        last_msg_time: v17.then(|| msgs.last().map(|m| m.msg_time_stamp).unwrap_or_default()),
        msg_cnt,
        last_msg_key,
        msg_list: msgs,
    }))
}

/// `openim/msgreaded`: moves read positions forward, recounts unread, and tells the
/// caller's other clients.
pub async fn readed<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: msgreaded::Request,
) -> Outcome<msgreaded::Response> {
    let items = req.c2c_msg_readed.items;
    if items.len() > msgreaded::MAX_ITEMS {
        return refuse(
            ErrorCode::InvalidPacket,
            format!(
                "C2CMsgReadedItem has {} items; at most {} (one per conversation)",
                items.len(),
                msgreaded::MAX_ITEMS
            ),
        );
    }
    // One item per conversation: the latest time said for it.
    let mut reads: BTreeMap<AccountId, Timestamp> = BTreeMap::new();
    for item in items {
        let time = reads.entry(item.to_account).or_default();
        *time = (*time).max(item.lasted_msg_time);
    }
    let me = ctx.me.clone();
    for (peer, time) in reads {
        if db.account(&peer).await?.is_none() {
            return refuse(ErrorCode::InvalidAccount, format!("no account {peer}"));
        }
        let mut summary = db.summary(&me, &peer).await?;
        if time <= summary.read_time {
            // Read already: nothing changes, nothing to tell.
            continue;
        }
        summary.read_time = time;
        take_off_read(db, &me, &peer, &mut summary).await?;
        db.put_summary(&me, &peer, &summary).await?;
        let notice = ReadedNotice {
            peer_account: peer,
            lasted_msg_time: summary.read_time,
        };
        db.notify(&me, |seq| Event::readed(seq, notice)).await?;
        ctx.wake.insert(me.clone());
    }
    Ok(Some(msgreaded::Response {}))
}

/// The most conversation entries a walk fetches at once (it starts with one and fetches
/// four times more each step: most walks stop at their first entry).
const WALK_MAX_STEP: usize = 64;

/// The read time moved forward: the unread messages it now covers are taken off. The
/// work never depends on the conversation's length: nothing unread, nothing to do; read up
/// to the newest message, one look; otherwise a walk forward from the oldest unread
/// message over the messages newly read, each of which is walked over once in its life
/// (the oldest unread moves past it), so repeating a report costs nothing more.
async fn take_off_read<T: Tx>(
    db: &Db<'_, T>,
    me: &AccountId,
    peer: &AccountId,
    summary: &mut SummaryRec,
) -> Result<(), Failure> {
    if summary.unread == 0 {
        return Ok(());
    }
    let newest = db.conversation_before(me, peer, None, 1).await?;
    if newest
        .first()
        .is_none_or(|(_, entry)| entry.time <= summary.read_time)
    {
        summary.unread = 0;
        return Ok(());
    }
    let (mut from, mut step) = (summary.first_unread_seq, 1);
    loop {
        let chunk = db.conversation_from(me, peer, from, step).await?;
        step = (step * 4).min(WALK_MAX_STEP);
        let Some(&(last, _)) = chunk.last() else {
            summary.unread = 0;
            return Ok(());
        };
        for (seq, entry) in &chunk {
            if entry.time > summary.read_time {
                // Unread from here on (a message of mine here only moves the mark back a
                // little: the oldest unread is at or after it).
                summary.first_unread_seq = *seq;
                return Ok(());
            }
            if entry.received {
                summary.unread = summary.unread.saturating_sub(1);
            }
        }
        from = last + 1;
    }
}

/// `recentcontact/get`: the `Count` newest sessions with their newest message and unread
/// count (1.7's session list; inbox sequences grow with time, so the newest message of a
/// session has the session's highest sequence).
pub async fn recent_contacts<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: recentcontact::Request,
) -> Outcome<recentcontact::Response> {
    if !(1..=MAX_COUNT).contains(&req.count) {
        return refuse(
            ErrorCode::InvalidPacket,
            format!("Count must be 1 to {MAX_COUNT}"),
        );
    }
    let mut sessions = db.summaries(&ctx.me).await?;
    sessions.sort_by_key(|(_, s)| std::cmp::Reverse(s.last_seq));
    sessions.truncate(req.count as usize);
    let mut items = Vec::with_capacity(sessions.len());
    for (peer, summary) in sessions {
        let Some(msg) = db.inbox_msg(&ctx.me, summary.last_seq).await? else {
            continue;
        };
        items.push(SessionItem {
            kind: ContactType::C2c,
            to_account: peer,
            msg_seq: msg.msg_seq,
            msg_random: msg.msg_random,
            msg_time_stamp: msg.msg_time_stamp,
            msg_show: one_line(&msg.msg_body),
            unread_msg_count: summary.unread,
        });
    }
    Ok(Some(recentcontact::Response {
        session_item: items,
    }))
}

/// A message as one line: its texts, each emoticon by its name, a picture or a file as a
/// word in brackets (as webim.js 1.7's session list shows them).
fn one_line(body: &[MsgElem]) -> String {
    body.iter()
        .map(|elem| match elem {
            MsgElem::Text(t) => t.text.as_str(),
            MsgElem::Face(f) => f.data.as_str(),
            MsgElem::Image(_) => PICTURE_TEXT,
            MsgElem::File(_) => FILE_TEXT,
        })
        .collect()
}
