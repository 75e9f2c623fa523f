//! The protocol's error codes (docs/protocol.md, "Error codes"), as one enum that keeps any
//! code it does not know. Every side matches on names, never on bare numbers.

use serde::{Deserialize, Serialize};

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $name:ident = $code:literal, )*) => {
        /// An `ErrorCode` or per-account `ResultCode`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(from = "i64", into = "i64")]
        pub enum ErrorCode {
            $( $(#[$doc])* $name, )*
            /// A code this build does not know, kept as received.
            Other(i64),
        }

        impl From<i64> for ErrorCode {
            fn from(code: i64) -> Self {
                match code {
                    $( $code => Self::$name, )*
                    other => Self::Other(other),
                }
            }
        }

        impl From<ErrorCode> for i64 {
            fn from(code: ErrorCode) -> Self {
                match code {
                    $( ErrorCode::$name => $code, )*
                    ErrorCode::Other(other) => other,
                }
            }
        }
    };
}

error_codes! {
    /// 0: success.
    Ok = 0,
    /// -4: not logged in (a call before `init` or after `offline`; webim.js 1.7's code).
    NotLoggedIn = -4,
    /// 99999: a batch call in which some accounts failed (webim.js `WEB_IM_ERROR_CODE_CUSTOM`).
    BatchFailure = 99999,
    /// 10100: the request's JSON could not be parsed.
    JsonParse = 10100,
    /// 20001: invalid packet (a message with a bad body or field).
    InvalidPacket = 20001,
    /// 20002: the signature (`userSig`) failed authentication.
    SignatureInvalid = 20002,
    /// 20003: invalid account, or `From_Account` naming someone else (messaging).
    InvalidAccount = 20003,
    /// 20004: network error.
    NetworkError = 20004,
    /// 20005: service error.
    ServiceError = 20005,
    /// 20006: the sender was blocked by a third-party callback.
    BlockedByCallback = 20006,
    /// 20007: the recipient has blacklisted the sender; the message is refused.
    BlockedByRecipient = 20007,
    /// 60002: the HTTP request could not be parsed.
    HttpParse = 60002,
    /// 60003: the JSON body could not be parsed (the long-poll error webim.js counts).
    JsonBodyParse = 60003,
    /// 60004: the identifier in the URL is missing or not a valid account identifier.
    BadUrlAccount = 60004,
    /// 60009: no such command (the URL names no service/command of the protocol).
    NoSuchCommand = 60009,
    /// 60012: the URL has no `sdkappid`.
    NoSdkAppId = 60012,
    /// 60018: too many requests; try again later.
    TooManyRequests = 60018,
    /// 70001: the userSig has expired; mint a new one.
    SigExpired = 70001,
    /// 70002: the request carries no userSig.
    SigMissing = 70002,
    /// 70003: the userSig cannot be parsed (not a TLSSigAPIv2 signature).
    SigMalformed = 70003,
    /// 70009: the userSig's signature does not verify (minted with another key).
    SigForged = 70009,
    /// 70013: the userSig was minted for another identifier than the request's.
    SigOtherIdentity = 70013,
    /// 70014: the userSig was minted for another SDKAppID than the request's.
    SigOtherApp = 70014,
    /// 70020: the request's SDKAppID is not this server's.
    NoSuchSdkAppId = 70020,
    /// 70050: too many failed logins or signature checks; wait before trying again.
    LoginThrottled = 70050,
    /// 70051: the account is disabled.
    AccountDisabled = 70051,
    /// 70107: the account does not exist on this server.
    NoSuchAccount = 70107,
    /// 70402: a bad account parameter (e.g. creating an account that exists).
    BadAccountParam = 70402,
    /// 70401: the identifier or the password is wrong (which one is never said).
    LoginFailed = 70401,
    /// 80001: refused by the content filter.
    ContentFiltered = 80001,
    /// 80002: the message is longer than 12000 bytes.
    MsgTooLong = 80002,
    /// 30001: the relationship request could not be unpacked.
    SnsBadRequest = 30001,
    /// 30004: `From_Account` names someone other than the caller (relationship chain).
    SnsNotSelf = 30004,
    /// 30501: bad `AddSource`.
    BadAddSource = 30501,
    /// 30502: a Remark, GroupName or AddWording is too long.
    AddFieldTooLong = 30502,
    /// 30503: no accounts, or too many, in one add-friend call.
    BadAddCount = 30503,
    /// 30515: the target is in my blacklist.
    TargetInMyBlacklist = 30515,
    /// 30516: the target lets nobody add them (DenyAny).
    TargetDeniesAll = 30516,
    /// 30519: my friend list is full.
    MyFriendListFull = 30519,
    /// 30520: already friends.
    AlreadyFriends = 30520,
    /// 30521: the target does not exist.
    NoSuchTarget = 30521,
    /// 30525: I am in the target's blacklist.
    InTargetsBlacklist = 30525,
    /// 30535: the target's friend list is full.
    TargetFriendListFull = 30535,
    /// 30539: a friend request was created and waits for the target's answer.
    PendencyCreated = 30539,
    /// 30601: bad `ResponseAction`.
    BadResponseAction = 30601,
    /// 30602: a response field is too long.
    ResponseFieldTooLong = 30602,
    /// 30603: no items, or too many, in one response call.
    BadResponseCount = 30603,
    /// 30614: there is no such friend request.
    NoSuchPendency = 30614,
    /// 30617: already friends (when answering a request).
    AlreadyFriendsOnResponse = 30617,
    /// 31001: bad `PendencyType`.
    BadPendencyType = 31001,
    /// 31101: bad parameter to get-all-friends.
    BadFriendGetParam = 31101,
    /// 31301: no accounts, or too many, in one blacklist-add call.
    BadBlacklistAddCount = 31301,
    /// 31307: already in the blacklist.
    AlreadyInBlacklist = 31307,
    /// 31501: no accounts, or too many, in one blacklist-delete call.
    BadBlacklistDeleteCount = 31501,
    /// 31503: not in the blacklist.
    NotInBlacklist = 31503,
    /// 31601: bad parameter to get-blacklist.
    BadBlacklistGetParam = 31601,
    /// 31701: no accounts, or too many, in one delete-friend call.
    BadDeleteCount = 31701,
    /// 31702: bad `DeleteType`.
    BadDeleteType = 31702,
    /// 31704: not a friend.
    NotFriend = 31704,
    /// 31804: there is no friend request from or to this account.
    NotPending = 31804,
    /// 40001: the profile request could not be unpacked.
    ProfileBadRequest = 40001,
    /// 40003: the user does not exist.
    NoSuchUser = 40003,
    /// 40004: `From_Account` names someone other than the caller (profile).
    ProfileNotSelf = 40004,
    /// 40603: a profile field that may not be set.
    IllegalProfileField = 40603,
    /// 40604: a profile field value that is too long or empty.
    IllegalProfileFieldLength = 40604,
    /// 40605: a bad profile parameter.
    BadProfileParam = 40605,
    /// 91001: this server's (no Tencent code says it): an upload or one of its slices is
    /// larger than this server takes, or empty.
    UploadTooLarge = 91001,
    /// 91002: this server's: the account keeps as many uploaded bytes as it may.
    UploadOverQuota = 91002,
    /// 91003: this server's: sent as a picture, it is not a PNG, JPEG, GIF or WebP this
    /// server can read (or has more pixels than it takes).
    NotAPicture = 91003,
    /// 91004: this server's: the slice is not where its upload stands (out of order, past
    /// the declared size, or an upload that ended or never began).
    UploadOutOfOrder = 91004,
    /// 91005: this server's: a message names a picture or file that is not the sender's
    /// finished upload for this recipient, or whose bytes are gone.
    NoSuchAttachment = 91005,
}

impl ErrorCode {
    /// The numeric code.
    pub fn code(self) -> i64 {
        self.into()
    }

    /// True for 0 and for 30539 (a request that was created is a success of its own kind).
    pub fn is_success(self) -> bool {
        matches!(self, Self::Ok | Self::PendencyCreated)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_known_codes_round_trip_by_number() {
        for code in [0, -4, 99999, 20003, 20007, 80002, 30539, 31704, 40004] {
            let known = ErrorCode::from(code);
            assert!(
                !matches!(known, ErrorCode::Other(_)),
                "{code} should be known"
            );
            assert_eq!(known.code(), code);
        }
    }

    #[test]
    fn test_unknown_codes_are_kept() {
        let json = serde_json::to_string(&ErrorCode::from(12345)).unwrap();
        assert_eq!(json, "12345");
        assert_eq!(
            serde_json::from_str::<ErrorCode>("12345").unwrap(),
            ErrorCode::Other(12345)
        );
        assert_eq!(
            serde_json::from_str::<ErrorCode>("30520").unwrap(),
            ErrorCode::AlreadyFriends
        );
    }
}
