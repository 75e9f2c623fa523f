//! Two browser profiles, each talking to a different `webim-server` process (two ports,
//! as two front doors), the processes sharing one PostgreSQL database and one NATS bus:
//! a conversation goes live from one to the other, both ways, with the unread badge.

use std::time::Duration;

use thirtyfour::prelude::*;
use webim_e2e::app::{login, say, wait_for, wait_text};
use webim_e2e::{Chromedriver, HarnessError, Site, open_window};

const WAIT: Duration = Duration::from_secs(20);

async fn across(a: &WebDriver, b: &WebDriver, sites: &[Site]) -> Result<(), HarnessError> {
    let (base_a, base_b) = (sites[0].url(), sites[1].url());
    login(a, &base_a, "qiyueluhuo2017").await?;
    login(b, &base_b, "peakerdong").await?;
    a.goto(format!("{base_a}/chat/peakerdong")).await?;
    say(a, "我在一号服务器").await?;
    // B, on the other process, sees the badge live (woken through the bus), then reads.
    wait_text(
        b,
        "[data-peer=\"qiyueluhuo2017\"] .unread-badge",
        WAIT,
        |t| t == "1",
    )
    .await?;
    wait_for(b, "[data-peer=\"qiyueluhuo2017\"]", WAIT)
        .await?
        .click()
        .await?;
    wait_text(b, "#message-list", WAIT, |t| t.contains("我在一号服务器")).await?;
    say(b, "我在二号服务器").await?;
    wait_text(a, "#message-list", WAIT, |t| t.contains("我在二号服务器")).await?;
    for i in 1..=3 {
        say(a, &format!("来回第{i}条")).await?;
        wait_text(b, "#message-list", WAIT, |t| {
            t.contains(&format!("来回第{i}条"))
        })
        .await?;
    }
    webim_e2e::app::screenshot(b, "two-servers").await?;
    Ok(())
}

#[tokio::test]
async fn two_profiles_on_two_server_processes_chat_live() {
    let sites = Site::cluster(2).expect("two webim-server processes on PostgreSQL and NATS");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let a = open_window(&chromedriver, 1100, 760)
        .await
        .expect("profile A");
    let b = open_window(&chromedriver, 1100, 760)
        .await
        .expect("profile B");
    let result = across(&a, &b, &sites).await;
    let (qa, qb) = (a.quit().await, b.quit().await);
    result.expect("chat across two processes");
    qa.expect("close A");
    qb.expect("close B");
}
