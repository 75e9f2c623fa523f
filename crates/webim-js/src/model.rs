//! webim.js's objects: `Session`, `Msg`, `Msg.Elem` and its `Text` and `Face`. A `Session`
//! is a key with the seed's constructor fields; its counts and messages are read from the
//! logged-in client's `MsgStore` each time, so a page's session object never goes stale.
//! A `Msg` is a copy of one SDK message.

use js_sys::Array;
use wasm_bindgen::prelude::*;
use webim_js_values as values;
use webim_proto::{AccountId, FileElem, ImageElem};
use webim_sdk::{SessionKey, SessionType};

use crate::attachments::{FileContent, Images};
use crate::callback::call_method;
use crate::client::logged_in;
use crate::tool::{emoticon_url, escape_html};

/// webim.js `Session`.
#[wasm_bindgen]
#[derive(Debug, Clone)]
pub struct Session {
    key: SessionKey,
    name: String,
    icon: String,
    time: u64,
    seq: u64,
}

/// Reads the session `key` from the logged-in client's store.
fn held<R>(key: &SessionKey, read: impl FnOnce(&webim_sdk::Session) -> R) -> Option<R> {
    let client = logged_in().ok()?;
    let store = client.msg_store();
    store.session(key).map(read)
}

impl Session {
    /// The page's view of a session the store holds.
    pub(crate) fn of(session: &webim_sdk::Session) -> Self {
        Self {
            key: session.key().clone(),
            name: session.name().to_owned(),
            icon: session.icon().to_owned(),
            time: session.time().0,
            seq: session.cur_max_msg_seq().0,
        }
    }
}

#[wasm_bindgen]
impl Session {
    /// webim.js `new Session(type, id, name, icon, time, seq)`; only C2C sessions exist.
    #[wasm_bindgen(constructor)]
    pub fn new(
        kind: &str,
        id: &str,
        name: Option<String>,
        icon: Option<String>,
        time: Option<f64>,
        seq: Option<f64>,
    ) -> Result<Session, JsError> {
        if kind != SessionType::C2c.as_str() {
            return Err(JsError::new(&format!(
                "Session: type {kind:?} is not \"C2C\""
            )));
        }
        let id = AccountId::new(id).map_err(|e| JsError::new(&format!("Session: {e}")))?;
        let whole = |n: Option<f64>| n.filter(|n| *n >= 0.0).map_or(0, |n| n as u64);
        Ok(Self {
            name: name.unwrap_or_else(|| id.to_string()),
            key: SessionKey::c2c(id),
            icon: icon.unwrap_or_default(),
            time: whole(time),
            seq: whole(seq),
        })
    }

    /// `type()`: `"C2C"`.
    #[wasm_bindgen(js_name = type)]
    pub fn kind(&self) -> String {
        self.key.kind.as_str().to_owned()
    }

    /// `id()`: the peer's account.
    pub fn id(&self) -> String {
        self.key.id.to_string()
    }

    /// `name()`.
    pub fn name(&self) -> String {
        self.name.clone()
    }

    /// `icon()`.
    pub fn icon(&self) -> String {
        self.icon.clone()
    }

    /// `unread()`: unread messages now.
    pub fn unread(&self) -> u32 {
        held(&self.key, |s| s.unread()).unwrap_or(0)
    }

    /// `time()`: the newest message's time (seconds).
    pub fn time(&self) -> f64 {
        held(&self.key, |s| s.time().0).unwrap_or(self.time) as f64
    }

    /// `curMaxMsgSeq()`.
    #[wasm_bindgen(js_name = curMaxMsgSeq)]
    pub fn cur_max_msg_seq(&self) -> f64 {
        held(&self.key, |s| s.cur_max_msg_seq().0).unwrap_or(self.seq) as f64
    }

    /// `msgCount()`: messages held now.
    #[wasm_bindgen(js_name = msgCount)]
    pub fn msg_count(&self) -> usize {
        held(&self.key, |s| s.msg_count()).unwrap_or(0)
    }

    /// `msg(i)`: the i-th message held, oldest first (`undefined` past the end).
    pub fn msg(&self, i: usize) -> Option<Msg> {
        held(&self.key, |s| s.msg(i).cloned().map(Msg::from)).flatten()
    }

    /// `isAutoRead()`: whether new messages here count as read (not in 1.x's getters).
    #[wasm_bindgen(js_name = isAutoRead)]
    pub fn is_auto_read(&self) -> bool {
        held(&self.key, |s| s.is_auto_read()).unwrap_or(false)
    }
}

/// webim.js `Msg`.
#[wasm_bindgen]
#[derive(Debug, Clone)]
pub struct Msg {
    inner: webim_sdk::Msg,
    /// False for a message built before a login without naming its sender: it is sent as
    /// whoever is logged in when `sendMsg` runs.
    sender_named: bool,
}

impl From<webim_sdk::Msg> for Msg {
    fn from(inner: webim_sdk::Msg) -> Self {
        Self {
            inner,
            sender_named: true,
        }
    }
}

impl Msg {
    /// Adds an element the page built.
    pub(crate) fn push(&mut self, elem: webim_sdk::Elem) {
        self.inner.add_elem(elem);
    }

    /// The SDK's message, sent by `me` if the page did not name its sender.
    pub(crate) fn to_sdk(&self, me: &AccountId) -> webim_sdk::Msg {
        if self.sender_named {
            return self.inner.clone();
        }
        let m = &self.inner;
        let mut msg = webim_sdk::Msg::new(
            m.session().clone(),
            m.is_send(),
            m.seq(),
            m.random(),
            m.time(),
            me.clone(),
        );
        for elem in m.elems() {
            msg.add_elem(elem.clone());
        }
        msg
    }
}

thread_local! {
    /// The page's own count of messages built before a login (1.x's `nextSeq`).
    static PAGE_SEQ: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// A whole number the page passed (1.x took negative ones for "not given").
fn given(value: Option<f64>) -> Option<u64> {
    value
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| v as u64)
}

#[wasm_bindgen]
impl Msg {
    /// webim.js `new Msg(sess, isSend, seq, random, time, fromAccount)`. Never throws, as
    /// in 1.x: what is not given comes from the logged-in client (its next seq, its
    /// account) or, before a login, from the page (a count, `Math.random`, the clock; the
    /// sender is then whoever is logged in at `sendMsg`, which answers -4 without one).
    /// `isSend` left out means a message to send; `false` builds a received one, which
    /// `sendMsg` refuses.
    #[wasm_bindgen(constructor)]
    pub fn new(
        sess: &Session,
        is_send: Option<bool>,
        seq: Option<f64>,
        random: Option<f64>,
        time: Option<f64>,
        from_account: Option<String>,
    ) -> Msg {
        let is_send = is_send.unwrap_or(true);
        let peer = sess.key.id.clone();
        let client = logged_in().ok();
        // The client's next seq only when the page gives none, so a given one uses none up.
        let seq = given(seq)
            .or_else(|| {
                let made = client.as_ref()?.create_msg(&peer).ok()?;
                Some(made.seq().0)
            })
            .unwrap_or_else(|| PAGE_SEQ.with(|n| n.replace(n.get() + 1) + 1));
        let random = given(random).map_or_else(
            || (js_sys::Math::random() * f64::from(u32::MAX)) as u32,
            |r| r as u32,
        );
        let time = given(time).unwrap_or_else(|| (js_sys::Date::now() / 1000.0) as u64);
        let named = from_account.and_then(|a| AccountId::new(a).ok());
        let me = client.and_then(|c| c.identifier());
        let sender = match (is_send, named) {
            (_, Some(account)) => Some(account),
            (true, None) => me,
            (false, None) => Some(peer.clone()),
        };
        Self {
            sender_named: sender.is_some(),
            inner: webim_sdk::Msg::new(
                sess.key.clone(),
                is_send,
                webim_proto::MsgSeq(seq),
                webim_proto::MsgRandom(random),
                webim_proto::Timestamp(time),
                sender.unwrap_or(peer),
            ),
        }
    }

    /// `addText(text)`.
    #[wasm_bindgen(js_name = addText)]
    pub fn add_text(&mut self, text: &Text) {
        self.inner.add_text(text.inner.clone());
    }

    /// `addFace(face)`.
    #[wasm_bindgen(js_name = addFace)]
    pub fn add_face(&mut self, face: &Face) {
        self.inner.add_face(face.inner.clone());
    }

    /// `addElem(elem)`: a `Msg.Elem` built by the page.
    #[wasm_bindgen(js_name = addElem)]
    pub fn add_elem(&mut self, elem: &MsgElem) {
        self.inner.add_elem(elem.inner.clone());
    }

    /// `getElems()`: the elements, in order.
    #[wasm_bindgen(js_name = getElems)]
    pub fn get_elems(&self) -> Array {
        self.inner
            .elems()
            .iter()
            .map(|e| JsValue::from(MsgElem { inner: e.clone() }))
            .collect()
    }

    /// `getSession()`.
    #[wasm_bindgen(js_name = getSession)]
    pub fn get_session(&self) -> Session {
        let key = self.inner.session().clone();
        held(&key, Session::of).unwrap_or_else(|| Session {
            name: key.id.to_string(),
            key,
            icon: String::new(),
            time: 0,
            seq: 0,
        })
    }

    /// `getIsSend()`.
    #[wasm_bindgen(js_name = getIsSend)]
    pub fn get_is_send(&self) -> bool {
        self.inner.is_send()
    }

    /// `getSeq()`.
    #[wasm_bindgen(js_name = getSeq)]
    pub fn get_seq(&self) -> f64 {
        self.inner.seq().0 as f64
    }

    /// `getRandom()`.
    #[wasm_bindgen(js_name = getRandom)]
    pub fn get_random(&self) -> f64 {
        f64::from(self.inner.random().0)
    }

    /// `getTime()` (seconds).
    #[wasm_bindgen(js_name = getTime)]
    pub fn get_time(&self) -> f64 {
        self.inner.time().0 as f64
    }

    /// `getFromAccount()` (`undefined` for a message built before a login without one).
    #[wasm_bindgen(js_name = getFromAccount)]
    pub fn get_from_account(&self) -> Option<String> {
        self.sender_named
            .then(|| self.inner.from_account().to_string())
    }

    /// `toHtml()`: every element's HTML; text is escaped (1.x's XSS hole stays closed).
    #[wasm_bindgen(js_name = toHtml)]
    pub fn to_html(&self) -> String {
        self.inner.elems().iter().map(elem_html).collect()
    }
}

fn elem_html(elem: &webim_sdk::Elem) -> String {
    match elem {
        webim_sdk::Elem::Text(t) => escape_html(t.text()),
        webim_sdk::Elem::Face(f) => match emoticon_url(f.data()) {
            Some(url) => format!("<img src=\"{url}\" alt=\"{}\">", escape_html(f.data())),
            None => escape_html(f.data()),
        },
        webim_sdk::Elem::Image(image) => crate::attachments::image_html(image),
        webim_sdk::Elem::File(file) => crate::attachments::file_html(file),
    }
}

/// webim.js `Msg.Elem`: `{type, content}`.
#[wasm_bindgen]
#[derive(Debug, Clone)]
pub struct MsgElem {
    inner: webim_sdk::Elem,
}

#[wasm_bindgen]
impl MsgElem {
    /// `new Msg.Elem(type, content)`: `"TIMTextElem"` with a `Text`, or `"TIMFaceElem"`
    /// with a `Face` (the only kinds 1.0 sends).
    #[wasm_bindgen(constructor)]
    pub fn new(kind: &str, content: &JsValue) -> Result<MsgElem, JsError> {
        let text = || Text::try_from_js(content).map(|t| webim_sdk::Elem::Text(t.inner));
        let face = || Face::try_from_js(content).map(|f| webim_sdk::Elem::Face(f.inner));
        let image = || {
            let images = values::from_js::<ImageElem>(content.clone()).ok();
            images.or_else(|| {
                let id = call_method(content, "getImageId")?.as_string()?;
                Some(Images::new(&id).inner)
            })
        };
        let file = || values::from_js::<FileElem>(content.clone()).ok();
        let inner = match kind {
            "TIMTextElem" => text(),
            "TIMFaceElem" => face(),
            "TIMImageElem" => image().map(webim_sdk::Elem::Image),
            "TIMFileElem" => file().map(webim_sdk::Elem::File),
            other => {
                return Err(JsError::new(&format!(
                    "Msg.Elem: {other:?} is not TIMTextElem, TIMFaceElem, TIMImageElem or \
                     TIMFileElem"
                )));
            }
        };
        inner
            .map(|inner| Self { inner })
            .ok_or_else(|| JsError::new(&format!("Msg.Elem: the content is not a {kind}")))
    }

    /// `getType()`: `"TIMTextElem"` or `"TIMFaceElem"`.
    #[wasm_bindgen(js_name = getType)]
    pub fn get_type(&self) -> String {
        match self.inner {
            webim_sdk::Elem::Text(_) => "TIMTextElem",
            webim_sdk::Elem::Face(_) => "TIMFaceElem",
            webim_sdk::Elem::Image(_) => "TIMImageElem",
            webim_sdk::Elem::File(_) => "TIMFileElem",
        }
        .to_owned()
    }

    /// `getContent()`: the `Text` or `Face`.
    #[wasm_bindgen(js_name = getContent)]
    pub fn get_content(&self) -> JsValue {
        match &self.inner {
            webim_sdk::Elem::Text(t) => Text { inner: t.clone() }.into(),
            webim_sdk::Elem::Face(f) => Face { inner: f.clone() }.into(),
            webim_sdk::Elem::Image(i) => Images { inner: i.clone() }.into(),
            webim_sdk::Elem::File(f) => FileContent { inner: f.clone() }.into(),
        }
    }

    /// `toHtml()`.
    #[wasm_bindgen(js_name = toHtml)]
    pub fn to_html(&self) -> String {
        elem_html(&self.inner)
    }
}

impl Text {
    /// The text of a page's `Text` (anything with `getText()`).
    fn try_from_js(value: &JsValue) -> Option<Self> {
        let text = call_method(value, "getText")?.as_string()?;
        Some(Self::new(&text))
    }
}

impl Face {
    /// A page's `Face` (anything with `getIndex()` and `getData()`).
    fn try_from_js(value: &JsValue) -> Option<Self> {
        let index = call_method(value, "getIndex")?
            .as_f64()
            .filter(|i| *i >= 0.0 && i.fract() == 0.0)?;
        let data = call_method(value, "getData")?.as_string()?;
        Some(Self::new(index as u32, &data))
    }
}

/// webim.js `Msg.Elem.Text`.
#[wasm_bindgen]
#[derive(Debug, Clone)]
pub struct Text {
    inner: webim_sdk::Text,
}

#[wasm_bindgen]
impl Text {
    /// `new Msg.Elem.Text(text)`: kept as typed (docs/sdk.md, "Sending"), escaped only in `toHtml`.
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Text {
        Self {
            inner: webim_sdk::Text::new(text),
        }
    }

    /// `getText()`.
    #[wasm_bindgen(js_name = getText)]
    pub fn get_text(&self) -> String {
        self.inner.text().to_owned()
    }

    /// `toHtml()`.
    #[wasm_bindgen(js_name = toHtml)]
    pub fn to_html(&self) -> String {
        escape_html(self.inner.text())
    }
}

/// webim.js `Msg.Elem.Face`.
#[wasm_bindgen]
#[derive(Debug, Clone)]
pub struct Face {
    inner: webim_sdk::Face,
}

#[wasm_bindgen]
impl Face {
    /// `new Msg.Elem.Face(index, data)`: `index` from `EmotionPicDataIndex`, `data` the
    /// bracketed name.
    #[wasm_bindgen(constructor)]
    pub fn new(index: u32, data: &str) -> Face {
        Self {
            inner: webim_sdk::Face::new(index, data),
        }
    }

    /// `getIndex()`.
    #[wasm_bindgen(js_name = getIndex)]
    pub fn get_index(&self) -> u32 {
        self.inner.index()
    }

    /// `getData()`.
    #[wasm_bindgen(js_name = getData)]
    pub fn get_data(&self) -> String {
        self.inner.data().to_owned()
    }

    /// `toHtml()`: the emoticon's image, or its name if it is not one.
    #[wasm_bindgen(js_name = toHtml)]
    pub fn to_html(&self) -> String {
        elem_html(&webim_sdk::Elem::Face(self.inner.clone()))
    }
}
