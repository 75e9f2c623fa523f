//! Reading a request's body at the door: the content types a client may send, and the size
//! limit, checked before anything parses it.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use webim_proto::ErrorCode;

use super::{Refusal, bad};

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
