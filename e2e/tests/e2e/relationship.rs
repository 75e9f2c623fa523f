//! The relationship chain in the app, live across windows (docs/protocol.md, "Relationship
//! chain"): a request asked and accepted-and-added, AllowAny and DenyAny, a blacklist that
//! stops messages until it is lifted (without bringing the friendship back), and a profile
//! change seen elsewhere.

use std::time::Duration;

use thirtyfour::prelude::*;
use webim_e2e::app::{login, screenshot, wait_for, wait_gone, wait_text};
use webim_e2e::{Backend, Chromedriver, HarnessError, Site, open_window};

const WAIT: Duration = Duration::from_secs(20);

async fn go(driver: &WebDriver, handle: &WindowHandle) -> Result<(), HarnessError> {
    Ok(driver.switch_to_window(handle.clone()).await?)
}

async fn click(driver: &WebDriver, css: &str) -> Result<(), HarnessError> {
    wait_for(driver, css, WAIT).await?.click().await?;
    Ok(())
}

async fn search(driver: &WebDriver, id: &str) -> Result<(), HarnessError> {
    click(driver, "#nav-friends").await?;
    let input = wait_for(driver, "#add-friend-id", WAIT).await?;
    input.click().await?;
    input.send_keys(Key::Control + "a").await?;
    input.send_keys(Key::Backspace).await?;
    input.send_keys(id).await?;
    click(driver, "#add-friend-search").await?;
    wait_text(driver, "#add-friend-result", WAIT, |t| t.contains(id)).await?;
    Ok(())
}

async fn friends(driver: &WebDriver) -> Result<Vec<String>, HarnessError> {
    click(driver, "#nav-friends").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut ids = Vec::new();
    for el in driver.find_all(By::Css("[data-friend]")).await? {
        ids.extend(el.attr("data-friend").await?);
    }
    Ok(ids)
}

async fn send(driver: &WebDriver, peer: &str, text: &str) -> Result<(), HarnessError> {
    let base = driver.current_url().await?;
    driver
        .goto(format!(
            "{}://{}/chat/{peer}",
            base.scheme(),
            base.authority()
        ))
        .await?;
    let input = wait_for(driver, "#composer-input", WAIT).await?;
    input.send_keys(text).await?;
    input.send_keys(Key::Enter).await?;
    Ok(())
}

async fn scenario(driver: WebDriver, base: String, shots: bool) -> Result<(), HarnessError> {
    let a = driver.window().await?;
    login(&driver, &base, "qiyueluhuo2018").await?;
    let b = driver.new_window().await?;
    go(&driver, &b).await?;
    login(&driver, &base, "qiyueluhuo2016").await?;

    // 2018 asks 2016, who needs to confirm: the wording comes prefilled.
    go(&driver, &a).await?;
    search(&driver, "qiyueluhuo2016").await?;
    wait_text(&driver, "#add-friend-result", WAIT, |t| {
        t.contains("七月流火2016") && t.contains("需要确认")
    })
    .await?;
    let wording = wait_for(&driver, "#add-friend-wording", WAIT).await?;
    assert_eq!(
        wording.prop("value").await?.as_deref(),
        Some("你好，我想和你成为朋友~~")
    );
    if shots {
        screenshot(&driver, "add-friend").await?;
    }
    click(&driver, "#add-friend-send").await?;
    wait_text(&driver, "#add-friend-message", WAIT, |t| {
        t == "好友申请已发送，等待对方确认"
    })
    .await?;

    // 2016 sees it live (a badge, then the request) and accepts and adds.
    go(&driver, &b).await?;
    wait_text(&driver, "#requests-badge", WAIT, |t| t == "1").await?;
    click(&driver, "#nav-requests").await?;
    wait_text(
        &driver,
        "#requests-in [data-request=\"qiyueluhuo2018\"]",
        WAIT,
        |t| t.contains("你好，我想和你成为朋友"),
    )
    .await?;
    if shots {
        screenshot(&driver, "requests").await?;
    }
    click(
        &driver,
        "#requests-in [data-request=\"qiyueluhuo2018\"] [data-action=\"AgreeAndAdd\"]",
    )
    .await?;
    wait_gone(&driver, "#requests-in [data-request]", WAIT).await?;
    assert!(
        friends(&driver)
            .await?
            .contains(&"qiyueluhuo2018".to_owned())
    );
    go(&driver, &a).await?;
    assert!(
        friends(&driver)
            .await?
            .contains(&"qiyueluhuo2016".to_owned()),
        "both lists show each other"
    );

    // They chat.
    send(&driver, "qiyueluhuo2016", "我们是好友了").await?;
    go(&driver, &b).await?;
    click(&driver, "#nav-chats").await?;
    click(&driver, "[data-peer=\"qiyueluhuo2018\"]").await?;
    wait_text(&driver, "#message-list", WAIT, |t| {
        t.contains("我们是好友了")
    })
    .await?;

    // 2017 allows anyone: friends at once. 2019 denies everyone: explained, nothing sent.
    go(&driver, &a).await?;
    search(&driver, "qiyueluhuo2017").await?;
    click(&driver, "#add-friend-send").await?;
    wait_text(&driver, "#add-friend-message", WAIT, |t| {
        t == "已添加为好友"
    })
    .await?;
    assert!(
        friends(&driver)
            .await?
            .contains(&"qiyueluhuo2017".to_owned())
    );
    search(&driver, "qiyueluhuo2019").await?;
    wait_text(&driver, "#add-friend-note", WAIT, |t| {
        t == "对方拒绝任何人加好友，无法加对方为好友"
    })
    .await?;
    let send_button = wait_for(&driver, "#add-friend-send", WAIT).await?;
    assert!(
        !send_button.is_enabled().await?,
        "nothing can be sent to DenyAny"
    );

    // 2016 blacklists 2018 (with confirmation): the friendship ends both ways.
    go(&driver, &b).await?;
    click(&driver, "#nav-friends").await?;
    click(
        &driver,
        "li:has([data-friend=\"qiyueluhuo2018\"]) [data-action=\"block\"]",
    )
    .await?;
    click(&driver, "[role=alertdialog] .confirm").await?;
    click(&driver, "#nav-blacklist").await?;
    wait_for(&driver, "[data-blocked=\"qiyueluhuo2018\"]", WAIT).await?;
    if shots {
        screenshot(&driver, "blacklist").await?;
    }

    // 2018's next message is refused with a sentence, and nothing reaches 2016.
    go(&driver, &a).await?;
    send(&driver, "qiyueluhuo2016", "你还在吗").await?;
    wait_text(&driver, "#message-list .failed", WAIT, |t| {
        t.contains("你们之间有黑名单，消息无法送达")
    })
    .await?;
    go(&driver, &b).await?;
    driver.goto(format!("{base}/chat/qiyueluhuo2018")).await?;
    wait_text(&driver, "#message-list", WAIT, |t| {
        t.contains("我们是好友了")
    })
    .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let seen = wait_for(&driver, "#message-list", WAIT)
        .await?
        .text()
        .await?;
    assert!(
        !seen.contains("你还在吗"),
        "the blocked message never arrived: {seen}"
    );

    // Lifting the blacklist lets messages pass again, but the friendship stays ended.
    click(&driver, "#nav-blacklist").await?;
    click(
        &driver,
        "[data-blocked=\"qiyueluhuo2018\"] [data-action=\"unblock\"]",
    )
    .await?;
    click(&driver, "[role=alertdialog] .confirm").await?;
    wait_gone(&driver, "[data-blocked]", WAIT).await?;
    go(&driver, &a).await?;
    send(&driver, "qiyueluhuo2016", "现在可以了").await?;
    go(&driver, &b).await?;
    driver.goto(format!("{base}/chat/qiyueluhuo2018")).await?;
    wait_text(&driver, "#message-list", WAIT, |t| t.contains("现在可以了")).await?;
    assert!(
        !friends(&driver)
            .await?
            .contains(&"qiyueluhuo2018".to_owned()),
        "no friendship came back"
    );

    // 2016 renames; 2018's window shows the new name.
    click(&driver, "#nav-profile").await?;
    let nick = wait_for(&driver, "#profile-nick", WAIT).await?;
    nick.click().await?;
    nick.send_keys(Key::Control + "a").await?;
    nick.send_keys(Key::Backspace).await?;
    click(&driver, "#profile-save").await?;
    wait_text(&driver, "#profile-message", WAIT, |t| t == "请输入昵称").await?;
    nick.send_keys("流火新名").await?;
    click(&driver, "#profile-save").await?;
    wait_text(&driver, "#profile-message", WAIT, |t| t == "个人资料已保存").await?;
    wait_text(&driver, "#my-name", WAIT, |t| t == "流火新名").await?;
    if shots {
        screenshot(&driver, "profile").await?;
    }
    go(&driver, &a).await?;
    wait_text(&driver, "#chat-title", WAIT, |t| t == "流火新名").await?;
    Ok(())
}

#[tokio::test]
async fn requests_allow_and_deny_blacklist_and_profile_work_live_across_windows() {
    relationships(Backend::Static).await;
}

#[tokio::test]
async fn requests_allow_and_deny_blacklist_and_profile_work_live_through_the_server() {
    relationships(Backend::Server).await;
}

async fn relationships(backend: Backend) {
    let site = Site::start(backend).expect("serve the app");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let browser = open_window(&chromedriver, 1180, 760)
        .await
        .expect("open Chromium");
    let shots = backend == Backend::Static;
    let result = scenario(browser.clone(), site.url(), shots).await;
    let quit = browser.quit().await;
    result.expect("the relationship scenario");
    quit.expect("close Chromium");
}
