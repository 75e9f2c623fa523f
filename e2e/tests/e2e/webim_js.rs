//! webim.js: the seed's demo, rebuilt on our webim.js and shipped in
//! `dist/sdk/demo/`, chats with the Yew app through the in-browser backend (one service
//! in the SharedWorker for both pages), with text, faces and escaped HTML; and from
//! another origin through a `webim-server` that allows it, while one that does not
//! refuses it.

use std::time::Duration;

use thirtyfour::prelude::*;
use webim_e2e::app::{login, say, wait_for, wait_text};
use webim_e2e::{Backend, Chromedriver, HarnessError, Site, in_browser, open_window};

const WAIT: Duration = Duration::from_secs(20);

/// The demo (at `page`, e.g. `{base}/sdk/demo/index.html?server=…`) logged in as `me`,
/// with the conversation with `peer` open.
async fn demo(driver: &WebDriver, page: &str, me: &str, peer: &str) -> Result<(), HarnessError> {
    driver.goto(page).await?;
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
    in_browser(Backend::Static, |driver, site| async move {
        let base = site.url();
        let page = driver.window().await?;
        let page_url = format!("{base}/sdk/demo/index.html");
        demo(&driver, &page_url, "qiyueluhuo2016", "peakerdong").await?;
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
        Ok(())
    })
    .await;
}

/// Sends `text` from the demo's composer.
async fn send(driver: &WebDriver, text: &str) -> Result<(), HarnessError> {
    driver
        .find(By::Id("send_msg_text"))
        .await?
        .send_keys(text)
        .await?;
    driver
        .find(By::Css("#send_form button"))
        .await?
        .click()
        .await?;
    Ok(())
}

#[tokio::test]
async fn the_seed_demo_on_another_origin_chats_through_a_server_that_allows_it() {
    // The demo comes from a static host (one origin), the server is another origin.
    let host = Site::start(Backend::Static).expect("start the static host");
    let server = Site::server_allowing(&[host.url()]).expect("start webim-server");
    let closed = Site::server(true).expect("start a webim-server that allows no one");
    let chromedriver = Chromedriver::start().expect("start chromedriver");
    let first = open_window(&chromedriver, 1000, 700)
        .await
        .expect("open Chromium");
    // Another profile: a second browser, as a second person would have.
    let second = open_window(&chromedriver, 1000, 700)
        .await
        .expect("open Chromium");
    let result = async {
        let page =
            |server: &Site| format!("{}/sdk/demo/index.html?server={}", host.url(), server.url());
        demo(&first, &page(&server), "qiyueluhuo2018", "peakerdong").await?;
        send(&first, "跨站[微笑]").await?;
        wait_text(&first, "#msgflow", WAIT, |t| t.contains("跨站")).await?;

        login(&second, &server.url(), "peakerdong").await?;
        second
            .goto(format!("{}/chat/qiyueluhuo2018", server.url()))
            .await?;
        wait_text(&second, "#message-list", WAIT, |t| t.contains("跨站")).await?;
        say(&second, "服务器回复").await?;
        wait_text(&first, "#msgflow", WAIT, |t| t.contains("服务器回复")).await?;

        // The same page against a server that does not allow its origin: refused.
        first.goto(page(&closed)).await?;
        wait_for(&first, "button[data-account=\"qiyueluhuo2019\"]", WAIT)
            .await?
            .click()
            .await?;
        wait_text(&first, "#error", WAIT, |t| !t.is_empty()).await?;
        let hidden: bool = first
            .execute(
                "return document.getElementById('webim_demo').hidden",
                vec![],
            )
            .await?
            .convert()?;
        assert!(hidden, "the refused page is not logged in");
        Ok::<(), HarnessError>(())
    }
    .await;
    let quit = (first.quit().await, second.quit().await);
    result.expect("scenario");
    quit.0.expect("close Chromium");
    quit.1.expect("close Chromium");
}

#[tokio::test]
async fn two_seed_demo_tabs_chat_through_the_browser_with_unread_counts() {
    in_browser(Backend::Static, |driver, site| async move {
        let page = format!("{}/sdk/demo/index.html", site.url());
        let a = driver.window().await?;
        demo(&driver, &page, "qiyueluhuo2017", "qiyueluhuo2019").await?;
        let b = driver.new_window().await?;
        driver.switch_to_window(b.clone()).await?;
        driver.goto(&page).await?;
        wait_for(&driver, "button[data-account=\"qiyueluhuo2019\"]", WAIT)
            .await?
            .click()
            .await?;
        wait_text(&driver, "#t_my_name", WAIT, |t| t == "qiyueluhuo2019").await?;

        driver.switch_to_window(a).await?;
        send(&driver, "第一条").await?;
        send(&driver, "第二条").await?;
        wait_text(&driver, "#msgflow", WAIT, |t| t.contains("第二条")).await?;

        // B has not opened the conversation: the session list counts both as unread.
        driver.switch_to_window(b).await?;
        let row = "#sessions button[data-peer=\"qiyueluhuo2017\"]";
        wait_text(&driver, row, WAIT, |t| t.ends_with('2')).await?;
        driver.find(By::Css(row)).await?.click().await?;
        wait_text(&driver, "#msgflow", WAIT, |t| {
            t.contains("第一条") && t.contains("第二条")
        })
        .await?;
        wait_text(&driver, row, WAIT, |t| t == "qiyueluhuo2017").await?;
        Ok(())
    })
    .await;
}

#[test]
fn the_sdk_folder_is_an_npm_package_with_everything_it_needs() {
    let sdk = webim_e2e::dist_dir().join("sdk");
    let out = std::process::Command::new("npm")
        .args(["pack", "--dry-run", "--json"])
        .current_dir(&sdk)
        .output()
        .expect("run npm (the setup installs Node.js)");
    assert!(
        out.status.success(),
        "npm pack: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("npm's JSON");
    let files: Vec<&str> = report[0]["files"]
        .as_array()
        .map(|f| f.iter().filter_map(|f| f["path"].as_str()).collect())
        .unwrap_or_default();
    for needed in [
        "package.json",
        "README.md",
        "webim.js",
        "webim.mjs",
        "webim.d.ts",
        "webim-core.js",
        "webim-core_bg.wasm",
    ] {
        assert!(
            files.contains(&needed),
            "{needed} is in the tarball: {files:?}"
        );
    }
    assert!(
        !files
            .iter()
            .any(|f| f.ends_with(".gz") || f.ends_with(".br") || f.starts_with("demo/")),
        "only the package: {files:?}"
    );
    assert_eq!(report[0]["name"], "webim-rs");
}

#[test]
fn the_declarations_type_check_the_seeds_snippets() {
    // TypeScript from the project's npm packages (package.json), strict mode.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = std::process::Command::new(root.join("node_modules/.bin/tsc"))
        .arg("-p")
        .arg(root.join("crates/webim-js/js/check/tsconfig.json"))
        .output()
        .expect("run tsc (cargo xtask setup installs the npm packages)");
    assert!(
        out.status.success(),
        "webim.d.ts against the seed's snippets:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
