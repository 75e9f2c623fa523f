//! The contents of picture and file elements (`TIMImageElem`, `TIMFileElem`) as webim.js
//! 1.7 writes and reads them. A message stores only the UUID, sizes and name; every
//! `URL` is written for the reader it is sent to (docs/protocol.md, "Pictures and
//! files").

use serde::{Deserialize, Serialize};

/// A picture as one line (a session list, a notification): webim.js 1.7's word.
pub const PICTURE_TEXT: &str = "[图片]";
/// A file as one line.
pub const FILE_TEXT: &str = "[文件]";

int_enum! {
    /// `Type` of one size of a picture (webim.js 1.7 `IMAGE_TYPE`).
    pub enum ImageType {
        /// 1: the original.
        Origin = 1,
        /// 2: the large thumbnail.
        Large = 2,
        /// 3: the small thumbnail.
        Small = 3,
    }
}

/// `MsgContent` of a `TIMImageElem`: one picture in up to three sizes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageElem {
    /// `UUID`: the uploaded blob's id (`File_UUID` of the upload).
    #[serde(rename = "UUID")]
    pub uuid: String,
    /// `ImageInfoArray`: the sizes, each with where to fetch it.
    #[serde(rename = "ImageInfoArray", default)]
    pub image_info_array: Vec<ImageInfo>,
    /// `FileName`: the name the picture was picked under, if its sender said (this
    /// service's own field, which 1.7 leaves alone): what a screen reader says for it.
    #[serde(rename = "FileName", default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
}

/// One size of a picture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageInfo {
    /// `Type`: which size.
    #[serde(rename = "Type")]
    pub kind: ImageType,
    /// `Size`: its bytes.
    #[serde(rename = "Size", default)]
    pub size: u64,
    /// `Width` in pixels.
    #[serde(rename = "Width", default)]
    pub width: u32,
    /// `Height` in pixels.
    #[serde(rename = "Height", default)]
    pub height: u32,
    /// `URL`: where the reader fetches it.
    #[serde(rename = "URL", default)]
    pub url: String,
}

/// `MsgContent` of a `TIMFileElem`. webim.js 1.7 sends the flag as `DownloadFlag` and
/// reads it as `Download_Flag`; both are read, and it is written only when set: 1.7's
/// reader fails on a file that carries the flag (it then names a variable it never
/// declared), and without it builds the address from `openim/authkey`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileElem {
    /// `UUID`: the uploaded blob's id.
    #[serde(rename = "UUID")]
    pub uuid: String,
    /// `FileName`: as the sender named it (shown, and offered as the download's name).
    #[serde(rename = "FileName", default)]
    pub file_name: String,
    /// `FileSize` in bytes.
    #[serde(rename = "FileSize", default)]
    pub file_size: u64,
    /// `Download_Flag`: how a reader asks for the download (`openpic/apply_download`).
    #[serde(
        rename = "Download_Flag",
        alias = "DownloadFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub download_flag: Option<u32>,
    /// `URL`: where this reader fetches it (ours; 1.7 ignores it).
    #[serde(rename = "URL", default, skip_serializing_if = "String::is_empty")]
    pub url: String,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn test_a_picture_reads_and_writes_as_webim_17_sends_it() {
        let sent = json!({
            "UUID": "u1",
            "ImageInfoArray": [
                {"Type": 1, "Size": 3000, "Width": 800, "Height": 600, "URL": "https://h/o"},
                {"Type": 3, "Size": 100, "Width": 198, "Height": 148, "URL": "https://h/s"}
            ]
        });
        let elem: ImageElem = serde_json::from_value(sent.clone()).unwrap();
        assert_eq!(elem.image_info_array[1].kind, ImageType::Small);
        assert_eq!(serde_json::to_value(&elem).unwrap(), sent);
        let bad = json!({"UUID": "u", "ImageInfoArray": [{"Type": 9}]});
        assert!(serde_json::from_value::<ImageElem>(bad).is_err());
    }

    #[test]
    fn test_a_file_reads_either_flag_spelling_and_writes_the_one_17_reads() {
        let sent = json!({"UUID": "f", "FileName": "a.pdf", "FileSize": 5, "DownloadFlag": 2});
        let elem: FileElem = serde_json::from_value(sent).unwrap();
        assert_eq!(elem.download_flag, Some(2));
        let written = serde_json::to_value(&elem).unwrap();
        assert_eq!(written["Download_Flag"], 2);
        assert!(written.get("DownloadFlag").is_none());
        let plain = FileElem {
            download_flag: None,
            ..elem
        };
        let written = serde_json::to_value(&plain).unwrap();
        assert!(written.get("Download_Flag").is_none(), "{written}");
    }
}
