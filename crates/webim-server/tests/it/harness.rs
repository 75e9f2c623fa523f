//! A real server for each test: a fresh data directory with a real SQLite file, the
//! binary's own router on a free loopback port, and a real HTTP client that calls it as
//! the SDK does (the seed's URLs and query).

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::sync::oneshot;
use webim_proto::Command;
use webim_server::store::SqliteStore;
use webim_server::usersig::SigKey;
use webim_server::{AppState, Settings};

pub const PEAKER: &str = "peakerdong";
pub const A16: &str = "qiyueluhuo2016";
pub const A17: &str = "qiyueluhuo2017";
pub const A18: &str = "qiyueluhuo2018";
pub const A19: &str = "qiyueluhuo2019";

pub const APP_ID: u64 = 1_400_000_001;
pub const KEY: &str = "test-key-0123456789abcdef";

pub struct TestServer {
    pub base: String,
    pub key: SigKey,
    pub state: AppState,
    pub client: reqwest::Client,
    pub _dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

pub fn settings() -> Settings {
    Settings {
        demo: true,
        poll_timeout: Duration::from_secs(30),
        body_limit: 64 * 1024,
        sig_expire: Duration::from_secs(3600),
        sig_max_expire: Duration::from_secs(180 * 86_400),
        dist: None,
        nats: None,
        recheck: Duration::from_secs(3),
        trusted_proxies: Vec::new(),
        allowed_origins: Vec::new(),
        limits: webim_server::limits::Limits::default(),
        metrics_here: true,
        public_origin: None,
        blob_dir: None,
    }
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(settings()).await
    }

    pub async fn start_with(mut settings: Settings) -> Self {
        let dir = tempfile::tempdir().unwrap();
        settings
            .blob_dir
            .get_or_insert_with(|| dir.path().join("blobs"));
        let store = SqliteStore::open(&dir.path().join("webim.sqlite3"))
            .await
            .unwrap();
        let key = SigKey::new(APP_ID, KEY);
        let state = webim_server::state::open(store, key.clone(), settings)
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let serving = state.clone();
        let task = tokio::spawn(async move {
            let _ = webim_server::app::serve(listener, serving, async {
                let _ = stopped.await;
            })
            .await;
        });
        Self {
            base,
            key,
            state,
            client: reqwest::Client::new(),
            _dir: dir,
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub fn sig(&self, who: &str) -> String {
        self.key.mint(who, now(), 3600)
    }

    /// The URL of `command` for `who` with a valid sig, as webim.js builds it.
    pub fn url(&self, who: &str, command: Command) -> String {
        self.url_with(
            command,
            &format!("identifier={who}&usersig={}", self.sig(who)),
        )
    }

    pub fn url_with(&self, command: Command, query: &str) -> String {
        let version = webim_proto::Dialect::Classic.version(command.area());
        format!(
            "{}/{version}/{}?{query}&sdkappid={APP_ID}&contenttype=json&reqtime={}",
            self.base,
            command.path(),
            now()
        )
    }

    /// POSTs `body` to `url`; the status and the parsed answer.
    pub async fn post(&self, url: &str, body: String) -> (StatusCode, Value) {
        let response = self.client.post(url).body(body).send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        let value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{url} answered {status} with non-JSON {text:?}: {e}"));
        (status, value)
    }

    /// GETs `path` (e.g. `/metrics`); the answer's text.
    pub async fn get_text(&self, path: &str) -> String {
        text_of(self.client.get(format!("{}{path}", self.base))).await
    }

    pub async fn call(&self, who: &str, command: Command, body: Value) -> (StatusCode, Value) {
        self.post(&self.url(who, command), body.to_string()).await
    }

    /// Calls and asserts the answer is OK.
    pub async fn ok(&self, who: &str, command: Command, body: Value) -> Value {
        let (status, answer) = self.call(who, command, body.clone()).await;
        assert_eq!(
            (status, &answer["ActionStatus"]),
            (StatusCode::OK, &json!("OK")),
            "{} {body} → {answer}",
            command.path()
        );
        answer
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.state.store().close().await;
    }
}

/// A PostgreSQL store on a fresh database (a private server unless
/// WEBIM_TEST_POSTGRES_URL is set), migrated.
pub async fn fresh_postgres() -> webim_server::store::PgStore {
    let url = tokio::task::spawn_blocking(webim_testbed::fresh_database)
        .await
        .unwrap()
        .unwrap();
    webim_server::store::PgStore::open(&url).await.unwrap()
}

pub fn now() -> u64 {
    webim_server::backend::now().0
}

pub fn text_msg(from: &str, to: &str, seq: u64, random: u32, text: &str) -> Value {
    json!({
        "From_Account": from, "To_Account": to, "MsgSeq": seq, "MsgRandom": random,
        "MsgTimeStamp": 0,
        "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": text}}]
    })
}

/// Sends `request` and reads its answer as text (a test fails if either fails).
pub async fn text_of(request: reqwest::RequestBuilder) -> String {
    request.send().await.unwrap().text().await.unwrap()
}

/// Creates the account `id` (a real person's, anyone may add it) with `password`.
pub async fn add_account(s: &TestServer, id: &str, password: &str) {
    let id = webim_proto::AccountId::new(id).unwrap();
    s.state
        .backend()
        .service()
        .create_account(webim_service::NewAccount {
            id: id.clone(),
            nick: "Real Person".to_owned(),
            gender: webim_proto::Gender::Female,
            allow_type: webim_proto::AllowType::AllowAny,
        })
        .await
        .unwrap();
    webim_server::credentials::set_password(s.state.store(), &id, password, now())
        .await
        .unwrap();
}
