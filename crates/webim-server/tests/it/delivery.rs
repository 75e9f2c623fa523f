//! Long polls and delivery: woken by a send long before their timeout, empty at their
//! timeout, and 1,000 messages from four concurrent senders arriving exactly once, in each
//! sender's order, through a cursor that never skips.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use webim_proto::Command;

use crate::harness::{A16, A17, A18, A19, PEAKER, TestServer, text_msg, text_of};

fn poll_body(notify: u64, notice: u64, timeout: u64) -> Value {
    json!({"Timeout": timeout, "Cookie": {"NotifySeq": notify, "NoticeSeq": notice}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_held_long_poll_is_woken_by_a_send_and_empty_at_its_timeout() {
    let s = TestServer::start().await;
    let started = Instant::now();
    let empty = s.ok(PEAKER, Command::LongPolling, poll_body(0, 0, 1)).await;
    let waited = started.elapsed();
    assert_eq!(empty["EventArray"], json!([]), "nothing happened: {empty}");
    assert!(
        waited >= Duration::from_millis(900),
        "held to its timeout: {waited:?}"
    );

    let poll = s.ok(PEAKER, Command::LongPolling, poll_body(0, 0, 30));
    let send = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let metrics = s.get_text("/metrics").await;
        assert!(
            metrics.contains("webim_longpolls_held 1\n"),
            "the poll is counted as held: {metrics}"
        );
        s.ok(
            A16,
            Command::SendMsg,
            text_msg(A16, PEAKER, 1, 1, "wake up"),
        )
        .await;
        Instant::now()
    };
    let (answer, sent_at) = tokio::join!(poll, send);
    let woken_after = sent_at.elapsed();
    assert_eq!(answer["EventArray"][0]["Event"], 1, "{answer}");
    assert!(
        woken_after < Duration::from_secs(5),
        "woken by the send, not its 30 s timeout ({woken_after:?} after the send was answered)"
    );
    println!("long poll answered {woken_after:?} after the send's answer");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_wake_up_reaches_only_the_accounts_a_write_concerns() {
    let s = TestServer::start().await;
    let bystander = s.ok(A18, Command::LongPolling, poll_body(0, 0, 2));
    let send = s.ok(
        A16,
        Command::SendMsg,
        text_msg(A16, PEAKER, 1, 1, "not for A18"),
    );
    let (bystander, _) = tokio::join!(bystander, send);
    assert_eq!(
        bystander["EventArray"],
        json!([]),
        "A18 heard nothing: {bystander}"
    );
    s.stop().await;
}

/// Pulls everything after `cookie`; checks the cursor moves by exactly the messages pulled.
async fn pull(s: &TestServer, cookie: &mut u64, got: &mut Vec<Value>) {
    loop {
        let page = s
            .ok(
                PEAKER,
                Command::GetMsg,
                json!({"Cookie": cookie.to_string()}),
            )
            .await;
        let msgs = page["MsgList"].as_array().unwrap().clone();
        let next: u64 = page["Cookie"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            next,
            *cookie + msgs.len() as u64,
            "the cursor moves by exactly what was pulled (no gap, no skip)"
        );
        *cookie = next;
        got.extend(msgs);
        if page["SyncFlag"] != 1 {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_thousand_messages_from_four_senders_arrive_once_and_in_order() {
    const EACH: u64 = 250;
    let s = TestServer::start().await;
    let senders = [A16, A17, A18, A19];
    let sending = async {
        let mut tasks = tokio::task::JoinSet::new();
        for sender in senders {
            let (client, base) = (s.client.clone(), s.url(sender, Command::SendMsg));
            tasks.spawn(async move {
                for seq in 1..=EACH {
                    let body = text_msg(sender, PEAKER, seq, 9, &format!("{sender} #{seq}"));
                    let text = text_of(client.post(&base).body(body.to_string())).await;
                    assert!(text.contains("\"OK\""), "{sender} #{seq}: {text}");
                }
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.unwrap();
        }
    };
    let receiving = async {
        let (mut cookie, mut poll_seq, mut got) = (0u64, 0u64, Vec::new());
        let deadline = Instant::now() + Duration::from_secs(120);
        while (got.len() as u64) < EACH * 4 && Instant::now() < deadline {
            let answer = s
                .ok(PEAKER, Command::LongPolling, poll_body(poll_seq, 0, 10))
                .await;
            poll_seq = answer["Cookie"]["NotifySeq"].as_u64().unwrap();
            pull(&s, &mut cookie, &mut got).await;
        }
        got
    };
    let ((), got) = tokio::join!(sending, receiving);
    assert_eq!(
        got.len() as u64,
        EACH * 4,
        "every message arrived, none twice"
    );
    let mut last: BTreeMap<String, u64> = BTreeMap::new();
    for msg in &got {
        let from = msg["From_Account"].as_str().unwrap().to_owned();
        let seq = msg["MsgSeq"].as_u64().unwrap();
        let before = last.insert(from.clone(), seq).unwrap_or(0);
        assert_eq!(
            seq,
            before + 1,
            "{from}'s messages arrive in order, none missing"
        );
    }
    assert_eq!(last.values().copied().collect::<Vec<_>>(), [EACH; 4]);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_readiness_and_the_metrics_a_load_balancer_and_prometheus_read() {
    let s = TestServer::start().await;
    let ready = s
        .client
        .get(format!("{}/readyz", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), reqwest::StatusCode::OK);
    assert_eq!(ready.text().await.unwrap(), "ready\n");
    s.ok(
        A16,
        Command::SendMsg,
        text_msg(A16, PEAKER, 1, 1, "counted"),
    )
    .await;
    let metrics = s.get_text("/metrics").await;
    for line in [
        "# TYPE webim_sends_total counter\nwebim_sends_total 1\n",
        "webim_transaction_retries_total 0\n",
        "# TYPE webim_wake_lag_seconds histogram\n",
        "webim_wake_lag_seconds_count 0\n",
    ] {
        assert!(metrics.contains(line), "{line:?} in {metrics}");
    }
    s.stop().await;
}
