//! The WebIM wire protocol (docs/protocol.md): one set of types that the SDK, the embedded
//! service and the server all compile, so a renamed field breaks every side at once.
//!
//! Types only: no IO, no clock, no runtime. Field names are exactly those on the wire
//! (`From_Account`, `Tag_Profile_IM_Nick`, …); closed value sets are enums. One module per
//! command, mirroring its path: `openim/sendmsg` is [`openim::sendmsg`].
#![warn(missing_docs)]

#[macro_use]
mod int_enum;

pub mod attachment;
pub mod dialect;
pub mod envelope;
pub mod error_code;
pub mod face;
pub mod group;
pub mod ids;
pub mod imopenstat;
pub mod login;
pub mod message;
pub mod openim;
pub mod openpic;
pub mod profile;
pub mod recentcontact;
pub mod sns;
pub mod test_accounts;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use attachment::{FileElem, ImageElem, ImageInfo, ImageType};
pub use dialect::Dialect;
pub use envelope::{ActionStatus, BatchResponse, Reply, ResultItem, Status};
pub use error_code::ErrorCode;
pub use ids::{AccountId, InvalidAccountId, MsgRandom, MsgSeq, Timestamp};
pub use message::{C2cMsg, ElemType, FaceElem, MAX_MSG_BYTES, MsgElem, TextElem};
pub use profile::{AllowType, Gender, Tag, TagValue};

/// Every command of the protocol, by its path (`service/command`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Command {
    /// `openim/sendmsg`
    SendMsg,
    /// `openim/getmsg`
    GetMsg,
    /// `openim/longpolling`
    LongPolling,
    /// `openim/msgreaded`
    MsgReaded,
    /// `openim/logout`
    Logout,
    /// `openim/getroammsg` (history of one conversation, paged)
    GetRoamMsg,
    /// `profile/portrait_get`
    PortraitGet,
    /// `profile/portrait_set`
    PortraitSet,
    /// `sns/friend_add`
    FriendAdd,
    /// `sns/friend_response`
    FriendResponse,
    /// `sns/friend_delete`
    FriendDelete,
    /// `sns/friend_get_all`
    FriendGetAll,
    /// `sns/pendency_get`
    PendencyGet,
    /// `sns/pendency_delete`
    PendencyDelete,
    /// `sns/black_list_add`
    BlackListAdd,
    /// `sns/black_list_delete`
    BlackListDelete,
    /// `sns/black_list_get`
    BlackListGet,
    /// `openim/getlongpollingid` (1.7: names one client's stream of long polls)
    GetLongPollingId,
    /// `openim/longpollinglogout` (1.7: logs one client out)
    LongPollingLogout,
    /// `openim/authkey` (1.2 and 1.7 ask it at login, for downloads)
    AuthKey,
    /// `recentcontact/get` (1.7: the session list)
    RecentContactGet,
    /// `group_open_http_svc/get_joined_group_list` (1.2 and 1.7 ask it at login)
    GetJoinedGroupList,
    /// `imopenstat/web_report` (1.7: its own count of failed calls)
    WebReport,
    /// `openpic/pic_up` (one slice of a picture's or a file's upload)
    PicUp,
    /// `openpic/apply_download` (a reader's address for a file)
    ApplyDownload,
}

impl Command {
    /// Every command, in the order above.
    pub const ALL: [Command; 25] = [
        Self::SendMsg,
        Self::GetMsg,
        Self::LongPolling,
        Self::MsgReaded,
        Self::Logout,
        Self::GetRoamMsg,
        Self::PortraitGet,
        Self::PortraitSet,
        Self::FriendAdd,
        Self::FriendResponse,
        Self::FriendDelete,
        Self::FriendGetAll,
        Self::PendencyGet,
        Self::PendencyDelete,
        Self::BlackListAdd,
        Self::BlackListDelete,
        Self::BlackListGet,
        Self::GetLongPollingId,
        Self::LongPollingLogout,
        Self::AuthKey,
        Self::RecentContactGet,
        Self::GetJoinedGroupList,
        Self::WebReport,
        Self::PicUp,
        Self::ApplyDownload,
    ];

    /// The path, e.g. `openim/sendmsg`.
    pub fn path(self) -> &'static str {
        match self {
            Self::SendMsg => "openim/sendmsg",
            Self::GetMsg => "openim/getmsg",
            Self::LongPolling => "openim/longpolling",
            Self::MsgReaded => "openim/msgreaded",
            Self::Logout => "openim/logout",
            Self::GetRoamMsg => "openim/getroammsg",
            Self::PortraitGet => "profile/portrait_get",
            Self::PortraitSet => "profile/portrait_set",
            Self::FriendAdd => "sns/friend_add",
            Self::FriendResponse => "sns/friend_response",
            Self::FriendDelete => "sns/friend_delete",
            Self::FriendGetAll => "sns/friend_get_all",
            Self::PendencyGet => "sns/pendency_get",
            Self::PendencyDelete => "sns/pendency_delete",
            Self::BlackListAdd => "sns/black_list_add",
            Self::BlackListDelete => "sns/black_list_delete",
            Self::BlackListGet => "sns/black_list_get",
            Self::GetLongPollingId => "openim/getlongpollingid",
            Self::LongPollingLogout => "openim/longpollinglogout",
            Self::AuthKey => "openim/authkey",
            Self::RecentContactGet => "recentcontact/get",
            Self::GetJoinedGroupList => "group_open_http_svc/get_joined_group_list",
            Self::WebReport => "imopenstat/web_report",
            Self::PicUp => "openpic/pic_up",
            Self::ApplyDownload => "openpic/apply_download",
        }
    }

    /// The command with this path, if any.
    pub fn from_path(path: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.path() == path)
    }

    /// The area of the path (its first part, which Tencent calls the service), which
    /// decides the error codes of a refusal.
    pub fn area(self) -> Area {
        match self.path().split('/').next() {
            Some("profile") => Area::Profile,
            Some("sns") => Area::Sns,
            Some("group_open_http_svc") => Area::Group,
            Some("recentcontact") => Area::RecentContact,
            Some("imopenstat") => Area::ImOpenStat,
            Some("openpic") => Area::OpenPic,
            _ => Area::OpenIm,
        }
    }
}

/// The areas of the protocol, a path's first part (`openim/…`, `sns/…`; Tencent's word is
/// "service", which here names the IM service itself); the first three have their own
/// error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    /// `openim`: messages (codes 20001–20007, 80001–80002).
    OpenIm,
    /// `profile`: the user profile (codes 40001–40999).
    Profile,
    /// `sns`: the relationship chain (codes 30001–31999).
    Sns,
    /// `group_open_http_svc`: groups, which this product does not have (only the list of
    /// joined groups is answered, truthfully empty).
    Group,
    /// `recentcontact`: the session list as 1.7 asks it.
    RecentContact,
    /// `imopenstat`: 1.7's reports of its own failed calls.
    ImOpenStat,
    /// `openpic`: pictures and files (uploads, download addresses).
    OpenPic,
}

/// A request type and what answers it: ties each command's `Request` to its path and its
/// `Response`, so a transport cannot send one command and decode another's reply.
pub trait Endpoint: Serialize + DeserializeOwned {
    /// The command this request is.
    const COMMAND: Command;
    /// The command's own response fields (the status fields come in [`Reply`]).
    type Response: Serialize + DeserializeOwned;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_every_command_path_maps_back_to_its_command() {
        for command in Command::ALL {
            assert_eq!(Command::from_path(command.path()), Some(command));
        }
        assert_eq!(Command::from_path("openim/nosuch"), None);
        assert_eq!(Command::SendMsg.area(), Area::OpenIm);
        assert_eq!(Command::PortraitSet.area(), Area::Profile);
        assert_eq!(Command::BlackListGet.area(), Area::Sns);
    }
}
