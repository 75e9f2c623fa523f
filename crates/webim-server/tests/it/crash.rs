//! Crash safety: the real `webim-server` binary is killed with SIGKILL while four clients
//! send, and started again on the same data. Every message whose send was answered OK is
//! there exactly once afterwards, and the clients, which kept running and resent what was
//! not answered (same identity), finish without starting over.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command as Process, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use webim_proto::Command;
use webim_server::usersig::SigKey;

use crate::harness::{A16, A17, A18, A19, APP_ID, KEY, PEAKER, now, text_msg};

const EACH: u64 = 150;

fn start(data: &Path, port: u16) -> Child {
    Process::new(env!("CARGO_BIN_EXE_webim-server"))
        .args(["--data", &data.display().to_string()])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--sdkappid", &APP_ID.to_string(), "--secret-key", KEY])
        .args(["--dist", "/nonexistent"])
        .env("WEBIM_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts")
}

/// A loopback port nobody listens on, and the base URL a server there has.
fn free_base() -> (u16, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    (port, format!("http://127.0.0.1:{port}"))
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if client.get(format!("{base}/healthz")).send().await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not come up at {base}");
}

fn url(base: &str, key: &SigKey, who: &str, command: Command) -> String {
    let version = webim_proto::Dialect::Classic.version(command.area());
    format!(
        "{base}/{version}/{}?identifier={who}&usersig={}&sdkappid={APP_ID}&contenttype=json",
        command.path(),
        key.mint(who, now(), 3600)
    )
}

/// Sends `EACH` messages from `sender`, each resent (same identity) until answered OK.
async fn sender(
    client: reqwest::Client,
    base: String,
    sender: &'static str,
    acked: Arc<AtomicU64>,
) {
    let key = SigKey::new(APP_ID, KEY);
    for seq in 1..=EACH {
        let body = text_msg(sender, PEAKER, seq, 77, &format!("{sender} #{seq}")).to_string();
        loop {
            let answer = client
                .post(url(&base, &key, sender, Command::SendMsg))
                .timeout(Duration::from_secs(10))
                .body(body.clone())
                .send()
                .await;
            let text = match answer {
                Ok(response) => response.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if serde_json::from_str::<Value>(&text).is_ok_and(|v| v["ActionStatus"] == "OK") {
                acked.fetch_add(1, Ordering::SeqCst);
                break;
            }
            // The server is down (or going down): try again shortly, as the SDK does.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Every message of the conversation `peer` → PEAKER, from PEAKER's history.
async fn history(client: &reqwest::Client, base: &str, peer: &str) -> Vec<u64> {
    let key = SigKey::new(APP_ID, KEY);
    let (mut seqs, mut last_key) = (Vec::new(), String::new());
    loop {
        let body = json!({"Peer_Account": peer, "MaxCnt": 100, "LastMsgKey": last_key});
        let request = client
            .post(url(base, &key, PEAKER, Command::GetRoamMsg))
            .body(body.to_string());
        let text = crate::harness::text_of(request).await;
        let page: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(page["ActionStatus"], "OK", "{page}");
        for msg in page["MsgList"].as_array().unwrap() {
            seqs.push(msg["MsgSeq"].as_u64().unwrap());
        }
        if page["Complete"] == 1 {
            return seqs;
        }
        last_key = page["LastMsgKey"].as_str().unwrap().to_owned();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_acknowledged_sends_survive_a_sigkill_and_clients_resume() {
    let dir = tempfile::tempdir().unwrap();
    let (port, base) = free_base();
    let client = reqwest::Client::new();
    let mut server = start(dir.path(), port);
    wait_ready(&client, &base).await;

    let acked = Arc::new(AtomicU64::new(0));
    let mut senders = tokio::task::JoinSet::new();
    for who in [A16, A17, A18, A19] {
        senders.spawn(sender(
            client.clone(),
            base.clone(),
            who,
            Arc::clone(&acked),
        ));
    }
    while acked.load(Ordering::SeqCst) < 4 * EACH / 3 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().expect("SIGKILL");
    server.wait().unwrap();
    let at_kill = acked.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut server = start(dir.path(), port);
    wait_ready(&client, &base).await;
    let finished = tokio::time::timeout(Duration::from_secs(120), async {
        while let Some(done) = senders.join_next().await {
            done.unwrap();
        }
    })
    .await;
    assert!(finished.is_ok(), "the clients finish after the restart");
    assert!(
        at_kill < 4 * EACH,
        "the kill came mid-stream ({at_kill} acknowledged)"
    );

    let mut counts: BTreeMap<(&str, u64), usize> = BTreeMap::new();
    for peer in [A16, A17, A18, A19] {
        for seq in history(&client, &base, peer).await {
            *counts.entry((peer, seq)).or_default() += 1;
        }
    }
    for peer in [A16, A17, A18, A19] {
        for seq in 1..=EACH {
            assert_eq!(
                counts.get(&(peer, seq)).copied(),
                Some(1),
                "{peer} #{seq} is there exactly once"
            );
        }
    }
    assert_eq!(counts.len() as u64, 4 * EACH, "and nothing else");
    server.kill().unwrap();
    server.wait().unwrap();
}

/// One slice of `bytes` (from `offset`, `len` bytes) of the upload named `random`.
async fn slice(
    client: &reqwest::Client,
    base: &str,
    kind: u32,
    bytes: &[u8],
    (offset, len, random): (usize, usize, u64),
) -> Value {
    use base64::Engine;
    let part = &bytes[offset..(offset + len).min(bytes.len())];
    let body = json!({"To_Account": A16, "File_Type": kind, "PkgFlag": 1,
        "File_Size": bytes.len(), "Slice_Offset": offset, "Slice_Size": part.len(),
        "Slice_Data": base64::engine::general_purpose::STANDARD.encode(part),
        "Seq": 1, "Timestamp": 1, "Random": random});
    let key = SigKey::new(APP_ID, KEY);
    let request = client
        .post(url(base, &key, PEAKER, Command::PicUp))
        .body(body.to_string());
    serde_json::from_str(&crate::harness::text_of(request).await).unwrap()
}

/// `who`'s pull from an empty cookie (what a fresh client gets).
async fn fresh_pull(client: &reqwest::Client, base: &str, who: &str) -> Value {
    let key = SigKey::new(APP_ID, KEY);
    let request = client
        .post(url(base, &key, who, Command::GetMsg))
        .body(json!({"Cookie": "", "SyncFlag": 0}).to_string());
    serde_json::from_str(&crate::harness::text_of(request).await).unwrap()
}

/// A file's upload killed with SIGKILL between two slices: the picture sent before is
/// whole afterwards, the upload goes on from where it was answered, and the file then
/// sent downloads byte for byte: no message names bytes that are not there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_sigkill_mid_upload_leaves_no_message_naming_missing_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (port, base) = free_base();
    let client = reqwest::Client::new();
    let key = SigKey::new(APP_ID, KEY);
    let mut server = start(dir.path(), port);
    wait_ready(&client, &base).await;
    let send = |elem: Value, seq: u64| {
        let msg = json!({"From_Account": PEAKER, "To_Account": A16, "MsgSeq": seq,
            "MsgRandom": 1, "MsgTimeStamp": 0, "MsgBody": [elem]});
        client
            .post(url(&base, &key, PEAKER, Command::SendMsg))
            .body(msg.to_string())
    };
    let picture = crate::pictures::png_of(300, 200);
    let done = slice(&client, &base, 1, &picture, (0, picture.len(), 1)).await;
    let uuid = done["File_UUID"].as_str().unwrap().to_owned();
    let image = json!({"MsgType": "TIMImageElem", "MsgContent": {"UUID": uuid}});
    assert!(
        crate::harness::text_of(send(image, 1))
            .await
            .contains("\"OK\"")
    );

    let file: Vec<u8> = (0..1_000_000u32).map(|i| (i * 13 % 251) as u8).collect();
    const STEP: usize = 100_000;
    for offset in (0..3 * STEP).step_by(STEP) {
        let answer = slice(&client, &base, 2, &file, (offset, STEP, 2)).await;
        assert_eq!(answer["Next_Offset"], offset + STEP, "{answer}");
    }
    server.kill().expect("SIGKILL");
    server.wait().unwrap();
    let mut server = start(dir.path(), port);
    wait_ready(&client, &base).await;

    // The picture sent before is whole.
    let got = fresh_pull(&client, &base, A16).await;
    for info in got["MsgList"][0]["MsgBody"][0]["MsgContent"]["ImageInfoArray"]
        .as_array()
        .unwrap()
    {
        let status = client
            .get(info["URL"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(status.status(), 200, "{info}");
    }
    // The upload goes on from where it was answered, and its file comes back whole.
    let mut last = Value::Null;
    for offset in (3 * STEP..file.len()).step_by(STEP) {
        last = slice(&client, &base, 2, &file, (offset, STEP, 2)).await;
    }
    assert_eq!(last["IsFinish"], 1, "{last}");
    let uuid = last["File_UUID"].as_str().unwrap().to_owned();
    let elem = json!({"MsgType": "TIMFileElem", "MsgContent": {"UUID": uuid, "FileName": "f.bin"}});
    assert!(
        crate::harness::text_of(send(elem, 2))
            .await
            .contains("\"OK\"")
    );
    let got = fresh_pull(&client, &base, A16).await;
    let msgs = got["MsgList"].as_array().unwrap();
    let href = msgs
        .iter()
        .find_map(|m| m["MsgBody"][0]["MsgContent"]["URL"].as_str())
        .unwrap()
        .to_owned();
    let bytes = client
        .get(&href)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes.as_ref(), file.as_slice(), "byte for byte");
    server.kill().unwrap();
    server.wait().unwrap();
}
