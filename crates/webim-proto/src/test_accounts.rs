//! The five test accounts and their first-run data (docs/protocol.md, "The five test
//! accounts"). WebIM 1.0 had no sign-up: these are the only accounts of a demo, the login
//! picker shows them, the service seeds them and a reset puts them back to exactly this
//! state. A fact of the product every side shares, so it lives with the protocol's types.

use crate::{AccountId, AllowType, Gender};

/// One test account as it is on first run (and after a reset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestAccount {
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

impl TestAccount {
    /// The identifier as a typed [`AccountId`].
    pub fn account_id(&self) -> AccountId {
        // Static data, checked by `test_every_identifier_is_valid`: no input reaches
        // this.
        AccountId::new(self.id).expect("first-run identifiers are valid")
    }
}

/// The five test accounts in the order the login picker shows them.
pub const TEST_ACCOUNTS: [TestAccount; 5] = [
    TestAccount {
        id: "peakerdong",
        nick: "peakerdong",
        gender: Gender::Male,
        allow_type: AllowType::NeedConfirm,
        friends: &["qiyueluhuo2016", "qiyueluhuo2017"],
    },
    TestAccount {
        id: "qiyueluhuo2016",
        nick: "七月流火2016",
        gender: Gender::Female,
        allow_type: AllowType::NeedConfirm,
        friends: &["peakerdong"],
    },
    TestAccount {
        id: "qiyueluhuo2017",
        nick: "七月流火2017",
        gender: Gender::Male,
        allow_type: AllowType::AllowAny,
        friends: &["peakerdong"],
    },
    TestAccount {
        id: "qiyueluhuo2018",
        nick: "七月流火2018",
        gender: Gender::Unknown,
        allow_type: AllowType::NeedConfirm,
        friends: &[],
    },
    TestAccount {
        id: "qiyueluhuo2019",
        nick: "七月流火2019",
        gender: Gender::Unknown,
        allow_type: AllowType::DenyAny,
        friends: &[],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_every_identifier_is_valid() {
        for account in TEST_ACCOUNTS {
            assert_eq!(AccountId::new(account.id).unwrap(), account.account_id());
        }
    }

    #[test]
    fn test_friendships_are_symmetric_and_between_known_accounts() {
        for account in TEST_ACCOUNTS {
            for friend in account.friends {
                let other = TEST_ACCOUNTS
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
        let kinds = |t| TEST_ACCOUNTS.iter().filter(|a| a.allow_type == t).count();
        assert_eq!(kinds(AllowType::NeedConfirm), 3);
        assert_eq!(kinds(AllowType::AllowAny), 1);
        assert_eq!(kinds(AllowType::DenyAny), 1);
    }
}
