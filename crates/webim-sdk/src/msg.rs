//! `webim.Msg` and `webim.Msg.Elem` (docs/sdk.md, "Sending"): a message, its elements, and how it
//! maps to the wire's `C2cMsg`. Text is kept exactly as typed (docs/sdk.md): no escaping
//! here; the app renders it as text.

use webim_proto::{
    AccountId, C2cMsg, FaceElem, FileElem, ImageElem, MsgElem, MsgRandom, MsgSeq, TextElem,
    Timestamp,
};

use crate::session::SessionKey;

/// What identifies a message: `(From_Account, MsgSeq, MsgRandom)` (docs/protocol.md; webim.js
/// keyed its `msgCache` on `isSend + seq + random`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MsgKey {
    /// The sender.
    pub from: AccountId,
    /// The sender's sequence number.
    pub seq: MsgSeq,
    /// The sender's random number.
    pub random: MsgRandom,
}

/// Where a message I sent stands (webim.js 1.7 demo's spinner / `重发` states; not in 1.0). Received
/// messages are always [`SendStatus::Sent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendStatus {
    /// Shown at once, not yet accepted by the service.
    Pending,
    /// Accepted by the service (or received).
    Sent,
    /// Refused or not delivered; can be retried in place.
    Failed,
}

impl SendStatus {
    /// Its name, as pages mark a message with it (`data-status`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Sent => "Sent",
            Self::Failed => "Failed",
        }
    }
}

/// `webim.Msg.Elem.Text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    text: String,
}

impl Text {
    /// webim.js `new Msg.Elem.Text(text)`; the text is kept as typed.
    pub fn new(text: impl Into<String>) -> Self {
        Self { text: text.into() }
    }

    /// webim.js `Text.getText()`.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// `webim.Msg.Elem.Face`: an emoticon, by index and bracketed name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Face {
    index: u32,
    data: String,
}

impl Face {
    /// webim.js `new Msg.Elem.Face(index, data)`.
    pub fn new(index: u32, data: impl Into<String>) -> Self {
        Self {
            index,
            data: data.into(),
        }
    }

    /// webim.js `Face.getIndex()`: the `EmotionPicDataIndex` value.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// webim.js `Face.getData()`: the bracketed name, e.g. `[微笑]`.
    pub fn data(&self) -> &str {
        &self.data
    }
}

/// `webim.Msg.Elem`: one element of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Elem {
    /// `TIMTextElem`.
    Text(Text),
    /// `TIMFaceElem`.
    Face(Face),
    /// `TIMImageElem` (webim.js 1.7 `Msg.Elem.Images`): a picture in its sizes, each with
    /// an address made for this reader.
    Image(ImageElem),
    /// `TIMFileElem` (webim.js 1.7 `Msg.Elem.File`): a file's name, size and address.
    File(FileElem),
}

pub use webim_proto::attachment::{FILE_TEXT, PICTURE_TEXT};

impl Elem {
    /// The element as plain text: text as is, an emoticon as its bracketed name (webim.js
    /// `Elem.toHtml()` without the HTML), a picture or a file as a word in brackets.
    pub fn as_text(&self) -> &str {
        match self {
            Self::Text(t) => t.text(),
            Self::Face(f) => f.data(),
            Self::Image(_) => PICTURE_TEXT,
            Self::File(_) => FILE_TEXT,
        }
    }

    fn to_wire(&self) -> MsgElem {
        match self {
            Elem::Text(t) => MsgElem::Text(TextElem {
                text: t.text.clone(),
            }),
            Elem::Face(f) => MsgElem::Face(FaceElem {
                index: f.index,
                data: f.data.clone(),
            }),
            Elem::Image(i) => MsgElem::Image(i.clone()),
            Elem::File(f) => MsgElem::File(f.clone()),
        }
    }

    fn from_wire(wire: MsgElem) -> Self {
        match wire {
            MsgElem::Text(t) => Elem::Text(Text { text: t.text }),
            MsgElem::Face(f) => Elem::Face(Face {
                index: f.index,
                data: f.data,
            }),
            MsgElem::Image(i) => Elem::Image(i),
            MsgElem::File(f) => Elem::File(f),
        }
    }
}

/// `webim.Msg`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    session: SessionKey,
    is_send: bool,
    seq: MsgSeq,
    random: MsgRandom,
    time: Timestamp,
    from_account: AccountId,
    elems: Vec<Elem>,
    status: SendStatus,
}

impl Msg {
    /// webim.js `new Msg(sess, isSend, seq, random, time, fromAccount)`. webim.js fills a
    /// missing seq, random or time from a counter, `Math.random` and the clock; here they
    /// are passed in (see `Client::create_msg`, which does that from its `Env`).
    pub fn new(
        session: SessionKey,
        is_send: bool,
        seq: MsgSeq,
        random: MsgRandom,
        time: Timestamp,
        from_account: AccountId,
    ) -> Self {
        let status = if is_send {
            SendStatus::Pending
        } else {
            SendStatus::Sent
        };
        Self {
            session,
            is_send,
            seq,
            random,
            time,
            from_account,
            elems: Vec::new(),
            status,
        }
    }

    /// webim.js `Msg.addText(text)`.
    pub fn add_text(&mut self, text: Text) {
        self.elems.push(Elem::Text(text));
    }

    /// webim.js `Msg.addFace(face)`.
    pub fn add_face(&mut self, face: Face) {
        self.elems.push(Elem::Face(face));
    }

    /// webim.js `Msg.addElem(elem)`.
    pub fn add_elem(&mut self, elem: Elem) {
        self.elems.push(elem);
    }

    /// The session the message belongs to (webim.js `msg.sess`).
    pub fn session(&self) -> &SessionKey {
        &self.session
    }

    /// webim.js `msg.isSend`: true when I sent it.
    pub fn is_send(&self) -> bool {
        self.is_send
    }

    /// webim.js `msg.seq`.
    pub fn seq(&self) -> MsgSeq {
        self.seq
    }

    /// webim.js `msg.random`.
    pub fn random(&self) -> MsgRandom {
        self.random
    }

    /// webim.js `msg.time`: seconds.
    pub fn time(&self) -> Timestamp {
        self.time
    }

    /// webim.js `msg.fromAccount`.
    pub fn from_account(&self) -> &AccountId {
        &self.from_account
    }

    /// webim.js `msg.elems`.
    pub fn elems(&self) -> &[Elem] {
        &self.elems
    }

    /// Where the message stands (pending, sent, failed); not in webim.js 1.0.
    pub fn status(&self) -> SendStatus {
        self.status
    }

    /// The message's identity (webim.js: `fromAccount`, `seq`, `random` together).
    pub fn key(&self) -> MsgKey {
        MsgKey {
            from: self.from_account.clone(),
            seq: self.seq,
            random: self.random,
        }
    }

    /// webim.js `Msg.toHtml()` as plain text (emoticons as their names): what was typed, and
    /// what a session list shows as a preview.
    pub fn to_text(&self) -> String {
        self.elems.iter().map(Elem::as_text).collect()
    }

    pub(crate) fn set_status(&mut self, status: SendStatus) {
        self.status = status;
    }

    pub(crate) fn set_time(&mut self, time: Timestamp) {
        self.time = time;
    }

    /// The message as `sendmsg` sends it and `getmsg` returns it, as seen by `me` (webim.js
    /// built this body inside `sendMsg`).
    pub fn to_wire(&self, me: &AccountId) -> C2cMsg {
        let to = if self.is_send { &self.session.id } else { me };
        C2cMsg {
            from_account: self.from_account.clone(),
            to_account: to.clone(),
            msg_seq: self.seq,
            msg_random: self.random,
            msg_time_stamp: self.time,
            msg_body: self.elems.iter().map(Elem::to_wire).collect(),
        }
    }

    /// webim.js `syncMsgs`'s message construction: a message from the wire, seen by `me`:
    /// mine if I sent it, and its session is always the other party's.
    pub fn from_wire(wire: C2cMsg, me: &AccountId) -> Self {
        let is_send = wire.from_account == *me;
        let peer = if is_send {
            wire.to_account
        } else {
            wire.from_account.clone()
        };
        Self {
            session: SessionKey::c2c(peer),
            is_send,
            seq: wire.msg_seq,
            random: wire.msg_random,
            time: wire.msg_time_stamp,
            from_account: wire.from_account,
            elems: wire.msg_body.into_iter().map(Elem::from_wire).collect(),
            status: SendStatus::Sent,
        }
    }
}
