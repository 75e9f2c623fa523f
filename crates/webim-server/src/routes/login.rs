//! `POST /login` (an identifier and a password → a userSig) and, in demo mode,
//! `POST /demo/login` (a test account → a userSig, as the seed's test accounts came with
//! pre-made sigs). `GET /webim/config` tells a page it runs behind this server.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use webim_proto::login::{DemoLogin, PasswordLogin, ServerConfig, Signed};
use webim_proto::test_accounts::TEST_ACCOUNTS;
use webim_proto::{AccountId, ErrorCode, Reply};

use super::body::{check_content_type, read_body};
use super::caller::ClientAddr;
use super::{Refusal, json};
use crate::backend::now;
use crate::credentials::{self, Refusal as LoginRefusal};
use crate::state::AppState;

/// `/login`, `/demo/login` and `/webim/config`.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/login", post(password))
        .route("/demo/login", post(demo))
        .route("/webim/config", get(config))
}

/// Logins are small: an identifier and a password.
const LOGIN_BODY_LIMIT: usize = 4096;

async fn parse<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
) -> Result<T, Refusal> {
    check_content_type(headers)?;
    let bytes = read_body(body, headers, LOGIN_BODY_LIMIT).await?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::JsonBodyParse,
            format!("the body is not the expected JSON: {e}"),
        )
    })
}

fn signed(state: &AppState, identifier: AccountId) -> Response {
    let expire = state.sig_expire().as_secs();
    let user_sig = state.sig_key().mint(identifier.as_str(), now().0, expire);
    let reply = Reply::ok(Signed {
        identifier,
        user_sig,
        sdk_app_id: state.sig_key().sdk_app_id(),
        expire,
    });
    json(
        StatusCode::OK,
        serde_json::to_string(&reply).unwrap_or_default(),
    )
}

fn wrong() -> Refusal {
    Refusal::new(
        StatusCode::UNAUTHORIZED,
        ErrorCode::LoginFailed,
        "the identifier or the password is wrong",
    )
}

/// `POST /login`.
pub async fn password(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Refusal> {
    let login: PasswordLogin = parse(&headers, body).await?;
    let account = AccountId::new(login.identifier.clone()).ok();
    // An account that cannot exist, that has no password or is disabled is checked
    // against the stand-in hash all the same: every refusal costs the same time.
    let stored = match &account {
        Some(id)
            if state
                .backend()
                .service()
                .is_active(id)
                .await
                .unwrap_or(false) =>
        {
            credentials::password_hash(state.store(), id)
                .await
                .map_err(|e| {
                    Refusal::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        ErrorCode::ServiceError,
                        e.to_string(),
                    )
                })?
        }
        _ => None,
    };
    let checked = state
        .login_guard()
        .check(
            state.store(),
            &login.identifier,
            address,
            &login.password,
            stored,
            now_ms(),
        )
        .await;
    // The identifier is whatever the client sent: logged escaped (`?`), never raw, so a
    // line break or a terminal escape in it cannot forge a log line.
    let named = &login.identifier;
    match (checked, account) {
        (Ok(()), Some(id)) => {
            tracing::info!(account = %id, %address, "password login");
            Ok(signed(&state, id))
        }
        (Err(LoginRefusal::Throttled(wait)), _) => {
            tracing::warn!(account = ?named, %address, "login throttled");
            let seconds = wait.as_secs().max(1);
            Ok(come_back(
                ErrorCode::LoginThrottled,
                format!("too many login attempts: try again in {seconds} s"),
                seconds,
            ))
        }
        (Err(LoginRefusal::Busy), _) => {
            tracing::warn!(account = ?named, %address, "login refused: every password check busy");
            Ok(come_back(
                ErrorCode::LoginThrottled,
                "the server is busy checking passwords: try again in a second".to_owned(),
                1,
            ))
        }
        (Err(LoginRefusal::Store(e)), _) => Err(Refusal::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::ServiceError,
            e,
        )),
        _ => {
            tracing::info!(account = ?named, %address, "login refused");
            Err(wrong())
        }
    }
}

/// 429 with `Retry-After`.
fn come_back(code: ErrorCode, message: String, seconds: u64) -> Response {
    let mut response = Refusal::new(StatusCode::TOO_MANY_REQUESTS, code, message).into_response();
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// The current Unix time in milliseconds (the throttle's clock).
fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// `POST /demo/login` (404 unless in demo mode).
pub async fn demo(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Refusal> {
    if !state.demo() {
        return Err(super::not_found().await);
    }
    let login: DemoLogin = parse(&headers, body).await?;
    let Some(account) = TEST_ACCOUNTS.iter().find(|a| a.id == login.identifier) else {
        return Err(Refusal::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NoSuchAccount,
            format!("{} is not a test account", login.identifier),
        ));
    };
    let id = account.account_id();
    let active = state
        .backend()
        .service()
        .is_active(&id)
        .await
        .map_err(|e| {
            Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::ServiceError,
                format!("{e:?}"),
            )
        })?;
    if !active {
        return Err(Refusal::new(
            StatusCode::FORBIDDEN,
            ErrorCode::AccountDisabled,
            format!("{id} is disabled"),
        ));
    }
    Ok(signed(&state, id))
}

/// `GET /webim/config`.
pub async fn config(State(state): State<AppState>) -> Json<ServerConfig> {
    Json(state.server_config())
}
