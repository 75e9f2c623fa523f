//! The long poll's events in the shapes webim.js 1.7 reads (docs/protocol.md, "Long polls
//! per dialect"). 1.7 moves its `NoticeSeq` only from the notices inside these events,
//! so each carries its own; one event per notice, in notice order (for event 10, 1.7 takes
//! the sequence of the array's first item as it is).

use serde::{Deserialize, Serialize};

use super::{Cookie, EventKind, FriendNoticeType};
use crate::{AccountId, Tag, Timestamp};

/// `SubMsgType` of a read report (1.7's `C2C_EVENT_SUB_TYPE.READED`).
pub const READED_SUB_TYPE: u32 = 92;
/// `PushType` of a profile change (1.7's `PROFILE_NOTICE_TYPE.PROFILE_MODIFY`).
pub const PROFILE_MODIFY: u32 = 1;

/// The response as 1.7 reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `EventArray`.
    #[serde(rename = "EventArray", default)]
    pub event_array: Vec<Event>,
    /// `Cookie` (1.7 ignores it; sent for symmetry).
    #[serde(rename = "Cookie", default)]
    pub cookie: Cookie,
}

/// One event of `EventArray`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// `Event`: 1, 7, 8 or 10.
    #[serde(rename = "Event")]
    pub event: EventKind,
    /// `NotifySeq`: for event 1, the newest message sequence.
    #[serde(rename = "NotifySeq", default, skip_serializing_if = "Option::is_none")]
    pub notify_seq: Option<u64>,
    /// `FriendListMod`: for event 7.
    #[serde(
        rename = "FriendListMod",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub friend_list_mod: Option<Vec<FriendListMod>>,
    /// `ProfileDataMod`: for event 8.
    #[serde(
        rename = "ProfileDataMod",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub profile_data_mod: Option<Vec<ProfileDataMod>>,
    /// `C2cNotifyMsgArray`: for event 10.
    #[serde(
        rename = "C2cNotifyMsgArray",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub c2c_notify_msg_array: Option<Vec<C2cNotifyMsg>>,
}

impl Event {
    fn bare(event: EventKind) -> Self {
        Self {
            event,
            notify_seq: None,
            friend_list_mod: None,
            profile_data_mod: None,
            c2c_notify_msg_array: None,
        }
    }

    /// Event 1: new messages up to `notify_seq`.
    pub fn c2c(notify_seq: u64) -> Self {
        Self {
            notify_seq: Some(notify_seq),
            ..Self::bare(EventKind::C2c)
        }
    }

    /// Event 7 with one change.
    pub fn friend(change: FriendListMod) -> Self {
        Self {
            friend_list_mod: Some(vec![change]),
            ..Self::bare(EventKind::FriendNotice)
        }
    }

    /// Event 8 with one change.
    pub fn profile(change: ProfileDataMod) -> Self {
        Self {
            profile_data_mod: Some(vec![change]),
            ..Self::bare(EventKind::ProfileNotice)
        }
    }

    /// Event 10 with one read report.
    pub fn readed(notice_seq: u64, read: UinPairRead) -> Self {
        Self {
            c2c_notify_msg_array: Some(vec![C2cNotifyMsg {
                notice_seq,
                sub_msg_type: READED_SUB_TYPE,
                read_c2c_msg_notify: ReadC2cMsgNotify {
                    uin_pair_read_array: vec![read],
                },
            }]),
            ..Self::bare(EventKind::C2cReaded)
        }
    }
}

/// A change to the friend list, the friend requests or the blacklist: one `PushType`
/// and the field that type names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FriendListMod {
    /// `PushType`.
    #[serde(rename = "PushType")]
    pub push_type: FriendNoticeType,
    /// `NoticeSeq`: this notice's sequence.
    #[serde(rename = "NoticeSeq")]
    pub notice_seq: u64,
    /// `FriendAdd_Account`: for type 1.
    #[serde(
        rename = "FriendAdd_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub friend_add_account: Option<Vec<AccountId>>,
    /// `FriendDel_Account`: for type 2.
    #[serde(
        rename = "FriendDel_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub friend_del_account: Option<Vec<AccountId>>,
    /// `PendencyAdd`: for type 3.
    #[serde(
        rename = "PendencyAdd",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub pendency_add: Option<Vec<PendencyAdd>>,
    /// `FrienPencydDel_Account` (1.7's spelling): for type 4.
    #[serde(
        rename = "FrienPencydDel_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub pendency_del_account: Option<Vec<AccountId>>,
    /// `BlackListAdd_Account`: for type 5.
    #[serde(
        rename = "BlackListAdd_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub black_list_add_account: Option<Vec<AccountId>>,
    /// `BlackListDel_Account`: for type 6.
    #[serde(
        rename = "BlackListDel_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub black_list_del_account: Option<Vec<AccountId>>,
}

impl FriendListMod {
    /// The change of `push_type` concerning `accounts` (for a new friend request, the
    /// requests themselves go in [`FriendListMod::pendency_add`]).
    pub fn new(push_type: FriendNoticeType, notice_seq: u64, accounts: Vec<AccountId>) -> Self {
        let mut change = Self {
            push_type,
            notice_seq,
            friend_add_account: None,
            friend_del_account: None,
            pendency_add: None,
            pendency_del_account: None,
            black_list_add_account: None,
            black_list_del_account: None,
        };
        let slot = match push_type {
            FriendNoticeType::FriendAdd => &mut change.friend_add_account,
            FriendNoticeType::FriendDelete => &mut change.friend_del_account,
            FriendNoticeType::PendencyAdd => {
                change.pendency_add = Some(Vec::new());
                return change;
            }
            FriendNoticeType::PendencyDelete => &mut change.pendency_del_account,
            FriendNoticeType::BlackListAdd => &mut change.black_list_add_account,
            FriendNoticeType::BlackListDelete => &mut change.black_list_del_account,
        };
        *slot = Some(accounts);
        change
    }
}

/// A friend request that arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendencyAdd {
    /// `PendencyAdd_Account`: who asks.
    #[serde(rename = "PendencyAdd_Account")]
    pub pendency_add_account: AccountId,
    /// `ProfileImNick`: their nick.
    #[serde(rename = "ProfileImNick", default)]
    pub profile_im_nick: String,
    /// `AddSource`.
    #[serde(rename = "AddSource", default)]
    pub add_source: String,
    /// `AddWording`.
    #[serde(rename = "AddWording", default)]
    pub add_wording: String,
}

/// A profile that changed, with its values now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileDataMod {
    /// `PushType`: [`PROFILE_MODIFY`].
    #[serde(rename = "PushType")]
    pub push_type: u32,
    /// `NoticeSeq`: this notice's sequence.
    #[serde(rename = "NoticeSeq")]
    pub notice_seq: u64,
    /// `Profile_Account`: whose profile.
    #[serde(rename = "Profile_Account")]
    pub profile_account: AccountId,
    /// `ProfileList`: its values.
    #[serde(rename = "ProfileList", default)]
    pub profile_list: Vec<ProfileValue>,
}

/// One profile value as 1.7's notices carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileValue {
    /// `Tag`.
    #[serde(rename = "Tag")]
    pub tag: Tag,
    /// `ValueBytes`: the value as text.
    #[serde(rename = "ValueBytes")]
    pub value_bytes: String,
}

/// One item of `C2cNotifyMsgArray`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct C2cNotifyMsg {
    /// `NoticeSeq`: this notice's sequence.
    #[serde(rename = "NoticeSeq")]
    pub notice_seq: u64,
    /// `SubMsgType`: [`READED_SUB_TYPE`].
    #[serde(rename = "SubMsgType")]
    pub sub_msg_type: u32,
    /// `ReadC2cMsgNotify`.
    #[serde(rename = "ReadC2cMsgNotify")]
    pub read_c2c_msg_notify: ReadC2cMsgNotify,
}

/// The read reports of one notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadC2cMsgNotify {
    /// `UinPairReadArray`: one per conversation read.
    #[serde(rename = "UinPairReadArray")]
    pub uin_pair_read_array: Vec<UinPairRead>,
}

/// One conversation read in another client of the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UinPairRead {
    /// `From_Account`: the other side of the conversation.
    #[serde(rename = "From_Account")]
    pub from_account: AccountId,
    /// `To_Account`: the user.
    #[serde(rename = "To_Account")]
    pub to_account: AccountId,
    /// `LastReadTime`: everything up to this time is read.
    #[serde(rename = "LastReadTime")]
    pub last_read_time: Timestamp,
    /// `ReadC2cMsgNotify`: this item again, as a notice of its own. Tencent's official
    /// 1.7 demo hands each item to a callback that reads it as the whole notice; without
    /// this the demo throws and its long polling stops for good.
    #[serde(
        rename = "ReadC2cMsgNotify",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub as_notice: Option<Box<ReadC2cMsgNotify>>,
}

impl UinPairRead {
    /// `me` read the conversation with `peer` up to `time`.
    pub fn new(peer: AccountId, me: AccountId, time: Timestamp) -> Self {
        let inner = Self {
            from_account: peer,
            to_account: me,
            last_read_time: time,
            as_notice: None,
        };
        Self {
            as_notice: Some(Box::new(ReadC2cMsgNotify {
                uin_pair_read_array: vec![inner.clone()],
            })),
            ..inner
        }
    }
}
