//! The first screen, seen by two people at once; and in the browser's own language, with
//! the language and theme switches before anyone logs in.

use std::time::Duration;

use thirtyfour::prelude::*;
use webim_e2e::{Backend, Chromedriver, Site, open_window};

const WAIT: Duration = Duration::from_secs(20);

const ACCOUNTS: [(&str, &str); 5] = [
    ("peakerdong", "peakerdong"),
    ("qiyueluhuo2016", "七月流火2016"),
    ("qiyueluhuo2017", "七月流火2017"),
    ("qiyueluhuo2018", "七月流火2018"),
    ("qiyueluhuo2019", "七月流火2019"),
];

/// The nick and id of every account card on the page, in order.
async fn visible_accounts(window: &WebDriver) -> WebDriverResult<Vec<(String, String)>> {
    // Wait for the wasm app to render its cards, then read them as text.
    window.query(By::Css("li[data-account]")).first().await?;
    let mut seen = Vec::new();
    for card in window.find_all(By::Css("li[data-account]")).await? {
        let nick = card.find(By::Css(".nick")).await?.text().await?;
        let id = card.find(By::Css(".id")).await?.text().await?;
        seen.push((nick, id));
    }
    Ok(seen)
}

async fn check_window(window: &WebDriver, url: &str) -> WebDriverResult<()> {
    window.goto(url).await?;
    let seen = visible_accounts(window).await?;
    let expected: Vec<(String, String)> = ACCOUNTS
        .iter()
        .map(|(id, nick)| ((*nick).to_owned(), (*id).to_owned()))
        .collect();
    assert_eq!(
        seen, expected,
        "the picker at {url} lists the five test accounts"
    );
    let heading = window.find(By::Css("h1")).await?.text().await?;
    assert_eq!(heading, "WebIM");
    assert_eq!(window.title().await?, "WebIM");
    Ok(())
}

#[tokio::test]
async fn two_windows_each_see_the_login_picker_with_five_accounts() {
    picker(Backend::Static).await;
}

#[tokio::test]
async fn two_windows_each_see_the_login_picker_with_five_accounts_on_a_demo_server() {
    picker(Backend::Server).await;
}

async fn picker(backend: Backend) {
    let server = Site::start(backend).expect("serve the app");
    let driver = Chromedriver::start().expect("start chromedriver");
    let a = open_window(&driver, 1024, 768).await.expect("window A");
    let b = open_window(&driver, 360, 740).await.expect("window B");

    // Both windows are open at once; B opens a deep link, which a static host answers with
    // the app, and the app's router sends it to the picker.
    let result = async {
        check_window(&a, &server.url()).await?;
        check_window(&b, &format!("{}/no/such/page", server.url())).await?;
        b.current_url().await.map(|u| u.path().to_owned())
    }
    .await;

    // Close both browsers before reporting, so a failure leaves no Chromium behind.
    let (qa, qb) = (a.quit().await, b.quit().await);
    let final_path = result.expect("both windows show the picker");
    assert_eq!(final_path, "/", "an unknown route lands on the picker");
    qa.expect("close window A");
    qb.expect("close window B");
}

/// A first visit follows the browser's language; the login screen has the language and
/// theme switches, and a choice made there stays after a reload.
#[tokio::test]
async fn a_first_visit_speaks_the_browsers_language_and_the_picker_can_switch() {
    let site = Site::start(Backend::Static).expect("serve dist/");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let driver = webim_e2e::open_window_in(&chromedriver, 1024, 700, "en-US,en")
        .await
        .expect("open Chromium in English");
    let result = async {
        let base = site.url();
        driver.goto(&base).await?;
        webim_e2e::app::wait_text(&driver, "#picker-lead", WAIT, |t| t.contains("account")).await?;
        let toggle = webim_e2e::app::wait_for(&driver, "#toggle-lang", WAIT).await?;
        assert_eq!(
            toggle.text().await?,
            "中文",
            "the switch offers the other language"
        );
        toggle.click().await?;
        webim_e2e::app::wait_text(&driver, "#picker-lead", WAIT, |t| t.contains("账号")).await?;
        webim_e2e::app::wait_for(&driver, "#toggle-theme", WAIT)
            .await?
            .click()
            .await?;
        driver.refresh().await?;
        webim_e2e::app::wait_text(&driver, "#picker-lead", WAIT, |t| t.contains("账号")).await?;
        let theme = driver
            .execute(
                "return document.documentElement.dataset.theme || '';",
                Vec::new(),
            )
            .await?;
        assert!(
            !theme.json().as_str().unwrap_or_default().is_empty(),
            "the theme choice stays"
        );
        Ok::<(), webim_e2e::HarnessError>(())
    }
    .await;
    let quit = driver.quit().await;
    result.expect("the language and theme on the login screen");
    quit.expect("close Chromium");
}
