//! Finding 8, the smaller ones: a DNS-rebinding page, `X-Forwarded-Host` from anyone, a
//! link out of `dist/`, the data directory's modes and a key file others can read, weak
//! passwords, sigs minted far ahead or for a century, and credentials that a logout, a
//! password change or `account revoke` must end.

use reqwest::StatusCode;
use serde_json::json;
use webim_proto::{AccountId, Command};
use webim_server::credentials::check_new_password;

use super::binary::{Binary, command};
use crate::harness::{PEAKER, TestServer, now, settings};

fn getmsg() -> String {
    json!({"Cookie": ""}).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_rebinding_page_and_a_forwarded_host_from_anyone_are_foreign() {
    let s = TestServer::start().await;
    let port = s.base.rsplit(':').next().unwrap().to_owned();
    let url = s.url(PEAKER, Command::GetMsg);
    let from = |origin: String, host: String, forwarded: Option<&str>| {
        let mut request = s
            .client
            .post(&url)
            .header("origin", origin)
            .header("host", host)
            .body(getmsg());
        if let Some(forwarded) = forwarded {
            request = request.header("x-forwarded-host", forwarded);
        }
        async move { request.send().await.unwrap().status() }
    };
    let own = from(
        format!("http://localhost:{port}"),
        format!("localhost:{port}"),
        None,
    );
    assert_eq!(own.await, StatusCode::OK, "the server's own page");
    // evil.example resolves to 127.0.0.1 now: its page calls with its own name.
    let rebound = from(
        format!("http://evil.example:{port}"),
        format!("evil.example:{port}"),
        None,
    );
    assert_eq!(rebound.await, StatusCode::FORBIDDEN);
    let claimed = from(
        "https://chat.example.com".to_owned(),
        format!("127.0.0.1:{port}"),
        Some("chat.example.com"),
    );
    assert_eq!(
        claimed.await,
        StatusCode::FORBIDDEN,
        "X-Forwarded-Host from a peer that is no trusted proxy"
    );
    s.stop().await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_link_out_of_dist_is_not_followed() {
    let dist = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<html><head></head></html>").unwrap();
    std::fs::write(dist.path().join("real.txt"), "inside").unwrap();
    std::fs::write(outside.path().join("secret.txt"), "the disk's secret").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        dist.path().join("leak.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), dist.path().join("disk")).unwrap();
    let mut with_dist = settings();
    with_dist.dist = Some(dist.path().to_path_buf());
    let s = TestServer::start_with(with_dist).await;
    let get = |path: &str| {
        let request = s.client.get(format!("{}{path}", s.base));
        async move {
            let answer = request.send().await.unwrap();
            (answer.status(), answer.text().await.unwrap())
        }
    };
    assert_eq!(
        get("/real.txt").await,
        (StatusCode::OK, "inside".to_owned())
    );
    for path in ["/leak.txt", "/disk/secret.txt", "/disk%2Fsecret.txt"] {
        let (status, body) = get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(!body.contains("secret"), "{path}: {body}");
    }
    s.stop().await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_the_data_directory_is_the_servers_alone_and_an_open_key_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let out = command(&data)
        .args(["account", "import", "someone"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(mode(&data), 0o700);
    for file in ["webim.sqlite3", "webim.sqlite3-wal", "webim.sqlite3-shm"] {
        let path = data.join(file);
        if path.exists() {
            assert_eq!(mode(&path), 0o600, "{file}");
        }
    }
    // A generated key, then made readable by others: refused with a sentence.
    let keyed = root.path().join("keyed");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_webim-server"))
        .args(["--data", &keyed.display().to_string(), "usersig", "someone"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let key = keyed.join("secret-key");
    assert_eq!(mode(&key), 0o600);
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_webim-server"))
        .args(["--data", &keyed.display().to_string(), "usersig", "someone"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("chmod 600"), "{err}");
}

#[test]
fn test_weak_passwords_are_refused_with_the_reason() {
    let bob = AccountId::new("bob").unwrap();
    for (weak, why) in [
        ("password", "common"),
        ("        ", "8 characters"),
        ("  short  ", "8 characters"),
        ("abababab", "repeated"),
        ("QWERTYUIOP", "common"),
        ("bob-is-great", "identifier"),
    ] {
        let refused = check_new_password(weak, &bob).unwrap_err().to_string();
        assert!(refused.contains(why), "{weak:?}: {refused}");
    }
    assert!(check_new_password("correct horse battery", &bob).is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_sig_minted_far_ahead_or_for_a_century_is_refused() {
    let s = TestServer::start().await;
    let s = &s;
    let call = |sig: String| {
        let url = s.url_with(
            Command::GetMsg,
            &format!("identifier={PEAKER}&usersig={sig}"),
        );
        async move { s.post(&url, getmsg()).await }
    };
    let ahead = s.key.mint(PEAKER, now() + 10 * 365 * 86_400, 3600);
    let century = s.key.mint(PEAKER, now(), 100 * 365 * 86_400);
    for (what, sig) in [("ahead", ahead), ("a century", century)] {
        let (status, answer) = call(sig).await;
        assert_eq!(
            (status, answer["ErrorCode"].as_i64()),
            (StatusCode::UNAUTHORIZED, Some(70003)),
            "{what}: {answer}"
        );
    }
    let (status, _) = call(s.key.mint(PEAKER, now() + 60, 3600)).await;
    assert_eq!(status, StatusCode::OK, "a clock a minute ahead is fine");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_logout_and_a_revoke_end_every_earlier_sig() {
    let s = TestServer::start().await;
    let old = s.key.mint(PEAKER, now() - 10, 3600);
    let other_device = s.key.mint(PEAKER, now() - 5, 3600);
    let with = |sig: &str, command: Command| {
        s.url_with(command, &format!("identifier={PEAKER}&usersig={sig}"))
    };
    assert_eq!(
        s.post(&with(&old, Command::GetMsg), getmsg()).await.0,
        StatusCode::OK
    );
    let (_, out) = s.post(&with(&old, Command::Logout), "{}".to_owned()).await;
    assert_eq!(out["ActionStatus"], "OK", "{out}");
    for sig in [&old, &other_device] {
        let (_, answer) = s.post(&with(sig, Command::GetMsg), getmsg()).await;
        assert_eq!(answer["ErrorCode"], 70001, "{answer}");
    }
    let fresh = s.key.mint(PEAKER, now(), 3600);
    let (_, answer) = s.post(&with(&fresh, Command::GetMsg), getmsg()).await;
    assert_eq!(answer["ActionStatus"], "OK", "a new login works: {answer}");

    // The operator's revoke (a password change does the same).
    let peaker = AccountId::new(PEAKER).unwrap();
    let service = s.state.backend().service();
    let later = webim_proto::Timestamp(now() + 1);
    service.end_credentials(&peaker, later).await.unwrap();
    let (_, answer) = s.post(&with(&fresh, Command::GetMsg), getmsg()).await;
    assert_eq!(answer["ErrorCode"], 70001, "{answer}");
    s.stop().await;
}

/// The binary's `account revoke` and `account passwd` end what was issued before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_account_revoke_from_the_command_line_ends_a_sig() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| command(dir.path()).args(args).output().unwrap();
    assert!(run(&["account", "import", "eve"]).status.success());
    let out = run(&["usersig", "eve", "--expire", "1h"]);
    let sig = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let out = run(&["account", "revoke", "eve"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = Binary::start(dir.path(), &[]).await;
    let url = format!(
        "{}/v4/openim/getmsg?identifier=eve&usersig={sig}&sdkappid={}&contenttype=json",
        server.base,
        crate::harness::APP_ID
    );
    let text = crate::harness::text_of(reqwest::Client::new().post(url).body(getmsg())).await;
    let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(answer["ErrorCode"], 70001, "{answer}");
}
