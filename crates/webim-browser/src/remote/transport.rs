//! The SDK's transport to a `webim-server`: each command POSTed to the seed's URL
//! (`/v4/openim/sendmsg?usersig=…&identifier=…&sdkappid=…&contenttype=json&reqtime=…`)
//! with `dialect=rust`, so the server answers in our SDK's shapes (docs/protocol.md),
//! long polls shared by the tabs of an account (see [`super::poll_share`]).

use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use webim_js_values::{self as values, field};
use webim_proto::dialect::{DIALECT_PARAM, RUST_DIALECT};
use webim_proto::{Command, Dialect, Endpoint};
use webim_sdk::{Answer, LoginInfo, Transport, TransportError};

use super::fetch;
use super::poll_share::{PollShare, Role};

/// How long a command other than a long poll may take.
const REQUEST_TIMEOUT_MS: u32 = 20_000;
/// Beyond a long poll's own timeout, how long its answer may take to arrive.
const POLL_GRACE_MS: u32 = 15_000;
/// How long a follower tab waits for its leader's word before asking the server itself.
const FOLLOWER_RECHECK_MS: u32 = 25_000;

/// Commands to a server over HTTP.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    /// The server's origin and path prefix (`""`: the page's own origin).
    base: String,
    share: Rc<PollShare>,
}

/// The URL of `command` for `login`, as webim.js built it.
fn command_url(base: &str, command: Command, login: &LoginInfo, now: u64) -> String {
    let area = command.area();
    let version = Dialect::Rust.version(area);
    let sig_name = Dialect::sig_param(area);
    let encode = |s: &str| String::from(js_sys::encode_uri_component(s));
    format!(
        "{base}/{version}/{}?{sig_name}={}&identifier={}&sdkappid={}&contenttype=json\
         &{DIALECT_PARAM}={RUST_DIALECT}&reqtime={now}",
        command.path(),
        encode(&login.user_sig),
        encode(login.identifier.as_str()),
        login.sdk_app_id
    )
}

/// True if a long poll's answer reports something.
fn has_events(answer: &JsValue) -> bool {
    let events = field(answer, "EventArray");
    Array::is_array(&events) && Array::from(&events).length() > 0
}

/// The same long poll, answered at once (the server does not hold a zero timeout).
fn right_away(body: &JsValue) -> JsValue {
    let now = Object::assign(&Object::new(), body.unchecked_ref());
    // Setting a property of a fresh plain object cannot fail.
    let _ = Reflect::set(&now, &JsValue::from_str("Timeout"), &JsValue::from(0));
    now.into()
}

impl HttpTransport {
    /// A transport to the page's own origin.
    pub fn new(share: Rc<PollShare>) -> Self {
        Self::to_server(String::new(), share)
    }

    /// A transport to the server at `base` (its origin and path prefix, without a
    /// trailing `/`; `""` is the page's own origin). Another origin answers only if it
    /// allows the page's (`webim-server --allow-origin`).
    pub fn to_server(base: impl Into<String>, share: Rc<PollShare>) -> Self {
        Self {
            base: base.into().trim_end_matches('/').to_owned(),
            share,
        }
    }

    async fn post(
        &self,
        command: Command,
        login: &LoginInfo,
        body: &JsValue,
        timeout_ms: u32,
    ) -> Result<JsValue, TransportError> {
        let now = (js_sys::Date::now() / 1000.0) as u64;
        let url = command_url(&self.base, command, login, now);
        match fetch::post_json(&url, body, timeout_ms).await {
            Err(e) => Err(TransportError::Unreachable(e.0)),
            Ok((200, Ok(answer))) => Ok(answer),
            Ok((200, Err(e))) => Err(TransportError::Garbled(format!(
                "the service's answer is not a WebIM reply: {e}"
            ))),
            // The server's refusals carry the protocol's code: let the SDK read it.
            Ok((_, Ok(answer))) if field(&answer, "ActionStatus").is_string() => Ok(answer),
            Ok((status, _)) => Err(TransportError::Http(status)),
        }
    }

    async fn long_poll(
        &self,
        login: &LoginInfo,
        body: &JsValue,
    ) -> Result<JsValue, TransportError> {
        let me = &login.identifier;
        loop {
            match self.share.role(me) {
                Role::Leader => {
                    let timeout = field(body, "Timeout")
                        .as_f64()
                        .map_or(0, |secs| (secs.max(0.0) as u32).saturating_mul(1000));
                    let limit = timeout.saturating_add(POLL_GRACE_MS);
                    let answer = self.post(Command::LongPolling, login, body, limit).await;
                    if answer.as_ref().is_ok_and(has_events) {
                        self.share.announce(me);
                    }
                    return answer;
                }
                Role::Follower => {
                    self.share.wait(me, FOLLOWER_RECHECK_MS).await;
                    if self.share.role(me) == Role::Leader {
                        continue;
                    }
                    let now = right_away(body);
                    return self
                        .post(Command::LongPolling, login, &now, REQUEST_TIMEOUT_MS)
                        .await;
                }
            }
        }
    }
}

impl Transport for HttpTransport {
    /// The request goes as the protocol's JSON and the answer comes back as JSON, both
    /// made by the browser's `JSON` from plain objects: the one place in the page where
    /// JSON is written and read, and the objects are read as the worker's answers are.
    async fn request<R: Endpoint>(
        &self,
        login: &LoginInfo,
        request: &R,
    ) -> Result<Answer<R::Response>, TransportError> {
        let body = values::request(request)?;
        let answer = if R::COMMAND == Command::LongPolling {
            self.long_poll(login, &body).await
        } else {
            self.post(R::COMMAND, login, &body, REQUEST_TIMEOUT_MS)
                .await
        }?;
        values::answer(answer)
    }
}
