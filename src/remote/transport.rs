//! The SDK's transport to a `webim-server`: each command POSTed to the seed's URL
//! (`/v4/openim/sendmsg?usersig=…&identifier=…&sdkappid=…&contenttype=json&reqtime=…`),
//! long polls shared by the tabs of an account (see [`super::poll_share`]).

use std::rc::Rc;

use webim_proto::openim::longpolling;
use webim_proto::{Command, Endpoint, Service, Status};
use webim_sdk::{Answer, LoginInfo, Transport, TransportError, from_json, to_json};

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
    let (version, sig_name) = match command.service() {
        Service::OpenIm => ("v4", "usersig"),
        Service::Profile | Service::Sns => ("v3", "accesstoken"),
    };
    let encode = |s: &str| String::from(js_sys::encode_uri_component(s));
    format!(
        "{base}/{version}/{}?{sig_name}={}&identifier={}&sdkappid={}&contenttype=json&reqtime={now}",
        command.path(),
        encode(&login.user_sig),
        encode(login.identifier.as_str()),
        login.sdk_app_id
    )
}

/// True if a long poll's answer reports something.
fn has_events(answer: &str) -> bool {
    serde_json::from_str::<longpolling::Response>(answer).is_ok_and(|r| !r.event_array.is_empty())
}

/// The same long poll, answered at once (the server does not hold a zero timeout).
fn right_away(body: &str) -> String {
    match serde_json::from_str::<longpolling::Request>(body) {
        Ok(mut request) => {
            request.timeout = 0;
            serde_json::to_string(&request).unwrap_or_else(|_| body.to_owned())
        }
        Err(_) => body.to_owned(),
    }
}

impl HttpTransport {
    /// A transport to the page's own origin.
    pub fn new(share: Rc<PollShare>) -> Self {
        Self {
            base: String::new(),
            share,
        }
    }

    async fn post(
        &self,
        command: Command,
        login: &LoginInfo,
        body: &str,
        timeout_ms: u32,
    ) -> Result<String, TransportError> {
        let now = (js_sys::Date::now() / 1000.0) as u64;
        let url = command_url(&self.base, command, login, now);
        match fetch::post(&url, body, timeout_ms).await {
            Err(e) => Err(TransportError::Unreachable(e.0)),
            Ok((200, text)) => Ok(text),
            // The server's refusals carry the protocol's code: let the SDK read it.
            Ok((_, text)) if serde_json::from_str::<Status>(&text).is_ok() => Ok(text),
            Ok((status, _)) => Err(TransportError::Http(status)),
        }
    }

    async fn long_poll(&self, login: &LoginInfo, body: &str) -> Result<String, TransportError> {
        let me = &login.identifier;
        loop {
            match self.share.role(me) {
                Role::Leader => {
                    let timeout = serde_json::from_str::<longpolling::Request>(body)
                        .map_or(0, |r| r.timeout.saturating_mul(1000));
                    let limit = timeout.saturating_add(POLL_GRACE_MS);
                    let answer = self.post(Command::LongPolling, login, body, limit).await;
                    if answer.as_deref().is_ok_and(has_events) {
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
    /// The request goes as the protocol's JSON and the answer comes back as JSON: the one
    /// place in the page where JSON is made and read.
    async fn request<R: Endpoint>(
        &self,
        login: &LoginInfo,
        request: &R,
    ) -> Result<Answer<R::Response>, TransportError> {
        let body = to_json(request)?;
        let text = if R::COMMAND == Command::LongPolling {
            self.long_poll(login, &body).await
        } else {
            self.post(R::COMMAND, login, &body, REQUEST_TIMEOUT_MS)
                .await
        }?;
        from_json(&text)
    }
}
