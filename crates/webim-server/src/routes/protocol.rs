//! `POST /{v4|v3}/{service}/{command}?…` (docs/protocol.md, "Requests"): the door every
//! SDK call comes through, as one router. The path names the command ([`Named`]); the
//! query tells the dialect and carries the credential, checked with the body by the
//! [`Verified`] extractor; only then does the service see the body, with the verified
//! caller. webim.js 1.7's login has its own route (`v17_login`).

mod v17_login;

use axum::Router;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::any;
use webim_proto::{Command, Dialect, ErrorCode};

use super::caller::{ClientAddr, Verified};
use super::{Refusal, bad, json};
use crate::state::AppState;

/// The protocol's routes: only its versions, so any other three-part path is the app's to
/// route. Every answer to 1.7 is 200 (`always_ok_for_v17`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v4/openim/login", any(v17_login::login))
        .route("/v3/{service}/{command}", any(command))
        .route("/v4/{service}/{command}", any(command))
        .layer(axum::middleware::from_fn(always_ok_for_v17))
}

/// The command a path names, if it names one under a version some dialect sends it under.
pub fn command_of(version: &str, service: &str, name: &str) -> Option<Command> {
    let command = Command::from_path(&format!("{service}/{name}"))?;
    Dialect::any_sends(command.area(), version).then_some(command)
}

/// The command a request's path names, POSTed: the first check at the door.
#[derive(Debug, Clone, Copy)]
pub struct Named(pub Command);

impl<S: Send + Sync> FromRequestParts<S> for Named {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Refusal> {
        let Ok(Path((service, name))) =
            Path::<(String, String)>::from_request_parts(parts, state).await
        else {
            return Err(no_such(parts.uri.path()));
        };
        let version = parts
            .uri
            .path()
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default();
        let command =
            command_of(version, &service, &name).ok_or_else(|| no_such(parts.uri.path()))?;
        if parts.method != Method::POST {
            let method = &parts.method;
            return Err(Refusal::new(
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorCode::HttpParse,
                format!("{method}: the protocol's commands are POSTed"),
            ));
        }
        Ok(Self(command))
    }
}

fn no_such(path: &str) -> Refusal {
    Refusal::new(
        StatusCode::NOT_FOUND,
        ErrorCode::NoSuchCommand,
        format!("no command {path}"),
    )
}

/// The HTTP status of a service's answer with `code`: the protocol's refusals are 200 (as
/// Tencent's REST API answers them), a body that is not JSON is 400, a failing database 503.
fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::JsonBodyParse => StatusCode::BAD_REQUEST,
        ErrorCode::ServiceError => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::OK,
    }
}

/// One protocol command: the service answers the verified caller's body.
async fn command(
    State(state): State<AppState>,
    Named(command): Named,
    ClientAddr(from): ClientAddr,
    Verified {
        caller,
        body,
        pass: _held_until_answered,
    }: Verified,
) -> Result<Response, Refusal> {
    let text = std::str::from_utf8(&body)
        .map_err(|_| bad(ErrorCode::JsonBodyParse, "the body is not UTF-8 text"))?;
    let answered = state.backend().request(&caller, command, text, from).await;
    let status = status_of(answered.code);
    if status == StatusCode::SERVICE_UNAVAILABLE {
        // The operator needs the cause, not only the status the access log shows.
        let reply = &answered.json;
        tracing::warn!(?command, caller = %caller.account, reply, "the service failed");
    }
    Ok(json(status, answered.json))
}

/// webim.js 1.7 reads an answer only when its status is 200 (anything else is "network
/// failure", -2), so every answer to it comes as 200 with its code, as Tencent's did: the
/// door's refusals and the service's own 400 and 503 alike.
async fn always_ok_for_v17(request: Request, next: Next) -> Response {
    let v17 = {
        let query = request.uri().query().unwrap_or_default();
        let params: Vec<_> = form_urlencoded::parse(query.as_bytes()).collect();
        Dialect::of_query(params.iter().map(|(n, v)| (n.as_ref(), v.as_ref()))) == Dialect::V17
    };
    let mut response = next.run(request).await;
    if v17 {
        *response.status_mut() = StatusCode::OK;
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_commands_live_under_their_service_version() {
        assert_eq!(
            command_of("v4", "openim", "sendmsg"),
            Some(Command::SendMsg)
        );
        assert_eq!(
            command_of("v3", "sns", "friend_add"),
            Some(Command::FriendAdd)
        );
        assert_eq!(command_of("v3", "openim", "sendmsg"), None);
        assert_eq!(
            command_of("v4", "sns", "friend_add"),
            Some(Command::FriendAdd)
        );
        assert_eq!(
            command_of("v3", "group_open_http_svc", "get_joined_group_list"),
            Some(Command::GetJoinedGroupList)
        );
        assert_eq!(command_of("v3", "recentcontact", "get"), None);
        assert_eq!(command_of("v4", "openim", "nosuch"), None);
    }
}
