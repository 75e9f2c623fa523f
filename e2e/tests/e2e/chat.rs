//! The chat app, two people in two windows of one browser (like two tabs), on both
//! backends: text and emoticons both ways, unread badges and the title count, reading
//! clears them (the tab's icon carries the count too), reload keeps login, history and
//! draft, logout returns to the picker.

use std::time::Duration;

use thirtyfour::prelude::*;
use webim_e2e::app::{login, screenshot, wait_for, wait_gone, wait_text, wait_title};
use webim_e2e::{Backend, Chromedriver, HarnessError, Site, open_window};

const WAIT: Duration = Duration::from_secs(20);

async fn in_window(driver: &WebDriver, handle: &WindowHandle) -> Result<(), HarnessError> {
    Ok(driver.switch_to_window(handle.clone()).await?)
}

/// The address of the tab's icon.
async fn icon(driver: &WebDriver) -> Result<String, HarnessError> {
    let href = driver
        .execute(
            "return document.querySelector(\"link[rel~='icon']\").href;",
            Vec::new(),
        )
        .await?;
    Ok(href.json().as_str().unwrap_or_default().to_owned())
}

/// What the conversation's announcer last told a screen reader.
async fn announced(driver: &WebDriver) -> Result<String, HarnessError> {
    let text = driver
        .execute(
            "return document.querySelector('#chat-announcer').textContent;",
            Vec::new(),
        )
        .await?;
    Ok(text.json().as_str().unwrap_or_default().to_owned())
}

async fn type_into_composer(driver: &WebDriver, text: &str) -> Result<WebElement, HarnessError> {
    let input = wait_for(driver, "#composer-input", WAIT).await?;
    input.click().await?;
    input.send_keys(text).await?;
    Ok(input)
}

async fn scenario(driver: WebDriver, base: String, shots: bool) -> Result<(), HarnessError> {
    // A: 七月流火2016 in the first window; B: peakerdong in a second one.
    let a = driver.window().await?;
    login(&driver, &base, "qiyueluhuo2016").await?;
    let b = driver.new_window().await?;
    in_window(&driver, &b).await?;
    login(&driver, &base, "peakerdong").await?;
    wait_title(&driver, "WebIM", WAIT).await?;

    // A opens peakerdong from the friend list and sends text, HTML-looking text and a face.
    in_window(&driver, &a).await?;
    wait_for(&driver, "#nav-friends", WAIT)
        .await?
        .click()
        .await?;
    wait_for(&driver, "[data-friend=\"peakerdong\"]", WAIT)
        .await?
        .click()
        .await?;
    wait_text(&driver, "#chat-title", WAIT, |t| t == "peakerdong").await?;
    let input = type_into_composer(&driver, "你好，peakerdong").await?;
    input.send_keys(Key::Enter).await?;
    input.send_keys("<script>alert(1)</script>").await?;
    input.send_keys(Key::Enter).await?;
    wait_for(&driver, "#emoticon-toggle", WAIT)
        .await?
        .click()
        .await?;
    wait_for(
        &driver,
        "#emoticon-picker button[data-name=\"[微笑]\"]",
        WAIT,
    )
    .await?
    .click()
    .await?;
    input.send_keys(" 笑一个").await?;
    input.send_keys(Key::Enter).await?;
    wait_text(&driver, "#message-list", WAIT, |t| t.contains("笑一个")).await?;

    // B is on its list, not in the conversation: the badge and the title count rise.
    in_window(&driver, &b).await?;
    let badge = wait_text(
        &driver,
        "[data-peer=\"qiyueluhuo2016\"] .unread-badge",
        WAIT,
        |t| t == "3",
    )
    .await?;
    assert_eq!(badge.text().await?, "3");
    wait_title(&driver, "(3) WebIM", WAIT).await?;
    assert!(
        icon(&driver).await?.contains("%3E3%3C/text%3E"),
        "the tab's icon carries the count"
    );

    // B opens it: the messages are there, as text; the badge and count clear.
    wait_for(&driver, "[data-peer=\"qiyueluhuo2016\"]", WAIT)
        .await?
        .click()
        .await?;
    let log = wait_text(&driver, "#message-list", WAIT, |t| t.contains("笑一个")).await?;
    let shown = log.text().await?;
    assert!(shown.contains("你好，peakerdong"), "{shown}");
    assert!(
        shown.contains("<script>alert(1)</script>"),
        "HTML shows as text: {shown}"
    );
    let face = wait_for(&driver, "#message-list img.face", WAIT).await?;
    assert_eq!(face.attr("alt").await?.as_deref(), Some("[微笑]"));
    assert_eq!(
        announced(&driver).await?,
        "",
        "opening reads no history aloud"
    );
    wait_gone(
        &driver,
        "[data-peer=\"qiyueluhuo2016\"] .unread-badge",
        WAIT,
    )
    .await?;
    wait_title(&driver, "WebIM", WAIT).await?;
    assert!(
        !icon(&driver).await?.starts_with("data:"),
        "all read: the plain icon again"
    );

    // B replies; A sees it.
    let reply = type_into_composer(&driver, "收到 [爱心]").await?;
    reply.send_keys(Key::Enter).await?;
    in_window(&driver, &a).await?;
    wait_text(&driver, "#message-list", WAIT, |t| t.contains("收到")).await?;
    wait_for(&driver, "#message-list img.face[alt=\"[爱心]\"]", WAIT).await?;
    assert_eq!(
        announced(&driver).await?,
        "peakerdong: 收到 [爱心]",
        "a screen reader is told of the new message"
    );
    // A has the conversation open: the reply is read as it arrives, never a badge.
    let badges = driver
        .find_all(By::Css("[data-peer=\"peakerdong\"] .unread-badge"))
        .await?;
    assert!(
        badges.is_empty(),
        "an open conversation shows no unread badge"
    );
    if shots {
        screenshot(&driver, "chat-light").await?;
    }

    // A leaves a draft and reloads: still logged in, in the conversation, history and draft.
    type_into_composer(&driver, "还没发的草稿").await?;
    driver.refresh().await?;
    wait_text(&driver, "#chat-title", WAIT, |t| t == "peakerdong").await?;
    wait_text(&driver, "#message-list", WAIT, |t| {
        t.contains("收到") && t.contains("你好，peakerdong")
    })
    .await?;
    let draft = wait_for(&driver, "#composer-input", WAIT).await?;
    assert_eq!(draft.prop("value").await?.as_deref(), Some("还没发的草稿"));
    wait_text(&driver, "#my-name", WAIT, |t| t == "七月流火2016").await?;

    // The same screen in dark, and 360 px wide.
    wait_for(&driver, "#toggle-theme", WAIT)
        .await?
        .click()
        .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    if shots {
        screenshot(&driver, "chat-dark").await?;
    }
    wait_for(&driver, "#toggle-theme", WAIT)
        .await?
        .click()
        .await?;
    driver.set_window_rect(0, 0, 360, 740).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    if shots {
        screenshot(&driver, "chat-360").await?;
    }

    // B logs out: back to the picker.
    in_window(&driver, &b).await?;
    wait_for(&driver, "#logout", WAIT).await?.click().await?;
    wait_for(&driver, "li[data-account=\"peakerdong\"]", WAIT).await?;
    if shots {
        screenshot(&driver, "login-picker").await?;
    }
    Ok(())
}

async fn chat(backend: Backend) {
    let site = Site::start(backend).expect("serve the app");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let browser = open_window(&chromedriver, 1280, 800)
        .await
        .expect("open Chromium");
    let shots = backend == Backend::Static;
    let result = scenario(browser.clone(), site.url(), shots).await;
    let quit = browser.quit().await;
    result.expect("the chat scenario");
    quit.expect("close Chromium");
}

#[tokio::test]
async fn two_people_chat_with_badges_titles_reload_and_logout() {
    chat(Backend::Static).await;
}

#[tokio::test]
async fn two_people_chat_with_badges_titles_reload_and_logout_through_the_server() {
    chat(Backend::Server).await;
}

/// Scrolls the message list to its top (as a reader dragging up would).
async fn scroll_to_top(driver: &WebDriver) -> Result<(), HarnessError> {
    driver.execute("const l = document.querySelector('#message-list'); l.scrollTop = 0; l.dispatchEvent(new Event('scroll'));", vec![]).await?;
    Ok(())
}

/// Another client of 七月流火2017 sending to peakerdong: the lab page in a first window of
/// the browser (the embedded backend), or the server's protocol from outside.
enum Other<'a> {
    Lab(webim_e2e::Lab),
    Server(&'a Site),
}

impl Other<'_> {
    async fn send(&self, count: u32, prefix: &str) -> Result<(), HarnessError> {
        match self {
            Self::Lab(lab) => lab.send(count, 0, prefix).await,
            Self::Server(site) => {
                let texts: Vec<String> = (1..=count).map(|i| format!("{prefix}{i}|")).collect();
                site.send_via_server("qiyueluhuo2017", "peakerdong", &texts)
                    .await
            }
        }
    }
}

async fn long_scenario(
    driver: WebDriver,
    site: &Site,
    backend: Backend,
) -> Result<(), HarnessError> {
    let base = site.url();
    // 150 messages from 七月流火2017.
    let other = match backend {
        Backend::Static => Other::Lab(
            webim_e2e::Lab::open_here(&driver, &base, "qiyueluhuo2017", "peakerdong").await?,
        ),
        Backend::Server => Other::Server(site),
    };
    other.send(150, "long").await?;
    let reader = driver.new_window().await?;
    in_window(&driver, &reader).await?;
    login(&driver, &base, "peakerdong").await?;
    wait_for(&driver, "[data-peer=\"qiyueluhuo2017\"]", WAIT)
        .await?
        .click()
        .await?;
    wait_text(&driver, "#message-list", WAIT, |t| t.contains("long150|")).await?;
    let count = |d: WebDriver| async move {
        let n = d
            .execute(
                "return document.querySelectorAll('#message-list [data-key]').length",
                vec![],
            )
            .await?;
        Ok::<u64, HarnessError>(n.json().as_u64().unwrap_or(0))
    };
    let first_count = count(driver.clone()).await?;
    assert!(
        first_count <= 200,
        "the list is windowed: {first_count} in the DOM"
    );

    // Scrolling up brings older messages, until the first one.
    let mut reached = false;
    for _ in 0..40 {
        scroll_to_top(&driver).await?;
        tokio::time::sleep(Duration::from_millis(150)).await;
        if driver
            .find(By::Css("#message-list"))
            .await?
            .text()
            .await?
            .contains("long1|")
        {
            reached = true;
            break;
        }
    }
    assert!(reached, "scrolling up reaches the first message");
    assert!(
        count(driver.clone()).await? <= 200,
        "still at most 200 messages in the DOM"
    );

    // Away from the bottom, new messages do not move the view: a button counts them.
    if let Other::Lab(_) = other {
        in_window(&driver, &lab_window(&driver).await?).await?;
    }
    other.send(2, "fresh").await?;
    in_window(&driver, &reader).await?;
    let button = wait_text(&driver, "#new-messages", WAIT, |t| t.starts_with('2')).await?;
    // The accessibility gate for this screen (its size is kept: resizing would scroll).
    for theme in ["dark", "light"] {
        driver
            .execute(
                "document.documentElement.dataset.theme = arguments[0];",
                vec![serde_json::json!(theme)],
            )
            .await?;
        let found = webim_e2e::axe::violations(&driver).await?;
        assert!(
            found.is_empty(),
            "the new-messages button, {theme}: {found:?}"
        );
    }
    button.click().await?;
    wait_text(&driver, "#message-list", WAIT, |t| t.contains("fresh2|")).await?;
    wait_gone(&driver, "#new-messages", WAIT).await?;
    Ok(())
}

async fn lab_window(driver: &WebDriver) -> Result<WindowHandle, HarnessError> {
    Ok(driver
        .windows()
        .await?
        .into_iter()
        .next()
        .expect("the first window"))
}

async fn long(backend: Backend) {
    let site = Site::start(backend).expect("serve the app");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let browser = open_window(&chromedriver, 1024, 700)
        .await
        .expect("open Chromium");
    let result = long_scenario(browser.clone(), &site, backend).await;
    let quit = browser.quit().await;
    result.expect("the long conversation scenario");
    quit.expect("close Chromium");
}

#[tokio::test]
async fn a_long_conversation_scrolls_back_and_counts_new_messages() {
    long(Backend::Static).await;
}

#[tokio::test]
async fn a_long_conversation_scrolls_back_and_counts_new_messages_through_the_server() {
    long(Backend::Server).await;
}
