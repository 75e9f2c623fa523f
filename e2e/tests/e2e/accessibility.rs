//! The accessibility gate: axe-core (pinned in package-lock.json) on every screen a person
//! meets — the login picker, a conversation with messages, the emoticon picker, friends
//! with a person found, requests both ways, a confirmation bar, the blacklist, a failed
//! send, the profile, the connection banner
//! — each in the light and the dark theme, at 1200 and at 360 px, for a browser that asks
//! for Chinese and for one that asks for English. Any serious or critical violation fails
//! the test, and every one found is listed.

use std::time::Duration;

use thirtyfour::prelude::*;
use webim_e2e::app::{login, wait_for, wait_text};
use webim_e2e::axe::audit;
use webim_e2e::{Backend, Chromedriver, HarnessError, Site, open_window_in};

const WAIT: Duration = Duration::from_secs(20);
async fn click(driver: &WebDriver, css: &str) -> Result<(), HarnessError> {
    wait_for(driver, css, WAIT).await?.click().await?;
    Ok(())
}

async fn screens(driver: &WebDriver, base: &str) -> Result<Vec<String>, HarnessError> {
    let mut found = Vec::new();
    let a = driver.window().await?;
    driver.goto(base).await?;
    wait_for(driver, "li[data-account]", WAIT).await?;
    audit(driver, "login picker", &mut found).await?;

    // 2018 finds 2016 and asks to be friends.
    login(driver, base, "qiyueluhuo2018").await?;
    click(driver, "#nav-friends").await?;
    let input = wait_for(driver, "#add-friend-id", WAIT).await?;
    input.send_keys("qiyueluhuo2016").await?;
    click(driver, "#add-friend-search").await?;
    wait_text(driver, "#add-friend-result", WAIT, |t| {
        t.contains("qiyueluhuo2016")
    })
    .await?;
    audit(driver, "friends, a person found", &mut found).await?;
    click(driver, "#add-friend-send").await?;
    wait_for(driver, "#add-friend-message", WAIT).await?;
    click(driver, "#nav-requests").await?;
    audit(driver, "requests sent", &mut found).await?;

    // 2016, in a second window, has the request, a conversation, its friends and profile.
    let b = driver.new_window().await?;
    driver.switch_to_window(b).await?;
    login(driver, base, "qiyueluhuo2016").await?;
    click(driver, "#nav-requests").await?;
    wait_for(
        driver,
        "#requests-in [data-request=\"qiyueluhuo2018\"]",
        WAIT,
    )
    .await?;
    audit(driver, "requests received", &mut found).await?;

    driver.goto(format!("{base}/chat/peakerdong")).await?;
    let composer = wait_for(driver, "#composer-input", WAIT).await?;
    composer.send_keys("你好 [微笑]").await?;
    composer.send_keys(Key::Enter).await?;
    composer.send_keys("第二条消息").await?;
    composer.send_keys(Key::Enter).await?;
    wait_text(driver, "#message-list", WAIT, |t| t.contains("第二条消息")).await?;
    audit(driver, "conversation", &mut found).await?;
    click(driver, "#emoticon-toggle").await?;
    wait_for(driver, "#emoticon-picker", WAIT).await?;
    audit(driver, "emoticon picker", &mut found).await?;
    click(driver, "#emoticon-toggle").await?;

    click(driver, "#nav-friends").await?;
    click(
        driver,
        "li:has([data-friend=\"peakerdong\"]) [data-action=\"block\"]",
    )
    .await?;
    wait_for(driver, "[role=alertdialog]", WAIT).await?;
    audit(driver, "confirmation bar", &mut found).await?;
    click(driver, "[role=alertdialog] .confirm").await?;
    click(driver, "#nav-blacklist").await?;
    wait_for(driver, "[data-blocked=\"peakerdong\"]", WAIT).await?;
    audit(driver, "blacklist", &mut found).await?;
    // A message to someone on one's blacklist is refused: a failed send, with its retry.
    driver.goto(format!("{base}/chat/peakerdong")).await?;
    let composer = wait_for(driver, "#composer-input", WAIT).await?;
    composer.send_keys("发不出去").await?;
    composer.send_keys(Key::Enter).await?;
    wait_for(driver, "#message-list .failed", WAIT).await?;
    audit(driver, "a failed send", &mut found).await?;
    click(driver, "#nav-profile").await?;
    wait_for(driver, "#profile-nick", WAIT).await?;
    audit(driver, "profile", &mut found).await?;
    driver.switch_to_window(a).await?;
    Ok(found)
}

#[tokio::test]
async fn every_screen_passes_axe_in_both_themes_widths_and_languages() {
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let mut found = Vec::new();
    for languages in ["zh-CN,zh", "en-US,en"] {
        // A fresh site each time: the walk's friend request and blacklisting start over.
        let site = Site::start(Backend::Static).expect("serve dist/");
        let driver = open_window_in(&chromedriver, 1200, 800, languages)
            .await
            .expect("open Chromium");
        let result = screens(&driver, &site.url()).await;
        let quit = driver.quit().await;
        let lang = languages.split(',').next().unwrap_or_default();
        found.extend(
            result
                .expect("walk every screen")
                .into_iter()
                .map(|line| format!("{lang}: {line}")),
        );
        quit.expect("close Chromium");
    }
    assert!(
        found.is_empty(),
        "{} serious or critical accessibility violations:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// The connection banner, behind a server that has gone away, with a message waiting.
async fn banner(driver: &WebDriver, site: &mut Site) -> Result<Vec<String>, HarnessError> {
    let base = site.url();
    login(driver, &base, "qiyueluhuo2017").await?;
    driver.goto(format!("{base}/chat/peakerdong")).await?;
    wait_for(driver, "#composer-input", WAIT).await?;
    site.stop_server();
    wait_for(driver, "#connection-banner", Duration::from_secs(60)).await?;
    let composer = wait_for(driver, "#composer-input", WAIT).await?;
    composer.send_keys("等网络回来").await?;
    composer.send_keys(Key::Enter).await?;
    wait_text(driver, "#message-list", WAIT, |t| t.contains("等网络回来")).await?;
    let mut found = Vec::new();
    audit(driver, "connection banner, a send waiting", &mut found).await?;
    Ok(found)
}

#[tokio::test]
async fn the_connection_banner_passes_axe() {
    let mut site = Site::start(Backend::Server).expect("start webim-server");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let driver = open_window_in(&chromedriver, 1200, 800, "zh-CN,zh")
        .await
        .expect("open Chromium");
    let result = banner(&driver, &mut site).await;
    let quit = driver.quit().await;
    let found = result.expect("the banner");
    quit.expect("close Chromium");
    assert!(found.is_empty(), "{}", found.join("\n"));
}
