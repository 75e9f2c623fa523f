//! The service's front door: takes a caller the shell verified (or, in the browser, one
//! named by the page), reads the command's body, refuses a `From_Account` naming someone
//! else, runs the command in one transaction and answers in the protocol's envelope, in
//! the caller's dialect. Never panics: every failure is an answer with a code.

use std::collections::BTreeSet;

use futures_util::future::join;
use webim_proto::group::get_joined_group_list;
use webim_proto::imopenstat::web_report;
use webim_proto::openim::{
    authkey, getlongpollingid, getmsg, getroammsg, logout, longpolling, longpollinglogout,
    msgreaded,
};
use webim_proto::openpic::{apply_download, pic_up};
use webim_proto::profile::{portrait_get, portrait_set};
use webim_proto::recentcontact;
use webim_proto::sns::{
    black_list_add, black_list_delete, black_list_get, friend_add, friend_delete, friend_get_all,
    friend_response, pendency_delete, pendency_get,
};
use webim_proto::{
    AccountId, Area, C2cMsg, Command, Dialect, ErrorCode, MsgElem, MsgRandom, MsgSeq, Status,
    TextElem, Timestamp,
};

use crate::batch::{BATCH_PART, Batched, Joined};
use crate::blob::{BlobStore, Files, NoFiles};
use crate::codec::{Codec, Json};
use crate::db::Db;
use crate::store::{Mode, Store, StoreError, Tx};
use crate::{attachments, first_run, long_poll, messaging, profile, relationship, session};

/// Why a command was not carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The request is refused, with the protocol's code and an explanation.
    Refused(ErrorCode, String),
    /// The database failed.
    Storage(StoreError),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Self::Storage(e)
    }
}

/// Shorthand for a refusal.
pub fn refuse<T>(code: ErrorCode, info: impl Into<String>) -> Result<T, Failure> {
    Err(Failure::Refused(code, info.into()))
}

/// A caller whose credential the shell has checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// Whose credential it was.
    pub account: AccountId,
    /// Which client family speaks, so the answer is one it reads.
    pub dialect: Dialect,
    /// The login session the credential belongs to, if it names one (1.7's A2Key): the
    /// service refuses it once that session has ended.
    pub session: Option<SessionTicket>,
    /// When the credential was issued, if the shell knows (a userSig's `TLS.time`): the
    /// service refuses it if the account's credentials were ended after that.
    pub issued: Option<Timestamp>,
}

impl Caller {
    /// A caller of our own SDK, with no session of its own.
    pub fn rust(account: AccountId) -> Self {
        Self {
            account,
            dialect: Dialect::Rust,
            session: None,
            issued: None,
        }
    }
}

/// A login session, as its credential names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionTicket {
    /// Its id, unique among the account's sessions.
    pub id: String,
    /// When the credential expires (the service keeps an ended session until then).
    pub expires: Timestamp,
}

/// Who is asking, when, and whose clients must hear of the change.
#[derive(Debug)]
pub struct Ctx {
    /// The authenticated caller.
    pub me: AccountId,
    /// The caller's dialect.
    pub dialect: Dialect,
    /// The caller's login session, if its credential names one.
    pub session: Option<SessionTicket>,
    /// When the caller's credential was issued, if known.
    pub issued: Option<Timestamp>,
    /// The service's clock, passed in.
    pub now: Timestamp,
    /// Accounts whose inbox or notices changed: their long polls must wake.
    pub wake: BTreeSet<AccountId>,
    /// What a client reported of its own calls (`imopenstat/web_report`).
    pub reported: Option<Reported>,
}

/// A client's report of its own calls: how many, and how many failed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reported {
    /// Calls reported.
    pub calls: usize,
    /// Of those, the failed.
    pub failed: usize,
}

/// What a command's rule answers: its response, nothing yet (a long poll with nothing to
/// report), or why it failed.
pub(crate) type Outcome<T> = Result<Option<T>, Failure>;

/// What a command produced, its answer in a codec's form of body (JSON text by default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled<A = String> {
    /// The answer; `None` for a long poll with nothing to report yet (wait for a
    /// wake-up of the caller or the timeout, then ask again).
    pub reply: Option<A>,
    /// Accounts whose long polls must wake, in this tab and every other.
    pub wake: BTreeSet<AccountId>,
    /// True if the command lost a race with another transaction and changed nothing: the
    /// caller may run it again (the reply then says the service failed).
    pub conflict: bool,
    /// What the client reported of its own calls, for the shell's counters.
    pub reported: Option<Reported>,
    /// The answer's `ErrorCode` (`Ok` for a long poll with nothing to report yet), so a
    /// shell never reads its own answer again to learn it.
    pub status: ErrorCode,
}

/// The IM service over a store, keeping pictures and files as `F` says (none by default).
#[derive(Debug, Clone)]
pub struct Service<S, F = NoFiles> {
    pub(crate) store: S,
    pub(crate) files: F,
    /// The longest the shell holds a long poll, in seconds (advised to 1.7's clients).
    pub(crate) long_poll_secs: u32,
}

/// The `From_Account` a request claims, if it names one.
trait Claims {
    fn claimed(&self) -> Option<&AccountId>;
}

macro_rules! claims_from {
    ($($t:ty),*) => {$(
        impl Claims for $t {
            fn claimed(&self) -> Option<&AccountId> {
                self.from_account.as_ref()
            }
        }
    )*};
}

claims_from!(
    recentcontact::Request,
    portrait_get::Request,
    portrait_set::Request,
    friend_add::Request,
    friend_response::Request,
    friend_delete::Request,
    friend_get_all::Request,
    pendency_get::Request,
    pendency_delete::Request,
    black_list_add::Request,
    black_list_delete::Request,
    black_list_get::Request
);

macro_rules! claims_nothing {
    ($($t:ty),*) => {$(
        impl Claims for $t {
            fn claimed(&self) -> Option<&AccountId> {
                None
            }
        }
    )*};
}

claims_nothing!(
    getmsg::Request,
    longpolling::Request,
    msgreaded::Request,
    logout::Request,
    getroammsg::Request,
    getlongpollingid::Request,
    longpollinglogout::Request,
    authkey::Request,
    web_report::Request,
    apply_download::Request
);

impl Claims for get_joined_group_list::Request {
    fn claimed(&self) -> Option<&AccountId> {
        self.member_account.as_ref()
    }
}

impl Claims for C2cMsg {
    fn claimed(&self) -> Option<&AccountId> {
        Some(&self.from_account)
    }
}

impl<S: Store> Service<S> {
    /// The service over `store`, with no pictures or files.
    pub fn new(store: S) -> Self {
        Self {
            store,
            files: NoFiles,
            long_poll_secs: longpolling::MAX_TIMEOUT_SECS,
        }
    }
}

impl<S: Store, F: Files> Service<S, F> {
    /// The same, keeping pictures and files with `files`.
    pub fn with_files<G: Files>(self, files: G) -> Service<S, G> {
        Service {
            store: self.store,
            files,
            long_poll_secs: self.long_poll_secs,
        }
    }

    /// The shell's half of pictures and files.
    pub fn files(&self) -> &F {
        &self.files
    }

    /// The same, telling clients that ask (1.7) that a long poll is held at most `secs`.
    pub fn with_long_poll_secs(self, secs: u32) -> Self {
        Self {
            long_poll_secs: secs,
            ..self
        }
    }

    /// The store (for the backend's own use, e.g. tests).
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Puts the first-run data in, unless it is there already (docs/protocol.md, "The five
    /// test accounts").
    pub async fn ensure_seeded(&self, now: Timestamp) -> Result<(), StoreError> {
        let tx = self.store.begin(Mode::ReadWrite).await?;
        let db = Db::new(&tx);
        if db.is_seeded().await? {
            return Ok(());
        }
        first_run::seed(&db, now).await?;
        tx.commit().await
    }

    /// Resets the demo: everything goes (pictures and files too), the first-run data comes
    /// back. Returns every account, whose clients should start over.
    pub async fn reset(&self, now: Timestamp) -> Result<BTreeSet<AccountId>, StoreError> {
        let tx = self.store.begin(Mode::ReadWrite).await?;
        let db = Db::new(&tx);
        let blobs = db.every_blob().await?;
        db.clear_all().await?;
        first_run::seed(&db, now).await?;
        let everyone = db.account_ids().await?.into_iter().collect();
        tx.commit().await?;
        // Only once no record names them: a failed reset loses no picture.
        for blob in blobs {
            self.files.blobs().remove(&blob).await?;
        }
        Ok(everyone)
    }

    /// Imports a conversation's history in one transaction: `texts` as messages from
    /// `from` to `to`, one second apart and ending at `now` (Tencent IM's `importmsg`, an
    /// admin call, not a client command: for demos and benchmarks). Returns whom to wake.
    pub async fn import_messages(
        &self,
        from: &AccountId,
        to: &AccountId,
        texts: &[String],
        now: Timestamp,
    ) -> Result<BTreeSet<AccountId>, Failure> {
        let tx = self.store.begin(Mode::ReadWrite).await?;
        let db = Db::new(&tx);
        for who in [from, to] {
            if db.account(who).await?.is_none() {
                return refuse(ErrorCode::InvalidAccount, format!("no account {who}"));
            }
        }
        let count = texts.len() as u64;
        let first_seq = db.counters(from).await?.inbox + 1;
        for (i, text) in texts.iter().enumerate() {
            let i = i as u64;
            let msg = C2cMsg {
                from_account: from.clone(),
                to_account: to.clone(),
                msg_seq: MsgSeq(first_seq + i),
                msg_random: MsgRandom(i as u32),
                msg_time_stamp: Timestamp(now.0.saturating_sub(count - 1 - i)),
                msg_body: vec![MsgElem::Text(TextElem { text: text.clone() })],
            };
            db.deliver(&msg).await?;
            db.mark_accepted(&msg).await?;
        }
        tx.commit().await?;
        Ok([from.clone(), to.clone()].into_iter().collect())
    }

    /// The JSON answer to a long poll that found nothing before its timeout: no events,
    /// the cookie as the client sent it (for callers that hold no long poll themselves,
    /// such as the tests' direct transports).
    pub fn long_poll_timeout(body: &str) -> String {
        let cookie = Json
            .decode::<longpolling::Request>(Command::LongPolling, body)
            .map(|r| r.cookie)
            .unwrap_or_default();
        long_poll::nothing_new(&Json, cookie)
    }

    /// Carries out one command for `identifier` (signed `user_sig`) at time `now`, its
    /// body and answer the protocol's JSON.
    pub async fn handle(
        &self,
        identifier: &str,
        user_sig: &str,
        command: Command,
        body: &str,
        now: Timestamp,
    ) -> Handled {
        self.handle_with(&Json, identifier, user_sig, command, body, now)
            .await
    }

    /// [`Service::handle`] with the body and the answer in `codec`'s form.
    pub async fn handle_with<C: Codec>(
        &self,
        codec: &C,
        identifier: &str,
        user_sig: &str,
        command: Command,
        body: &C::Body,
        now: Timestamp,
    ) -> Handled<C::Encoded> {
        let caller = match Self::page_caller(codec, identifier, user_sig) {
            Ok(caller) => caller,
            Err(refused) => return refused,
        };
        self.handle_as(codec, &caller, command, body, now).await
    }

    /// The caller a page names (in the browser, where the service trusts its own origin's
    /// pages): our SDK, with a userSig that must not be empty.
    #[allow(clippy::result_large_err)]
    pub fn page_caller<C: Codec>(
        codec: &C,
        identifier: &str,
        user_sig: &str,
    ) -> Result<Caller, Handled<C::Encoded>> {
        match AccountId::new(identifier) {
            Ok(me) if !user_sig.is_empty() => Ok(Caller::rust(me)),
            Ok(_) => Err(fail(codec, ErrorCode::SignatureInvalid, "userSig is empty")),
            Err(e) => Err(fail(
                codec,
                ErrorCode::SignatureInvalid,
                format!("identifier: {e}"),
            )),
        }
    }

    /// Carries out one command for `caller`, whose credential the shell has verified, with
    /// the body and the answer in `codec`'s form and the answer in the caller's dialect.
    pub async fn handle_as<C: Codec>(
        &self,
        codec: &C,
        caller: &Caller,
        command: Command,
        body: &C::Body,
        now: Timestamp,
    ) -> Handled<C::Encoded> {
        self.answer(codec, caller, command, body, None, now).await
    }

    /// Carries out `command`; a long poll whose request was already read passes it as
    /// `poll`, and `body` is not read again.
    pub(crate) async fn answer<C: Codec>(
        &self,
        codec: &C,
        caller: &Caller,
        command: Command,
        body: &C::Body,
        poll: Option<&longpolling::Request>,
        now: Timestamp,
    ) -> Handled<C::Encoded> {
        let mut ctx = Ctx {
            me: caller.account.clone(),
            dialect: caller.dialect,
            session: caller.session.clone(),
            issued: caller.issued,
            now,
            wake: BTreeSet::new(),
            reported: None,
        };
        match self.dispatch(codec, &mut ctx, command, body, poll).await {
            Ok(reply) => Handled {
                reply,
                wake: ctx.wake,
                conflict: false,
                reported: ctx.reported,
                status: ErrorCode::Ok,
            },
            Err(failure) => failed(codec, failure),
        }
    }

    async fn dispatch<C: Codec>(
        &self,
        codec: &C,
        ctx: &mut Ctx,
        command: Command,
        body: &C::Body,
        poll: Option<&longpolling::Request>,
    ) -> Result<Option<C::Encoded>, Failure> {
        macro_rules! run {
            ($req:ty, $mode:expr, $op:path) => {{
                let req: $req = codec.decode(command, body)?;
                run!(@read req, $mode, $op)
            }};
            (@read $req:ident, $mode:expr, $op:path) => {{
                let raw = run!(@raw $req, $mode, $op);
                Ok(raw.map(|body| codec.encode_ok(&body)))
            }};
            // A command answering messages: their pictures and files get addresses made
            // for this reader.
            (@linked $req:ty, $op:path) => {{
                let req: $req = codec.decode(command, body)?;
                let raw = run!(@raw req, ReadOnly, $op);
                Ok(raw.map(|mut body| {
                    self.link_msgs(ctx, &mut body.msg_list);
                    codec.encode_ok(&body)
                }))
            }};
            // A command naming many accounts, a few per transaction (`batch.rs`): the
            // writer is never held for more than those few, however many the protocol
            // lets a request name.
            (@batched $req:ty, $op:path) => {{
                let req: $req = codec.decode(command, body)?;
                let (max, too_many) = <$req as Batched>::bound();
                if req.items() > max {
                    return refuse(
                        too_many,
                        format!("name 1 to {max} accounts, not {}", req.items()),
                    );
                }
                let mut joined = None;
                for part in req.split(BATCH_PART) {
                    if let Some(answer) = run!(@raw part, Mode::ReadWrite, $op) {
                        joined = Some(Joined::join(joined, answer));
                    }
                }
                Ok(joined.map(|body| codec.encode_ok(&body)))
            }};
            (@raw $req:ident, $mode:expr, $op:path) => {{
                let req = $req;
                if let Some(claimed) = req.claimed() {
                    if *claimed != ctx.me {
                        return refuse(
                            not_self(command),
                            format!("From_Account {claimed} is not the caller {}", ctx.me),
                        );
                    }
                }
                let tx = self.store.begin($mode).await?;
                let db = Db::new(&tx);
                // The caller's account is read beside the command's own reads (over
                // IndexedDB, one round trip fewer); an unknown caller's writes never land,
                // as nothing is committed for it.
                let who = Credential::of(ctx);
                let (checked, answer) =
                    join(check_caller(&db, &who, command), $op(&db, ctx, req)).await;
                checked?;
                let answer = answer?;
                if $mode == Mode::ReadWrite {
                    tx.commit().await?;
                }
                answer
            }};
        }
        use Mode::{ReadOnly, ReadWrite};
        match command {
            Command::SendMsg => run!(C2cMsg, ReadWrite, messaging::send),
            Command::GetMsg => run!(@linked getmsg::Request, messaging::get),
            Command::LongPolling => {
                let req = match poll {
                    Some(read) => read.clone(),
                    None => codec.decode(command, body)?,
                };
                run!(@read req, ReadOnly, long_poll::long_poll)
            }
            Command::MsgReaded => run!(@batched msgreaded::Request, messaging::readed),
            Command::Logout => run!(logout::Request, ReadWrite, session::logout),
            Command::GetRoamMsg => run!(@linked getroammsg::Request, messaging::history),
            Command::PortraitGet => run!(portrait_get::Request, ReadOnly, profile::get),
            Command::PortraitSet => run!(portrait_set::Request, ReadWrite, profile::set),
            Command::FriendAdd => run!(@batched friend_add::Request, relationship::add_friend),
            Command::FriendResponse => {
                run!(@batched friend_response::Request, relationship::respond)
            }
            Command::FriendDelete => {
                run!(@batched friend_delete::Request, relationship::delete_friend)
            }
            Command::FriendGetAll => run!(friend_get_all::Request, ReadOnly, relationship::friends),
            Command::PendencyGet => run!(pendency_get::Request, ReadOnly, relationship::pendencies),
            Command::PendencyDelete => {
                run!(@batched pendency_delete::Request, relationship::delete_pendency)
            }
            Command::BlackListAdd => {
                run!(@batched black_list_add::Request, relationship::add_black)
            }
            Command::BlackListDelete => {
                run!(@batched black_list_delete::Request, relationship::delete_black)
            }
            Command::BlackListGet => {
                run!(black_list_get::Request, ReadOnly, relationship::blacklist)
            }
            Command::GetLongPollingId => {
                let secs = self.long_poll_secs;
                let op = async |db: &Db<'_, S::Tx>, ctx: &mut Ctx, req| {
                    session::long_polling_id(db, ctx, req, secs).await
                };
                run!(getlongpollingid::Request, ReadOnly, op)
            }
            Command::LongPollingLogout => {
                run!(
                    longpollinglogout::Request,
                    ReadWrite,
                    session::end_long_polling
                )
            }
            Command::AuthKey => {
                let files = &self.files;
                let op = async |db: &Db<'_, S::Tx>, ctx: &mut Ctx, req| {
                    session::auth_key(db, ctx, req, files).await
                };
                run!(authkey::Request, ReadOnly, op)
            }
            Command::RecentContactGet => {
                run!(recentcontact::Request, ReadOnly, messaging::recent_contacts)
            }
            Command::GetJoinedGroupList => {
                run!(
                    get_joined_group_list::Request,
                    ReadOnly,
                    session::joined_groups
                )
            }
            Command::WebReport => run!(web_report::Request, ReadOnly, session::web_report),
            Command::PicUp => {
                let req: pic_up::Request = codec.decode(command, body)?;
                if req.from_account.as_ref().is_some_and(|a| *a != ctx.me) {
                    return refuse(ErrorCode::InvalidAccount, "From_Account is not the caller");
                }
                let answer = self.pic_up(ctx, req, command).await?;
                Ok(Some(codec.encode_ok(&answer)))
            }
            Command::ApplyDownload => {
                let files = &self.files;
                let op = async |db: &Db<'_, S::Tx>, ctx: &mut Ctx, req| {
                    attachments::apply_download(db, ctx, req, files).await
                };
                run!(apply_download::Request, ReadOnly, op)
            }
        }
    }
}

/// What a command's caller presented, checked against the account inside the command's
/// own transaction.
pub(crate) struct Credential {
    pub(crate) me: AccountId,
    pub(crate) session: Option<SessionTicket>,
    pub(crate) issued: Option<Timestamp>,
}

impl Credential {
    pub(crate) fn of(ctx: &Ctx) -> Self {
        Self {
            me: ctx.me.clone(),
            session: ctx.session.clone(),
            issued: ctx.issued,
        }
    }
}

/// Refuses a caller whose account is unknown or disabled, whose login session has ended,
/// or whose credential was issued before the account's credentials were ended.
pub(crate) async fn check_caller<T: Tx>(
    db: &Db<'_, T>,
    who: &Credential,
    command: Command,
) -> Result<(), Failure> {
    let ended = async {
        match &who.session {
            Some(ticket) => session::has_ended(db, ticket).await,
            None => Ok(false),
        }
    };
    let (known, ended) = join(db.account(&who.me), ended).await;
    if ended? {
        return refuse(
            ErrorCode::SigExpired,
            "this login has ended (logout): log in again",
        );
    }
    let me = &who.me;
    match known? {
        None => refuse(ErrorCode::SignatureInvalid, format!("no account {me}")),
        Some(account) if account.disabled => refuse(
            ErrorCode::AccountDisabled,
            format!("the account {me} is disabled"),
        ),
        // A logout ends the credentials it came with: its own check would see that
        // (read-your-writes), so it is the one command not held to it.
        Some(account)
            if who.issued.is_some_and(|t| t < account.sigs_valid_from)
                && !matches!(command, Command::Logout | Command::LongPollingLogout) =>
        {
            refuse(
                ErrorCode::SigExpired,
                "this login was ended (a logout, a password change or the operator's \
                 revoke): log in again",
            )
        }
        Some(_) => Ok(()),
    }
}

/// The "request cannot be unpacked" code of a command's service.
pub fn bad_request(command: Command) -> ErrorCode {
    match command.area() {
        Area::OpenIm | Area::Group | Area::RecentContact | Area::ImOpenStat | Area::OpenPic => {
            ErrorCode::InvalidPacket
        }
        Area::Profile => ErrorCode::ProfileBadRequest,
        Area::Sns => ErrorCode::SnsBadRequest,
    }
}

fn not_self(command: Command) -> ErrorCode {
    match command.area() {
        Area::OpenIm | Area::Group | Area::RecentContact | Area::ImOpenStat | Area::OpenPic => {
            ErrorCode::InvalidAccount
        }
        Area::Profile => ErrorCode::ProfileNotSelf,
        Area::Sns => ErrorCode::SnsNotSelf,
    }
}

fn fail<C: Codec>(codec: &C, code: ErrorCode, info: impl Into<String>) -> Handled<C::Encoded> {
    Handled {
        reply: Some(codec.encode_status(&Status::fail(code, info))),
        wake: BTreeSet::new(),
        conflict: false,
        reported: None,
        status: code,
    }
}

/// The answer to a command that was not carried out.
pub(crate) fn failed<C: Codec>(codec: &C, failure: Failure) -> Handled<C::Encoded> {
    match failure {
        Failure::Refused(code, info) => fail(codec, code, info),
        Failure::Storage(e) => Handled {
            conflict: e.is_conflict(),
            ..fail(
                codec,
                ErrorCode::ServiceError,
                format!("the service failed: {e}"),
            )
        },
    }
}
