//! webim.js `Tool`, its constants (`SESSION_TYPE`, `MSG_ELEMENT_TYPE`) and the emoticon
//! tables (`EmotionPicDataIndex`, `EmotionPicData`), from the SDK's own.

use js_sys::Object;
use wasm_bindgen::prelude::*;
use webim_proto::Timestamp;
use webim_sdk::{Tool, emoticon};

use crate::callback::set;

/// Where the app serves emoticon `index`'s image (the same files, shipped with the build).
fn image_url(index: u32) -> String {
    format!("/emoticons/{index}.svg")
}

/// The image of the emoticon named `name` (bracketed), if it is one.
pub(crate) fn emoticon_url(name: &str) -> Option<String> {
    emoticon::index_of(name).map(image_url)
}

/// Text made safe inside HTML: `& < > " '` escaped.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `Tool.getStrBytes(str)`: the UTF-8 length in bytes.
#[wasm_bindgen(js_name = toolGetStrBytes)]
pub fn get_str_bytes(text: &str) -> usize {
    Tool::get_str_bytes(text)
}

/// `Tool.formatTimeStamp(time, format)`: tokens `y M d h m s`, local time of this browser.
#[wasm_bindgen(js_name = toolFormatTimeStamp)]
pub fn format_time_stamp(time: f64, format: Option<String>) -> String {
    let seconds = if time.is_finite() && time >= 0.0 {
        time as u64
    } else {
        0
    };
    let date = js_sys::Date::new(&JsValue::from_f64(seconds as f64 * 1000.0));
    // JavaScript's offset is minutes behind UTC; the SDK wants minutes ahead.
    let offset = -(date.get_timezone_offset() as i32);
    Tool::format_time_stamp(Timestamp(seconds), format.as_deref(), offset)
}

/// `Tool.xssFilter(text)`, kept for pages that call it: the same escaping as `toHtml`.
#[wasm_bindgen(js_name = toolXssFilter)]
pub fn xss_filter(text: &str) -> String {
    escape_html(text)
}

/// `Tool.trimStr(str)`.
#[wasm_bindgen(js_name = toolTrimStr)]
pub fn trim_str(text: &str) -> String {
    Tool::trim_str(text).to_owned()
}

/// `EmotionPicDataIndex`: bracketed name → index (1 to 67).
#[wasm_bindgen(js_name = emotionPicDataIndex)]
pub fn emotion_pic_data_index() -> Object {
    let table = Object::new();
    for e in emoticon::all() {
        set(&table, e.name, e.index);
    }
    table
}

/// `EmotionPicData`: bracketed name → the image's URL (1.x had data URIs).
#[wasm_bindgen(js_name = emotionPicData)]
pub fn emotion_pic_data() -> Object {
    let table = Object::new();
    for e in emoticon::all() {
        set(&table, e.name, image_url(e.index));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::{emoticon_url, escape_html};

    #[test]
    fn html_special_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(
            escape_html(r#"<img src=x onerror="alert('1')"> & 你好"#),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; 你好"
        );
    }

    #[test]
    fn an_emoticon_is_found_by_its_bracketed_name_only() {
        assert_eq!(emoticon_url("[微笑]").as_deref(), Some("/emoticons/1.svg"));
        assert_eq!(emoticon_url("微笑"), None);
        assert_eq!(emoticon_url("[abc]"), None);
    }
}
