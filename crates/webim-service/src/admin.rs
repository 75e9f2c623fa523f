//! The operator's side of the service: accounts created, listed and disabled outside the
//! protocol (Tencent IM's `account_import` and its console), for the server's command line.
//! Not reachable by a client: no protocol command leads here.

use webim_proto::profile::MAX_NICK_BYTES;
use webim_proto::{AccountId, AllowType, ErrorCode, Gender, Timestamp};

use crate::db::{AccountRec, Db};
use crate::service::{Failure, Service, refuse};
use crate::store::{Mode, Store, Tx};

/// An account as the operator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    /// The identifier.
    pub id: AccountId,
    /// `Tag_Profile_IM_Nick`.
    pub nick: String,
    /// `Tag_Profile_IM_Gender`.
    pub gender: Gender,
    /// `Tag_Profile_IM_AllowType`.
    pub allow_type: AllowType,
    /// True if its requests are refused.
    pub disabled: bool,
}

/// What a new account starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// The identifier.
    pub id: AccountId,
    /// `Tag_Profile_IM_Nick` (at most 64 bytes).
    pub nick: String,
    /// `Tag_Profile_IM_Gender`.
    pub gender: Gender,
    /// `Tag_Profile_IM_AllowType`.
    pub allow_type: AllowType,
}

impl<S: Store, F: crate::blob::Files> Service<S, F> {
    /// Creates an account; refused (70402) if the identifier is taken.
    pub async fn create_account(&self, account: NewAccount) -> Result<(), Failure> {
        if account.nick.is_empty() || account.nick.len() > MAX_NICK_BYTES {
            return refuse(
                ErrorCode::IllegalProfileFieldLength,
                format!("a nick is 1 to {MAX_NICK_BYTES} bytes"),
            );
        }
        let tx = self.store.begin(Mode::ReadWrite).await?;
        let db = Db::new(&tx);
        if db.account(&account.id).await?.is_some() {
            return refuse(
                ErrorCode::BadAccountParam,
                format!("the account {} exists already", account.id),
            );
        }
        let rec = AccountRec {
            nick: account.nick,
            gender: account.gender,
            allow_type: account.allow_type,
            image: String::new(),
            disabled: false,
            sigs_valid_from: Timestamp(0),
        };
        db.put_account(&account.id, &rec).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disables or enables an account; refused if there is no such account.
    pub async fn set_disabled(&self, id: &AccountId, disabled: bool) -> Result<(), Failure> {
        let tx = self.store.begin(Mode::ReadWrite).await?;
        let db = Db::new(&tx);
        let Some(mut rec) = db.account(id).await? else {
            return refuse(ErrorCode::NoSuchAccount, format!("no account {id}"));
        };
        rec.disabled = disabled;
        db.put_account(id, &rec).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends every credential of `id` issued before `now` (the operator's `account revoke`, a
    /// password change): its clients must log in again.
    pub async fn end_credentials(&self, id: &AccountId, now: Timestamp) -> Result<(), Failure> {
        let tx = self.store.begin(Mode::ReadWrite).await?;
        let db = Db::new(&tx);
        let Some(mut rec) = db.account(id).await? else {
            return refuse(ErrorCode::NoSuchAccount, format!("no account {id}"));
        };
        rec.sigs_valid_from = rec.sigs_valid_from.max(now);
        db.put_account(id, &rec).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every account, by identifier.
    pub async fn accounts(&self) -> Result<Vec<AccountSummary>, Failure> {
        let tx = self.store.begin(Mode::ReadOnly).await?;
        let db = Db::new(&tx);
        let mut all = Vec::new();
        for id in db.account_ids().await? {
            if let Some(rec) = db.account(&id).await? {
                all.push(AccountSummary {
                    id,
                    nick: rec.nick,
                    gender: rec.gender,
                    allow_type: rec.allow_type,
                    disabled: rec.disabled,
                });
            }
        }
        Ok(all)
    }

    /// True if `id` is an account that may make requests (exists, not disabled).
    pub async fn is_active(&self, id: &AccountId) -> Result<bool, Failure> {
        let tx = self.store.begin(Mode::ReadOnly).await?;
        Ok(Db::new(&tx).account(id).await?.is_some_and(|a| !a.disabled))
    }

    /// True if a credential of `id` issued at `issued` may open a session: the account
    /// exists, is not disabled, and its credentials were not ended after `issued`.
    pub async fn may_log_in(&self, id: &AccountId, issued: Timestamp) -> Result<bool, Failure> {
        let tx = self.store.begin(Mode::ReadOnly).await?;
        Ok(Db::new(&tx)
            .account(id)
            .await?
            .is_some_and(|a| !a.disabled && issued >= a.sigs_valid_from))
    }
}
