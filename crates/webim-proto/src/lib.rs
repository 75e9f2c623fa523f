//! The WebIM wire protocol (contract §3): one set of types that the SDK, the embedded
//! service and the later server all compile, so a renamed field breaks every side at once.
//!
//! Types only: no IO, no clock, no runtime. Field names are exactly those on the wire
//! (`From_Account`, `Tag_Profile_IM_Nick`, …); closed value sets are enums. One module per
//! command, mirroring its path: `openim/sendmsg` is [`openim::sendmsg`].
#![warn(missing_docs)]

#[macro_use]
mod int_enum;

pub mod envelope;
pub mod error_code;
pub mod ids;
pub mod login;
pub mod message;
pub mod openim;
pub mod profile;
pub mod sns;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use envelope::{ActionStatus, BatchResponse, Reply, ResultItem, Status};
pub use error_code::ErrorCode;
pub use ids::{AccountId, InvalidAccountId, MsgRandom, MsgSeq, Timestamp};
pub use message::{C2cMsg, ElemType, FaceElem, MsgElem, TextElem};
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
}

impl Command {
    /// Every command, in the order above.
    pub const ALL: [Command; 17] = [
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
        }
    }

    /// The command with this path, if any.
    pub fn from_path(path: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.path() == path)
    }

    /// The service part of the path, which decides the error codes of a refusal.
    pub fn service(self) -> Service {
        match self.path().split('/').next() {
            Some("profile") => Service::Profile,
            Some("sns") => Service::Sns,
            _ => Service::OpenIm,
        }
    }
}

/// The three services of the protocol; each has its own error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// `openim`: messages (codes 20001–20007, 80001–80002).
    OpenIm,
    /// `profile`: the user profile (codes 40001–40999).
    Profile,
    /// `sns`: the relationship chain (codes 30001–31999).
    Sns,
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
        assert_eq!(Command::SendMsg.service(), Service::OpenIm);
        assert_eq!(Command::PortraitSet.service(), Service::Profile);
        assert_eq!(Command::BlackListGet.service(), Service::Sns);
    }
}
