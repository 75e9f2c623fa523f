//! `POST /v4/openim/login`, webim.js 1.7's login (docs/protocol.md, "Logging in as 1.7
//! does"): a userSig in, the account's TinyId and a new session's A2Key out.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use webim_proto::openim::login;
use webim_proto::{ErrorCode, Reply, Timestamp};

use crate::a2;
use crate::backend::now;
use crate::routes::body::{check_content_type, read_body};
use crate::routes::caller::{Credential, caller_of, check_app, unauthorized};
use crate::routes::{Refusal, bad, json};
use crate::state::AppState;

/// `POST /v4/openim/login` (webim.js 1.7): a userSig in, the account's TinyId and a new
/// session's A2Key out. The account must exist and be enabled; the A2Key expires with
/// the userSig, and within `--sig-expire`.
pub(super) async fn login(
    State(state): State<AppState>,
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
