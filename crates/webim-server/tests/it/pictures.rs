//! Pictures and files through a real server: sliced uploads over HTTP, a message naming
//! them, the reader's own addresses, and what those addresses serve (and to whom).

use std::io::Cursor;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use image::{DynamicImage, ImageBuffer, ImageFormat, Rgb};
use reqwest::StatusCode;
use serde_json::{Value, json};
use webim_proto::Command;
use webim_service::blob::samples::{SECRET, contains, with_exif};

use crate::harness::{A16, A17, PEAKER, TestServer};

fn photo(width: u32, height: u32) -> Vec<u8> {
    let pixels = ImageBuffer::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(pixels)
        .write_to(&mut out, ImageFormat::Jpeg)
        .unwrap();
    with_exif(&out.into_inner(), 1)
}

/// A `width` × `height` PNG.
pub fn png_of(width: u32, height: u32) -> Vec<u8> {
    let pixels = ImageBuffer::from_fn(width, height, |x, _| Rgb([x as u8, 40, 200]));
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(pixels)
        .write_to(&mut out, ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// Uploads `bytes` as `who` for `to`, `slice` bytes a request; the last answer.
async fn upload(
    s: &TestServer,
    who: &str,
    to: &str,
    kind: u32,
    bytes: &[u8],
    slice: usize,
) -> Value {
    let mut answer = Value::Null;
    for (i, chunk) in bytes.chunks(slice).enumerate() {
        let body = json!({
            "From_Account": who, "To_Account": to, "Busi_Id": 2, "File_Type": kind,
            "File_Str_Md5": "", "PkgFlag": 1, "File_Size": bytes.len(),
            "Slice_Offset": i * slice, "Slice_Size": chunk.len(),
            "Slice_Data": STANDARD.encode(chunk), "Seq": 3, "Timestamp": 1_700, "Random": kind
        });
        let (status, got) = s.post(&s.url(who, Command::PicUp), body.to_string()).await;
        assert_eq!(status, StatusCode::OK, "{got}");
        answer = got;
        if answer["ActionStatus"] != "OK" {
            break;
        }
    }
    answer
}

async fn send(s: &TestServer, who: &str, to: &str, seq: u64, elem: Value) -> Value {
    let msg = json!({"From_Account": who, "To_Account": to, "MsgSeq": seq, "MsgRandom": 1,
                     "MsgTimeStamp": 0, "MsgBody": [elem]});
    s.call(who, Command::SendMsg, msg).await.1
}

async fn fetch(s: &TestServer, url: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let response = s.client.get(url).send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn test_a_photo_goes_up_in_slices_and_only_its_two_people_can_fetch_it_clean() {
    let s = TestServer::start().await;
    let original = photo(1_600, 1_200);
    assert!(contains(&original, SECRET));
    let up = upload(&s, PEAKER, A16, 1, &original, 16 * 1024).await;
    assert_eq!(up["IsFinish"], 1, "{up}");
    let uuid = up["File_UUID"].as_str().unwrap().to_owned();
    let own = up["URL_INFO"][0]["DownUrl"].as_str().unwrap();
    assert!(
        own.starts_with(&format!("{}/webim/blob/{uuid}/", s.base)),
        "{own}"
    );

    let sent = send(
        &s,
        PEAKER,
        A16,
        1,
        json!({"MsgType": "TIMImageElem",
        "MsgContent": {"UUID": uuid, "ImageInfoArray": []}}),
    )
    .await;
    assert_eq!(sent["ActionStatus"], "OK", "{sent}");
    let got = s
        .ok(A16, Command::GetMsg, json!({"Cookie": "", "SyncFlag": 0}))
        .await;
    let infos = got["MsgList"][0]["MsgBody"][0]["MsgContent"]["ImageInfoArray"].clone();
    let url_of = |kind: u64| {
        let info = infos
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["Type"] == kind)
            .unwrap();
        info["URL"].as_str().unwrap().to_owned()
    };
    let (status, headers, small) = fetch(&s, &url_of(3)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    let thumb = image::load_from_memory(&small).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (198, 149));
    // As a browser asks (compressed answers taken, which the server's compression layer
    // reads to the end of the stream, and once more).
    let zipped = s
        .client
        .get(url_of(2))
        .header("accept-encoding", "gzip, br");
    let zipped = zipped.send().await.unwrap();
    assert_eq!(zipped.status(), StatusCode::OK);
    assert!(
        !zipped.bytes().await.unwrap().is_empty(),
        "the whole answer came"
    );
    let (_, _, kept) = fetch(&s, &url_of(1)).await;
    assert!(!contains(&kept, SECRET), "the EXIF block went");
    assert_eq!(image::load_from_memory(&kept).unwrap().width(), 1_600);

    // Someone else with the reader's address, or a ticket bent to another reader: no.
    let bent = url_of(3).replace(&format!("reader={A16}"), &format!("reader={A17}"));
    assert_eq!(fetch(&s, &bent).await.0, StatusCode::FORBIDDEN);
    let forged = format!(
        "{}/webim/blob/{uuid}/small?reader={A17}&t=99999999999.AAAA",
        s.base
    );
    assert_eq!(fetch(&s, &forged).await.0, StatusCode::FORBIDDEN);
    let other = format!(
        "{}/webim/blob/{}/small?reader={A16}&t=1.a",
        s.base,
        "0".repeat(32)
    );
    assert_eq!(fetch(&s, &other).await.0, StatusCode::FORBIDDEN);
    s.stop().await;
}

#[tokio::test]
async fn test_a_file_downloads_byte_identical_as_an_attachment() {
    let s = TestServer::start().await;
    let pdf: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let up = upload(&s, PEAKER, A16, 2, &pdf, 100_000).await;
    let uuid = up["File_UUID"].as_str().unwrap().to_owned();
    let sent = send(
        &s,
        PEAKER,
        A16,
        2,
        json!({"MsgType": "TIMFileElem",
        "MsgContent": {"UUID": uuid, "FileName": "报告.pdf", "FileSize": 1}}),
    )
    .await;
    assert_eq!(sent["ActionStatus"], "OK", "{sent}");
    let got = s
        .ok(A16, Command::GetMsg, json!({"Cookie": "", "SyncFlag": 0}))
        .await;
    let file = &got["MsgList"][0]["MsgBody"][0]["MsgContent"];
    assert_eq!(file["FileSize"], pdf.len());
    let url = format!("{}&name=报告.pdf", file["URL"].as_str().unwrap());
    let (status, headers, bytes) = fetch(&s, &url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, pdf, "byte-identical");
    assert_eq!(headers["content-type"], "application/octet-stream");
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    s.stop().await;
}

#[tokio::test]
async fn test_a_disguised_picture_is_refused_and_a_slice_needs_a_credential_first() {
    let s = TestServer::start().await;
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";
    let refused = upload(&s, PEAKER, A16, 1, svg, 1_000).await;
    assert_eq!(refused["ErrorCode"], 91003, "{refused}");
    // 1.7's slice (1,080 KB, in base64) fits; the same body on another command does not.
    let slice = vec![9u8; 1_080 * 1024];
    let up = upload(&s, PEAKER, A16, 2, &slice, slice.len()).await;
    assert_eq!(up["IsFinish"], 1, "{up}");
    let big = json!({"Text": "x".repeat(1_500_000)}).to_string();
    let (status, _) = s
        .post(&s.url(PEAKER, Command::PortraitGet), big.clone())
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // Without a valid credential a large slice is refused before its body is read.
    let url = s
        .url(PEAKER, Command::PicUp)
        .replace("usersig=", "usersig=x");
    let (status, answer) = s.post(&url, big).await;
    assert_ne!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
    assert_eq!(answer["ActionStatus"], "FAIL");
    s.stop().await;
}

/// webim.js 1.7's own address for a received file, from `openim/authkey`'s answer: the
/// recipient's key fetches the file; another account's key, or a forged one, does not.
#[tokio::test]
async fn test_the_address_17_builds_from_its_authkey_serves_only_the_files_two_people() {
    let s = TestServer::start().await;
    let file: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
    let up = upload(&s, PEAKER, A16, 2, &file, 20_000).await;
    let uuid = up["File_UUID"].as_str().unwrap().to_owned();
    let elem = json!({"MsgType": "TIMFileElem", "MsgContent": {"UUID": uuid, "FileName": "a.bin"}});
    assert_eq!(send(&s, PEAKER, A16, 3, elem).await["ActionStatus"], "OK");
    let key_of = async |who: &str| {
        let answer = s.ok(who, Command::AuthKey, json!({})).await;
        let host = answer["IpList"][0].as_str().unwrap().to_owned();
        (host, answer["AuthKey"].as_str().unwrap().to_owned())
    };
    let (host, key) = key_of(A16).await;
    assert_eq!(
        format!("http://{host}"),
        s.base,
        "1.7 writes http:// before the host"
    );
    let address = |key: &str| {
        format!(
            "http://{host}/asn.com/stddownload_common_file?authkey={key}&bid=10001&subbid=1\
             &fileid={uuid}&filetype=2107&openid={PEAKER}&ver=0&filename=a.bin"
        )
    };
    let (status, headers, bytes) = fetch(&s, &address(&key)).await;
    assert_eq!((status, bytes == file), (StatusCode::OK, true));
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("a.bin")
    );
    let (_, other) = key_of(A17).await;
    assert_eq!(fetch(&s, &address(&other)).await.0, StatusCode::NOT_FOUND);
    let forged = key.replacen(A16, A17, 1);
    assert_eq!(fetch(&s, &address(&forged)).await.0, StatusCode::FORBIDDEN);
    s.stop().await;
}
