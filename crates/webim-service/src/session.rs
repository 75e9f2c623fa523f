//! Login sessions and the calls webim.js 1.2 and 1.7 make around a login
//! (docs/protocol.md, "Logging in as 1.7 does"): the ended sessions that a credential may
//! no longer open, the long-poll id, and the answers that let an old SDK's login finish
//! (download tickets, joined groups, its own reports).

use webim_proto::group::get_joined_group_list;
use webim_proto::imopenstat::{MAX_ITEMS, web_report};
use webim_proto::openim::{authkey, getlongpollingid, logout, longpollinglogout};
use webim_proto::{ErrorCode, Timestamp};

use crate::db::Db;
use crate::service::{Ctx, Failure, Outcome, Reported, SessionTicket, refuse};
use crate::store::{Direction, KeyRange, Table, Tx};

/// Where ended sessions are kept, ordered by when their credential expires.
const ENDED: &str = "session-ended/";
/// Ended sessions whose credentials have expired that one logout clears away.
const PRUNE_PER_END: usize = 64;

fn ended_key(ticket: &SessionTicket) -> String {
    format!("{ENDED}{:020}/{}", ticket.expires.0, ticket.id)
}

/// True if `ticket`'s session has ended.
pub async fn has_ended<T: Tx>(db: &Db<'_, T>, ticket: &SessionTicket) -> Result<bool, Failure> {
    Ok(db
        .tx()
        .get(Table::Meta, &ended_key(ticket))
        .await?
        .is_some())
}

/// Ends the caller's login: every credential of the account issued before now opens
/// nothing more (a logout ends the login everywhere, as a password change does), and the
/// caller's session, if its credential names one, is recorded as ended. Sessions whose
/// credentials have expired anyway are forgotten meanwhile.
async fn end_session<T: Tx>(db: &Db<'_, T>, ctx: &Ctx) -> Result<(), Failure> {
    if let Some(mut account) = db.account(&ctx.me).await? {
        account.sigs_valid_from = account.sigs_valid_from.max(ctx.now);
        db.put_account(&ctx.me, &account).await?;
    }
    let Some(ticket) = &ctx.session else {
        return Ok(());
    };
    let expired = KeyRange::prefix_before(ENDED, &format!("{ENDED}{:020}", ctx.now.0));
    let old = db
        .tx()
        .scan(Table::Meta, &expired, Direction::Forward, PRUNE_PER_END)
        .await?;
    for (key, _) in old {
        db.tx().delete(Table::Meta, &key).await?;
    }
    db.tx().put(Table::Meta, &ended_key(ticket), "1").await?;
    Ok(())
}

/// `openim/logout`: ends the caller's login (its userSig, every earlier one of the account,
/// and its session if it names one).
pub async fn logout<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    _req: logout::Request,
) -> Outcome<logout::Response> {
    end_session(db, ctx).await?;
    Ok(Some(logout::Response {}))
}

/// `openim/longpollinglogout`: 1.7's logout of one client; its session ends.
pub async fn end_long_polling<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    _req: longpollinglogout::Request,
) -> Outcome<longpollinglogout::Response> {
    end_session(db, ctx).await?;
    Ok(Some(longpollinglogout::Response {}))
}

/// `openim/getlongpollingid`: an id whose notices start now, and how long to wait for a
/// long poll's answer (longer than the shell holds one, so the answer always comes first).
pub async fn long_polling_id<T: Tx>(
    db: &Db<'_, T>,
    ctx: &mut Ctx,
    _req: getlongpollingid::Request,
    held_secs: u32,
) -> Outcome<getlongpollingid::Response> {
    let notices = db.counters(&ctx.me).await?.notice;
    Ok(Some(getlongpollingid::Response {
        long_polling_id: getlongpollingid::id_from(notices),
        timeout: held_secs.saturating_add(10),
    }))
}

/// How long an (empty) download ticket is said to last.
const AUTH_KEY_SECS: u64 = 24 * 60 * 60;

/// `openim/authkey`: the caller's key and the host for the file addresses webim.js 1.7
/// builds itself, when the shell serves them; else no host and an empty key.
pub async fn auth_key<T: Tx, F: crate::blob::Files>(
    _db: &Db<'_, T>,
    ctx: &mut Ctx,
    _req: authkey::Request,
    files: &F,
) -> Outcome<authkey::Response> {
    Ok(Some(match files.reader_key(&ctx.me, ctx.now) {
        Some(key) => authkey::Response {
            auth_key: key.key,
            expire_time: key.expires,
            ip_list: key.hosts,
        },
        None => authkey::Response {
            auth_key: String::new(),
            expire_time: Timestamp(ctx.now.0.saturating_add(AUTH_KEY_SECS)),
            ip_list: Vec::new(),
        },
    }))
}

/// `group_open_http_svc/get_joined_group_list`: none (one-to-one chat only).
pub async fn joined_groups<T: Tx>(
    _db: &Db<'_, T>,
    _ctx: &mut Ctx,
    _req: get_joined_group_list::Request,
) -> Outcome<get_joined_group_list::Response> {
    Ok(Some(get_joined_group_list::Response::default()))
}

/// `imopenstat/web_report`: accepted; the shell counts what it reports.
pub async fn web_report<T: Tx>(
    _db: &Db<'_, T>,
    ctx: &mut Ctx,
    req: web_report::Request,
) -> Outcome<web_report::Response> {
    if req.evt_items.len() > MAX_ITEMS {
        return refuse(
            ErrorCode::InvalidPacket,
            format!("at most {MAX_ITEMS} EvtItems in one report"),
        );
    }
    ctx.reported = Some(Reported {
        calls: req.evt_items.len(),
        failed: req.evt_items.iter().filter(|i| i.failed()).count(),
    });
    Ok(Some(web_report::Response {}))
}
