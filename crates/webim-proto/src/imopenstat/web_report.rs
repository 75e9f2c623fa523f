//! `imopenstat/web_report`: webim.js 1.7 reports its own failed calls (an error code per
//! call) so that an operator sees what clients see. The server accepts and counts them
//! (docs/protocol.md); nothing is stored.

use serde::{Deserialize, Serialize};

use crate::{Command, Endpoint};

/// Most items one report may carry.
pub const MAX_ITEMS: usize = 100;

/// The request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// `EvtItems`: one per reported call.
    #[serde(rename = "EvtItems", default)]
    pub evt_items: Vec<EvtItem>,
    /// `MainVersion`: the SDK's version.
    #[serde(rename = "MainVersion", default)]
    pub main_version: String,
}

/// One reported call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvtItem {
    /// `EventId`: which call (1.7's own numbering: 1 login, 18 long poll, 20 send, …).
    #[serde(rename = "EventId", default)]
    pub event_id: u32,
    /// `MsgCmdErrorCode`: how it ended.
    #[serde(rename = "MsgCmdErrorCode", default)]
    pub msg_cmd_error_code: CmdResult,
}

/// How a reported call ended.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CmdResult {
    /// `Code`: its error code (0: it succeeded; a number, or text for some failures).
    #[serde(rename = "Code", default)]
    pub code: Option<ReportedCode>,
    /// `ErrMsg`.
    #[serde(rename = "ErrMsg", default)]
    pub err_msg: Option<String>,
}

/// An error code as 1.7 reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ReportedCode {
    /// A number.
    Number(i64),
    /// Anything else, as text.
    Text(String),
}

impl EvtItem {
    /// True if the reported call failed.
    pub fn failed(&self) -> bool {
        !matches!(
            self.msg_cmd_error_code.code,
            None | Some(ReportedCode::Number(0))
        )
    }
}

/// The response: only the status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {}

impl Endpoint for Request {
    const COMMAND: Command = Command::WebReport;
    type Response = Response;
}
