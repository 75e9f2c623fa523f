//! Identifier newtypes. They live in the protocol crate because every side parses them from
//! the same JSON, and a bad identifier must be refused at the edge, not deep in a rule.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Longest identifier accepted, in bytes (Tencent IM's documented account limit).
pub const MAX_ACCOUNT_ID_BYTES: usize = 32;

/// A user account identifier: webim.js `loginInfo.identifier`, and every `From_Account`,
/// `To_Account` and `Info_Account` on the wire.
///
/// Valid identifiers are 1 to 32 bytes of ASCII letters, digits and `_ - . @`. Shared, not
/// copied: every message names two accounts, so a clone is a reference count.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountId(Arc<str>);

/// Why a string is not an [`AccountId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidAccountId {
    /// The identifier is the empty string.
    #[error("an account identifier cannot be empty")]
    Empty,
    /// The identifier is longer than [`MAX_ACCOUNT_ID_BYTES`].
    #[error("an account identifier is at most {MAX_ACCOUNT_ID_BYTES} bytes, this one has {0}")]
    TooLong(usize),
    /// The identifier holds a character outside ASCII letters, digits and `_ - . @`.
    #[error("an account identifier may not contain {0:?}")]
    BadChar(char),
}

impl AccountId {
    /// Parses and validates an identifier.
    pub fn new(id: impl Into<String>) -> Result<Self, InvalidAccountId> {
        let id = id.into();
        if id.is_empty() {
            return Err(InvalidAccountId::Empty);
        }
        if id.len() > MAX_ACCOUNT_ID_BYTES {
            return Err(InvalidAccountId::TooLong(id.len()));
        }
        if let Some(bad) = id
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@')))
        {
            return Err(InvalidAccountId::BadChar(bad));
        }
        Ok(Self(id.into()))
    }

    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for AccountId {
    type Error = InvalidAccountId;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<AccountId> for String {
    fn from(id: AccountId) -> Self {
        id.0.as_ref().to_owned()
    }
}

/// `MsgSeq`: a message's sequence number. For a sent message it is the sender's own
/// counter; with `From_Account` and [`MsgRandom`] it identifies the message
/// (docs/protocol.md, "Messages").
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct MsgSeq(pub u64);

/// `MsgRandom`: a random number the sender picks for each message (0 to 2^32 − 1), so a
/// resend of the same message is recognised.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct MsgRandom(pub u32);

/// A Unix time in whole seconds, as every `…TimeStamp`, `…Time` and `AddTime` on the wire.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(pub u64);

impl fmt::Display for MsgSeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_accepts_the_seed_test_accounts() {
        for id in ["peakerdong", "qiyueluhuo2016", "a", "user_1-2.3@x"] {
            assert_eq!(AccountId::new(id).unwrap().as_str(), id);
        }
    }

    #[test]
    fn test_refuses_empty_long_and_odd_identifiers() {
        assert_eq!(AccountId::new(""), Err(InvalidAccountId::Empty));
        assert_eq!(
            AccountId::new("x".repeat(33)),
            Err(InvalidAccountId::TooLong(33))
        );
        assert_eq!(AccountId::new("a b"), Err(InvalidAccountId::BadChar(' ')));
        assert_eq!(AccountId::new("七月"), Err(InvalidAccountId::BadChar('七')));
    }

    #[test]
    fn test_deserializing_a_bad_identifier_is_an_error_not_a_panic() {
        let ok: AccountId = serde_json::from_str("\"peakerdong\"").unwrap();
        assert_eq!(ok.to_string(), "peakerdong");
        let err = serde_json::from_str::<AccountId>("\"<script>\"").unwrap_err();
        assert!(err.to_string().contains("may not contain"), "{err}");
    }
}
