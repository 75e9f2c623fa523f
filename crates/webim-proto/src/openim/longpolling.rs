//! `openim/longpolling`: wait until something is pending for the user (docs/protocol.md,
//! "Long polls per dialect"). Returns at once when there is news, or empty at its timeout.
//!
//! Events: 1 = new C2C messages (the SDK then pulls `getmsg`), and, as in webim.js 1.7,
//! 7 = a friend notice, 8 = a profile notice, 10 = a C2C read report from another client
//! of the same user, so every tab hears of every change without asking. The types here are
//! our own SDK's shapes; [`v17`] has 1.7's, and the seed's family gets only event 1
//! (docs/protocol.md, "Long polls per dialect").

pub mod v17;

use serde::{Deserialize, Serialize};

use crate::{AccountId, Command, Endpoint, Timestamp};

/// Longest wait a client may ask for, in seconds (webim.js 1.2 asked for 90).
pub const MAX_TIMEOUT_SECS: u32 = 90;

/// `Cookie` of a long poll: the newest message and notice sequences the client has seen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cookie {
    /// `NotifySeq`: the user's message sequence.
    #[serde(rename = "NotifySeq", default)]
    pub notify_seq: u64,
    /// `NoticeSeq`: the user's notice sequence (friends, profile, read reports).
    #[serde(rename = "NoticeSeq", default)]
    pub notice_seq: u64,
    /// `LongPollingId`: 1.7's, from `openim/getlongpollingid`.
    #[serde(
        rename = "LongPollingId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub long_polling_id: Option<String>,
}

/// The request: `{Timeout, Cookie: {NotifySeq, NoticeSeq}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// `Timeout`: seconds to wait at most (1 to [`MAX_TIMEOUT_SECS`]).
    #[serde(rename = "Timeout")]
    pub timeout: u32,
    /// `Cookie`: what the client has already seen.
    #[serde(rename = "Cookie", default)]
    pub cookie: Cookie,
}

/// The response: what happened since the cookie, and the cookie to wait from next.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `EventArray`: empty when the wait timed out.
    #[serde(rename = "EventArray", default)]
    pub event_array: Vec<Event>,
    /// `Cookie`: send it with the next long poll.
    #[serde(rename = "Cookie", default)]
    pub cookie: Cookie,
}

impl Endpoint for Request {
    const COMMAND: Command = Command::LongPolling;
    type Response = Response;
}

int_enum! {
    /// `Event`: the kind of a long-poll event.
    pub enum EventKind {
        /// 1: new C2C messages are waiting in `getmsg`.
        C2c = 1,
        /// 7: a friend notice.
        FriendNotice = 7,
        /// 8: a profile notice.
        ProfileNotice = 8,
        /// 10: a C2C read report from another client of the same user.
        C2cReaded = 10,
    }
}

int_enum! {
    /// `PushType` of a friend notice (webim.js 1.7 `FRIEND_NOTICE_TYPE`).
    pub enum FriendNoticeType {
        /// 1: friends added.
        FriendAdd = 1,
        /// 2: friends deleted.
        FriendDelete = 2,
        /// 3: friend requests added.
        PendencyAdd = 3,
        /// 4: friend requests deleted.
        PendencyDelete = 4,
        /// 5: accounts added to the blacklist.
        BlackListAdd = 5,
        /// 6: accounts removed from the blacklist.
        BlackListDelete = 6,
    }
}

/// One event of `EventArray`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// `Event`.
    #[serde(rename = "Event")]
    pub event: EventKind,
    /// `NotifySeq`: for [`EventKind::C2c`], the newest message sequence.
    #[serde(rename = "NotifySeq", default, skip_serializing_if = "Option::is_none")]
    pub notify_seq: Option<u64>,
    /// `NoticeSeq`: for notices, this notice's sequence.
    #[serde(rename = "NoticeSeq", default, skip_serializing_if = "Option::is_none")]
    pub notice_seq: Option<u64>,
    /// `FriendNotice`: for [`EventKind::FriendNotice`].
    #[serde(
        rename = "FriendNotice",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub friend_notice: Option<FriendNotice>,
    /// `ProfileNotice`: for [`EventKind::ProfileNotice`].
    #[serde(
        rename = "ProfileNotice",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub profile_notice: Option<ProfileNotice>,
    /// `C2CReaded`: for [`EventKind::C2cReaded`].
    #[serde(rename = "C2CReaded", default, skip_serializing_if = "Option::is_none")]
    pub c2c_readed: Option<ReadedNotice>,
}

/// A change to the user's friends, friend requests or blacklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FriendNotice {
    /// `PushType`.
    #[serde(rename = "PushType")]
    pub push_type: FriendNoticeType,
    /// `Accounts`: the other accounts concerned.
    #[serde(rename = "Accounts")]
    pub accounts: Vec<AccountId>,
}

/// A change to someone's profile that the user can see (their own or a friend's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileNotice {
    /// `Account`: whose profile changed.
    #[serde(rename = "Account")]
    pub account: AccountId,
}

/// The user read a conversation in another client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadedNotice {
    /// `Peer_Account`: the other side of the conversation.
    #[serde(rename = "Peer_Account")]
    pub peer_account: AccountId,
    /// `LastedMsgTime`: everything up to this time is read.
    #[serde(rename = "LastedMsgTime")]
    pub lasted_msg_time: Timestamp,
}

impl Event {
    /// Event 1: new messages up to `notify_seq`.
    pub fn c2c(notify_seq: u64) -> Self {
        Self {
            notify_seq: Some(notify_seq),
            ..Self::bare(EventKind::C2c)
        }
    }

    /// Event 7: a friend notice.
    pub fn friend(notice_seq: u64, notice: FriendNotice) -> Self {
        Self {
            notice_seq: Some(notice_seq),
            friend_notice: Some(notice),
            ..Self::bare(EventKind::FriendNotice)
        }
    }

    /// Event 8: a profile notice.
    pub fn profile(notice_seq: u64, notice: ProfileNotice) -> Self {
        Self {
            notice_seq: Some(notice_seq),
            profile_notice: Some(notice),
            ..Self::bare(EventKind::ProfileNotice)
        }
    }

    /// Event 10: a read report from another client.
    pub fn readed(notice_seq: u64, notice: ReadedNotice) -> Self {
        Self {
            notice_seq: Some(notice_seq),
            c2c_readed: Some(notice),
            ..Self::bare(EventKind::C2cReaded)
        }
    }

    fn bare(event: EventKind) -> Self {
        Self {
            event,
            notify_seq: None,
            notice_seq: None,
            friend_notice: None,
            profile_notice: None,
            c2c_readed: None,
        }
    }
}
