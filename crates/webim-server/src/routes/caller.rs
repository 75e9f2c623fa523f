//! Who is calling: the query's dialect and credential (a userSig with `identifier`, or
//! 1.7's `tinyid` and `a2`), checked against this server's key into the service's verified
//! [`Caller`]. [`Verified`] is the extractor the protocol's commands take: it runs the
//! door's checks in order, cheapest first (the query, the content type, the body's size,
//! the credential), so the service sees only a verified caller and a body within bounds.

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use webim_proto::{AccountId, Dialect, ErrorCode, Timestamp};
use webim_service::Caller;

use super::body::{check_content_type, read_body};
use super::{Refusal, bad};
use crate::a2;
use crate::backend::now;
use crate::state::AppState;
use crate::upload_gate::UploadPass;
use crate::usersig::{SigError, SigKey};

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

pub(super) fn unauthorized(e: SigError) -> Refusal {
    Refusal::new(StatusCode::UNAUTHORIZED, e.code(), e.to_string())
}

/// Refuses a request for another app than this server's.
pub(super) fn check_app(key: &SigKey, sdk_app_id: u64) -> Result<(), Refusal> {
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

/// A protocol request past the door: its verified caller and its body (at most
/// `--body-limit` bytes, of a content type a client sends).
#[derive(Debug)]
pub struct Verified {
    /// Who calls.
    pub caller: Caller,
    /// The body, unparsed.
    pub body: Bytes,
    /// An upload slice's turn at the gate, held until the answer.
    pub pass: Option<UploadPass>,
}

impl FromRequest<AppState> for Verified {
    type Rejection = Refusal;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Refusal> {
        let query = caller_of(request.uri().query())?;
        check_content_type(request.headers())?;
        let (parts, body) = request.into_parts();
        // An upload's slice may be megabytes: only a verified caller's is read, and only
        // when the gate lets it in.
        if parts.uri.path().ends_with("/openpic/pic_up") {
            let caller = verify(state, query)?;
            let pass = state
                .upload_gate()
                .enter(&caller.account)
                .await
                .map_err(|busy| {
                    Refusal::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        ErrorCode::TooManyRequests,
                        format!(
                            "the server is receiving other uploads and this slice waited {} s; \
                         send it again",
                            busy.waited.as_secs()
                        ),
                    )
                })?;
            let body = read_body(body, &parts.headers, state.upload_body_limit()).await?;
            return Ok(Self {
                caller,
                body,
                pass: Some(pass),
            });
        }
        let body = read_body(body, &parts.headers, state.body_limit()).await?;
        let caller = verify(state, query)?;
        Ok(Self {
            caller,
            body,
            pass: None,
        })
    }
}

/// The client's address: the connection's peer, or, behind a trusted proxy, the rightmost
/// untrusted address of `X-Forwarded-For`.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refusal> {
        // The accept loop attaches the peer to every request. Without it nothing is
        // guessed (a guess could pass for a trusted proxy): the request is refused.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
            .ok_or_else(|| {
                Refusal::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorCode::ServiceError,
                    "the server does not know this connection's address",
                )
            })?;
        Ok(Self(crate::proxy::client_of(
            peer,
            &parts.headers,
            state.trusted_proxies(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
