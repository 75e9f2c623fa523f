//! By keyboard alone: Tab walks every control of the login picker and of a conversation in
//! reading order (the switches, then the content), each one drawing a visible focus ring,
//! and Enter works the focused control (a login, a send).

use std::time::Duration;

use thirtyfour::prelude::*;
use webim_e2e::app::{say, wait_for, wait_text};
use webim_e2e::{Backend, Chromedriver, HarnessError, Site, open_window};

const WAIT: Duration = Duration::from_secs(20);

/// Presses Tab `count` times from the top of the page and names each control focused:
/// its id, else the account or peer it stands for, else its label or text. A control
/// focused without a visible ring is named with a leading `!`.
async fn walk(driver: &WebDriver, count: usize) -> Result<Vec<String>, HarnessError> {
    driver
        .execute(
            // Focus the page itself: the next Tab goes to its first control.
            "document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex');",
            Vec::new(),
        )
        .await?;
    let mut seen = Vec::new();
    for _ in 0..count {
        driver.action_chain().send_keys(Key::Tab).perform().await?;
        let name = driver
            .execute(
                "const e = document.activeElement;
                 const holder = e.closest('[data-account]');
                 const name = e.id || (holder && holder.dataset.account) || e.dataset.peer
                     || e.getAttribute('aria-label') || e.textContent.trim().slice(0, 24);
                 const style = getComputedStyle(e);
                 const ring = e.matches(':focus-visible') && style.outlineStyle !== 'none'
                     && parseFloat(style.outlineWidth) >= 2;
                 return (ring ? '' : '!') + name;",
                Vec::new(),
            )
            .await?;
        seen.push(name.json().as_str().unwrap_or_default().to_owned());
    }
    Ok(seen)
}

/// Asserts `expected` appear in `seen` in this order (other controls may sit between).
fn in_order(seen: &[String], expected: &[&str]) {
    let mut at = 0;
    for want in expected {
        match seen[at..].iter().position(|s| s == want) {
            Some(i) => at += i + 1,
            None => panic!("{want} not reached in order; Tab went: {seen:?}"),
        }
    }
    let unringed: Vec<&String> = seen.iter().filter(|s| s.starts_with('!')).collect();
    assert!(
        unringed.is_empty(),
        "focus not drawn on {unringed:?}; Tab went: {seen:?}"
    );
}

async fn keyboard(driver: &WebDriver, base: &str) -> Result<(), HarnessError> {
    driver.goto(base).await?;
    wait_for(driver, "li[data-account] button", WAIT).await?;
    let picker = walk(driver, 7).await?;
    in_order(
        &picker,
        &[
            "toggle-lang",
            "toggle-theme",
            "peakerdong",
            "qiyueluhuo2016",
            "qiyueluhuo2017",
            "qiyueluhuo2018",
            "qiyueluhuo2019",
        ],
    );
    // Back to the second card, and Enter logs in.
    driver
        .action_chain()
        .key_down(Key::Shift)
        .send_keys(Key::Tab + Key::Tab + Key::Tab)
        .key_up(Key::Shift)
        .perform()
        .await?;
    driver
        .action_chain()
        .send_keys(Key::Enter)
        .perform()
        .await?;
    wait_text(driver, "#my-name", WAIT, |t| t == "七月流火2016").await?;

    driver.goto(format!("{base}/chat/peakerdong")).await?;
    say(driver, "键盘").await?;
    wait_text(driver, "#message-list", WAIT, |t| t.contains("键盘")).await?;
    let shell = walk(driver, 15).await?;
    in_order(
        &shell,
        &[
            "toggle-lang",
            "toggle-theme",
            "logout",
            "nav-chats",
            "nav-friends",
            "nav-requests",
            "nav-blacklist",
            "nav-profile",
            "peakerdong",
            "mute-toggle",
            "message-list",
            "emoticon-toggle",
            "attach",
            "composer-input",
            "send",
        ],
    );
    // Enter on the mute bell works it; typing and Enter in the box sends.
    let bell = driver.find(By::Css("#mute-toggle")).await?;
    bell.focus().await?;
    driver
        .action_chain()
        .send_keys(Key::Enter)
        .perform()
        .await?;
    wait_for(driver, "#mute-toggle[aria-pressed=\"true\"]", WAIT).await?;
    Ok(())
}

#[tokio::test]
async fn tab_reaches_every_control_in_reading_order_with_a_visible_ring() {
    let site = Site::start(Backend::Static).expect("serve dist/");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let driver = open_window(&chromedriver, 1100, 760)
        .await
        .expect("open Chromium");
    let result = keyboard(&driver, &site.url()).await;
    let quit = driver.quit().await;
    result.expect("keyboard");
    quit.expect("close Chromium");
}
