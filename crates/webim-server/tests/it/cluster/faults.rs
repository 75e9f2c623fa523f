//! Faults under traffic, on private PostgreSQL and NATS servers this test can stop: a
//! process killed with SIGKILL, the bus stopped and started, the database restarted.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use webim_proto::Command;

use super::{PROBES, USERS, cluster_of, heard, three_nodes, traffic};
use crate::harness::text_msg;

/// Waits until `acked` reaches `n`.
async fn until(acked: &AtomicU64, n: u64) {
    while acked.load(Ordering::SeqCst) < n {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_killed_process_and_a_restarted_bus_lose_nothing_and_deliver_once() {
    let _turn = super::nodes::TURN.lock().await;
    const EACH: u64 = 100;
    let total = EACH * USERS as u64;
    let c = three_nodes(true).await;
    let faults = Arc::clone(&c);
    let outage = Arc::new(std::sync::Mutex::new(None));
    let seen = Arc::clone(&outage);
    traffic(Arc::clone(&c), EACH, move |acked| async move {
        until(&acked, total / 4).await;
        faults.kill_node(2);
        let at_kill = acked.load(Ordering::SeqCst);
        assert!(at_kill < total, "the kill came mid-stream");

        until(&acked, total / 2).await;
        faults
            .services
            .nats
            .lock()
            .unwrap()
            .as_mut()
            .unwrap()
            .stop();
        // With no bus, a delivery waits for the long poll's own re-check (3 s).
        let [a, b] = PROBES;
        let (lag, answer) = heard(&faults, 1, b, async {
            faults
                .on(0, a, Command::SendMsg, &text_msg(a, b, 1, 1, "no bus"))
                .await;
        })
        .await;
        *seen.lock().unwrap() = Some((lag, answer));
        faults
            .services
            .nats
            .lock()
            .unwrap()
            .as_mut()
            .unwrap()
            .start_again()
            .unwrap();
    })
    .await;
    let (lag, answer) = outage.lock().unwrap().take().unwrap();
    assert_eq!(answer["EventArray"][0]["Event"], 1, "{answer}");
    assert!(
        lag < Duration::from_secs(5),
        "without the bus a message still arrives within the re-check bound: {lag:?}"
    );

    // The bus is back: hints flow again, well within a second.
    let deadline = Instant::now() + Duration::from_secs(20);
    let [a, b] = PROBES;
    let mut seq = 2;
    loop {
        let (lag, _) = heard(&c, 0, b, async {
            c.on(1, a, Command::SendMsg, &text_msg(a, b, seq, 1, "bus back"))
                .await;
        })
        .await;
        if lag < Duration::from_secs(1) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "hints flow again after a restart"
        );
        seq += 1;
    }
    c.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_database_restart_gives_errors_clients_retry_and_loses_nothing() {
    let _turn = super::nodes::TURN.lock().await;
    const EACH: u64 = 50;
    let total = EACH * USERS as u64;
    let c = cluster_of(2, true).await;
    let faults = Arc::clone(&c);
    let retried = traffic(Arc::clone(&c), EACH, move |acked| async move {
        until(&acked, total / 3).await;
        let services = &faults.services;
        services.postgres.lock().unwrap().as_mut().unwrap().stop();
        tokio::time::sleep(Duration::from_secs(2)).await;
        let restarted = tokio::task::block_in_place(|| {
            services
                .postgres
                .lock()
                .unwrap()
                .as_mut()
                .unwrap()
                .start_again()
        });
        restarted.unwrap();
        assert!(
            acked.load(Ordering::SeqCst) < total,
            "the restart came mid-stream"
        );
    })
    .await;
    assert!(
        retried > 0,
        "clients saw errors while the database was away, and retried"
    );
    c.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_sigterm_answers_held_long_polls_at_once_and_the_process_exits() {
    let _turn = super::nodes::TURN.lock().await;
    let c = cluster_of(2, false).await;
    let [_, b] = PROBES;
    let (notify, notice) = c.settled_cookie(1, b).await;
    let body = super::nodes::poll_body(notify, notice, 10);
    let poll = c.on(1, b, Command::LongPolling, &body);
    let stop = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let asked = Instant::now();
        let status = c.terminate_node(1, Duration::from_secs(10)).await;
        (asked, status)
    };
    let (answer, (asked, status)) = tokio::join!(poll, stop);
    assert_eq!(answer["EventArray"], serde_json::json!([]), "{answer}");
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "the held poll was answered and the process stopped soon after SIGTERM"
    );
    assert!(
        status.is_some_and(|s| s.success()),
        "a clean exit: {status:?}"
    );
    c.stop();
}
