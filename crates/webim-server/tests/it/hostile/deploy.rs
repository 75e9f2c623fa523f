//! Finding 7: the shipped defaults. Demo mode is refused beyond loopback unless asked for,
//! `/metrics` is served apart (never on a public address by default), and the demo's
//! one-click login respects a disabled account.

use reqwest::StatusCode;
use serde_json::json;
use webim_proto::AccountId;

use super::binary::{Binary, command, free_port};
use crate::harness::{PEAKER, TestServer};

#[test]
fn test_demo_mode_beyond_loopback_is_refused_with_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let out = command(dir.path())
        .args(["--listen", &format!("0.0.0.0:{}", free_port())])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--no-demo") && err.contains("not a loopback address"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_public_server_keeps_metrics_on_its_own_address() {
    let dir = tempfile::tempdir().unwrap();
    let (port, metrics) = (free_port(), free_port());
    let listen = format!("0.0.0.0:{port}");
    let metrics_at = format!("127.0.0.1:{metrics}");
    let server = Binary::start_at(dir.path(), &listen, &["--no-demo"]).await;
    let client = reqwest::Client::new();
    let get = |url: String| {
        let request = client.get(url);
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(
        get(format!("{}/metrics", server.base)).await,
        StatusCode::NOT_FOUND,
        "no /metrics on a public address"
    );
    drop(server);
    let args = ["--no-demo", "--metrics-listen", metrics_at.as_str()];
    let server = Binary::start_at(dir.path(), &listen, &args).await;
    assert_eq!(
        get(format!("{}/metrics", server.base)).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(format!("http://{metrics_at}/metrics")).await,
        StatusCode::OK
    );
    let config = client
        .get(format!("{}/webim/config", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(config.contains("\"Demo\":false"), "{config}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_the_demo_login_refuses_a_disabled_test_account() {
    let s = TestServer::start().await;
    let peaker = AccountId::new(PEAKER).unwrap();
    s.state
        .backend()
        .service()
        .set_disabled(&peaker, true)
        .await
        .unwrap();
    let body = json!({"Identifier": PEAKER}).to_string();
    let (status, answer) = s.post(&format!("{}/demo/login", s.base), body).await;
    assert_eq!(
        (status, answer["ErrorCode"].as_i64()),
        (StatusCode::FORBIDDEN, Some(70051))
    );
    s.stop().await;
}
