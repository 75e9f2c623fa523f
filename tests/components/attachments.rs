//! A picture in a bubble keeps its space while it loads and says so when its bytes are
//! gone; a file is a download under its own name; an upload on its way shows its
//! progress, and a failed one says why with Retry and Cancel.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use webim::components::attach::UploadItem;
use webim::components::attach::upload_item::UploadItemProps;
use webim::components::attachment::{FileCard, FileProps, PictureProps, PictureThumb};
use webim::store::UploadRow;
use webim_proto::{AccountId, ErrorCode, FileElem, ImageElem, ImageInfo, ImageType};
use yew::Callback;

use crate::dom::{exists, find, fire, mount_with, text_of, until};

fn size(kind: ImageType, width: u32, height: u32, url: &str) -> ImageInfo {
    ImageInfo {
        kind,
        size: 1,
        width,
        height,
        url: url.to_owned(),
    }
}

#[wasm_bindgen_test]
async fn a_picture_keeps_its_space_and_says_when_it_is_gone() {
    let image = ImageElem {
        uuid: "ab".repeat(16),
        image_info_array: vec![
            size(ImageType::Origin, 4000, 3000, "/nowhere/original"),
            size(ImageType::Large, 720, 540, "/nowhere/large"),
            size(ImageType::Small, 198, 149, "/nowhere/small"),
        ],
        file_name: Some("harbour.jpg".to_owned()),
    };
    let root = mount_with::<PictureThumb>(PictureProps { image }).await;
    let img = find(&root, "img");
    assert_eq!(img.get_attribute("src").as_deref(), Some("/nowhere/large"));
    let shown = (img.get_attribute("width"), img.get_attribute("height"));
    assert_eq!(
        shown,
        (Some("240".into()), Some("180".into())),
        "held before it loads"
    );
    assert_eq!(
        find(&root, "a").get_attribute("href").as_deref(),
        Some("/nowhere/original")
    );
    // A screen reader says what it is and the name it was sent under.
    assert_eq!(
        img.get_attribute("alt").as_deref(),
        Some("图片: harbour.jpg")
    );
    assert_eq!(
        find(&root, "a").get_attribute("aria-label").as_deref(),
        Some("图片: harbour.jpg")
    );
    // Its bytes are gone (the browser's load fails; it is lazy, so fired here).
    fire(&root, "img", "error").await;
    assert!(until(|| !exists(&root, "img")).await);
    assert_eq!(text_of(&root, ".missing"), "图片已不存在");
}

#[wasm_bindgen_test]
async fn a_file_is_a_download_under_its_name_with_its_size() {
    let file = FileElem {
        uuid: "cd".repeat(16),
        file_name: "报告.pdf".to_owned(),
        file_size: 52_133,
        download_flag: None,
        url: "/webim/blob/x/original?reader=a&t=1.s".to_owned(),
    };
    let root = mount_with::<FileCard>(FileProps { file }).await;
    let link = find(&root, "a.file");
    assert_eq!(link.get_attribute("download").as_deref(), Some("报告.pdf"));
    assert_eq!(text_of(&root, ".name"), "报告.pdf");
    assert_eq!(text_of(&root, ".size"), "50.9 KB");
}

thread_local! {
    static ASKED: RefCell<Vec<(&'static str, u32)>> = const { RefCell::new(Vec::new()) };
}

#[wasm_bindgen_test]
async fn an_upload_shows_progress_and_a_failed_one_offers_retry_and_cancel() {
    let row = UploadRow {
        id: 7,
        peer: AccountId::new("peakerdong").expect("an account"),
        name: "a.zip".to_owned(),
        size: 200,
        preview: None,
        sent: 50,
        failed: None,
    };
    let props = |row: UploadRow| UploadItemProps {
        row,
        on_retry: Callback::from(|id| ASKED.with(|a| a.borrow_mut().push(("retry", id)))),
        on_cancel: Callback::from(|id| ASKED.with(|a| a.borrow_mut().push(("cancel", id)))),
    };
    let root = mount_with::<UploadItem>(props(row.clone())).await;
    assert_eq!(
        find(&root, "progress").get_attribute("value").as_deref(),
        Some("25")
    );
    assert!(!exists(&root, ".retry"));
    let failed = UploadRow {
        failed: Some(ErrorCode::NotAPicture),
        ..row
    };
    let root = mount_with::<UploadItem>(props(failed)).await;
    assert!(!exists(&root, "progress"));
    assert!(text_of(&root, ".failed").contains("图片"), "says why");
    find(&root, ".retry")
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    find(&root, ".cancel-upload")
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    yew::scheduler::flush().await;
    assert_eq!(
        ASKED.with(|a| a.borrow().clone()),
        [("retry", 7), ("cancel", 7)]
    );
}
