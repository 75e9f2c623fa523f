//! `POST /{v4|v3}/{service}/{command}?…` (docs/protocol.md, "Requests"): the door every
//! SDK call comes through. The query tells the dialect and carries the credential: a
//! userSig (`usersig` or `accesstoken`, with `identifier`) or, from webim.js 1.7 after its
//! login, `tinyid` and `a2`. The checks run in order, cheapest first: the path, the query,
//! the content type, the body's size, the credential; only then does the service see the
//! body, with the verified caller.

use std::net::{IpAddr, SocketAddr};

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use webim_proto::openim::login;
use webim_proto::{AccountId, Command, Dialect, ErrorCode, Reply, Timestamp};
use webim_service::Caller;

use super::{Refusal, json};
use crate::a2;
use crate::app::AppState;
use crate::backend::now;
use crate::usersig::SigKey;

/// What the query says about the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Which client speaks.
    pub dialect: Dialect,
    /// Its credential.
    pub credential: Credential,
    /// `sdkappid`.
    pub sdk_app_id: u64,
}

/// A credential as the query carries it, not yet checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// `identifier` with `usersig` (openim) or `accesstoken` (the other services).
    UserSig {
        /// `identifier`.
        identifier: AccountId,
        /// The sig (empty if the query has none).
        sig: String,
    },
    /// 1.7's `tinyid` and `a2`, from its login.
    A2 {
        /// `tinyid`.
        tiny_id: String,
        /// `a2`.
        a2: String,
    },
}

/// The command a path names, if it names one under a version some dialect sends it under.
pub fn command_of(version: &str, service: &str, name: &str) -> Option<Command> {
    let command = Command::from_path(&format!("{service}/{name}"))?;
    Dialect::any_sends(command.service(), version).then_some(command)
}

fn bad(code: ErrorCode, info: impl Into<String>) -> Refusal {
    Refusal::new(StatusCode::BAD_REQUEST, code, info)
}

/// Reads the dialect and the caller's credential from the query string.
pub fn caller_of(query: Option<&str>) -> Result<Query, Refusal> {
    let params: Vec<(String, String)> =
        form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
    let get = |wanted: &str| {
        params
            .iter()
            .find(|(name, _)| name == wanted)
            .map(|(_, value)| value.as_str())
    };
    if let Some(kind) = get("contenttype").filter(|kind| *kind != "json") {
        return Err(bad(
            ErrorCode::HttpParse,
            format!("contenttype={kind}: this server speaks json only"),
        ));
    }
    let dialect = Dialect::of_query(params.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let sdk_app_id = get("sdkappid")
        .ok_or_else(|| bad(ErrorCode::NoSdkAppId, "the query has no sdkappid=<number>"))?;
    let sdk_app_id = sdk_app_id.parse().map_err(|_| {
        bad(
            ErrorCode::NoSdkAppId,
            format!("sdkappid={sdk_app_id} is not a number"),
        )
    })?;
    let credential = match (get("tinyid"), get("a2")) {
        (None, None) => {
            let identifier = get("identifier").ok_or_else(|| {
                bad(
                    ErrorCode::BadUrlAccount,
                    "the query has no identifier=<account>",
                )
            })?;
            let identifier = AccountId::new(identifier)
                .map_err(|e| bad(ErrorCode::BadUrlAccount, format!("identifier: {e}")))?;
            let sig = get("usersig").or_else(|| get("accesstoken"));
            Credential::UserSig {
                identifier,
                sig: sig.unwrap_or_default().to_owned(),
            }
        }
        (tiny_id, a2) => Credential::A2 {
            tiny_id: tiny_id.unwrap_or_default().to_owned(),
            a2: a2.unwrap_or_default().to_owned(),
        },
    };
    Ok(Query {
        dialect,
        credential,
        sdk_app_id,
    })
}

fn unauthorized(e: crate::usersig::SigError) -> Refusal {
    Refusal::new(StatusCode::UNAUTHORIZED, e.code(), e.to_string())
}

/// Refuses a request for another app than this server's.
fn check_app(key: &SigKey, sdk_app_id: u64) -> Result<(), Refusal> {
    if sdk_app_id != key.sdk_app_id() {
        return Err(Refusal::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::NoSuchSdkAppId,
            format!("sdkappid {sdk_app_id} is not this server's"),
        ));
    }
    Ok(())
}

/// Checks the query's credential against this server's key: the caller, verified.
pub fn verify(state: &AppState, query: Query) -> Result<Caller, Refusal> {
    let key = state.sig_key();
    check_app(key, query.sdk_app_id)?;
    match query.credential {
        Credential::UserSig { identifier, sig } => {
            let claims = state
                .check_sig(&sig, identifier.as_str(), query.sdk_app_id)
                .map_err(unauthorized)?;
            Ok(Caller {
                account: identifier,
                dialect: query.dialect,
                session: None,
                issued: Some(Timestamp(claims.time)),
            })
        }
        Credential::A2 { tiny_id, a2 } => {
            let claims = a2::verify(key, &a2, &tiny_id, now().0).map_err(unauthorized)?;
            Ok(Caller {
                account: claims.account,
                dialect: Dialect::V17,
                session: Some(claims.session),
                issued: Some(claims.issued),
            })
        }
    }
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

/// The protocol's door, for `/v3/…` and `/v4/…` (the version is the path's first part).
/// webim.js 1.7 reads an answer only when its status is 200 (anything else is "network
/// failure", -2), so every answer to it comes as 200 with its code, as Tencent's did.
pub async fn command(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((service, name)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Refusal> {
    // Read in a block of its own, so nothing of it is held while the command runs (a long
    // poll waits inside).
    let v17 = {
        let params = form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes());
        let params: Vec<_> = params.collect();
        Dialect::of_query(params.iter().map(|(n, v)| (n.as_ref(), v.as_ref()))) == Dialect::V17
    };
    let from = crate::proxy::client_of(peer.ip(), &headers, state.trusted_proxies());
    let answer = answer(state, service, name, method, uri, headers, body, from).await;
    if !v17 {
        return answer;
    }
    // Every answer, the door's refusals and the service's own 400 and 503 alike.
    let mut response = answer.unwrap_or_else(IntoResponse::into_response);
    *response.status_mut() = StatusCode::OK;
    Ok(response)
}

#[allow(clippy::too_many_arguments)] // the request's parts, as axum hands them over
async fn answer(
    state: AppState,
    service: String,
    name: String,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
    from: IpAddr,
) -> Result<Response, Refusal> {
    let version = uri
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    if (version, service.as_str(), name.as_str()) == ("v4", "openim", "login") {
        // Boxed: its reads of the service are a large future, and every request's own
        // (a held long poll's among them) would otherwise be that large too.
        return Box::pin(login(state, method, uri, headers, body)).await;
    }
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
    let query = caller_of(uri.query())?;
    check_content_type(&headers)?;
    let bytes = read_body(body, &headers, state.body_limit()).await?;
    let caller = verify(&state, query)?;
    let text = std::str::from_utf8(&bytes)
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

/// `POST /v4/openim/login` (webim.js 1.7): a userSig in, the account's TinyId and a new
/// session's A2Key out. The account must exist and be enabled; the A2Key expires with
/// the userSig, and within `--sig-expire`.
async fn login(
    state: AppState,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Refusal> {
    if method != Method::POST {
        return Err(Refusal::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::HttpParse,
            format!("{method}: login is POSTed"),
        ));
    }
    let query = caller_of(uri.query())?;
    let Credential::UserSig { identifier, sig } = query.credential else {
        return Err(bad(
            ErrorCode::SigMissing,
            "log in with identifier=<account>&usersig=<userSig>",
        ));
    };
    check_content_type(&headers)?;
    let bytes = read_body(body, &headers, state.body_limit()).await?;
    serde_json::from_slice::<login::Request>(&bytes)
        .map_err(|e| bad(ErrorCode::JsonBodyParse, format!("openim/login: {e}")))?;
    let key = state.sig_key();
    check_app(key, query.sdk_app_id)?;
    let claims = state
        .check_sig(&sig, identifier.as_str(), query.sdk_app_id)
        .map_err(unauthorized)?;
    let active = state
        .backend()
        .service()
        .may_log_in(&identifier, Timestamp(claims.time))
        .await
        .map_err(|e| {
            tracing::warn!(%identifier, ?e, "the service failed a 1.7 login");
            Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::ServiceError,
                "the service failed; try again",
            )
        })?;
    if !active {
        return Err(Refusal::new(
            StatusCode::FORBIDDEN,
            ErrorCode::AccountDisabled,
            format!("{identifier} is disabled or unknown here, or this userSig was ended"),
        ));
    }
    let limit = now().0.saturating_add(state.sig_expire().as_secs());
    let expires = claims.time.saturating_add(claims.expire).min(limit);
    let mut session = [0u8; 16];
    getrandom::fill(&mut session).map_err(|e| {
        Refusal::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::ServiceError,
            format!("no randomness: {e}"),
        )
    })?;
    let answer = login::Response {
        tiny_id: a2::tiny_id(key, &identifier),
        a2_key: a2::mint(
            key,
            &identifier,
            session,
            Timestamp(claims.time),
            Timestamp(expires),
        ),
    };
    let text = serde_json::to_string(&Reply::ok(&answer)).unwrap_or_default();
    Ok(json(StatusCode::OK, text))
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

    #[test]
    fn test_the_query_names_the_caller_or_says_what_is_missing() {
        let query = caller_of(Some(
            "usersig=abc&identifier=peakerdong&sdkappid=7&contenttype=json",
        ))
        .unwrap();
        let Credential::UserSig { identifier, sig } = &query.credential else {
            panic!("a userSig")
        };
        assert_eq!(identifier.as_str(), "peakerdong");
        assert_eq!((sig.as_str(), query.sdk_app_id), ("abc", 7));
        assert_eq!(query.dialect, Dialect::Classic);
        let v17 = caller_of(Some(
            "websdkappid=537048168&v=1.7.0&tinyid=12&a2=k&contenttype=json&sdkappid=7",
        ))
        .unwrap();
        assert_eq!(v17.dialect, Dialect::V17);
        assert_eq!(
            v17.credential,
            Credential::A2 {
                tiny_id: "12".to_owned(),
                a2: "k".to_owned()
            }
        );
        let ours = caller_of(Some("usersig=a&identifier=b&sdkappid=7&dialect=rust")).unwrap();
        assert_eq!(ours.dialect, Dialect::Rust);
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
        assert!(matches!(no_sig.credential, Credential::UserSig { sig, .. } if sig.is_empty()));
    }
}
