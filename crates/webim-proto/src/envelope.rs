//! What every response carries (`ActionStatus`, `ErrorCode`, `ErrorInfo`, `ErrorDisplay`),
//! and the batch result of the relationship calls (`ResultItem`, `Fail_Account`,
//! `Invalid_Account`). Shared by every command, so it lives apart from them.

use serde::{Deserialize, Serialize};

use crate::{AccountId, ErrorCode};

/// `ActionStatus`: `"OK"` or `"FAIL"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionStatus {
    /// `"OK"`.
    #[serde(rename = "OK")]
    Ok,
    /// `"FAIL"`.
    #[serde(rename = "FAIL")]
    Fail,
}

/// The status fields at the top of every response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// `ActionStatus`.
    #[serde(rename = "ActionStatus")]
    pub action_status: ActionStatus,
    /// `ErrorCode`: 0 when OK.
    #[serde(rename = "ErrorCode")]
    pub error_code: ErrorCode,
    /// `ErrorInfo`: what went wrong, for a developer.
    #[serde(rename = "ErrorInfo", default)]
    pub error_info: String,
    /// `ErrorDisplay`: what went wrong, for a person (often empty).
    #[serde(
        rename = "ErrorDisplay",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub error_display: String,
}

impl Status {
    /// `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`.
    pub fn ok() -> Self {
        Self {
            action_status: ActionStatus::Ok,
            error_code: ErrorCode::Ok,
            error_info: String::new(),
            error_display: String::new(),
        }
    }

    /// A failure with a code and an explanation.
    pub fn fail(code: ErrorCode, info: impl Into<String>) -> Self {
        Self {
            action_status: ActionStatus::Fail,
            error_code: code,
            error_info: info.into(),
            error_display: String::new(),
        }
    }

    /// True when `ActionStatus` is `"OK"`.
    pub fn is_ok(&self) -> bool {
        self.action_status == ActionStatus::Ok
    }
}

/// A whole response: the status fields and the command's own fields side by side in one
/// JSON object, as on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply<T> {
    /// The status fields.
    #[serde(flatten)]
    pub status: Status,
    /// The command's own fields.
    #[serde(flatten)]
    pub body: T,
}

impl<T> Reply<T> {
    /// A successful reply.
    pub fn ok(body: T) -> Self {
        Self {
            status: Status::ok(),
            body,
        }
    }
}

/// One account's outcome in a batch call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultItem {
    /// `To_Account`: the account this line is about.
    #[serde(rename = "To_Account")]
    pub to_account: AccountId,
    /// `ResultCode`: 0 (or 30539 for a created friend request) when it worked.
    #[serde(rename = "ResultCode")]
    pub result_code: ErrorCode,
    /// `ResultInfo`: what happened.
    #[serde(rename = "ResultInfo", default)]
    pub result_info: String,
}

/// The response of the batch relationship calls (`friend_add`, `friend_response`,
/// `friend_delete`, `pendency_delete`, `black_list_add`, `black_list_delete`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchResponse {
    /// `ResultItem`: one line per requested account.
    #[serde(rename = "ResultItem", default)]
    pub result_item: Vec<ResultItem>,
    /// `Fail_Account`: accounts whose line is not a success.
    #[serde(rename = "Fail_Account", default)]
    pub fail_account: Vec<AccountId>,
    /// `Invalid_Account`: accounts that do not exist.
    #[serde(rename = "Invalid_Account", default)]
    pub invalid_account: Vec<AccountId>,
}
