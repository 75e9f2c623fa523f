//! The embedded backend across windows of one browser profile (so one IndexedDB, as tabs
//! of one origin): delivery, reload, concurrent writers, reads, and a killed worker; each
//! on both workers the service runs in (one SharedWorker for every tab, or the fallback of
//! a dedicated worker per tab that wakes the others through a BroadcastChannel).

use std::time::Duration;

use thirtyfour::prelude::*;
use webim_e2e::{
    Chromedriver, HarnessError, Lab, StaticServer, WorkerKind, choose_worker, dist_dir,
    open_window, percentile,
};

const A16: &str = "qiyueluhuo2016";
const A17: &str = "qiyueluhuo2017";
const PEAKER: &str = "peakerdong";

/// Runs `scenario` in a fresh browser (fresh profile, empty database) over the release
/// build with the service in a `kind` worker, closing the browser before reporting.
async fn in_browser<F, Fut>(kind: WorkerKind, scenario: F)
where
    F: FnOnce(WebDriver, String) -> Fut,
    Fut: Future<Output = Result<(), HarnessError>>,
{
    let server = StaticServer::start(&dist_dir()).expect("serve dist/");
    let driver = Chromedriver::start().expect("start chromedriver");
    let browser = open_window(&driver, 800, 600).await.expect("open Chromium");
    let chosen = choose_worker(&browser, &server.url(), kind).await;
    let result = match chosen {
        Ok(()) => scenario(browser.clone(), server.url()).await,
        Err(e) => Err(e),
    };
    let quit = browser.quit().await;
    result.expect("scenario");
    quit.expect("close Chromium");
}

fn numbered(prefix: &str, n: u32) -> Vec<String> {
    (1..=n).map(|i| format!("{prefix}{i}")).collect()
}

/// Checks that the lab runs on the worker asked for.
async fn on(kind: WorkerKind, lab: &Lab) -> Result<(), HarnessError> {
    assert_eq!(
        lab.worker().await?,
        kind.name(),
        "the service runs in that worker"
    );
    Ok(())
}

async fn two_hundred_messages(kind: WorkerKind, report_as: &'static str) {
    in_browser(kind, |driver, base| async move {
        let a = Lab::open_here(&driver, &base, A16, PEAKER).await?;
        let b = Lab::open_window(&driver, &base, PEAKER, A16).await?;
        on(kind, &b).await?;
        a.send(200, 15, "m").await?;
        b.wait_for_count(200, Duration::from_secs(60)).await?;
        assert_eq!(b.texts().await?, numbered("m", 200), "B: once each, in order");

        let latencies = b.latencies().await?;
        assert_eq!(latencies.len(), 200);
        let (p50, p99) = (percentile(&latencies, 50.0), percentile(&latencies, 99.0));
        let report = format!(
            "{{\"messages\": {}, \"delivery_ms_p50\": {p50:.2}, \"delivery_ms_p99\": {p99:.2}, \"max\": {:.2}}}",
            latencies.len(),
            percentile(&latencies, 100.0)
        );
        eprintln!("tab-to-tab delivery ({} worker): {report}", kind.name());
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
        let _ = std::fs::write(dir.join(report_as), report);

        a.wait_for("A's messages to be sent", Duration::from_secs(10), |lab| async move {
            Ok(lab.statuses().await?.iter().all(|s| s == "Sent"))
        })
        .await?;
        b.reload().await?;
        b.wait_for_count(200, Duration::from_secs(20)).await?;
        assert_eq!(b.texts().await?, numbered("m", 200), "after a reload: still exactly 200");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn two_hundred_messages_arrive_once_and_in_order_and_survive_a_reload() {
    two_hundred_messages(WorkerKind::Shared, "delivery.json").await;
}

#[tokio::test]
async fn two_hundred_messages_arrive_once_and_in_order_and_survive_a_reload_with_dedicated_workers()
{
    two_hundred_messages(WorkerKind::Dedicated, "delivery_fallback.json").await;
}

async fn three_writers(kind: WorkerKind) {
    in_browser(kind, |driver, base| async move {
        let senders = [
            Lab::open_here(&driver, &base, A16, PEAKER).await?,
            Lab::open_window(&driver, &base, A16, PEAKER).await?,
            Lab::open_window(&driver, &base, A16, PEAKER).await?,
        ];
        let receiver = Lab::open_window(&driver, &base, PEAKER, A16).await?;
        on(kind, &receiver).await?;
        for (lab, prefix) in senders.iter().zip(["a", "b", "c"]) {
            lab.send(40, 0, prefix).await?;
        }
        receiver
            .wait_for_count(120, Duration::from_secs(60))
            .await?;
        for window in senders.iter().chain([&receiver]) {
            window.wait_for_count(120, Duration::from_secs(30)).await?;
            let texts = window.texts().await?;
            assert_eq!(texts.len(), 120, "nothing lost or doubled: {texts:?}");
            for prefix in ["a", "b", "c"] {
                let mine: Vec<String> = texts
                    .iter()
                    .filter(|t| t.starts_with(prefix))
                    .cloned()
                    .collect();
                assert_eq!(
                    mine,
                    numbered(prefix, 40),
                    "{prefix}'s messages in the order sent"
                );
            }
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn three_windows_sending_at_once_lose_and_duplicate_nothing() {
    three_writers(WorkerKind::Shared).await;
}

#[tokio::test]
async fn three_windows_sending_at_once_lose_and_duplicate_nothing_with_dedicated_workers() {
    three_writers(WorkerKind::Dedicated).await;
}

async fn read_elsewhere(kind: WorkerKind) {
    in_browser(kind, |driver, base| async move {
        let a = Lab::open_here(&driver, &base, A17, PEAKER).await?;
        on(kind, &a).await?;
        let b1 = Lab::open_window(&driver, &base, PEAKER, A17).await?;
        let b2 = Lab::open_window(&driver, &base, PEAKER, A17).await?;
        a.send(3, 0, "hi").await?;
        for b in [&b1, &b2] {
            b.wait_for("3 unread", Duration::from_secs(20), |lab| async move {
                Ok(lab.unread().await? == 3)
            })
            .await?;
        }
        b1.read().await?;
        b1.wait_for("B1 to read", Duration::from_secs(10), |lab| async move {
            Ok(lab.unread().await? == 0)
        })
        .await?;
        b2.wait_for(
            "B2 to hear of the read",
            Duration::from_secs(10),
            |lab| async move { Ok(lab.unread().await? == 0) },
        )
        .await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_read_in_one_window_clears_the_unread_count_in_another() {
    read_elsewhere(WorkerKind::Shared).await;
}

#[tokio::test]
async fn a_read_in_one_window_clears_the_unread_count_in_another_with_dedicated_workers() {
    read_elsewhere(WorkerKind::Dedicated).await;
}

/// The browser kills the service's worker under a window (Android does, short of
/// memory): the next request starts a new one, and both sides carry on from their cookies
/// with nothing lost or doubled. A shared worker dies for every tab at once; the other
/// tab finds out when it stops answering.
async fn killed_worker(kind: WorkerKind) {
    in_browser(kind, |driver, base| async move {
        let a = Lab::open_here(&driver, &base, A17, A16).await?;
        let b = Lab::open_window(&driver, &base, A16, A17).await?;
        on(kind, &b).await?;
        a.send(5, 0, "before").await?;
        b.wait_for_count(5, Duration::from_secs(20)).await?;
        b.kill_worker().await?;
        a.send(5, 0, "after").await?;
        b.send(5, 0, "back").await?;
        let all: Vec<String> = numbered("before", 5)
            .into_iter()
            .chain(numbered("after", 5))
            .chain(numbered("back", 5))
            .collect();
        for (window, name) in [(&a, "A"), (&b, "B")] {
            if let Err(e) = window.wait_for_count(15, Duration::from_secs(60)).await {
                for (w, n) in [(&a, "A"), (&b, "B")] {
                    eprintln!(
                        "{n}: {:?} {:?} status {:?}",
                        w.texts().await?,
                        w.statuses().await?,
                        w.script(
                            "return document.querySelector('#lab-status').textContent",
                            vec![]
                        )
                        .await?
                    );
                }
                return Err(e);
            }
            let mut texts = window.texts().await?;
            texts.sort();
            let mut expected = all.clone();
            expected.sort();
            assert_eq!(
                texts, expected,
                "{name}: everything once, after the worker died"
            );
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_killed_shared_worker_is_restarted_and_every_tab_carries_on() {
    killed_worker(WorkerKind::Shared).await;
}

#[tokio::test]
async fn a_killed_dedicated_worker_is_restarted_and_its_tab_carries_on() {
    killed_worker(WorkerKind::Dedicated).await;
}
