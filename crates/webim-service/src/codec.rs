//! How the service reads a command's body and writes its answer: the protocol's JSON for
//! HTTP ([`Json`]), or whatever form a backend's callers hand their values over in (the
//! browser's worker passes plain JS objects). Kept behind one trait so the rules are written
//! once and the worker carries no JSON for the trip.

use serde::Serialize;
use serde::de::DeserializeOwned;
use webim_proto::{Command, ErrorCode, Reply, Status};

use crate::service::{Failure, bad_request};

/// Reads requests from and writes answers to one form of body.
pub trait Codec {
    /// A request's body in this form.
    type Body: ?Sized;
    /// An answer in this form.
    type Encoded;

    /// Reads a request; a body that cannot be one is refused with the protocol's code.
    fn decode<R: DeserializeOwned>(
        &self,
        command: Command,
        body: &Self::Body,
    ) -> Result<R, Failure>;

    /// Writes a successful answer: `ActionStatus: OK` beside the command's fields (never
    /// fails: fields that cannot be written become the service's failure status).
    fn encode_ok<B: Serialize>(&self, body: &B) -> Self::Encoded;

    /// Writes a refusal or failure: the status alone.
    fn encode_status(&self, status: &Status) -> Self::Encoded;
}

/// The protocol's JSON text, as webim.js POSTed it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

impl Codec for Json {
    type Body = str;
    type Encoded = String;

    /// Broken JSON is 60003 (as webim.js's gateway said); JSON of the wrong shape is the
    /// service's own "bad request".
    fn decode<R: DeserializeOwned>(&self, command: Command, body: &str) -> Result<R, Failure> {
        serde_json::from_str(body).map_err(|e| {
            let code = match e.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                    ErrorCode::JsonBodyParse
                }
                _ => bad_request(command),
            };
            Failure::Refused(code, format!("{}: {e}", command.path()))
        })
    }

    fn encode_ok<B: Serialize>(&self, body: &B) -> String {
        serde_json::to_string(&Reply::ok(body)).unwrap_or_else(|e| {
            self.encode_status(&Status::fail(
                ErrorCode::ServiceError,
                format!("cannot encode the answer: {e}"),
            ))
        })
    }

    fn encode_status(&self, status: &Status) -> String {
        serde_json::to_string(status).unwrap_or_default()
    }
}
