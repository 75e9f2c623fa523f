//! A C2C message as it travels (`sendmsg`, `getmsg`, history): the same shape both ways,
//! so one type serves the request and the lists in responses.

use serde::{Deserialize, Serialize};

use crate::attachment::{FileElem, ImageElem};
use crate::{AccountId, MsgRandom, MsgSeq, Timestamp};

/// The longest C2C message, in UTF-8 bytes of its texts and emoticon data (webim.js
/// `MSG_MAX_LENGTH.C2C`); longer is refused with 80002.
pub const MAX_MSG_BYTES: usize = 12_000;

/// One message: `{From_Account, To_Account, MsgSeq, MsgRandom, MsgTimeStamp, MsgBody}`.
/// `(From_Account, MsgSeq, MsgRandom)` identifies it (docs/protocol.md, "Messages").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct C2cMsg {
    /// `From_Account`: the sender.
    #[serde(rename = "From_Account")]
    pub from_account: AccountId,
    /// `To_Account`: the recipient.
    #[serde(rename = "To_Account")]
    pub to_account: AccountId,
    /// `MsgSeq`: the sender's sequence number for it.
    #[serde(rename = "MsgSeq")]
    pub msg_seq: MsgSeq,
    /// `MsgRandom`: the sender's random number for it.
    #[serde(rename = "MsgRandom")]
    pub msg_random: MsgRandom,
    /// `MsgTimeStamp`: when it was sent, in seconds.
    #[serde(rename = "MsgTimeStamp")]
    pub msg_time_stamp: Timestamp,
    /// `MsgBody`: its elements, in order.
    #[serde(rename = "MsgBody")]
    pub msg_body: Vec<MsgElem>,
}

/// One element of `MsgBody`: `{MsgType, MsgContent}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "MsgType", content = "MsgContent")]
pub enum MsgElem {
    /// `TIMTextElem`: text, kept as typed.
    #[serde(rename = "TIMTextElem")]
    Text(TextElem),
    /// `TIMFaceElem`: an emoticon.
    #[serde(rename = "TIMFaceElem")]
    Face(FaceElem),
    /// `TIMImageElem`: a picture that was uploaded.
    #[serde(rename = "TIMImageElem")]
    Image(ImageElem),
    /// `TIMFileElem`: a file that was uploaded.
    #[serde(rename = "TIMFileElem")]
    File(FileElem),
}

/// `MsgContent` of a `TIMTextElem`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextElem {
    /// `Text`.
    #[serde(rename = "Text")]
    pub text: String,
}

/// `MsgContent` of a `TIMFaceElem`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaceElem {
    /// `Index`: the emoticon's index in `EmotionPicDataIndex` (1-based).
    #[serde(rename = "Index")]
    pub index: u32,
    /// `Data`: the emoticon's bracketed name, e.g. `[微笑]`.
    #[serde(rename = "Data")]
    pub data: String,
}

/// The element types of `MsgType` (webim.js `MSG_ELEMENT_TYPE`), for code that names a
/// type without holding an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ElemType {
    /// `TIMTextElem`.
    #[serde(rename = "TIMTextElem")]
    Text,
    /// `TIMFaceElem`.
    #[serde(rename = "TIMFaceElem")]
    Face,
    /// `TIMImageElem`.
    #[serde(rename = "TIMImageElem")]
    Image,
    /// `TIMFileElem`.
    #[serde(rename = "TIMFileElem")]
    File,
}

impl MsgElem {
    /// The element's `MsgType`.
    pub fn elem_type(&self) -> ElemType {
        match self {
            Self::Text(_) => ElemType::Text,
            Self::Face(_) => ElemType::Face,
            Self::Image(_) => ElemType::Image,
            Self::File(_) => ElemType::File,
        }
    }
}
