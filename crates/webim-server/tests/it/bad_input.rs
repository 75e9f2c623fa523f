//! Bad input at the door: each kind gets the protocol's error JSON with a fitting HTTP
//! status, and one client's bad or stalled requests do not hold up another's.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use webim_proto::Command;

use crate::harness::{A16, PEAKER, TestServer, text_msg};

async fn send(s: &TestServer, request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{status} with non-JSON {text:?} from {}: {e}", s.base));
    (status, value)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_each_kind_of_bad_request_gets_the_protocols_error_and_a_fitting_status() {
    let s = TestServer::start().await;
    let good_url = s.url(PEAKER, Command::GetMsg);
    let good_query = good_url.split_once('?').unwrap().1.to_owned();
    let post = |url: String, body: &str| s.client.post(url).body(body.to_owned());
    let cases: Vec<(&str, reqwest::RequestBuilder, StatusCode, i64)> = vec![
        (
            "unknown command",
            post(format!("{}/v4/openim/nosuch?{good_query}", s.base), "{}"),
            StatusCode::NOT_FOUND,
            60009,
        ),
        (
            "command under the wrong version",
            post(format!("{}/v3/openim/getmsg?{good_query}", s.base), "{}"),
            StatusCode::NOT_FOUND,
            60009,
        ),
        (
            "path that is no command",
            post(format!("{}/v4/openim", s.base), "{}"),
            StatusCode::NOT_FOUND,
            60009,
        ),
        (
            "GET instead of POST",
            s.client.get(good_url.clone()),
            StatusCode::METHOD_NOT_ALLOWED,
            60002,
        ),
        (
            "no identifier",
            post(
                format!("{}/v4/openim/getmsg?sdkappid=1&usersig=x", s.base),
                "{}",
            ),
            StatusCode::BAD_REQUEST,
            60004,
        ),
        (
            "bad identifier",
            post(
                format!(
                    "{}/v4/openim/getmsg?identifier=%3Cscript%3E&sdkappid=1",
                    s.base
                ),
                "{}",
            ),
            StatusCode::BAD_REQUEST,
            60004,
        ),
        (
            "no sdkappid",
            post(
                format!("{}/v4/openim/getmsg?identifier={PEAKER}", s.base),
                "{}",
            ),
            StatusCode::BAD_REQUEST,
            60012,
        ),
        (
            "body over the limit",
            post(good_url.clone(), &"x".repeat(65 * 1024)),
            StatusCode::PAYLOAD_TOO_LARGE,
            60002,
        ),
        (
            "body over the limit, no length given",
            s.client
                .post(good_url.clone())
                .body(reqwest::Body::wrap_stream(futures_stream(vec![
                    vec![b'x'; 40 * 1024],
                    vec![b'x'; 40 * 1024],
                ]))),
            StatusCode::PAYLOAD_TOO_LARGE,
            60002,
        ),
        (
            "wrong content type",
            post(good_url.clone(), "{}").header("content-type", "multipart/form-data; boundary=x"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            60002,
        ),
        (
            "broken JSON",
            post(good_url.clone(), "{\"Cookie\": "),
            StatusCode::BAD_REQUEST,
            60003,
        ),
        (
            "not UTF-8",
            s.client.post(good_url.clone()).body(vec![0xff, 0xfe, b'{']),
            StatusCode::BAD_REQUEST,
            60003,
        ),
        (
            "JSON of the wrong shape",
            post(s.url(A16, Command::SendMsg), "{\"To_Account\": 5}"),
            StatusCode::OK,
            20001,
        ),
    ];
    for (what, request, status, code) in cases {
        let (got_status, answer) = send(&s, request).await;
        assert_eq!(
            (got_status, answer["ErrorCode"].as_i64()),
            (status, Some(code)),
            "{what}: {answer}"
        );
        assert_eq!(answer["ActionStatus"], "FAIL", "{what}");
    }
    s.stop().await;
}

/// A body that arrives in pieces, with no Content-Length.
fn futures_stream(
    chunks: Vec<Vec<u8>>,
) -> impl futures_core::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    let mut chunks = chunks.into_iter();
    futures_util::stream::poll_fn(move |_| std::task::Poll::Ready(chunks.next().map(Ok)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_bad_and_stalled_requests_do_not_hold_up_others() {
    let s = TestServer::start().await;
    let address = s.base.trim_start_matches("http://").to_owned();
    // Ten connections that promise a body and never finish it.
    let mut stalled = Vec::new();
    for _ in 0..10 {
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        let head = format!(
            "POST /v4/openim/getmsg?identifier={PEAKER}&sdkappid=1 HTTP/1.1\r\nHost: x\r\n\
             Content-Length: 5000\r\n\r\n{{\"Cookie\""
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stalled.push(stream);
    }
    // Two hundred bad requests at once.
    let mut flood = tokio::task::JoinSet::new();
    for i in 0..200 {
        let client = s.client.clone();
        let url = format!(
            "{}/v4/openim/sendmsg?identifier=x{i}&sdkappid=1&usersig=junk",
            s.base
        );
        flood.spawn(async move {
            client
                .post(url)
                .body("{{{")
                .send()
                .await
                .map(|r| r.status())
        });
    }
    // Meanwhile a good client sends and reads.
    let good = async {
        for i in 1..=20 {
            s.ok(
                A16,
                Command::SendMsg,
                text_msg(A16, PEAKER, i, 1, "still here"),
            )
            .await;
        }
        s.ok(PEAKER, Command::GetMsg, json!({"Cookie": ""})).await
    };
    let pulled = tokio::time::timeout(Duration::from_secs(20), good)
        .await
        .expect("the good client is answered while others misbehave");
    assert_eq!(pulled["C2CUnreadList"][0]["UnreadCount"], 20);
    while let Some(status) = flood.join_next().await {
        assert_eq!(status.unwrap().unwrap(), StatusCode::UNAUTHORIZED);
    }
    drop(stalled);
    s.stop().await;
}
