//! The five test accounts and their first-run data (docs/protocol.md, "The five test
//! accounts"). WebIM 1.0 had no sign-up: these are the only accounts, and a reset puts
//! them back to exactly this state.

use webim_proto::sns::ADD_SOURCE_UNKNOWN;
use webim_proto::{AccountId, AllowType, Gender, Timestamp};

use crate::db::{AccountRec, Db, FriendRec};
use crate::store::{StoreError, Tx};

/// One test account as it is on first run (and after a reset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstRunAccount {
    /// The identifier, as the seed spells it.
    pub id: &'static str,
    /// `Tag_Profile_IM_Nick` on first run.
    pub nick: &'static str,
    /// `Tag_Profile_IM_Gender` on first run.
    pub gender: Gender,
    /// `Tag_Profile_IM_AllowType` on first run.
    pub allow_type: AllowType,
    /// Friends on first run (friendship is symmetric: each pair is listed on both sides).
    pub friends: &'static [&'static str],
}

impl FirstRunAccount {
    /// The identifier as a typed [`AccountId`].
    pub fn account_id(&self) -> AccountId {
        // Static data, checked by `test_every_first_run_identifier_is_valid`: no input reaches
        // this.
        AccountId::new(self.id).expect("first-run identifiers are valid")
    }
}

/// The five test accounts in the order the login picker shows them.
pub const FIRST_RUN_ACCOUNTS: [FirstRunAccount; 5] = [
    FirstRunAccount {
        id: "peakerdong",
        nick: "peakerdong",
        gender: Gender::Male,
        allow_type: AllowType::NeedConfirm,
        friends: &["qiyueluhuo2016", "qiyueluhuo2017"],
    },
    FirstRunAccount {
        id: "qiyueluhuo2016",
        nick: "七月流火2016",
        gender: Gender::Female,
        allow_type: AllowType::NeedConfirm,
        friends: &["peakerdong"],
    },
    FirstRunAccount {
        id: "qiyueluhuo2017",
        nick: "七月流火2017",
        gender: Gender::Male,
        allow_type: AllowType::AllowAny,
        friends: &["peakerdong"],
    },
    FirstRunAccount {
        id: "qiyueluhuo2018",
        nick: "七月流火2018",
        gender: Gender::Unknown,
        allow_type: AllowType::NeedConfirm,
        friends: &[],
    },
    FirstRunAccount {
        id: "qiyueluhuo2019",
        nick: "七月流火2019",
        gender: Gender::Unknown,
        allow_type: AllowType::DenyAny,
        friends: &[],
    },
];

/// Writes the first-run data (into an empty store) and marks it as in.
pub async fn seed<T: Tx>(db: &Db<'_, T>, now: Timestamp) -> Result<(), StoreError> {
    for account in FIRST_RUN_ACCOUNTS {
        let id = account.account_id();
        let rec = AccountRec {
            nick: account.nick.to_owned(),
            gender: account.gender,
            allow_type: account.allow_type,
            image: String::new(),
            disabled: false,
            sigs_valid_from: Timestamp(0),
        };
        db.put_account(&id, &rec).await?;
        for friend in account.friends {
            let friend = AccountId::new(*friend).map_err(|e| StoreError::new(e.to_string()))?;
            let rec = FriendRec {
                remark: String::new(),
                add_source: ADD_SOURCE_UNKNOWN.to_owned(),
                add_wording: String::new(),
                add_time: now,
            };
            db.put_friend(&id, &friend, &rec).await?;
        }
    }
    db.mark_seeded().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_every_first_run_identifier_is_valid() {
        for account in FIRST_RUN_ACCOUNTS {
            assert_eq!(AccountId::new(account.id).unwrap(), account.account_id());
        }
    }

    #[test]
    fn test_first_run_friendships_are_symmetric_and_between_known_accounts() {
        for account in FIRST_RUN_ACCOUNTS {
            for friend in account.friends {
                let other = FIRST_RUN_ACCOUNTS
                    .iter()
                    .find(|a| a.id == *friend)
                    .unwrap_or_else(|| panic!("{friend} is not a test account"));
                assert!(
                    other.friends.contains(&account.id),
                    "{} ↔ {friend}",
                    account.id
                );
            }
        }
    }

    #[test]
    fn test_each_add_friend_permission_is_represented() {
        let kinds = |t| {
            FIRST_RUN_ACCOUNTS
                .iter()
                .filter(|a| a.allow_type == t)
                .count()
        };
        assert_eq!(kinds(AllowType::NeedConfirm), 3);
        assert_eq!(kinds(AllowType::AllowAny), 1);
        assert_eq!(kinds(AllowType::DenyAny), 1);
    }
}
