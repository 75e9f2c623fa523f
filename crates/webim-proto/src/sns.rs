//! `sns/…`: the relationship chain (docs/protocol.md, "Relationship chain"): friends,
//! friend requests ("pendency") and the blacklist, with the value sets they share.

pub mod black_list_add;
pub mod black_list_delete;
pub mod black_list_get;
pub mod friend_add;
pub mod friend_delete;
pub mod friend_get_all;
pub mod friend_response;
pub mod pendency_delete;
pub mod pendency_get;

use serde::{Deserialize, Serialize};

/// Longest `AddWording`, in UTF-8 bytes (docs/protocol.md).
pub const MAX_ADD_WORDING_BYTES: usize = 120;
/// Longest `Remark`, in UTF-8 bytes (docs/protocol.md).
pub const MAX_REMARK_BYTES: usize = 96;
/// Most accounts one batch call may name.
pub const MAX_BATCH: usize = 1000;
/// The only `AddSource` of 2015 (spelled as on the wire, without the final e).
pub const ADD_SOURCE_UNKNOWN: &str = "AddSource_Type_Unknow";

/// `ResponseAction`: how to answer a friend request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResponseAction {
    /// `Response_Action_Agree`: the requester gets me as a friend.
    #[serde(rename = "Response_Action_Agree")]
    Agree,
    /// `Response_Action_AgreeAndAdd`: friends both ways.
    #[serde(rename = "Response_Action_AgreeAndAdd")]
    AgreeAndAdd,
    /// `Response_Action_Reject`: drop the request.
    #[serde(rename = "Response_Action_Reject")]
    Reject,
}

/// `PendencyType`: which side of friend requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PendencyType {
    /// `Pendency_Type_ComeIn`: requests sent to me.
    #[serde(rename = "Pendency_Type_ComeIn")]
    ComeIn,
    /// `Pendency_Type_SendOut`: requests I sent.
    #[serde(rename = "Pendency_Type_SendOut")]
    SendOut,
}

/// `DeleteType`: how far a friend deletion goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeleteType {
    /// `Delete_Type_Single`: from my list only.
    #[serde(rename = "Delete_Type_Single")]
    Single,
    /// `Delete_Type_Both`: from both lists.
    #[serde(rename = "Delete_Type_Both")]
    Both,
}

/// `NeedUpdateAll` of `friend_get_all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NeedUpdateAll {
    /// `GetAll_Type_NO`: the reply is an update since `TimeStamp`.
    #[serde(rename = "GetAll_Type_NO")]
    No,
    /// `GetAll_Type_YES`: the reply is the whole list.
    #[serde(rename = "GetAll_Type_YES")]
    Yes,
}
