//! Desktop notifications with the permission granted: turned on in the profile panel, a
//! message to a hidden tab shows one notification (the sender's nick, the text with the
//! emoticon's name); clicking it opens the conversation; a muted conversation or a blocked
//! sender shows none.
//!
//! The notifications are read where the browser keeps them (the service worker
//! registration's `getNotifications()`, from the sender's tab of the same origin, so the
//! receiver's tab stays hidden). A headless browser has no notification to click with a
//! mouse: the click is the `notificationclick` event raised in the app's service worker
//! with the real notification, over DevTools.

use std::time::{Duration, Instant};

use serde_json::Value;
use thirtyfour::prelude::*;
use webim_e2e::app::{login, say, wait_controlled, wait_for, wait_text};
use webim_e2e::devtools::Devtools;
use webim_e2e::{Backend, Chromedriver, HarnessError, Site, open_window_with_devtools};

const WAIT: Duration = Duration::from_secs(20);
/// How long the first notification may take: the receiver's tab is hidden, and on a cold,
/// busy machine a hidden tab's work waits behind the visible one's.
const FIRST: Duration = Duration::from_secs(45);
/// How long "nothing shows" is watched.
const QUIET: Duration = Duration::from_secs(3);

/// The notifications shown for this origin now, as `[title, body, tag]`.
async fn shown(driver: &WebDriver) -> Result<Vec<Vec<String>>, HarnessError> {
    let list = driver
        .execute(
            "return navigator.serviceWorker.ready.then(r => r.getNotifications())
                .then(ns => ns.map(n => [n.title, n.body, n.tag]));",
            Vec::new(),
        )
        .await?;
    Ok(serde_json::from_value(list.json().clone()).unwrap_or_default())
}

async fn wait_shown(driver: &WebDriver, limit: Duration) -> Result<Vec<Vec<String>>, HarnessError> {
    let started = Instant::now();
    loop {
        let now = shown(driver).await?;
        if !now.is_empty() {
            // A second one (a duplicate) would come right after.
            tokio::time::sleep(Duration::from_millis(800)).await;
            return shown(driver).await;
        }
        if started.elapsed() > limit {
            return Err(HarnessError::Timeout("a notification".to_owned()));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn close_all(driver: &WebDriver) -> Result<(), HarnessError> {
    driver
        .execute(
            "return navigator.serviceWorker.ready.then(r => r.getNotifications())
                .then(ns => ns.forEach(n => n.close()));",
            Vec::new(),
        )
        .await?;
    Ok(())
}

async fn click(driver: &WebDriver, css: &str) -> Result<(), HarnessError> {
    wait_for(driver, css, WAIT).await?.click().await?;
    Ok(())
}

async fn quiet(driver: &WebDriver, why: &str) -> Result<(), HarnessError> {
    tokio::time::sleep(QUIET).await;
    let now = shown(driver).await?;
    assert!(now.is_empty(), "{why}: {now:?}");
    Ok(())
}

async fn notifications(driver: &WebDriver, base: &str, port: u16) -> Result<(), HarnessError> {
    driver
        .cdp()
        .send_raw(
            "Browser.grantPermissions",
            serde_json::json!({"origin": base, "permissions": ["notifications"]}),
        )
        .await?;
    // The receiver turns notifications on, then looks at the conversation list.
    let receiver = driver.window().await?;
    login(driver, base, "peakerdong").await?;
    wait_controlled(driver, WAIT).await?;
    click(driver, "#nav-profile").await?;
    click(driver, "#notify-toggle").await?;
    wait_for(driver, "#notify-toggle:checked", WAIT).await?;
    click(driver, "#nav-chats").await?;
    driver
        .execute(
            "window.seen = []; document.addEventListener('visibilitychange',
                () => window.seen.push(document.visibilityState));",
            Vec::new(),
        )
        .await?;

    // The sender's tab comes to the front: the receiver's is hidden.
    let sender = driver.new_tab().await?;
    driver.switch_to_window(sender.clone()).await?;
    login(driver, base, "qiyueluhuo2016").await?;
    driver.goto(format!("{base}/chat/peakerdong")).await?;
    wait_for(driver, "#emoticon-toggle", WAIT)
        .await?
        .click()
        .await?;
    click(driver, "#emoticon-picker button[data-name=\"[微笑]\"]").await?;
    say(driver, " 在吗").await?;
    let Ok(one) = wait_shown(driver, FIRST).await else {
        // What the receiver's tab saw, for whoever reads the failure.
        driver.switch_to_window(receiver.clone()).await?;
        let seen = driver
            .execute(
                // `window.seen`: the visibility changes heard while it was in the back
                // (its state now says nothing: switching to it made it visible).
                "const row = document.querySelector('[data-peer=\"qiyueluhuo2016\"]');
                 return [row ? row.textContent : 'no row',
                         String(!!navigator.serviceWorker.controller),
                         Notification.permission, (window.seen || []).join(' then ')];",
                Vec::new(),
            )
            .await?;
        return Err(HarnessError::Timeout(format!(
            "a notification; the receiver's tab saw {}",
            seen.json()
        )));
    };
    assert_eq!(
        one,
        vec![vec![
            "七月流火2016".to_owned(),
            "[微笑] 在吗".to_owned(),
            "webim:peakerdong:qiyueluhuo2016".to_owned()
        ]]
    );

    // The person clicks it: the receiver's tab opens the conversation.
    let mut devtools = Devtools::connect(port).await?;
    let clicked = devtools
        .in_service_worker(
            base,
            "self.registration.getNotifications().then(ns => { ns.forEach(n =>
                self.dispatchEvent(new NotificationEvent('notificationclick', {notification: n})));
                return ns.length; })",
        )
        .await?;
    assert_eq!(clicked, Value::from(1));
    assert!(
        shown(driver).await?.is_empty(),
        "a clicked notification closes"
    );
    driver.switch_to_window(receiver.clone()).await?;
    let seen = driver.execute("return window.seen;", Vec::new()).await?;
    assert_eq!(seen.json()[0], "hidden", "the receiver's tab was hidden");
    wait_text(driver, "#chat-title", WAIT, |t| t == "七月流火2016").await?;
    assert!(
        driver
            .current_url()
            .await?
            .path()
            .ends_with("/chat/qiyueluhuo2016")
    );

    // Muted: the message arrives, unread, and nothing shows.
    click(driver, "#mute-toggle").await?;
    wait_for(driver, "#mute-toggle[aria-pressed=\"true\"]", WAIT).await?;
    click(driver, "#nav-chats").await?;
    wait_for(driver, "[data-peer=\"qiyueluhuo2016\"] .muted", WAIT).await?;
    driver.switch_to_window(sender.clone()).await?;
    say(driver, "静音了吗").await?;
    quiet(driver, "a muted conversation").await?;
    driver.switch_to_window(receiver.clone()).await?;
    wait_text(driver, "[data-peer=\"qiyueluhuo2016\"]", WAIT, |t| {
        t.contains("静音了吗")
    })
    .await?;
    assert!(shown(driver).await?.is_empty(), "muted, even once visible");

    // Unmuted but blocked: nothing arrives and nothing shows.
    driver.goto(format!("{base}/chat/qiyueluhuo2016")).await?;
    click(driver, "#mute-toggle[aria-pressed=\"true\"]").await?;
    wait_for(driver, "#mute-toggle[aria-pressed=\"false\"]", WAIT).await?;
    click(driver, "#nav-blacklist").await?;
    wait_for(driver, "#block-id", WAIT)
        .await?
        .send_keys("qiyueluhuo2016")
        .await?;
    click(driver, "#block-submit").await?;
    wait_for(driver, "[data-blocked=\"qiyueluhuo2016\"]", WAIT).await?;
    driver.switch_to_window(sender).await?;
    say(driver, "拉黑以后").await?;
    wait_text(driver, "#message-list .failed", WAIT, |t| !t.is_empty()).await?;
    quiet(driver, "a blocked sender").await?;
    close_all(driver).await?;
    Ok(())
}

#[tokio::test]
async fn a_message_to_a_hidden_tab_notifies_once_and_the_click_opens_it() {
    let site = Site::start(Backend::Static).expect("serve dist/");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let (driver, port) = open_window_with_devtools(&chromedriver, 1100, 760)
        .await
        .expect("open Chromium");
    let result = notifications(&driver, &site.url(), port).await;
    let quit = driver.quit().await;
    result.expect("notifications");
    quit.expect("close Chromium");
}
