//! Findings 1–3 of the hostile review: password guesses sent all at once, the throttle's
//! memory across a restart and behind a proxy, and log lines forged through an identifier.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use webim_server::throttle;

use super::binary::Binary;
use crate::harness::{TestServer, add_account, settings};

const RIGHT: &str = "the right one, at last";

fn login_body(id: &str, password: &str) -> String {
    json!({"Identifier": id, "Password": password}).to_string()
}

/// 100 guesses at one account, all at once, the right password among them: the account's
/// allowance is taken before any hash runs, so only that many are checked at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_hundred_simultaneous_guesses_check_no_more_than_the_allowance() {
    let s = TestServer::start().await;
    add_account(&s, "target", RIGHT).await;
    let mut guesses = tokio::task::JoinSet::new();
    for i in 0..100 {
        let password = if i == 50 {
            RIGHT.to_owned()
        } else {
            format!("guess number {i}")
        };
        let request = s
            .client
            .post(format!("{}/login", s.base))
            .body(login_body("target", &password));
        guesses.spawn(async move { request.send().await.unwrap().status() });
    }
    let statuses = guesses.join_all().await;
    let checked = statuses
        .iter()
        .filter(|s| **s != StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(
        checked <= throttle::PER_ACCOUNT,
        "{checked} of 100 were checked: {statuses:?}"
    );
    s.stop().await;
}

/// Behind a trusted proxy, 200 logins to unknown accounts from 200 addresses at once:
/// all get past the throttle, and the bound on simultaneous checks keeps memory low.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_two_hundred_simultaneous_logins_keep_resident_memory_under_300_mb() {
    let dir = tempfile::tempdir().unwrap();
    let server = Binary::start(dir.path(), &["--trusted-proxy", "127.0.0.1"]).await;
    let client = reqwest::Client::new();
    let mut logins = tokio::task::JoinSet::new();
    for i in 0..200u32 {
        let request = client
            .post(format!("{}/login", server.base))
            .header("X-Forwarded-For", format!("198.51.{}.{}", i / 200, i % 200))
            .body(login_body(&format!("nobody{i}"), "a guess of some length"));
        logins.spawn(async move { request.send().await.unwrap().status() });
    }
    let statuses = logins.join_all().await;
    let peak_mb = server.peak_resident_kb() / 1024;
    let busy = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    eprintln!("200 simultaneous logins: peak resident {peak_mb} MB, {busy} told to come back");
    assert!(peak_mb < 300, "peak resident memory {peak_mb} MB");
    assert!(
        statuses
            .iter()
            .all(|s| [StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS].contains(s)),
        "{statuses:?}"
    );
}

/// Five wrong guesses, a restart, one more: still throttled (the attempts are in the
/// database, not in the process).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_the_throttle_remembers_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let server = Binary::start(dir.path(), &[]).await;
    for i in 0..throttle::PER_ACCOUNT {
        let status = client
            .post(format!("{}/login", server.base))
            .body(login_body("victim", &format!("wrong {i}")))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    drop(server);
    let server = Binary::start(dir.path(), &[]).await;
    let status = client
        .post(format!("{}/login", server.base))
        .body(login_body("victim", "one more"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

/// Behind a trusted proxy, a client that writes its own `X-Forwarded-For` line (a new
/// address each time) before the proxy's is still counted at the address the proxy saw.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_an_invented_forwarded_line_does_not_escape_the_throttle() {
    let mut with_proxy = settings();
    with_proxy.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    let s = TestServer::start_with(with_proxy).await;
    let mut last = StatusCode::OK;
    for i in 0..=throttle::PER_ADDRESS {
        last = s
            .client
            .post(format!("{}/login", s.base))
            .header("X-Forwarded-For", format!("10.9.{}.{}", i / 250, i % 250))
            .header("X-Forwarded-For", "203.0.113.50")
            .body(login_body(&format!("someone{i}"), "a guess of some length"))
            .send()
            .await
            .unwrap()
            .status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    s.stop().await;
}

/// An identifier carrying a line break, a fake log line and a terminal escape is logged
/// escaped: no forged line, no raw escape.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_an_identifier_cannot_forge_a_log_line() {
    let dir = tempfile::tempdir().unwrap();
    let server = Arc::new(Binary::start(dir.path(), &[]).await);
    let forged = "x\n2026-01-01T00:00:00.000000Z  INFO webim_server: password login account=admin\u{1b}]0;pwned\u{7}";
    let status = reqwest::Client::new()
        .post(format!("{}/login", server.base))
        .body(login_body(forged, "a guess of some length"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let log = String::from_utf8_lossy(&server.log()).into_owned();
    assert!(log.contains("login refused"), "{log}");
    assert!(
        !log.lines().any(|l| l.starts_with("2026-01-01T00:00:00")),
        "a forged line: {log}"
    );
    assert!(!log.contains("\u{1b}]0;pwned"), "a raw escape: {log:?}");
}
