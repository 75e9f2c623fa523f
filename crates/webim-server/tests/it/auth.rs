//! userSigs at the door (each refusal with Tencent's code), password logins (right, wrong,
//! unknown, throttled, disabled) and the demo's one-click login.

use reqwest::StatusCode;
use serde_json::{Value, json};
use webim_proto::{AccountId, Command};
use webim_server::throttle;
use webim_server::usersig::SigKey;

use crate::harness::{APP_ID, KEY, PEAKER, TestServer, add_account, now, settings};

fn getmsg() -> String {
    json!({"Cookie": ""}).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_each_bad_sig_is_refused_with_tencents_code() {
    let s = TestServer::start().await;
    let other_key = SigKey::new(APP_ID, "not the server's key");
    let other_app = SigKey::new(APP_ID + 1, KEY);
    let cases: [(&str, String, i64); 6] = [
        ("missing", format!("identifier={PEAKER}"), 70002),
        (
            "malformed",
            format!("identifier={PEAKER}&usersig=abc*def"),
            70003,
        ),
        (
            "forged",
            format!(
                "identifier={PEAKER}&usersig={}",
                other_key.mint(PEAKER, now(), 60)
            ),
            70009,
        ),
        (
            "expired",
            format!(
                "identifier={PEAKER}&usersig={}",
                s.key.mint(PEAKER, now() - 120, 60)
            ),
            70001,
        ),
        (
            "another identity's",
            format!("identifier={PEAKER}&usersig={}", s.sig("qiyueluhuo2016")),
            70013,
        ),
        (
            "another app's",
            format!(
                "identifier={PEAKER}&usersig={}",
                other_app.mint(PEAKER, now(), 60)
            ),
            70014,
        ),
    ];
    for (what, query, code) in cases {
        let (status, answer) = s.post(&s.url_with(Command::GetMsg, &query), getmsg()).await;
        assert_eq!(
            (status, answer["ErrorCode"].as_i64()),
            (StatusCode::UNAUTHORIZED, Some(code)),
            "{what}: {answer}"
        );
        assert_eq!(answer["ActionStatus"], "FAIL");
        assert!(
            !answer["ErrorInfo"].as_str().unwrap().is_empty(),
            "{what}: a sentence"
        );
    }
    let wrong_app = format!(
        "{}/v4/openim/getmsg?identifier={PEAKER}&usersig={}&sdkappid=42",
        s.base,
        s.sig(PEAKER)
    );
    let (status, answer) = s.post(&wrong_app, getmsg()).await;
    assert_eq!(
        (status, answer["ErrorCode"].as_i64()),
        (StatusCode::UNAUTHORIZED, Some(70020))
    );
    s.stop().await;
}

async fn login(s: &TestServer, id: &str, password: &str) -> (StatusCode, Value) {
    let body = json!({"Identifier": id, "Password": password}).to_string();
    s.post(&format!("{}/login", s.base), body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_password_login_answers_a_working_sig_and_refusals_say_nothing_more() {
    let s = TestServer::start().await;
    add_account(&s, "alice", "correct horse battery").await;
    let (status, signed) = login(&s, "alice", "correct horse battery").await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    let sig = signed["UserSig"].as_str().unwrap();
    let url = s.url_with(Command::GetMsg, &format!("identifier=alice&usersig={sig}"));
    assert_eq!(s.post(&url, getmsg()).await.1["ActionStatus"], "OK");

    let (wrong_status, wrong) = login(&s, "alice", "wrong password!").await;
    let (unknown_status, unknown) = login(&s, "nobody", "wrong password!").await;
    let (invalid_status, invalid) = login(&s, "not an id!", "wrong password!").await;
    assert_eq!(wrong_status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        (unknown_status, invalid_status),
        (wrong_status, wrong_status),
        "an unknown account is refused the same way"
    );
    assert_eq!(
        wrong, unknown,
        "the same answer whether or not the account exists"
    );
    assert_eq!(wrong, invalid);
    assert_eq!(wrong["ErrorCode"], 70401);
    // The test accounts have no password: no login with one.
    assert_eq!(
        login(&s, PEAKER, "anything at all").await.0,
        StatusCode::UNAUTHORIZED
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_failed_logins_are_throttled_per_account() {
    let s = TestServer::start().await;
    add_account(&s, "bob", "the right one!").await;
    for _ in 0..throttle::PER_ACCOUNT {
        assert_eq!(
            login(&s, "bob", "guess guess").await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    let response = s
        .client
        .post(format!("{}/login", s.base))
        .body(json!({"Identifier": "bob", "Password": "the right one!"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 0 && wait <= throttle::WINDOW.as_secs());
    let answer: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(answer["ErrorCode"], 70050, "even the right password waits");
    add_account(&s, "carol", "hers and only hers").await;
    assert_eq!(
        login(&s, "carol", "hers and only hers").await.0,
        StatusCode::OK,
        "other accounts are not held up"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_disabled_account_can_neither_log_in_nor_use_its_sig() {
    let s = TestServer::start().await;
    add_account(&s, "dave", "his own secret words").await;
    let sig = login(&s, "dave", "his own secret words").await.1["UserSig"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = AccountId::new("dave").unwrap();
    s.state
        .backend()
        .service()
        .set_disabled(&id, true)
        .await
        .unwrap();
    assert_eq!(
        login(&s, "dave", "his own secret words").await.0,
        StatusCode::UNAUTHORIZED
    );
    let url = s.url_with(Command::GetMsg, &format!("identifier=dave&usersig={sig}"));
    assert_eq!(s.post(&url, getmsg()).await.1["ErrorCode"], 70051);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_the_demo_login_works_only_in_demo_mode() {
    let s = TestServer::start().await;
    let body = json!({"Identifier": PEAKER}).to_string();
    let (status, signed) = s
        .post(&format!("{}/demo/login", s.base), body.clone())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(signed["SdkAppID"].as_u64(), Some(APP_ID));
    let stranger = json!({"Identifier": "alice"}).to_string();
    assert_eq!(
        s.post(&format!("{}/demo/login", s.base), stranger).await.0,
        StatusCode::NOT_FOUND
    );
    let config: Value = serde_json::from_str(&s.get_text("/webim/config").await).unwrap();
    assert_eq!(config["Demo"], true);
    s.stop().await;

    let mut off = settings();
    off.demo = false;
    let s = TestServer::start_with(off).await;
    let (status, answer) = s.post(&format!("{}/demo/login", s.base), body).await;
    assert_eq!(
        (status, answer["ErrorCode"].as_i64()),
        (StatusCode::NOT_FOUND, Some(60009))
    );
    s.stop().await;
}

/// Behind a trusted proxy the throttle counts the client named in `X-Forwarded-For`: one
/// person's failures do not lock out everyone else behind the same proxy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_behind_a_trusted_proxy_failed_logins_are_counted_per_client() {
    let mut settings = settings();
    settings.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    let s = TestServer::start_with(settings).await;
    let attempt = |who: String, client: &'static str| {
        let request = s
            .client
            .post(format!("{}/login", s.base))
            .header("X-Forwarded-For", format!("192.0.2.99, {client}"))
            .body(json!({"Identifier": who, "Password": "a wrong guess"}).to_string());
        async move { request.send().await.unwrap().status() }
    };
    for i in 0..throttle::PER_ADDRESS {
        assert_eq!(
            attempt(format!("nobody{i}"), "203.0.113.7").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        attempt("nobody_more".to_owned(), "203.0.113.7").await,
        StatusCode::TOO_MANY_REQUESTS,
        "that client is throttled"
    );
    assert_eq!(
        attempt("nobody_else".to_owned(), "198.51.100.2").await,
        StatusCode::UNAUTHORIZED,
        "another client behind the same proxy is not"
    );
    s.stop().await;
}
