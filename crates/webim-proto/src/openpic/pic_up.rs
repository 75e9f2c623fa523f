//! `openpic/pic_up`: the upload of a picture or a file, in slices of base64 inside the
//! JSON body (webim.js 1.7 sends 1,080 KB a slice, or the whole file in one), and what
//! each slice is answered with. `(From_Account, Seq, Random, Timestamp)` names one upload:
//! its slices repeat them.

use serde::{Deserialize, Serialize};

use crate::{AccountId, Command, Endpoint, ImageType};

int_enum! {
    /// `File_Type`: what is uploaded (webim.js 1.7 `UPLOAD_RES_TYPE`).
    pub enum UploadKind {
        /// 1: a picture.
        Picture = 1,
        /// 2: a file.
        File = 2,
        /// 3: a short video (not accepted here).
        ShortVideo = 3,
        /// 4: a voice message (not accepted here).
        Sound = 4,
    }
}

int_enum! {
    /// `PkgFlag`: how `Slice_Data` is written.
    pub enum PkgFlag {
        /// 0: raw bytes (1.7's form upload for old browsers, not accepted here).
        Raw = 0,
        /// 1: base64.
        Base64 = 1,
    }
}

int_enum! {
    /// `PIC_TYPE` of one size in an upload's answer. Note the numbers differ from a
    /// message's `ImageType`: 1.7's demo maps 2 to the small and 4 to the large one.
    pub enum PicType {
        /// 1: the original.
        Origin = 1,
        /// 2: the small thumbnail.
        Small = 2,
        /// 4: the large thumbnail.
        Large = 4,
    }
}

/// The message's numbering of a size: the upload answers in its own (1.7's demo maps
/// them so; the service and the SDKs convert here, never by hand).
impl From<PicType> for ImageType {
    fn from(kind: PicType) -> Self {
        match kind {
            PicType::Origin => ImageType::Origin,
            PicType::Large => ImageType::Large,
            PicType::Small => ImageType::Small,
        }
    }
}

impl From<ImageType> for PicType {
    fn from(kind: ImageType) -> Self {
        match kind {
            ImageType::Origin => PicType::Origin,
            ImageType::Large => PicType::Large,
            ImageType::Small => PicType::Small,
        }
    }
}

/// One slice of an upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// `From_Account`: the uploader (the service takes the verified caller).
    #[serde(
        rename = "From_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub from_account: Option<AccountId>,
    /// `To_Account`: whom the picture or file is for.
    #[serde(rename = "To_Account")]
    pub to_account: AccountId,
    /// `Busi_Id`: 2 for a one-to-one message.
    #[serde(rename = "Busi_Id", default)]
    pub busi_id: u32,
    /// `File_Type`.
    #[serde(rename = "File_Type")]
    pub file_type: UploadKind,
    /// `File_Str_Md5`: the client's MD5 of the whole blob, as hex.
    #[serde(rename = "File_Str_Md5", default)]
    pub file_str_md5: String,
    /// `PkgFlag`.
    #[serde(rename = "PkgFlag")]
    pub pkg_flag: PkgFlag,
    /// `File_Size`: the whole blob's bytes.
    #[serde(rename = "File_Size")]
    pub file_size: u64,
    /// `Slice_Offset`: where this slice starts.
    #[serde(rename = "Slice_Offset")]
    pub slice_offset: u64,
    /// `Slice_Size`: this slice's bytes.
    #[serde(rename = "Slice_Size")]
    pub slice_size: u64,
    /// `Slice_Data`: the bytes, as `PkgFlag` says.
    #[serde(rename = "Slice_Data")]
    pub slice_data: String,
    /// `Seq`: the upload's number, the same in every slice.
    #[serde(rename = "Seq", default)]
    pub seq: u64,
    /// `Timestamp`: when the upload began, the same in every slice.
    #[serde(rename = "Timestamp", default)]
    pub timestamp: u64,
    /// `Random`: the upload's random number, the same in every slice.
    #[serde(rename = "Random", default)]
    pub random: u64,
}

/// The answer to a slice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `IsFinish`: 1 once the whole blob is in.
    #[serde(rename = "IsFinish")]
    pub is_finish: u32,
    /// `Next_Offset`: where the next slice starts (the whole size once finished).
    #[serde(rename = "Next_Offset")]
    pub next_offset: u64,
    /// `File_UUID`: the blob's id, once finished.
    #[serde(
        rename = "File_UUID",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub file_uuid: String,
    /// `URL_INFO`: a picture's sizes, once finished.
    #[serde(rename = "URL_INFO", default, skip_serializing_if = "Vec::is_empty")]
    pub url_info: Vec<UrlInfo>,
    /// `Download_Flag`: how a reader asks for a file's download.
    #[serde(
        rename = "Download_Flag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub download_flag: Option<u32>,
}

/// One size of an uploaded picture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrlInfo {
    /// `PIC_TYPE`.
    #[serde(rename = "PIC_TYPE")]
    pub pic_type: PicType,
    /// `PIC_Size` in bytes.
    #[serde(rename = "PIC_Size")]
    pub pic_size: u64,
    /// `PIC_Width` in pixels.
    #[serde(rename = "PIC_Width")]
    pub pic_width: u32,
    /// `PIC_Height` in pixels.
    #[serde(rename = "PIC_Height")]
    pub pic_height: u32,
    /// `DownUrl`: where it is fetched.
    #[serde(rename = "DownUrl")]
    pub down_url: String,
}

impl Endpoint for Request {
    const COMMAND: Command = Command::PicUp;
    type Response = Response;
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn test_a_slice_reads_as_webim_17_sends_it() {
        let sent = json!({
            "From_Account": "peakerdong", "To_Account": "qiyueluhuo2016", "Busi_Id": 2,
            "File_Type": 1, "File_Str_Md5": "00ff", "PkgFlag": 1, "File_Size": 3,
            "Slice_Offset": 0, "Slice_Size": 3, "Slice_Data": "AAEC", "Seq": 7,
            "Timestamp": 1700000000, "Random": 42, "App_Version": "1.7", "Server_Ver": 1,
            "Auth_Key": ""
        });
        let slice: Request = serde_json::from_value(sent).unwrap();
        assert_eq!(slice.file_type, UploadKind::Picture);
        assert_eq!(slice.pkg_flag, PkgFlag::Base64);
        assert_eq!((slice.file_size, slice.slice_data.as_str()), (3, "AAEC"));
    }

    #[test]
    fn test_an_answer_writes_what_17_and_its_demo_read() {
        let done = Response {
            is_finish: 1,
            next_offset: 3,
            file_uuid: "u1".to_owned(),
            url_info: vec![UrlInfo {
                pic_type: PicType::Large,
                pic_size: 3,
                pic_width: 1,
                pic_height: 1,
                down_url: "https://h/l".to_owned(),
            }],
            download_flag: None,
        };
        assert_eq!(
            serde_json::to_value(&done).unwrap(),
            json!({"IsFinish": 1, "Next_Offset": 3, "File_UUID": "u1", "URL_INFO": [
                {"PIC_TYPE": 4, "PIC_Size": 3, "PIC_Width": 1, "PIC_Height": 1,
                 "DownUrl": "https://h/l"}
            ]})
        );
        let more = json!({"IsFinish": 0, "Next_Offset": 1080});
        let answer: Response = serde_json::from_value(more).unwrap();
        assert_eq!((answer.is_finish, answer.next_offset), (0, 1080));
    }
}
