//! Finding 10: upload slices in flight. A slice's body may be megabytes; with nothing but
//! the connection caps, every connection of every address could hold one in memory at
//! once. Now only a few are read at a time, and an account only its share of those.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use webim_server::usersig::SigKey;

use super::binary::Binary;
use crate::harness::{A16, A17, A18, A19, APP_ID, KEY, PEAKER, now};

/// Connections that each send most of a largest slice and keep the rest.
const HELD: usize = 40;

/// The request line and headers of `who`'s slice, declaring a body of `length` bytes.
fn slice_head(key: &SigKey, who: &str, length: usize) -> String {
    let sig = key.mint(who, now(), 3600);
    format!(
        "POST /v4/openpic/pic_up?identifier={who}&usersig={sig}&sdkappid={APP_ID}\
         &contenttype=json HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {length}\r\n\r\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_forty_held_upload_slices_keep_resident_memory_low_and_uploads_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let server = Binary::start(dir.path(), &["--max-upload-bodies", "4"]).await;
    let port: u16 = server.base.rsplit(':').next().unwrap().parse().unwrap();
    let key = SigKey::new(APP_ID, KEY);
    let before = server.peak_resident_kb();
    // A 2 MB slice in base64, all but its end: the server reads what it is let read.
    let body = Arc::new(format!(
        r#"{{"From_Account":"x","To_Account":"{A16}","Slice_Data":"{}"#,
        "A".repeat(2_666_000)
    ));
    let accounts = [PEAKER, A16, A17, A18, A19];
    let mut held = tokio::task::JoinSet::new();
    for i in 0..HELD {
        let head = slice_head(&key, accounts[i % accounts.len()], body.len() + 64);
        let body = Arc::clone(&body);
        held.spawn(async move {
            let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
            stream.write_all(head.as_bytes()).await.unwrap();
            // A server that does not read fills the socket's buffers: the write then
            // waits, and the connection is kept all the same.
            let _ = tokio::time::timeout(Duration::from_secs(8), stream.write_all(body.as_bytes()))
                .await;
            stream
        });
    }
    let streams = held.join_all().await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let grew_mb = server.peak_resident_kb().saturating_sub(before) / 1024;
    // Four slices read at once: about 11 MB. Forty would be well over 100.
    assert!(
        grew_mb < 48,
        "{HELD} held slices grew the server by {grew_mb} MB"
    );
    drop(streams);
    // The held slices gave their turns back: a whole upload goes through.
    let client = reqwest::Client::new();
    let slice = serde_json::json!({
        "From_Account": PEAKER, "To_Account": A16, "Busi_Id": 2, "File_Type": 2,
        "File_Str_Md5": "", "PkgFlag": 1, "File_Size": 3, "Slice_Offset": 0,
        "Slice_Size": 3, "Slice_Data": "AAAA", "Seq": 1, "Timestamp": 1, "Random": 1
    });
    let sig = key.mint(PEAKER, now(), 3600);
    let url = format!(
        "{}/v4/openpic/pic_up?identifier={PEAKER}&usersig={sig}&sdkappid={APP_ID}\
         &contenttype=json",
        server.base
    );
    let request = client
        .post(url)
        .body(slice.to_string())
        .timeout(Duration::from_secs(10));
    let answer: serde_json::Value =
        serde_json::from_str(&crate::harness::text_of(request).await).unwrap();
    assert_eq!(answer["ActionStatus"], "OK", "{answer}");
}
