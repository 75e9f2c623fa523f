//! The app behind a real `webim-server`: two separate browser profiles (no shared
//! IndexedDB or BroadcastChannel, two machines as far as the app can tell) chat through it
//! and ride out a server restart; ten tabs of one profile stay live; without demo mode the
//! login form is the way in.

use std::time::Duration;

use thirtyfour::prelude::*;
use webim_e2e::app::{login, say, screenshot, wait_for, wait_gone, wait_text, wait_title};
use webim_e2e::{Backend, Chromedriver, HarnessError, Site, open_window};

const WAIT: Duration = Duration::from_secs(20);
/// Long enough for a client's growing retry pauses after an outage.
const RECOVER: Duration = Duration::from_secs(60);

async fn open_chat(driver: &WebDriver, base: &str, peer: &str) -> Result<(), HarnessError> {
    driver.goto(format!("{base}/chat/{peer}")).await?;
    wait_for(driver, "#composer-input", WAIT).await?;
    Ok(())
}

async fn two_profiles(a: &WebDriver, b: &WebDriver, site: &mut Site) -> Result<(), HarnessError> {
    let base = site.url();
    login(a, &base, "qiyueluhuo2016").await?;
    login(b, &base, "peakerdong").await?;
    // A writes from its own machine; B, on its list, sees a badge.
    open_chat(a, &base, "peakerdong").await?;
    say(a, "从另一台电脑 [微笑]").await?;
    say(a, "第二条").await?;
    wait_text(
        b,
        "[data-peer=\"qiyueluhuo2016\"] .unread-badge",
        WAIT,
        |t| t == "2",
    )
    .await?;
    wait_title(b, "(2) WebIM", WAIT).await?;
    // B reads: the badge goes, and stays gone after a reload (the server keeps the read).
    wait_for(b, "[data-peer=\"qiyueluhuo2016\"]", WAIT)
        .await?
        .click()
        .await?;
    wait_text(b, "#message-list", WAIT, |t| t.contains("第二条")).await?;
    wait_for(b, "#message-list img.face[alt=\"[微笑]\"]", WAIT).await?;
    wait_gone(b, "[data-peer=\"qiyueluhuo2016\"] .unread-badge", WAIT).await?;
    b.refresh().await?;
    wait_text(b, "#message-list", WAIT, |t| t.contains("从另一台电脑")).await?;
    wait_title(b, "WebIM", WAIT).await?;
    say(b, "收到").await?;
    wait_text(a, "#message-list", WAIT, |t| t.contains("收到")).await?;

    // The server goes away mid-conversation: both sides say so; what A types waits.
    site.stop_server();
    wait_for(a, "#connection-banner", RECOVER).await?;
    say(a, "服务器不在的时候写的").await?;
    wait_text(a, "#message-list", WAIT, |t| {
        t.contains("服务器不在的时候写的")
    })
    .await?;
    wait_for(b, "#connection-banner", RECOVER).await?;
    screenshot(a, "server-offline").await?;

    // It comes back: the banners go, the waiting message arrives once, chat goes on.
    site.start_server()?;
    wait_gone(a, "#connection-banner", RECOVER).await?;
    wait_gone(b, "#connection-banner", RECOVER).await?;
    wait_text(b, "#message-list", RECOVER, |t| {
        t.contains("服务器不在的时候写的")
    })
    .await?;
    say(b, "又连上了").await?;
    wait_text(a, "#message-list", WAIT, |t| t.contains("又连上了")).await?;
    let shown = wait_for(b, "#message-list", WAIT).await?.text().await?;
    assert_eq!(
        shown.matches("服务器不在的时候写的").count(),
        1,
        "shown once: {shown}"
    );
    Ok(())
}

#[tokio::test]
async fn two_browser_profiles_chat_through_the_server_and_survive_its_restart() {
    let mut site = Site::start(Backend::Server).expect("start webim-server");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let a = open_window(&chromedriver, 1100, 760)
        .await
        .expect("profile A");
    let b = open_window(&chromedriver, 1100, 760)
        .await
        .expect("profile B");
    let result = two_profiles(&a, &b, &mut site).await;
    let (qa, qb) = (a.quit().await, b.quit().await);
    result.expect("the two-profile scenario");
    qa.expect("close A");
    qb.expect("close B");
}

/// Ten tabs: every test account in two of them. Each tab sends; every tab of the receiving
/// account sees it, although a browser keeps at most six connections to one host.
async fn ten_tabs(driver: &WebDriver, base: &str) -> Result<(), HarnessError> {
    const ACCOUNTS: [&str; 5] = [
        "peakerdong",
        "qiyueluhuo2016",
        "qiyueluhuo2017",
        "qiyueluhuo2018",
        "qiyueluhuo2019",
    ];
    let mut tabs = Vec::new();
    for i in 0..10 {
        let tab = if i == 0 {
            driver.window().await?
        } else {
            driver.new_window().await?
        };
        driver.switch_to_window(tab.clone()).await?;
        let me = ACCOUNTS[i % 5];
        let peer = ACCOUNTS[(i + 1) % 5];
        login(driver, base, me).await?;
        open_chat(driver, base, peer).await?;
        tabs.push((tab, me, peer));
    }
    for (i, (tab, _, _)) in tabs.iter().enumerate() {
        driver.switch_to_window(tab.clone()).await?;
        say(driver, &format!("tab{i}-says-hi")).await?;
    }
    // Each account's two tabs show both of its own tabs' messages in the open conversation,
    // and, live, an unread badge of 2 for its predecessor (who wrote from two tabs).
    for (i, (tab, _, _)) in tabs.iter().enumerate() {
        driver.switch_to_window(tab.clone()).await?;
        let own = [i % 5, i % 5 + 5];
        wait_text(driver, "#message-list", RECOVER, |t| {
            own.iter().all(|s| t.contains(&format!("tab{s}-says-hi")))
        })
        .await
        .map_err(|e| HarnessError::Timeout(format!("tab {i}'s own messages: {e}")))?;
        let sender = ACCOUNTS[(i + 4) % 5];
        let badge = format!("[data-peer=\"{sender}\"] .unread-badge");
        wait_text(driver, &badge, RECOVER, |t| t == "2")
            .await
            .map_err(|e| HarnessError::Timeout(format!("tab {i} hears {sender}: {e}")))?;
    }
    Ok(())
}

#[tokio::test]
async fn ten_tabs_of_one_profile_all_stay_live_and_can_send() {
    let site = Site::start(Backend::Server).expect("start webim-server");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let browser = open_window(&chromedriver, 900, 700)
        .await
        .expect("open Chromium");
    let result = ten_tabs(&browser, &site.url()).await;
    let quit = browser.quit().await;
    result.expect("ten tabs");
    quit.expect("close Chromium");
}

async fn login_form(driver: &WebDriver, site: &Site) -> Result<(), HarnessError> {
    let base = site.url();
    driver.goto(&base).await?;
    wait_for(driver, "#login-form", WAIT).await?;
    assert!(
        driver
            .find_all(By::Css("li[data-account]"))
            .await?
            .is_empty(),
        "no demo picker"
    );
    screenshot(driver, "login-form").await?;
    let fill = |who: &'static str, password: &'static str| async move {
        let account = wait_for(driver, "#login-account", WAIT).await?;
        account.clear().await?;
        account.send_keys(who).await?;
        let secret = wait_for(driver, "#login-password", WAIT).await?;
        secret.clear().await?;
        secret.send_keys(password).await?;
        wait_for(driver, "#login-submit", WAIT)
            .await?
            .click()
            .await?;
        Ok::<(), HarnessError>(())
    };
    fill("alice", "not her password").await?;
    let error = wait_text(driver, "#login-error", WAIT, |t| !t.is_empty()).await?;
    assert!(error.text().await?.contains("账号或密码错误"));
    fill("alice", "a password of her own").await?;
    wait_for(driver, "#shell", WAIT).await?;
    wait_text(driver, "#my-name", WAIT, |t| t == "Alice").await?;
    // A reload keeps her logged in with the sig the server gave.
    driver.refresh().await?;
    wait_for(driver, "#shell", WAIT).await?;
    Ok(())
}

#[tokio::test]
async fn without_demo_mode_people_log_in_with_a_password() {
    let site = Site::server(false).expect("start webim-server --no-demo");
    site.server_command(
        &[
            "account", "add", "alice", "--nick", "Alice", "--gender", "female",
        ],
        "a password of her own\n",
    )
    .expect("add alice");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let browser = open_window(&chromedriver, 1024, 700)
        .await
        .expect("open Chromium");
    let result = login_form(&browser, &site).await;
    let quit = browser.quit().await;
    result.expect("the login form");
    quit.expect("close Chromium");
}
