//! webim.js (issue 15): the seed's demo, rebuilt on our webim.js and shipped in
//! `dist/sdk/demo/`, chats with the Yew app through the in-browser backend (one service
//! in the SharedWorker for both pages), with text, faces and escaped HTML.

use std::time::Duration;

use thirtyfour::prelude::*;
use webim_e2e::app::{login, say, wait_for, wait_text};
use webim_e2e::{Backend, Chromedriver, HarnessError, Site, open_window};

const WAIT: Duration = Duration::from_secs(20);

/// The demo logged in as `me`, with the conversation with `peer` open.
async fn demo(driver: &WebDriver, base: &str, me: &str, peer: &str) -> Result<(), HarnessError> {
    driver.goto(format!("{base}/sdk/demo/index.html")).await?;
    wait_for(driver, &format!("button[data-account=\"{me}\"]"), WAIT)
        .await?
        .click()
        .await?;
    wait_text(driver, "#t_my_name", WAIT, |t| t == me).await?;
    let input = wait_for(driver, "#peer", WAIT).await?;
    input.send_keys(peer).await?;
    // The seed's demo picks a friend from a list; a change event does it here.
    driver
        .execute(
            "document.getElementById('peer').dispatchEvent(new Event('change'))",
            vec![],
        )
        .await?;
    wait_text(driver, "#sel_to", WAIT, |t| t == peer).await?;
    Ok(())
}

#[tokio::test]
async fn the_seed_demo_on_webim_js_chats_with_the_app_through_the_browser() {
    let site = Site::start(Backend::Static).expect("start the site");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let driver = open_window(&chromedriver, 1000, 700)
        .await
        .expect("open Chromium");
    let result = async {
        let base = site.url();
        let page = driver.window().await?;
        demo(&driver, &base, "qiyueluhuo2016", "peakerdong").await?;
        let text = driver.find(By::Id("send_msg_text")).await?;
        text.send_keys("你好[微笑]<b>不是粗体</b>").await?;
        driver
            .find(By::Css("#send_form button"))
            .await?
            .click()
            .await?;
        wait_text(&driver, "#msgflow", WAIT, |t| t.contains("不是粗体")).await?;
        let html: String = driver
            .execute(
                "return document.getElementById('msgflow').innerHTML",
                vec![],
            )
            .await?
            .convert()?;
        assert!(
            html.contains("&lt;b&gt;不是粗体&lt;/b&gt;"),
            "text is escaped: {html}"
        );
        assert!(
            html.contains("/emoticons/1.svg"),
            "the face is its image: {html}"
        );

        let app = driver.new_window().await?;
        driver.switch_to_window(app).await?;
        login(&driver, &base, "peakerdong").await?;
        driver.goto(format!("{base}/chat/qiyueluhuo2016")).await?;
        wait_text(&driver, "#message-list", WAIT, |t| {
            t.contains("<b>不是粗体</b>")
        })
        .await?;
        say(&driver, "从应用回复").await?;

        driver.switch_to_window(page).await?;
        wait_text(&driver, "#msgflow", WAIT, |t| t.contains("从应用回复")).await?;
        Ok::<(), HarnessError>(())
    }
    .await;
    let quit = driver.quit().await;
    result.expect("scenario");
    quit.expect("close Chromium");
}
