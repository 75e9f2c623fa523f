//! `openpic/apply_download`: where a reader fetches a file of a message. webim.js 1.7
//! exports it as `applyDownload`; the answer's `response_info.url` is an address made for
//! the asking reader, valid for a while. Only the sender and the recipient of the message
//! that carries the file are given one.

use serde::{Deserialize, Serialize};

use crate::{AccountId, Command, Endpoint};

/// The request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// `From_Account`: the file's sender (as 1.7 fills it; not checked against the
    /// caller, who is the reader).
    #[serde(
        rename = "From_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub from_account: Option<AccountId>,
    /// `request_info`: the file asked for (one item; 1.7 sends one).
    pub request_info: Vec<RequestInfo>,
}

/// One file asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestInfo {
    /// `uuid`: the file's `UUID`, as the message carries it.
    pub uuid: String,
    /// `busi_id`: 2 for a one-to-one message.
    #[serde(default)]
    pub busi_id: u32,
    /// `type`: 1 for a file.
    #[serde(rename = "type", default)]
    pub kind: u32,
}

/// The answer. 1.7 reads `error_code` beside the envelope's `ErrorCode`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// `error_code`: 0.
    pub error_code: i64,
    /// `response_info`: where to fetch it.
    pub response_info: ResponseInfo,
}

/// Where to fetch a file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseInfo {
    /// `url`: the reader's own address for it.
    pub url: String,
}

impl Endpoint for Request {
    const COMMAND: Command = Command::ApplyDownload;
    type Response = Response;
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn test_a_request_reads_as_webim_17_sends_it() {
        let sent = json!({
            "From_Account": "peakerdong", "To_Account": "qiyueluhuo2016", "os_platform": 10,
            "Timestamp": "1700000000", "Random": "42",
            "request_info": [{"busi_id": 2, "download_flag": 0, "type": 1, "uuid": "ab12",
                              "version": 1, "auth_key": "k", "ip": "h"}]
        });
        let req: Request = serde_json::from_value(sent).unwrap();
        assert_eq!(req.request_info[0].uuid, "ab12");
        let answer = Response {
            error_code: 0,
            response_info: ResponseInfo {
                url: "https://h/f".to_owned(),
            },
        };
        assert_eq!(
            serde_json::to_value(answer).unwrap(),
            json!({"error_code": 0, "response_info": {"url": "https://h/f"}})
        );
    }
}
