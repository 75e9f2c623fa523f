//! Tencent's own webim.js 1.2 and 1.7.0, and its official 1.7 demo, unchanged against a
//! real `webim-server`: every call of the seed's guide from two accounts on
//! each SDK; a 1.2 page, a 1.7 page and the Yew app chatting with each other; each
//! client's long poll held through quiet after profile, friend and read changes; no page
//! error and no alert. Tencent's files are read from `../shared/real-clients/` at run
//! time: `cargo xtask test` runs these tests when that folder is there and says so when
//! it is not (they are ignored by a plain `cargo test`).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thirtyfour::prelude::*;
use webim_e2e::app::{login, pick, picture_loaded, say, screenshot, wait_text};
use webim_e2e::real_clients::{RealClients, Sdk};
use webim_e2e::{Chromedriver, HarnessError, Site, open_window};

const WAIT: Duration = Duration::from_secs(20);
/// How long each client must stay quiet after the last change.
const QUIET: Duration = Duration::from_secs(10);

const A16: &str = "qiyueluhuo2016";
const A17: &str = "qiyueluhuo2017";
const A18: &str = "qiyueluhuo2018";
const PEAKER: &str = "peakerdong";

fn failed(what: impl Into<String>) -> HarnessError {
    HarnessError::Timeout(what.into())
}

/// The browser windows of one test, each its own profile; all are closed when the test
/// ends, whether it passed or not (a page left running would go on polling).
#[derive(Clone)]
struct Browsers {
    chromedriver: Arc<Chromedriver>,
    open: Arc<Mutex<Vec<WebDriver>>>,
}

impl Browsers {
    async fn window(&self, width: u32, height: u32) -> Result<WebDriver, HarnessError> {
        let driver = open_window(&self.chromedriver, width, height).await?;
        self.open
            .lock()
            .map_err(|_| failed("the list of windows"))?
            .push(driver.clone());
        Ok(driver)
    }

    async fn close_all(&self) {
        let open = self.open.lock().map(|mut o| std::mem::take(&mut *o));
        for driver in open.unwrap_or_default() {
            let _ = driver.quit().await;
        }
    }
}

/// A page on Tencent's SDK, logged in.
struct Page {
    driver: WebDriver,
    me: &'static str,
}

impl Page {
    async fn open(
        browsers: &Browsers,
        clients: &RealClients,
        site: &Site,
        sdk: Sdk,
        me: &'static str,
    ) -> Result<Self, HarnessError> {
        let (sig, app) = site.demo_sig(me).await?;
        let driver = browsers.window(900, 700).await?;
        driver.goto(clients.client(sdk, me, &sig, app)).await?;
        let page = Self { driver, me };
        page.ok("T.login(arguments[0])").await?;
        Ok(page)
    }

    /// Runs an asynchronous script whose `done` is `arguments[0]`; its `{ok}`.
    async fn ok(&self, script: &str) -> Result<Value, HarnessError> {
        let answer = self
            .driver
            .execute_async(script, Vec::new())
            .await?
            .json()
            .clone();
        match answer.get("ok") {
            Some(ok) => Ok(ok.clone()),
            None => Err(failed(format!("{} on {}: {answer}", script, self.me))),
        }
    }

    /// One of the seed's profile or relationship calls; its answer (or its error).
    async fn call(&self, name: &str, options: Value) -> Result<Value, HarnessError> {
        let answer = self
            .driver
            .execute_async(
                "T.call(arguments[0], arguments[1], arguments[2])",
                vec![json!(name), options],
            )
            .await?
            .json()
            .clone();
        Ok(answer
            .get("ok")
            .or_else(|| answer.get("err"))
            .cloned()
            .unwrap_or(answer))
    }

    async fn send(&self, to: &str, text: &str, face: Option<&str>) -> Result<(), HarnessError> {
        let args = vec![json!(to), json!(text), json!(face)];
        self.driver
            .execute_async(
                "T.send(arguments[0], arguments[1], arguments[2], arguments[3])",
                args,
            )
            .await?
            .json()
            .get("ok")
            .ok_or_else(|| failed(format!("{} could not send {text:?}", self.me)))?;
        Ok(())
    }

    async fn value(&self, expression: &str) -> Result<Value, HarnessError> {
        let script = format!("return {expression};");
        Ok(self.driver.execute(&script, vec![]).await?.json().clone())
    }

    /// Waits until `expression` is true on the page.
    async fn until(&self, expression: &str) -> Result<(), HarnessError> {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if self.value(expression).await? == json!(true) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(failed(format!("{} to see {expression}", self.me)))
    }

    /// Waits until a message from `from` with `text` has been received.
    async fn received(&self, from: &str, text: &str) -> Result<Value, HarnessError> {
        let find = format!(
            "T.received.find(m => m.from === {from:?} && m.elems.join('').includes({text:?}))"
        );
        self.until(&format!("!!{find}")).await?;
        self.value(&find).await
    }

    /// Whether the picture at `url` loads in this page: its natural width, or 0.
    async fn picture_width(&self, url: &str) -> Result<Value, HarnessError> {
        let script = "T.pictureWidth(arguments[0], arguments[1])";
        let width = self.driver.execute_async(script, vec![json!(url)]).await?;
        Ok(width.json().clone())
    }

    /// Waits for a picture from `from`; the address of its small size, made for this page.
    async fn picture_from(&self, from: &str) -> Result<String, HarnessError> {
        let got = self.received(from, "image:").await?;
        let elem = got["elems"][0].as_str().unwrap_or_default();
        Ok(elem.trim_start_matches("image:").to_owned())
    }

    /// Long polls started so far.
    async fn polls(&self) -> Result<u64, HarnessError> {
        Ok(self
            .value("__probe.polls.length")
            .await?
            .as_u64()
            .unwrap_or(0))
    }

    /// No uncaught error and no alert on the page so far.
    async fn clean(&self) -> Result<(), HarnessError> {
        let probe = self
            .value("{errors: __probe.errors, alerts: __probe.alerts}")
            .await?;
        if probe["errors"] != json!([]) || probe["alerts"] != json!([]) {
            return Err(failed(format!("{}'s page: {probe}", self.me)));
        }
        Ok(())
    }
}

/// Runs `check` with a static host of the real clients and a server that allows it; skips
/// (passing) when Tencent's files are absent, which `cargo xtask test` reports instead.
async fn with_clients<F, Fut>(check: F)
where
    F: FnOnce(RealClients, Site, Browsers) -> Fut,
    Fut: Future<Output = Result<(), HarnessError>>,
{
    assert!(
        RealClients::source().is_some(),
        "../shared/real-clients is absent: these tests need Tencent's files"
    );
    let clients = RealClients::start().expect("start the clients' host");
    let site = Site::server_allowing(&[clients.url()]).expect("start webim-server");
    let (_, app) = site.demo_sig(PEAKER).await.expect("the server's SDKAppID");
    clients
        .point_at(&site.url(), app)
        .expect("write the clients' pages");
    let browsers = Browsers {
        chromedriver: Arc::new(Chromedriver::start().expect("start chromedriver")),
        open: Arc::default(),
    };
    let result = check(clients, site, browsers.clone()).await;
    browsers.close_all().await;
    result.expect("scenario");
}

/// Starts counting, waits out `QUIET`, and says how many long polls each page started
/// meanwhile: a held poll starts none or one, a spinning one hundreds.
async fn polls_through_quiet(pages: &[&Page]) -> Result<Vec<u64>, HarnessError> {
    // Let the changes' own events arrive and be answered first.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut before = Vec::new();
    for page in pages {
        before.push(page.polls().await?);
    }
    tokio::time::sleep(QUIET).await;
    let mut started = Vec::new();
    for (page, before) in pages.iter().zip(before) {
        started.push(page.polls().await? - before);
    }
    Ok(started)
}

fn friends(answer: &Value) -> Vec<String> {
    answer["InfoItem"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["Info_Account"].as_str().map(str::to_owned))
        .collect()
}

/// Every call of the seed's guide, between two accounts on `sdk`.
async fn seed_guide(sdk: Sdk) {
    with_clients(|clients, site, browsers| async move {
        let x = Page::open(&browsers, &clients, &site, sdk, A16).await?;
        let y = Page::open(&browsers, &clients, &site, sdk, A18).await?;

        // sendMsg, text and face; received through the long poll; setAutoRead.
        x.send(A18, "你好 <b>1.x</b>", Some("[微笑]")).await?;
        let got = y.received(A16, "你好").await?;
        assert_eq!(got["elems"][1], "face:[微笑]", "{got}");
        y.send(A16, "收到", None).await?;
        x.received(A18, "收到").await?;
        y.until(&format!("T.unread({A16:?}) > 0")).await?;
        assert_eq!(y.value(&format!("T.read({A16:?})")).await?, json!(0));
        x.ok("T.syncMsgs(arguments[0])").await?;

        // The two profile calls.
        let me = |who: &str| {
            json!({"From_Account": who, "To_Account": [who],
            "LastStandardSequence": 0, "TagList": ["Tag_Profile_IM_Nick"]})
        };
        let mine = x.call("getProfilePortrait", me(A16)).await?;
        assert_eq!(
            mine["UserProfileItem"][0]["ProfileItem"][0]["Value"],
            "七月流火2016"
        );
        let set = json!({"From_Account": A16,
            "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "改过的名字"}]});
        assert_eq!(
            x.call("setProfilePortrait", set).await?["ActionStatus"],
            "OK"
        );
        let seen = y
            .call(
                "getProfilePortrait",
                json!({"From_Account": A18, "To_Account": [A16],
                "LastStandardSequence": 0, "TagList": ["Tag_Profile_IM_Nick"]}),
            )
            .await?;
        assert_eq!(
            seen["UserProfileItem"][0]["ProfileItem"][0]["Value"],
            "改过的名字"
        );

        // The nine relationship calls.
        let apply = json!({"From_Account": A16, "AddFriendItem": [{"To_Account": A18,
            "AddSource": "AddSource_Type_Unknow", "AddWording": "加个好友"}]});
        x.call("applyAddFriend", apply.clone()).await?;
        let pending = json!({"From_Account": A18, "PendencyType": "Pendency_Type_ComeIn",
            "StartTime": 0, "MaxLimited": 100, "LastSequence": 0});
        let list = y.call("getPendency", pending.clone()).await?;
        assert_eq!(list["PendencyItem"][0]["To_Account"], A16, "{list}");
        let drop = json!({"From_Account": A18, "PendencyType": "Pendency_Type_ComeIn",
            "To_Account": [A16]});
        assert_eq!(y.call("deletePendency", drop).await?["ActionStatus"], "OK");
        let list = y.call("getPendency", pending).await?;
        assert_eq!(
            list["PendencyItem"].as_array().map_or(0, Vec::len),
            0,
            "{list}"
        );
        x.call("applyAddFriend", apply).await?;
        let agree = json!({"From_Account": A18, "ResponseFriendItem": [{"To_Account": A16,
            "ResponseAction": "Response_Action_AgreeAndAdd"}]});
        assert_eq!(y.call("responseFriend", agree).await?["ActionStatus"], "OK");
        let all = |who: &str| {
            json!({"From_Account": who, "TimeStamp": 0, "StartIndex": 0,
            "GetCount": 100, "LastStandardSequence": 0, "TagList": ["Tag_Profile_IM_Nick"]})
        };
        assert!(friends(&y.call("getAllFriend", all(A18)).await?).contains(&A16.to_owned()));
        assert!(friends(&x.call("getAllFriend", all(A16)).await?).contains(&A18.to_owned()));
        let delete = json!({"From_Account": A16, "To_Account": [A18],
            "DeleteType": "Delete_Type_Both"});
        assert_eq!(x.call("deleteFriend", delete).await?["ActionStatus"], "OK");
        assert!(!friends(&x.call("getAllFriend", all(A16)).await?).contains(&A18.to_owned()));
        let black = json!({"From_Account": A16, "To_Account": [A18]});
        assert_eq!(
            x.call("addBlackList", black.clone()).await?["ActionStatus"],
            "OK"
        );
        let get = json!({"From_Account": A16, "StartIndex": 0, "MaxLimited": 30,
            "LastSequence": 0});
        let listed = x.call("getBlackList", get.clone()).await?;
        assert_eq!(listed["BlackListItem"][0]["To_Account"], A18, "{listed}");
        assert_eq!(
            x.call("deleteBlackList", black).await?["ActionStatus"],
            "OK"
        );
        let listed = x.call("getBlackList", get).await?;
        assert_eq!(listed["BlackListItem"].as_array().map_or(0, Vec::len), 0);

        // 1.7 hears the changes in its own shapes; 1.2 has no such listeners.
        if sdk == Sdk::V17 {
            y.until("T.friendNotices.length > 0 && T.profileNotices.length > 0")
                .await?;
            y.until("T.readNotices.length > 0").await?;
        }

        // After all those notices, quiet: the long polls are held, not spinning.
        let started = polls_through_quiet(&[&x, &y]).await?;
        assert!(
            started.iter().all(|&n| n <= 1),
            "long polls in {QUIET:?}: {started:?}"
        );
        x.clean().await?;
        y.clean().await?;
        x.ok("T.offline(arguments[0])").await?;
        y.ok("T.offline(arguments[0])").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
#[ignore = "needs Tencent's files in ../shared/real-clients: cargo xtask test runs it"]
async fn webim_js_1_2_runs_every_call_of_the_seed_guide() {
    seed_guide(Sdk::V12).await;
}

#[tokio::test]
#[ignore = "needs Tencent's files in ../shared/real-clients: cargo xtask test runs it"]
async fn webim_js_1_7_runs_every_call_of_the_seed_guide() {
    seed_guide(Sdk::V17).await;
}

/// Long polls the app in `driver` finished so far (held ones finish at their timeout).
async fn app_polls(driver: &WebDriver) -> Result<u64, HarnessError> {
    let script = "return performance.getEntriesByType('resource')\
                  .filter(e => e.name.includes('/openim/longpolling')).length;";
    Ok(driver
        .execute(script, vec![])
        .await?
        .json()
        .as_u64()
        .unwrap_or(0))
}

#[tokio::test]
#[ignore = "needs Tencent's files in ../shared/real-clients: cargo xtask test runs it"]
async fn a_1_2_page_a_1_7_page_and_the_app_chat_with_each_other() {
    with_clients(|clients, site, browsers| async move {
        let old = Page::open(&browsers, &clients, &site, Sdk::V12, A16).await?;
        let new = Page::open(&browsers, &clients, &site, Sdk::V17, A17).await?;
        let app = browsers.window(1000, 700).await?;
        login(&app, &site.url(), PEAKER).await?;

        old.send(PEAKER, "来自 1.2", None).await?;
        new.send(PEAKER, "来自 1.7", Some("[惊讶]")).await?;
        for (peer, text) in [(A16, "来自 1.2"), (A17, "来自 1.7")] {
            app.goto(format!("{}/chat/{peer}", site.url())).await?;
            wait_text(&app, "#message-list", WAIT, |t| t.contains(text)).await?;
            say(&app, &format!("应用回复 {peer}")).await?;
        }
        old.received(PEAKER, &format!("应用回复 {A16}")).await?;
        new.received(PEAKER, &format!("应用回复 {A17}")).await?;
        old.send(A17, "1.2 对 1.7", None).await?;
        new.received(A16, "1.2 对 1.7").await?;
        new.send(A16, "1.7 对 1.2", None).await?;
        old.received(A17, "1.7 对 1.2").await?;

        // A profile change, a friend change and read reports, then quiet.
        let nick = json!({"From_Account": A17,
            "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "一点七"}]});
        new.call("setProfilePortrait", nick).await?;
        let add = json!({"From_Account": A16, "AddFriendItem": [{"To_Account": A17,
            "AddSource": "AddSource_Type_Unknow"}]});
        old.call("applyAddFriend", add).await?;
        assert_eq!(old.value(&format!("T.read({A17:?})")).await?, json!(0));
        assert_eq!(new.value(&format!("T.read({A16:?})")).await?, json!(0));
        new.until("T.profileNotices.length > 0 && T.friendNotices.length > 0")
            .await?;
        let app_before = app_polls(&app).await?;
        let started = polls_through_quiet(&[&old, &new]).await?;
        let app_started = app_polls(&app).await? - app_before;
        assert!(
            started.iter().all(|&n| n <= 1) && app_started <= 2,
            "long polls in {QUIET:?}: 1.2 and 1.7 {started:?}, the app {app_started}"
        );
        old.clean().await?;
        new.clean().await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
#[ignore = "needs Tencent's files in ../shared/real-clients: cargo xtask test runs it"]
async fn a_1_7_page_and_the_app_exchange_pictures_and_another_1_7_page_sees_one() {
    with_clients(|clients, site, browsers| async move {
        let sender = Page::open(&browsers, &clients, &site, Sdk::V17, A17).await?;
        let reader = Page::open(&browsers, &clients, &site, Sdk::V17, A16).await?;
        let app = browsers.window(1000, 700).await?;
        login(&app, &site.url(), PEAKER).await?;
        for peer in [PEAKER, A16] {
            let sent = sender
                .driver
                .execute_async(
                    "T.sendPicture(arguments[0], 640, 480, arguments[1])",
                    vec![json!(peer)],
                )
                .await?
                .json()
                .clone();
            if sent.get("ok").is_none() {
                return Err(failed(format!(
                    "1.7 could not send a picture to {peer}: {sent}"
                )));
            }
        }
        // The app shows the thumbnail, loaded, in the space it kept for it.
        app.goto(format!("{}/chat/{A17}", site.url())).await?;
        let width = picture_loaded(&app).await?;
        let kept = app.find(By::Css("#message-list .picture img")).await?;
        let shown = json!([width, kept.attr("width").await?, kept.attr("height").await?]);
        // The large size (640 × 480 fits in it whole), shown in 240 × 180.
        assert_eq!(shown, json!([640, "240", "180"]));
        wait_text(&app, "#session-list", WAIT, |t| t.contains("[图片]")).await?;
        screenshot(&app, "picture-from-1-7").await?;
        // The other 1.7 page gets the picture with addresses of its own, which load there.
        let url = reader.picture_from(A17).await?;
        assert!(url.contains(&format!("reader={A16}")), "{url}");
        assert_eq!(reader.picture_width(&url).await?, json!(198));
        // And back: the app sends a picture to the 1.7 page, which loads its address.
        pick(&app, 300, 200, "reply.png").await?;
        app.find(By::Id("attach-send")).await?.click().await?;
        let url = sender.picture_from(PEAKER).await?;
        let width = sender.picture_width(&url).await?;
        assert_eq!(width, json!(198), "the small size of 300 × 200");
        // A file too: 1.7 builds its address from openim/authkey's answer and fetches it.
        pick(&app, 0, 5_000, "notes.pdf").await?;
        app.find(By::Id("attach-send")).await?.click().await?;
        let got = sender.received(PEAKER, "file:").await?;
        let url = got["elems"][0]
            .as_str()
            .unwrap_or_default()
            .trim_start_matches("file:");
        assert!(
            url.contains("/asn.com/stddownload_common_file?authkey="),
            "{url}"
        );
        let script = "T.fetchLength(arguments[0], arguments[1])";
        let fetched = sender
            .driver
            .execute_async(script, vec![json!(url)])
            .await?;
        assert_eq!(fetched.json(), &json!(5_000), "the file, whole");
        sender.clean().await?;
        reader.clean().await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
#[ignore = "needs Tencent's files in ../shared/real-clients: cargo xtask test runs it"]
async fn the_official_1_7_demo_logs_in_lists_friends_and_sends() {
    with_clients(|clients, site, browsers| async move {
        // A conversation to open: the app's message makes a recent contact.
        let app = browsers.window(1000, 700).await?;
        login(&app, &site.url(), PEAKER).await?;
        app.goto(format!("{}/chat/{A16}", site.url())).await?;
        say(&app, "欢迎来到演示").await?;

        let demo = browsers.window(1200, 800).await?;
        demo.goto(clients.demo()).await?;
        let (sig, _) = site.demo_sig(A16).await?;
        wait_text(&demo, "#login_dialog", WAIT, |t| t.contains("identifier")).await?;
        demo.find(By::Id("login_account"))
            .await?
            .send_keys(A16)
            .await?;
        demo.execute(
            "document.getElementById('login_pwd').value = arguments[0]; independentModeLogin();",
            vec![json!(sig)],
        )
        .await?;
        wait_text(&demo, "#t_my_name", WAIT, |t| t == "七月流火2016").await?;
        wait_text(&demo, ".sesslist", WAIT, |t| t.contains(PEAKER)).await?;
        demo.execute("getMyFriend()", vec![]).await?;
        wait_text(&demo, "#get_my_friend_table", WAIT, |t| t.contains(PEAKER)).await?;
        demo.execute("$('#get_my_friend_dialog').modal('hide')", vec![])
            .await?;
        wait_text(&demo, ".msgflow", WAIT, |t| t.contains("欢迎来到演示")).await?;
        demo.execute(
            "document.getElementById('send_msg_text').value = '演示的回复'; onSendMsg();",
            vec![],
        )
        .await?;
        wait_text(&app, "#message-list", WAIT, |t| t.contains("演示的回复")).await?;
        let probe = demo
            .execute(
                "return {errors: __probe.errors, alerts: __probe.alerts};",
                vec![],
            )
            .await?
            .json()
            .clone();
        assert_eq!(
            probe,
            json!({"errors": [], "alerts": []}),
            "the demo's page"
        );
        Ok(())
    })
    .await;
}
