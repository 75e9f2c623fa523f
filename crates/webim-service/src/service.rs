//! The service's front door: authenticates the caller, reads the command's body, refuses
//! a `From_Account` naming someone else, runs the command in one transaction and answers
//! in the protocol's envelope. Never panics: every failure is an answer with a code.

use std::collections::BTreeSet;

use futures_util::future::join;
use webim_proto::openim::{getmsg, getroammsg, logout, longpolling, msgreaded};
use webim_proto::profile::{portrait_get, portrait_set};
use webim_proto::sns::{
    black_list_add, black_list_delete, black_list_get, friend_add, friend_delete, friend_get_all,
    friend_response, pendency_delete, pendency_get,
};
use webim_proto::{
    AccountId, C2cMsg, Command, ErrorCode, MsgElem, MsgRandom, MsgSeq, Service as Area, Status,
    TextElem, Timestamp,
};

use crate::codec::{Codec, Json};
use crate::db::Db;
use crate::store::{Mode, Store, StoreError, Tx};
use crate::{first_run, messaging, profile, relationship};

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

/// Who is asking, when, and whose clients must hear of the change.
#[derive(Debug)]
pub struct Ctx {
    /// The authenticated caller.
    pub me: AccountId,
    /// The service's clock, passed in.
    pub now: Timestamp,
    /// Accounts whose inbox or notices changed: their long polls must wake.
    pub wake: BTreeSet<AccountId>,
}

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
}

/// The IM service over a store.
#[derive(Debug, Clone)]
pub struct Service<S> {
    pub(crate) store: S,
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
    getroammsg::Request
);

impl Claims for C2cMsg {
    fn claimed(&self) -> Option<&AccountId> {
        Some(&self.from_account)
    }
}

impl<S: Store> Service<S> {
    /// The service over `store`.
    pub fn new(store: S) -> Self {
        Self { store }
    }

    /// The store (for the backend's own use, e.g. tests).
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Puts the first-run data in, unless it is there already (contract §1).
    pub async fn ensure_seeded(&self, now: Timestamp) -> Result<(), StoreError> {
        let tx = self.store.begin(Mode::ReadWrite).await?;
        let db = Db::new(&tx);
        if db.is_seeded().await? {
            return Ok(());
        }
        first_run::seed(&db, now).await?;
        tx.commit().await
    }

    /// Resets the demo: everything goes, the first-run data comes back. Returns every
    /// account, whose clients should start over.
    pub async fn reset(&self, now: Timestamp) -> Result<BTreeSet<AccountId>, StoreError> {
        let tx = self.store.begin(Mode::ReadWrite).await?;
        let db = Db::new(&tx);
        db.clear_all().await?;
        first_run::seed(&db, now).await?;
        let everyone = db.account_ids().await?.into_iter().collect();
        tx.commit().await?;
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
    /// the cookie as the client sent it.
    pub fn long_poll_timeout(body: &str) -> String {
        Self::long_poll_timeout_with(&Json, body)
    }

    /// [`Service::long_poll_timeout`] in `codec`'s form.
    pub fn long_poll_timeout_with<C: Codec>(codec: &C, body: &C::Body) -> C::Answer {
        let cookie = codec
            .decode::<longpolling::Request>(Command::LongPolling, body)
            .map(|r| r.cookie)
            .unwrap_or_default();
        codec.encode_ok(&longpolling::Response {
            event_array: Vec::new(),
            cookie,
        })
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
    ) -> Handled<C::Answer> {
        let mut ctx = match AccountId::new(identifier) {
            Ok(me) if !user_sig.is_empty() => Ctx {
                me,
                now,
                wake: BTreeSet::new(),
            },
            Ok(_) => return fail(codec, ErrorCode::SignatureInvalid, "userSig is empty"),
            Err(e) => {
                return fail(
                    codec,
                    ErrorCode::SignatureInvalid,
                    format!("identifier: {e}"),
                );
            }
        };
        match self.dispatch(codec, &mut ctx, command, body).await {
            Ok(reply) => Handled {
                reply,
                wake: ctx.wake,
                conflict: false,
            },
            Err(Failure::Refused(code, info)) => fail(codec, code, info),
            Err(Failure::Storage(e)) => Handled {
                conflict: e.is_conflict(),
                ..fail(
                    codec,
                    ErrorCode::ServiceError,
                    format!("the service failed: {e}"),
                )
            },
        }
    }

    async fn dispatch<C: Codec>(
        &self,
        codec: &C,
        ctx: &mut Ctx,
        command: Command,
        body: &C::Body,
    ) -> Result<Option<C::Answer>, Failure> {
        macro_rules! run {
            ($req:ty, $mode:expr, $op:path) => {{
                let req: $req = codec.decode(command, body)?;
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
                let me = ctx.me.clone();
                let (known, answer) = join(db.account(&me), $op(&db, ctx, req)).await;
                match known? {
                    None => {
                        return refuse(ErrorCode::SignatureInvalid, format!("no account {me}"));
                    }
                    Some(account) if account.disabled => {
                        return refuse(
                            ErrorCode::AccountDisabled,
                            format!("the account {me} is disabled"),
                        );
                    }
                    Some(_) => {}
                }
                let answer = answer?;
                if $mode == Mode::ReadWrite {
                    tx.commit().await?;
                }
                Ok(answer.map(|body| codec.encode_ok(&body)))
            }};
        }
        use Mode::{ReadOnly, ReadWrite};
        match command {
            Command::SendMsg => run!(C2cMsg, ReadWrite, messaging::send),
            Command::GetMsg => run!(getmsg::Request, ReadOnly, messaging::get),
            Command::LongPolling => run!(longpolling::Request, ReadOnly, messaging::long_poll),
            Command::MsgReaded => run!(msgreaded::Request, ReadWrite, messaging::readed),
            Command::Logout => run!(logout::Request, ReadOnly, messaging::logout),
            Command::GetRoamMsg => run!(getroammsg::Request, ReadOnly, messaging::history),
            Command::PortraitGet => run!(portrait_get::Request, ReadOnly, profile::get),
            Command::PortraitSet => run!(portrait_set::Request, ReadWrite, profile::set),
            Command::FriendAdd => run!(friend_add::Request, ReadWrite, relationship::add_friend),
            Command::FriendResponse => {
                run!(friend_response::Request, ReadWrite, relationship::respond)
            }
            Command::FriendDelete => run!(
                friend_delete::Request,
                ReadWrite,
                relationship::delete_friend
            ),
            Command::FriendGetAll => run!(friend_get_all::Request, ReadOnly, relationship::friends),
            Command::PendencyGet => run!(pendency_get::Request, ReadOnly, relationship::pendencies),
            Command::PendencyDelete => run!(
                pendency_delete::Request,
                ReadWrite,
                relationship::delete_pendency
            ),
            Command::BlackListAdd => {
                run!(black_list_add::Request, ReadWrite, relationship::add_black)
            }
            Command::BlackListDelete => run!(
                black_list_delete::Request,
                ReadWrite,
                relationship::delete_black
            ),
            Command::BlackListGet => {
                run!(black_list_get::Request, ReadOnly, relationship::blacklist)
            }
        }
    }
}

/// The "request cannot be unpacked" code of a command's service.
pub fn bad_request(command: Command) -> ErrorCode {
    match command.service() {
        Area::OpenIm => ErrorCode::InvalidPacket,
        Area::Profile => ErrorCode::ProfileBadRequest,
        Area::Sns => ErrorCode::SnsBadRequest,
    }
}

fn not_self(command: Command) -> ErrorCode {
    match command.service() {
        Area::OpenIm => ErrorCode::InvalidAccount,
        Area::Profile => ErrorCode::ProfileNotSelf,
        Area::Sns => ErrorCode::SnsNotSelf,
    }
}

fn fail<C: Codec>(codec: &C, code: ErrorCode, info: impl Into<String>) -> Handled<C::Answer> {
    Handled {
        reply: Some(codec.encode_status(&Status::fail(code, info))),
        wake: BTreeSet::new(),
        conflict: false,
    }
}
