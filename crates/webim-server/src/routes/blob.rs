//! `GET /webim/blob/{uuid}/{variant}?reader=…&t=…`: a picture or a file, for a reader
//! whose ticket the server signed when it wrote the address (`files.rs`). The ticket
//! names the reader, the attachment and the size; the service then checks again that
//! the reader is the sender or the recipient. What is served can never run in the
//! page: its type is fixed (a picture's, or `application/octet-stream` for every file),
//! `nosniff` and a sandboxing CSP go with it, and a file is always a download. The bytes
//! are streamed from the blob store a quarter of a megabyte at a time. webim.js 1.7's own
//! address for a received file (`/asn.com/stddownload_common_file`) is served the same
//! way, its reader named by the key `openim/authkey` gave it.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use webim_proto::{AccountId, ErrorCode};
use webim_service::blob::{BlobId, BlobStore, Files, Variant, Wanted};
use webim_service::service::Failure;

use super::Refusal;
use crate::backend::now;
use crate::state::AppState;
use crate::tickets::{self, Grant};

/// The bytes read from the blob store at a time.
const CHUNK: u64 = 256 * 1024;
/// The longest file name put in `Content-Disposition`.
const MAX_NAME_CHARS: usize = 200;

/// The download route.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/webim/blob/{uuid}/{variant}", get(download))
        .route("/asn.com/stddownload_common_file", get(v17_download))
}

/// The query of a download address.
#[derive(Debug, Default)]
struct Ticketed {
    reader: String,
    t: String,
    /// The name a file is saved under (optional; the address works without it).
    name: Option<String>,
}

impl Ticketed {
    fn of(query: Option<&str>) -> Self {
        let mut read = Self::default();
        for (key, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            match key.as_ref() {
                "reader" => read.reader = value.into_owned(),
                "t" => read.t = value.into_owned(),
                "name" => read.name = Some(value.into_owned()),
                _ => {}
            }
        }
        read
    }
}

fn refusal(status: StatusCode, info: &str) -> Refusal {
    Refusal::new(status, ErrorCode::NoSuchAttachment, info)
}

/// A file name safe in a header: no quotes, slashes, controls; bounded.
fn safe_name(name: &str) -> String {
    let kept: String = name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\\' | '/' | ';'))
        .take(MAX_NAME_CHARS)
        .collect();
    let kept = kept.trim().trim_start_matches('.').to_owned();
    if kept.is_empty() {
        "file".to_owned()
    } else {
        kept
    }
}

fn disposition(wanted: Wanted, name: Option<&str>) -> String {
    match wanted {
        Wanted::Picture => "inline".to_owned(),
        Wanted::File => {
            let name = safe_name(name.unwrap_or("file"));
            let ascii: String = name
                .chars()
                .map(|c| if c.is_ascii() { c } else { '_' })
                .collect();
            let encoded: String = form_urlencoded::byte_serialize(name.as_bytes())
                .collect::<String>()
                .replace('+', "%20");
            format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
        }
    }
}

async fn download(
    State(state): State<AppState>,
    Path((uuid, variant)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, Refusal> {
    let query = Ticketed::of(query.as_deref());
    let not_found = || refusal(StatusCode::NOT_FOUND, "there is no such picture or file");
    let uuid = BlobId::parse(&uuid).ok_or_else(not_found)?;
    let variant = Variant::parse(&variant).ok_or_else(not_found)?;
    let reader = AccountId::new(&query.reader)
        .map_err(|_| refusal(StatusCode::FORBIDDEN, "the address names no reader"))?;
    let files = state.backend().service().files();
    let grant = Grant {
        reader: &reader,
        blob: &uuid,
        variant,
    };
    tickets::verify(files.key(), &query.t, &grant, now().0)
        .map_err(|e| refusal(StatusCode::FORBIDDEN, &e.to_string()))?;
    serve(&state, &reader, &uuid, variant, query.name.as_deref()).await
}

/// `GET /asn.com/stddownload_common_file?authkey=…&fileid=…&filename=…`: the address
/// webim.js 1.7 builds itself for a received file from `openim/authkey`'s answer. The key
/// names the reader; the rest is as any download of the file.
async fn v17_download(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, Refusal> {
    let (mut key, mut file, mut name) = (String::new(), String::new(), None);
    for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match k.as_ref() {
            "authkey" => key = v.into_owned(),
            "fileid" => file = v.into_owned(),
            "filename" => name = Some(v.into_owned()),
            _ => {}
        }
    }
    let files = state.backend().service().files();
    let reader = tickets::verify_reader(files.key(), &key, now().0)
        .map_err(|e| refusal(StatusCode::FORBIDDEN, &e.to_string()))?;
    let uuid = BlobId::parse(&file)
        .ok_or_else(|| refusal(StatusCode::NOT_FOUND, "there is no such file"))?;
    serve(&state, &reader, &uuid, Variant::Original, name.as_deref()).await
}

/// Sends `variant` of `uuid` to `reader`, whose right to ask the address proved.
async fn serve(
    state: &AppState,
    reader: &AccountId,
    uuid: &BlobId,
    variant: Variant,
    name: Option<&str>,
) -> Result<Response, Refusal> {
    let not_found = || refusal(StatusCode::NOT_FOUND, "there is no such picture or file");
    let files = state.backend().service().files();
    let found = state
        .backend()
        .service()
        .download(reader, uuid, variant)
        .await;
    let found = match found {
        Ok(found) => found,
        Err(Failure::Refused(..)) => return Err(not_found()),
        Err(Failure::Storage(e)) => {
            tracing::warn!(%e, "a download's record could not be read");
            return Err(Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::ServiceError,
                "the service failed",
            ));
        }
    };
    let blobs = files.blobs().clone();
    // The first chunk is read before the answer starts, so bytes that are gone are a 404,
    // not a broken download.
    let first = blobs
        .read(&found.blob, 0..CHUNK.min(found.size))
        .await
        .ok()
        .flatten()
        .ok_or_else(|| {
            refusal(
                StatusCode::NOT_FOUND,
                "this picture or file is no longer kept",
            )
        })?;
    let size = found.size;
    let blob = found.blob.clone();
    let rest = futures_util::stream::unfold(first.len() as u64, move |at| {
        let (blobs, blob) = (blobs.clone(), blob.clone());
        async move {
            if at >= size {
                return None;
            }
            let end = (at + CHUNK).min(size);
            match blobs.read(&blob, at..end).await {
                Ok(Some(bytes)) if !bytes.is_empty() => {
                    let next = at + bytes.len() as u64;
                    Some((Ok::<Bytes, std::io::Error>(Bytes::from(bytes)), next))
                }
                _ => Some((Err(std::io::Error::other("the blob ended early")), size)),
            }
        }
    });
    let head = futures_util::stream::once(async move { Ok(Bytes::from(first)) });
    // Fused: the compression layer polls a body once more after its end, which a bare
    // `unfold` answers with a panic.
    let body = Body::from_stream(futures_util::StreamExt::fuse(
        futures_util::StreamExt::chain(head, rest),
    ));
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    let mut set = |name, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(header::CONTENT_TYPE, &found.mime);
    set(header::CONTENT_LENGTH, &size.to_string());
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; sandbox",
    );
    set(
        header::CONTENT_DISPOSITION,
        &disposition(found.wanted, name),
    );
    set(header::CACHE_CONTROL, "private, max-age=3600");
    // Shown by pages of other origins too (webim.js 1.7 pages), as plain <img>.
    set(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        "cross-origin",
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_a_file_is_always_an_attachment_under_a_harmless_name() {
        assert_eq!(disposition(Wanted::Picture, Some("x.html")), "inline");
        assert_eq!(
            disposition(Wanted::File, Some("report.pdf")),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"
        );
        assert_eq!(
            disposition(Wanted::File, Some("../\"evil\r\n.html")),
            "attachment; filename=\"evil.html\"; filename*=UTF-8''evil.html",
            "no quote, control, path or leading dot"
        );
        assert_eq!(
            disposition(Wanted::File, Some("报告 1.pdf")),
            "attachment; filename=\"__ 1.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%201.pdf"
        );
        assert!(disposition(Wanted::File, None).contains("filename=\"file\""));
    }
}
