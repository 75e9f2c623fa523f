//! Pictures and files through the service with the test double for the shell's half:
//! sliced uploads, what a message may name, the addresses each reader is given, who may
//! download, and what is left behind by a refusal, a reset or an upload given up.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures::executor::block_on;
use serde_json::{Value, json};
use webim_proto::{AccountId, Command, ErrorCode, Timestamp};
use webim_service::blob::{BlobId, BlobStore, Limits, TestFiles, Variant};
use webim_service::service::Failure;
use webim_service::{Json, MemoryStore, Service};

use crate::harness::{A16, A17, PEAKER};

struct Pics {
    service: Service<MemoryStore, TestFiles>,
    files: TestFiles,
    now: std::cell::Cell<u64>,
}

fn pics_with(limits: Option<Limits>) -> Pics {
    let files = limits.map(TestFiles::with_limits).unwrap_or_default();
    let service = Service::new(MemoryStore::new()).with_files(files.clone());
    block_on(service.ensure_seeded(Timestamp(1_000))).unwrap();
    Pics {
        service,
        files,
        now: std::cell::Cell::new(2_000),
    }
}

fn pics() -> Pics {
    pics_with(None)
}

/// A PNG's first bytes, `width` by `height`, padded to `len` bytes.
fn png(width: u32, height: u32, len: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.resize(len, 7);
    bytes
}

impl Pics {
    fn call(&self, who: &str, command: Command, body: Value) -> Value {
        self.now.set(self.now.get() + 1);
        let handled = block_on(self.service.handle_with(
            &Json,
            who,
            "sig",
            command,
            &body.to_string(),
            Timestamp(self.now.get()),
        ));
        serde_json::from_str(&handled.reply.unwrap()).unwrap()
    }

    /// Uploads `bytes` as `who` for `to` in slices of `slice` bytes, named by `random`;
    /// returns the last answer.
    fn upload(
        &self,
        who: &str,
        to: &str,
        kind: u32,
        bytes: &[u8],
        slice: usize,
        random: u64,
    ) -> Value {
        let mut answer = Value::Null;
        for (i, chunk) in bytes.chunks(slice).enumerate() {
            answer = self.call(
                who,
                Command::PicUp,
                json!({
                    "From_Account": who, "To_Account": to, "Busi_Id": 2, "File_Type": kind,
                    "File_Str_Md5": "", "PkgFlag": 1, "File_Size": bytes.len(),
                    "Slice_Offset": i * slice, "Slice_Size": chunk.len(),
                    "Slice_Data": STANDARD.encode(chunk), "Seq": 1, "Timestamp": 1_700,
                    "Random": random
                }),
            );
            if answer["ActionStatus"] != "OK" {
                return answer;
            }
        }
        answer
    }

    fn send(&self, who: &str, to: &str, body: Value) -> Value {
        self.call(
            who,
            Command::SendMsg,
            json!({"From_Account": who, "To_Account": to, "MsgSeq": self.now.get(),
                   "MsgRandom": 9, "MsgTimeStamp": 0, "MsgBody": body}),
        )
    }

    fn download(&self, reader: &str, uuid: &str, variant: Variant) -> Result<String, Failure> {
        let reader = AccountId::new(reader).unwrap();
        let uuid = BlobId::parse(uuid).unwrap();
        block_on(self.service.download(&reader, &uuid, variant)).map(|d| d.mime)
    }
}

fn refused_with(answer: &Value, code: ErrorCode) {
    assert_eq!(answer["ActionStatus"], "FAIL", "{answer}");
    assert_eq!(answer["ErrorCode"], code.code(), "{answer}");
}

#[test]
fn test_a_picture_goes_up_in_slices_and_each_reader_gets_its_own_addresses() {
    let p = pics();
    let photo = png(2_000, 1_000, 5_000);
    let up = p.upload(PEAKER, A16, 1, &photo, 2_048, 1);
    assert_eq!(up["IsFinish"], 1, "{up}");
    assert_eq!(up["Next_Offset"], 5_000);
    let uuid = up["File_UUID"].as_str().unwrap().to_owned();
    let sizes: Vec<_> = up["URL_INFO"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["PIC_TYPE"].as_u64().unwrap(),
                i["PIC_Width"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(sizes, [(1, 2_000), (4, 720), (2, 198)], "1.7's PIC_TYPEs");
    assert!(
        up["URL_INFO"][0]["DownUrl"]
            .as_str()
            .unwrap()
            .starts_with("test://peakerdong/")
    );

    // A name that is only spaces (or longer than a file name) is refused, not kept.
    let blank = p.send(
        PEAKER,
        A16,
        json!([{"MsgType": "TIMImageElem", "MsgContent": {"UUID": uuid, "FileName": "  "}}]),
    );
    assert_eq!(blank["ErrorCode"], 20001, "{blank}");
    // The sender's sizes are not trusted: the kept ones are written.
    let sent = p.send(
        PEAKER,
        A16,
        json!([
            {"MsgType": "TIMTextElem", "MsgContent": {"Text": "look"}},
            {"MsgType": "TIMImageElem", "MsgContent": {"UUID": uuid, "FileName": "harbour.png",
                "ImageInfoArray": [{"Type": 1, "Size": 1, "Width": 1, "Height": 1,
                                    "URL": "https://evil.example/"}]}}
        ]),
    );
    assert_eq!(sent["ActionStatus"], "OK", "{sent}");
    let got = p.call(A16, Command::GetMsg, json!({"Cookie": "", "SyncFlag": 0}));
    let image = &got["MsgList"][0]["MsgBody"][1]["MsgContent"];
    assert_eq!(image["UUID"], uuid.as_str());
    assert_eq!(image["FileName"], "harbour.png", "its text alternative");
    let infos = image["ImageInfoArray"].as_array().unwrap();
    assert_eq!(infos.len(), 3);
    assert_eq!(
        (infos[0]["Type"].clone(), infos[0]["Width"].clone()),
        (json!(1), json!(2_000))
    );
    assert_eq!(
        (infos[2]["Type"].clone(), infos[2]["Height"].clone()),
        (json!(3), json!(99))
    );
    for info in infos {
        let url = info["URL"].as_str().unwrap();
        assert!(url.starts_with(&format!("test://{A16}/{uuid}/")), "{url}");
    }
    let mine = p.call(
        PEAKER,
        Command::GetMsg,
        json!({"Cookie": "", "SyncFlag": 0}),
    );
    let url = &mine["MsgList"][0]["MsgBody"][1]["MsgContent"]["ImageInfoArray"][0]["URL"];
    assert!(
        url.as_str().unwrap().starts_with("test://peakerdong/"),
        "{url}"
    );
    let sessions = p.call(A16, Command::RecentContactGet, json!({"Count": 10}));
    assert_eq!(
        sessions["SessionItem"][0]["MsgShow"], "look[图片]",
        "{sessions}"
    );

    assert_eq!(p.download(A16, &uuid, Variant::Small).unwrap(), "image/png");
    assert_eq!(
        p.download(PEAKER, &uuid, Variant::Original).unwrap(),
        "image/png"
    );
    let third = p.download(A17, &uuid, Variant::Small).unwrap_err();
    assert!(
        matches!(third, Failure::Refused(ErrorCode::NoSuchAttachment, _)),
        "{third:?}"
    );
}

#[test]
fn test_a_file_is_named_by_its_message_and_sized_as_kept() {
    let p = pics();
    let pdf = b"%PDF-1.7\n".repeat(300);
    let up = p.upload(PEAKER, A16, 2, &pdf, 1_000, 2);
    assert_eq!(up["IsFinish"], 1, "{up}");
    assert!(
        up.get("URL_INFO").is_none() && up.get("Download_Flag").is_none(),
        "{up}"
    );
    let uuid = up["File_UUID"].as_str().unwrap().to_owned();
    let sent = p.send(
        PEAKER,
        A16,
        json!([{"MsgType": "TIMFileElem", "MsgContent":
        {"UUID": uuid, "FileName": "report.pdf", "FileSize": 1, "DownloadFlag": 2}}]),
    );
    assert_eq!(sent["ActionStatus"], "OK", "{sent}");
    let got = p.call(A16, Command::GetMsg, json!({"Cookie": "", "SyncFlag": 0}));
    let file = &got["MsgList"][0]["MsgBody"][0]["MsgContent"];
    assert_eq!(file["FileSize"], pdf.len());
    assert_eq!(file["FileName"], "report.pdf");
    assert!(
        file.get("Download_Flag").is_none(),
        "1.7 fails on a file with the flag"
    );
    assert!(
        file["URL"]
            .as_str()
            .unwrap()
            .starts_with(&format!("test://{A16}/{uuid}/original"))
    );
    assert_eq!(
        p.download(A16, &uuid, Variant::Original).unwrap(),
        "application/octet-stream"
    );

    let ask = json!({"request_info": [{"uuid": uuid, "busi_id": 2, "type": 1}]});
    let applied = p.call(A16, Command::ApplyDownload, ask.clone());
    assert_eq!(applied["error_code"], 0, "{applied}");
    assert!(
        applied["response_info"]["url"]
            .as_str()
            .unwrap()
            .starts_with("test://qiyueluhuo2016/")
    );
    refused_with(
        &p.call(A17, Command::ApplyDownload, ask),
        ErrorCode::NoSuchAttachment,
    );
}

#[test]
fn test_a_message_names_only_its_senders_finished_upload_for_that_recipient() {
    let p = pics();
    let up = p.upload(PEAKER, A16, 1, &png(10, 10, 100), 100, 3);
    let uuid = up["File_UUID"].as_str().unwrap().to_owned();
    let image = |uuid: &str| json!({"MsgType": "TIMImageElem", "MsgContent": {"UUID": uuid}});
    refused_with(
        &p.send(PEAKER, A17, json!([image(&uuid)])),
        ErrorCode::NoSuchAttachment,
    );
    refused_with(
        &p.send(A16, PEAKER, json!([image(&uuid)])),
        ErrorCode::NoSuchAttachment,
    );
    refused_with(
        &p.send(PEAKER, A16, json!([image("../../etc/passwd")])),
        ErrorCode::NoSuchAttachment,
    );
    let as_file =
        json!([{"MsgType": "TIMFileElem", "MsgContent": {"UUID": uuid, "FileName": "a"}}]);
    refused_with(&p.send(PEAKER, A16, as_file), ErrorCode::NoSuchAttachment);
    refused_with(
        &p.send(PEAKER, A16, json!([image(&uuid), image(&uuid)])),
        ErrorCode::InvalidPacket,
    );
    // An upload still under way is no attachment: its first slice only.
    let half = p.call(
        PEAKER,
        Command::PicUp,
        json!({"To_Account": A16, "File_Type": 2,
        "PkgFlag": 1, "File_Size": 20, "Slice_Offset": 0, "Slice_Size": 10,
        "Slice_Data": STANDARD.encode([1; 10]), "Seq": 1, "Timestamp": 1, "Random": 4}),
    );
    assert_eq!(half["IsFinish"], 0, "{half}");
    // The test double numbers its ids: the picture's upload and its three sizes came first.
    let mut fifth = [0x5a; 16];
    fifth[8..].copy_from_slice(&5u64.to_be_bytes());
    let unfinished = BlobId::from_random(fifth);
    assert_eq!(
        block_on(p.files.blobs.size(&unfinished)).unwrap(),
        None,
        "unfinished"
    );
    let file = json!([{"MsgType": "TIMFileElem", "MsgContent": {"UUID": unfinished.to_string(), "FileName": "a"}}]);
    refused_with(&p.send(PEAKER, A16, file), ErrorCode::NoSuchAttachment);
    assert_eq!(
        p.send(PEAKER, A16, json!([image(&uuid)]))["ActionStatus"],
        "OK"
    );
}

#[test]
fn test_disguised_and_oversized_pictures_are_refused_and_nothing_is_kept() {
    let p = pics();
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".to_vec();
    refused_with(
        &p.upload(PEAKER, A16, 1, &svg, 1_000, 5),
        ErrorCode::NotAPicture,
    );
    // A bomb: a header of 100,000 × 100,000 pixels in a few bytes, found once whole.
    let bomb = png(100_000, 100_000, 300);
    refused_with(
        &p.upload(PEAKER, A16, 1, &bomb, 100, 6),
        ErrorCode::NotAPicture,
    );
    assert!(
        p.files.blobs.is_empty(),
        "no byte of a refused picture is kept"
    );
    // Its quota came back: a full-size upload fits again.
    let small = Pics {
        ..pics_with(Some(Limits {
            per_account: 1_000,
            ..Limits::default()
        }))
    };
    refused_with(
        &small.upload(PEAKER, A16, 1, &png(5_000_000, 1, 900), 900, 7),
        ErrorCode::NotAPicture,
    );
    let fits = small.upload(PEAKER, A16, 2, &[3; 1_000], 1_000, 8);
    assert_eq!(fits["IsFinish"], 1, "{fits}");
    refused_with(
        &small.upload(PEAKER, A16, 2, &[3; 1], 1, 9),
        ErrorCode::UploadOverQuota,
    );
}

#[test]
fn test_limits_and_slices_out_of_order_are_refused_with_their_codes() {
    let p = pics_with(Some(Limits {
        max_picture: 100,
        max_file: 200,
        max_slice: 50,
        per_account: 10_000,
    }));
    refused_with(
        &p.upload(PEAKER, A16, 1, &png(1, 1, 101), 50, 1),
        ErrorCode::UploadTooLarge,
    );
    refused_with(
        &p.upload(PEAKER, A16, 2, &[1; 100], 60, 2),
        ErrorCode::UploadTooLarge,
    );
    refused_with(
        &p.upload(PEAKER, A16, 3, &[1; 10], 10, 3),
        ErrorCode::InvalidPacket,
    );
    let slice = |offset: usize, data: &[u8], random: u64| {
        json!({"To_Account": A16, "File_Type": 2, "PkgFlag": 1, "File_Size": 20,
               "Slice_Offset": offset, "Slice_Size": data.len(),
               "Slice_Data": STANDARD.encode(data), "Seq": 1, "Timestamp": 1, "Random": random})
    };
    refused_with(
        &p.call(PEAKER, Command::PicUp, slice(10, &[1; 10], 4)),
        ErrorCode::UploadOutOfOrder,
    );
    assert_eq!(
        p.call(PEAKER, Command::PicUp, slice(0, &[1; 10], 4))["Next_Offset"],
        10
    );
    let again = p.call(PEAKER, Command::PicUp, slice(0, &[1; 10], 4));
    assert_eq!(
        (&again["IsFinish"], &again["Next_Offset"]),
        (&json!(0), &json!(10)),
        "a slice sent again (its answer lost) is taken once"
    );
    refused_with(
        &p.call(PEAKER, Command::PicUp, slice(0, &[1; 5], 4)),
        ErrorCode::UploadOutOfOrder,
    );
    refused_with(
        &p.call(PEAKER, Command::PicUp, slice(10, &[1; 11], 4)),
        ErrorCode::UploadOutOfOrder,
    );
    let mut lying = slice(10, &[1; 10], 4);
    lying["Slice_Size"] = json!(9);
    refused_with(
        &p.call(PEAKER, Command::PicUp, lying),
        ErrorCode::InvalidPacket,
    );
    let mut someone_else = slice(0, &[1; 10], 5);
    someone_else["From_Account"] = json!(A17);
    refused_with(
        &p.call(PEAKER, Command::PicUp, someone_else),
        ErrorCode::InvalidAccount,
    );
    let mut to_me = slice(0, &[1; 10], 6);
    to_me["To_Account"] = json!(PEAKER);
    refused_with(
        &p.call(PEAKER, Command::PicUp, to_me),
        ErrorCode::InvalidAccount,
    );
    assert_eq!(
        p.call(PEAKER, Command::PicUp, slice(10, &[1; 10], 4))["IsFinish"],
        1
    );
}

#[test]
fn test_uploads_under_way_are_bounded_and_given_up_after_an_hour() {
    let p = pics();
    let start = |random: u64| {
        p.call(
            PEAKER,
            Command::PicUp,
            json!({"To_Account": A16, "File_Type": 2, "PkgFlag": 1,
            "File_Size": 20, "Slice_Offset": 0, "Slice_Size": 10,
            "Slice_Data": STANDARD.encode([1; 10]), "Seq": 1, "Timestamp": 1, "Random": random}),
        )
    };
    for random in 0..8 {
        assert_eq!(start(random)["Next_Offset"], 10);
    }
    refused_with(&start(8), ErrorCode::UploadOverQuota);
    assert_eq!(p.files.blobs.len(), 8);
    // Left for an hour (as after a crash mid-upload), they are swept by the next one.
    p.now.set(p.now.get() + 3_601);
    assert_eq!(start(9)["Next_Offset"], 10);
    assert_eq!(
        p.files.blobs.len(),
        1,
        "the abandoned uploads' bytes are gone"
    );
}

#[test]
fn test_a_picture_stopped_between_keeping_its_sizes_and_recording_them_leaves_nothing() {
    let p = pics();
    // The three sizes are kept; the process stops before anything records them (here:
    // the removal of the upload's own bytes, the next step, fails).
    p.files.blobs.fail_removes(true);
    let stopped = p.upload(PEAKER, A16, 1, &png(10, 10, 100), 100, 1);
    assert_eq!(stopped["ActionStatus"], "FAIL", "{stopped}");
    assert_eq!(p.files.blobs.len(), 4, "the upload's bytes and three sizes");
    // An hour on, the next upload sweeps the stopped one, sizes and all; stopped again
    // while removing its bytes, the sweep has forgotten none of them.
    p.now.set(p.now.get() + 3_601);
    let stopped = p.upload(PEAKER, A16, 2, &[1; 10], 5, 2);
    assert_eq!(stopped["ActionStatus"], "FAIL", "{stopped}");
    p.files.blobs.fail_removes(false);
    let next = p.upload(PEAKER, A16, 2, &[1; 10], 5, 2);
    assert_eq!(next["IsFinish"], 1, "{next}");
    assert_eq!(p.files.blobs.len(), 1, "only the new file's bytes are left");
}

#[test]
fn test_a_reset_removes_every_picture_and_file() {
    let p = pics();
    p.upload(PEAKER, A16, 1, &png(10, 10, 100), 100, 1);
    p.upload(PEAKER, A16, 2, &[1; 10], 5, 2);
    p.upload(PEAKER, A16, 2, &[1; 10], 20, 3);
    assert_eq!(p.files.blobs.len(), 5);
    block_on(p.service.reset(Timestamp(9_000))).unwrap();
    assert!(p.files.blobs.is_empty());
    let gone = BlobId::from_random([0x5a; 16]);
    assert_eq!(block_on(p.files.blobs.size(&gone)).unwrap(), None);
}
