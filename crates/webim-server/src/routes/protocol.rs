//! `POST /{v4|v3}/{service}/{command}?usersig|accesstoken=…&identifier=…&sdkappid=…
//! &contenttype=json&reqtime=…` (sdk-facts §1.1): the door every SDK call comes through.
//! The checks run in order, cheapest first: the path, the query, the content type, the
//! body's size, the userSig; only then does the service see the body.

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;
use webim_proto::{AccountId, Command, ErrorCode, Service as Area, Status};

use super::{Refusal, json};
use crate::app::AppState;
use crate::backend::now;

/// What the query says about the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// `identifier`.
    pub identifier: AccountId,
    /// `usersig` (openim) or `accesstoken` (sns, profile).
    pub user_sig: String,
    /// `sdkappid`.
    pub sdk_app_id: u64,
}

/// The version a service's commands live under (`openim` → v4, `sns`/`profile` → v3).
fn version_of(area: Area) -> &'static str {
    match area {
        Area::OpenIm => "v4",
        Area::Profile | Area::Sns => "v3",
    }
}

/// The command a path names, if it names one under the right version.
pub fn command_of(version: &str, service: &str, name: &str) -> Option<Command> {
    let command = Command::from_path(&format!("{service}/{name}"))?;
    (version_of(command.service()) == version).then_some(command)
}

fn bad(code: ErrorCode, info: impl Into<String>) -> Refusal {
    Refusal::new(StatusCode::BAD_REQUEST, code, info)
}

/// Reads the caller from the query string.
pub fn caller_of(query: Option<&str>) -> Result<Caller, Refusal> {
    let mut identifier = None;
    let mut user_sig = None;
    let mut sdk_app_id = None;
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "identifier" => identifier = Some(value.into_owned()),
            "usersig" | "accesstoken" => user_sig = Some(value.into_owned()),
            "sdkappid" => sdk_app_id = Some(value.into_owned()),
            "contenttype" if value != "json" => {
                return Err(bad(
                    ErrorCode::HttpParse,
                    format!("contenttype={value}: this server speaks json only"),
                ));
            }
            _ => {}
        }
    }
    let identifier = identifier.ok_or_else(|| {
        bad(
            ErrorCode::BadUrlAccount,
            "the query has no identifier=<account>",
        )
    })?;
    let identifier = AccountId::new(identifier)
        .map_err(|e| bad(ErrorCode::BadUrlAccount, format!("identifier: {e}")))?;
    let sdk_app_id = sdk_app_id
        .ok_or_else(|| bad(ErrorCode::NoSdkAppId, "the query has no sdkappid=<number>"))?;
    let sdk_app_id = sdk_app_id.parse().map_err(|_| {
        bad(
            ErrorCode::NoSdkAppId,
            format!("sdkappid={sdk_app_id} is not a number"),
        )
    })?;
    Ok(Caller {
        identifier,
        user_sig: user_sig.unwrap_or_default(),
        sdk_app_id,
    })
}

/// Accepts what webim.js and plain `fetch` send: JSON, plain text (a string body), or the
/// form type webim.js used for Safari. Anything else is refused.
pub fn check_content_type(headers: &HeaderMap) -> Result<(), Refusal> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Ok(());
    };
    let mime = value
        .to_str()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "application/json" | "text/plain" | "application/x-www-form-urlencoded" | "" => Ok(()),
        other => Err(Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::HttpParse,
            format!("Content-Type {other}: send the command's JSON as application/json"),
        )),
    }
}

/// How much of a too-large body is read and thrown away before answering 413, so the
/// client (which is still sending) reads the answer instead of a broken pipe.
const DRAIN_MAX: usize = 1024 * 1024;

/// Reads the body, at most `limit` bytes.
pub async fn read_body(body: Body, headers: &HeaderMap, limit: usize) -> Result<Bytes, Refusal> {
    use http_body_util::BodyExt;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let mut body = body;
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame =
            frame.map_err(|e| bad(ErrorCode::HttpParse, format!("the body broke off: {e}")))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen = seen.saturating_add(data.len());
        if seen <= limit {
            kept.extend_from_slice(&data);
        } else if seen > DRAIN_MAX || declared.is_some_and(|n| n > DRAIN_MAX as u64) {
            break;
        }
    }
    if seen > limit || declared.is_some_and(|n| n > limit as u64) {
        return Err(Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::HttpParse,
            format!("the body is larger than {limit} bytes"),
        ));
    }
    Ok(Bytes::from(kept))
}

/// The HTTP status of a service's answer: the protocol's refusals are 200 (as Tencent's
/// REST API answers them), a body that is not JSON is 400, a failing database 503.
fn status_of(reply: &str) -> StatusCode {
    match serde_json::from_str::<Status>(reply).map(|s| s.error_code) {
        Ok(ErrorCode::JsonBodyParse) => StatusCode::BAD_REQUEST,
        Ok(ErrorCode::ServiceError) => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::OK,
    }
}

/// The protocol's door, for `/v3/…` and `/v4/…` (the version is the path's first part).
pub async fn command(
    State(state): State<AppState>,
    Path((service, name)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Refusal> {
    let version = uri
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    let command = command_of(version, &service, &name).ok_or_else(|| {
        Refusal::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NoSuchCommand,
            format!("no command /{version}/{service}/{name}"),
        )
    })?;
    if method != Method::POST {
        return Err(Refusal::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::HttpParse,
            format!("{method}: the protocol's commands are POSTed"),
        ));
    }
    let caller = caller_of(uri.query())?;
    check_content_type(&headers)?;
    let bytes = read_body(body, &headers, state.body_limit()).await?;
    let key = state.sig_key();
    if caller.sdk_app_id != key.sdk_app_id() {
        return Err(Refusal::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::NoSuchSdkAppId,
            format!("sdkappid {} is not this server's", caller.sdk_app_id),
        ));
    }
    key.verify(
        &caller.user_sig,
        caller.identifier.as_str(),
        caller.sdk_app_id,
        now().0,
    )
    .map_err(|e| Refusal::new(StatusCode::UNAUTHORIZED, e.code(), e.to_string()))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| bad(ErrorCode::JsonBodyParse, "the body is not UTF-8 text"))?;
    let reply = state
        .backend()
        .request(&caller.identifier, command, text)
        .await;
    let status = status_of(&reply);
    if status == StatusCode::SERVICE_UNAVAILABLE {
        // The operator needs the cause, not only the status the access log shows.
        tracing::warn!(?command, caller = %caller.identifier, reply, "the service failed");
    }
    Ok(json(status, reply))
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
        assert_eq!(command_of("v4", "openim", "nosuch"), None);
    }

    #[test]
    fn test_the_query_names_the_caller_or_says_what_is_missing() {
        let caller = caller_of(Some(
            "usersig=abc&identifier=peakerdong&sdkappid=7&contenttype=json",
        ))
        .unwrap();
        assert_eq!(caller.identifier.as_str(), "peakerdong");
        assert_eq!((caller.user_sig.as_str(), caller.sdk_app_id), ("abc", 7));
        let code = |q: &str| caller_of(Some(q)).unwrap_err().code;
        assert_eq!(code("usersig=a&sdkappid=7"), ErrorCode::BadUrlAccount);
        assert_eq!(
            code("identifier=a%20b&sdkappid=7"),
            ErrorCode::BadUrlAccount
        );
        assert_eq!(code("identifier=a"), ErrorCode::NoSdkAppId);
        assert_eq!(code("identifier=a&sdkappid=x"), ErrorCode::NoSdkAppId);
        assert_eq!(
            code("identifier=a&sdkappid=1&contenttype=xml"),
            ErrorCode::HttpParse
        );
        let no_sig = caller_of(Some("identifier=a&sdkappid=1")).unwrap();
        assert_eq!(no_sig.user_sig, "");
    }
}
