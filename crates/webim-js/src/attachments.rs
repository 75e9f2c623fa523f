//! webim.js 1.7's pictures and files: `Msg.Elem.Images` (with `Images.Image` for each
//! size), `Msg.Elem.File`, `Msg.addImage`/`addFile`, and the calls `uploadPic`
//! (`uploadFile`), `uploadPicByBase64` (`uploadFileByBase64`) and `applyDownload`, over
//! the SDK's upload (docs/sdk.md, "Pictures and files"). The upload's answer is 1.7's:
//! `File_UUID`, `File_Size` and, for a picture, `URL_INFO` with each size's `PIC_TYPE`
//! and `DownUrl`, from which a page builds its `Images` as 1.7's demo does.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use js_sys::{Object, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use webim_js_values as values;
use webim_proto::openpic::pic_up::PicType;
use webim_proto::{AccountId, ErrorCode, FileElem, ImageElem, ImageInfo, ImageType};
use webim_sdk::{Cancel, Upload, WebimError};

use crate::callback::{function, set, settle};
use crate::client::logged_in;
use crate::model::Msg;
use crate::tool::escape_html;

/// webim.js 1.7 `Msg.Elem.Images`: one picture in its sizes.
#[wasm_bindgen]
#[derive(Debug, Clone)]
pub struct Images {
    pub(crate) inner: ImageElem,
}

#[wasm_bindgen]
impl Images {
    /// `new Msg.Elem.Images(imageId)`: the upload's `File_UUID`.
    #[wasm_bindgen(constructor)]
    pub fn new(image_id: &str) -> Images {
        Self {
            inner: ImageElem {
                uuid: image_id.to_owned(),
                image_info_array: Vec::new(),
                file_name: None,
            },
        }
    }

    /// `addImage(image)`: one size.
    #[wasm_bindgen(js_name = addImage)]
    pub fn add_image(&mut self, image: &Image) {
        self.inner.image_info_array.push(image.inner.clone());
    }

    /// `getImageId()`.
    #[wasm_bindgen(js_name = getImageId)]
    pub fn get_image_id(&self) -> String {
        self.inner.uuid.clone()
    }

    /// `getImage(type)`: the size of `type` (1 original, 2 large, 3 small), if there.
    #[wasm_bindgen(js_name = getImage)]
    pub fn get_image(&self, kind: u32) -> Option<Image> {
        let kind = ImageType::try_from(kind).ok()?;
        self.inner
            .image_info_array
            .iter()
            .find(|i| i.kind == kind)
            .map(|i| Image { inner: i.clone() })
    }

    /// `toHtml()`: the small size as an image (its address escaped).
    #[wasm_bindgen(js_name = toHtml)]
    pub fn to_html(&self) -> String {
        image_html(&self.inner)
    }
}

/// webim.js 1.7 `Msg.Elem.Images.Image`: one size of a picture.
#[wasm_bindgen]
#[derive(Debug, Clone)]
pub struct Image {
    inner: ImageInfo,
}

#[wasm_bindgen]
impl Image {
    /// `new Msg.Elem.Images.Image(type, size, width, height, url)`; a type other than 1,
    /// 2 or 3 is taken as the original.
    #[wasm_bindgen(constructor)]
    pub fn new(kind: u32, size: f64, width: u32, height: u32, url: &str) -> Image {
        Self {
            inner: ImageInfo {
                kind: ImageType::try_from(kind).unwrap_or(ImageType::Origin),
                size: size.max(0.0) as u64,
                width,
                height,
                url: url.to_owned(),
            },
        }
    }

    /// `getType()`.
    #[wasm_bindgen(js_name = getType)]
    pub fn get_type(&self) -> u32 {
        self.inner.kind.value()
    }

    /// `getSize()`.
    #[wasm_bindgen(js_name = getSize)]
    pub fn get_size(&self) -> f64 {
        self.inner.size as f64
    }

    /// `getWidth()`.
    #[wasm_bindgen(js_name = getWidth)]
    pub fn get_width(&self) -> u32 {
        self.inner.width
    }

    /// `getHeight()`.
    #[wasm_bindgen(js_name = getHeight)]
    pub fn get_height(&self) -> u32 {
        self.inner.height
    }

    /// `getUrl()`.
    #[wasm_bindgen(js_name = getUrl)]
    pub fn get_url(&self) -> String {
        self.inner.url.clone()
    }
}

/// webim.js 1.7 `Msg.Elem.File`: a file's id, name, size and address.
#[wasm_bindgen(js_name = FileElem)]
#[derive(Debug, Clone)]
pub struct FileContent {
    pub(crate) inner: FileElem,
}

#[wasm_bindgen(js_class = FileElem)]
impl FileContent {
    /// `new Msg.Elem.File(uuid, name, size, senderId, receiverId, downFlag)` (the two
    /// accounts and the flag are kept by the service, not here).
    #[wasm_bindgen(constructor)]
    pub fn new(uuid: &str, name: &str, size: f64) -> FileContent {
        Self {
            inner: FileElem {
                uuid: uuid.to_owned(),
                file_name: name.to_owned(),
                file_size: size.max(0.0) as u64,
                download_flag: None,
                url: String::new(),
            },
        }
    }

    /// `getUUID()`.
    #[wasm_bindgen(js_name = getUUID)]
    pub fn get_uuid(&self) -> String {
        self.inner.uuid.clone()
    }

    /// `getName()`.
    #[wasm_bindgen(js_name = getName)]
    pub fn get_name(&self) -> String {
        self.inner.file_name.clone()
    }

    /// `getSize()`.
    #[wasm_bindgen(js_name = getSize)]
    pub fn get_size(&self) -> f64 {
        self.inner.file_size as f64
    }

    /// `getDownUrl()`: my address for it (on a received file).
    #[wasm_bindgen(js_name = getDownUrl)]
    pub fn get_down_url(&self) -> String {
        self.inner.url.clone()
    }

    /// `toHtml()`: a download link under its name (both escaped).
    #[wasm_bindgen(js_name = toHtml)]
    pub fn to_html(&self) -> String {
        file_html(&self.inner)
    }
}

#[wasm_bindgen]
impl Msg {
    /// `addImage(images)`.
    #[wasm_bindgen(js_name = addImage)]
    pub fn add_image(&mut self, images: &Images) {
        self.push(webim_sdk::Elem::Image(images.inner.clone()));
    }

    /// `addFile(file)`.
    #[wasm_bindgen(js_name = addFile)]
    pub fn add_file(&mut self, file: &FileContent) {
        self.push(webim_sdk::Elem::File(file.inner.clone()));
    }
}

/// A picture as HTML: its small size (else the first).
pub(crate) fn image_html(image: &ImageElem) -> String {
    let small = image
        .image_info_array
        .iter()
        .find(|i| i.kind == ImageType::Small)
        .or(image.image_info_array.first());
    match small {
        Some(info) => format!(
            "<img src=\"{}\" alt=\"{}\">",
            escape_html(&info.url),
            webim_sdk::PICTURE_TEXT
        ),
        None => webim_sdk::PICTURE_TEXT.to_owned(),
    }
}

/// A file as HTML: a download link under its name.
pub(crate) fn file_html(file: &FileElem) -> String {
    format!(
        "<a href=\"{}\" download=\"{}\">{}</a>",
        escape_html(&file.url),
        escape_html(&file.file_name),
        escape_html(&file.file_name)
    )
}

/// 1.7's answer to a finished upload, from the element the SDK made of it.
fn answer_of(elem: &webim_sdk::Elem, size: u64) -> JsValue {
    let answer = Object::new();
    set(&answer, "ActionStatus", "OK");
    set(&answer, "ErrorCode", 0);
    set(&answer, "ErrorInfo", "");
    set(&answer, "File_Size", size as f64);
    match elem {
        webim_sdk::Elem::Image(image) => {
            set(&answer, "File_UUID", image.uuid.as_str());
            let sizes = js_sys::Array::new();
            for info in &image.image_info_array {
                let size = Object::new();
                set(&size, "PIC_TYPE", PicType::from(info.kind).value());
                set(&size, "PIC_Size", info.size as f64);
                set(&size, "PIC_Width", info.width);
                set(&size, "PIC_Height", info.height);
                set(&size, "DownUrl", info.url.as_str());
                sizes.push(&size);
            }
            set(&answer, "URL_INFO", sizes);
        }
        webim_sdk::Elem::File(file) => {
            set(&answer, "File_UUID", file.uuid.as_str());
            set(&answer, "URL_INFO", file.url.as_str());
        }
        _ => {}
    }
    answer.into()
}

fn option(options: &JsValue, names: &[&str]) -> JsValue {
    names
        .iter()
        .map(|n| values::field(options, n))
        .find(|v| !v.is_undefined() && !v.is_null())
        .unwrap_or(JsValue::UNDEFINED)
}

/// Uploads `bytes` for the options' recipient (`To_Account` or `toAccount`) as the
/// options' type says (`fileType`/`File_Type` 2 a file named `name`, else a picture).
fn upload(
    options: &JsValue,
    bytes: Vec<u8>,
    name: Option<String>,
    cb_ok: JsValue,
    cb_err: JsValue,
) {
    let client = match logged_in() {
        Ok(client) => client,
        Err(e) => return settle(Err(e), &cb_ok, &cb_err),
    };
    let to = option(options, &["To_Account", "toAccount"]).as_string();
    let Some(to) = to.and_then(|t| AccountId::new(t).ok()) else {
        let e = WebimError::local(ErrorCode::InvalidAccount, "options: no To_Account");
        return settle(Err(e), &cb_ok, &cb_err);
    };
    let file = option(options, &["fileType", "File_Type"]).as_f64() == Some(2.0);
    // A file needs a name to be offered under; a picture's is only its text alternative.
    let what = if file {
        Upload::File {
            name: name.unwrap_or_else(|| "file".to_owned()),
        }
    } else {
        Upload::Picture { name }
    };
    let progress = function(&option(options, &["onProgressCallBack"]));
    spawn_local(async move {
        let size = bytes.len() as u64;
        let report = |sent: u64, total: u64| {
            if let Some(f) = &progress {
                let _ = f.call2(
                    &JsValue::NULL,
                    &(sent as f64).into(),
                    &(total as f64).into(),
                );
            }
        };
        let done = client
            .upload(&to, &what, &bytes, &report, &Cancel::new())
            .await;
        settle(done.map(|e| answer_of(&e, size)), &cb_ok, &cb_err);
    });
}

/// webim.js 1.7 `uploadPicByBase64(options, cbOk, cbErr)` (and `uploadFileByBase64`):
/// `{toAccount, base64Str, File_Type?, totalSize?, fileMd5?, businessType?}`.
#[wasm_bindgen(js_name = uploadPicByBase64)]
pub fn upload_pic_by_base64(options: JsValue, cb_ok: JsValue, cb_err: JsValue) {
    let text = option(&options, &["base64Str"])
        .as_string()
        .unwrap_or_default();
    // A data URL's head, if the page left it on.
    let text = text.split_once(',').map_or(text.as_str(), |(_, b)| b);
    match STANDARD.decode(text.trim()) {
        Ok(bytes) => upload(&options, bytes, None, cb_ok, cb_err),
        Err(e) => {
            let e = WebimError::local(ErrorCode::InvalidPacket, format!("base64Str: {e}"));
            settle(Err(e), &cb_ok, &cb_err);
        }
    }
}

/// webim.js 1.7 `uploadPic(options, cbOk, cbErr)` (and `uploadFile`): `{file, To_Account,
/// fileType?, onProgressCallBack?}`, the file a browser `File` (or any `Blob`).
#[wasm_bindgen(js_name = uploadPic)]
pub fn upload_pic(options: JsValue, cb_ok: JsValue, cb_err: JsValue) {
    let Ok(blob) = values::field(&options, "file").dyn_into::<web_sys::Blob>() else {
        let e = WebimError::local(ErrorCode::InvalidPacket, "options: no file");
        return settle(Err(e), &cb_ok, &cb_err);
    };
    let name = js_sys::Reflect::get(&blob, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .filter(|n| !n.is_empty());
    spawn_local(async move {
        match JsFuture::from(blob.array_buffer()).await {
            Ok(buffer) => upload(
                &options,
                Uint8Array::new(&buffer).to_vec(),
                name,
                cb_ok,
                cb_err,
            ),
            Err(_) => {
                let e = WebimError::local(ErrorCode::InvalidPacket, "the file cannot be read");
                settle(Err(e), &cb_ok, &cb_err);
            }
        }
    });
}

/// webim.js 1.7 `applyDownload(options, cbOk, cbErr)`: `{request_info: [{uuid}]}`;
/// answers the protocol's `{error_code, response_info: {url}}`.
#[wasm_bindgen(js_name = applyDownload)]
pub fn apply_download(options: JsValue, cb_ok: JsValue, cb_err: JsValue) {
    let client = match logged_in() {
        Ok(client) => client,
        Err(e) => return settle(Err(e), &cb_ok, &cb_err),
    };
    let first = js_sys::Reflect::get(&values::field(&options, "request_info"), &0.into());
    let uuid = first
        .ok()
        .map(|i| values::field(&i, "uuid"))
        .and_then(|u| u.as_string())
        .unwrap_or_default();
    spawn_local(async move {
        let url = client.file_url(&uuid).await;
        let answer = url.map(|url| {
            let answer = Object::new();
            set(&answer, "ActionStatus", "OK");
            set(&answer, "ErrorCode", 0);
            set(&answer, "error_code", 0);
            let info = Object::new();
            set(&info, "url", url.as_str());
            set(&answer, "response_info", info);
            JsValue::from(answer)
        });
        settle(answer, &cb_ok, &cb_err);
    });
}
