//! The messages between a page and the embedded service's worker, as plain JS objects the
//! browser copies across by structured clone: no JSON is made or read for the trip (the
//! protocol's request and answer go as objects too, see `webim_js_values`). Both halves
//! live here so they cannot drift, and every field has a name (`key`).

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use webim_proto::Command;

use webim_js_values::field;

/// What a page asks of the worker; `id` pairs the answer with the question.
#[derive(Debug, Clone, PartialEq)]
pub enum ToWorker {
    /// One protocol command, as the SDK would POST it.
    Command {
        /// The question's number on this connection.
        id: u32,
        /// Which command.
        command: Command,
        /// `identifier`: who asks.
        identifier: String,
        /// `userSig`.
        user_sig: String,
        /// The request, as a plain object with the protocol's field names.
        body: JsValue,
    },
    /// Imports `count` messages from `from` to `to` (demos and benchmarks).
    Import {
        /// The question's number.
        id: u32,
        /// The sender.
        from: String,
        /// The receiver.
        to: String,
        /// How many.
        count: u32,
    },
    /// The bytes of a picture or file (an address `webim-local:{uuid}/{variant}`), for
    /// the page's account. Answered `{mime, bytes}` (a `Uint8Array`).
    Download {
        /// The question's number.
        id: u32,
        /// Who asks.
        identifier: String,
        /// The address.
        url: String,
    },
    /// Resets the demo data to the first run.
    Reset {
        /// The question's number.
        id: u32,
    },
    /// Are you there? (answered at once, whatever else the worker is doing)
    Ping {
        /// The question's number.
        id: u32,
    },
    /// Stop the worker now, as a browser killing it would (tests of surviving that).
    Exit {
        /// The question's number (never answered).
        id: u32,
    },
}

/// What the worker answers.
#[derive(Debug, Clone, PartialEq)]
pub enum FromWorker {
    /// The answer to question `id` (the protocol's answer as a plain object; `undefined`
    /// for an admin call).
    Reply {
        /// The question's number.
        id: u32,
        /// The answer.
        body: JsValue,
    },
    /// Question `id` could not be carried out (the database cannot be opened, say).
    Failed {
        /// The question's number.
        id: u32,
        /// Why.
        message: String,
    },
    /// The worker's script runs and has this page's port (its wasm may still be starting).
    Hello,
    /// The worker cannot serve at all (its wasm did not start): every question fails.
    Fatal {
        /// Why.
        message: String,
    },
}

/// A message of the wrong shape (another version's worker or page, or a stray post).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub String);

fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let obj = Object::new();
    for (key, value) in fields {
        // Setting a plain property on a fresh object cannot fail.
        let _ = Reflect::set(&obj, &JsValue::from_str(key), value);
    }
    obj.into()
}

fn text(value: &JsValue, key: &str) -> Result<String, Malformed> {
    field(value, key)
        .as_string()
        .ok_or_else(|| Malformed(format!("field {key} is not a string")))
}

fn number(value: &JsValue, key: &str) -> Result<u32, Malformed> {
    field(value, key)
        .as_f64()
        .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n))
        .map(|n| n as u32)
        .ok_or_else(|| Malformed(format!("field {key} is not a whole number")))
}

/// The fields of the objects posted between a page and the worker, by name (one
/// operation per object; an object without an operation is a protocol command).
mod key {
    /// The question's number, which its answer carries back.
    pub const ID: &str = "id";
    /// A protocol command's path (`openim/sendmsg`).
    pub const COMMAND: &str = "command";
    /// The caller's identifier.
    pub const ACCOUNT: &str = "identifier";
    /// The caller's userSig.
    pub const SIG: &str = "userSig";
    /// The command's request, as a plain object.
    pub const BODY: &str = "body";
    /// An operation other than a command: `import`, `reset`, `ping`, `exit`.
    pub const OPERATION: &str = "operation";
    /// `import`: the first account.
    pub const FROM: &str = "from";
    /// `import`: the other account.
    pub const TO: &str = "to";
    /// `import`: how many messages.
    pub const COUNT: &str = "count";
    /// `download`: the address.
    pub const URL: &str = "url";
    /// An answer's body.
    pub const REPLY: &str = "reply";
    /// Why a question could not be answered.
    pub const ERROR: &str = "error";
}

impl ToWorker {
    /// The question's number.
    pub fn id(&self) -> u32 {
        match self {
            Self::Command { id, .. }
            | Self::Import { id, .. }
            | Self::Download { id, .. }
            | Self::Reset { id }
            | Self::Ping { id }
            | Self::Exit { id } => *id,
        }
    }

    /// As the object posted to the worker.
    pub fn to_js(&self) -> JsValue {
        match self {
            Self::Command {
                id,
                command,
                identifier,
                user_sig,
                body,
            } => object(&[
                (key::ID, (*id).into()),
                (key::COMMAND, command.path().into()),
                (key::ACCOUNT, identifier.into()),
                (key::SIG, user_sig.into()),
                (key::BODY, body.clone()),
            ]),
            Self::Import {
                id,
                from,
                to,
                count,
            } => object(&[
                (key::ID, (*id).into()),
                (key::OPERATION, "import".into()),
                (key::FROM, from.into()),
                (key::TO, to.into()),
                (key::COUNT, (*count).into()),
            ]),
            Self::Download {
                id,
                identifier,
                url,
            } => object(&[
                (key::ID, (*id).into()),
                (key::OPERATION, "download".into()),
                (key::ACCOUNT, identifier.into()),
                (key::URL, url.into()),
            ]),
            Self::Reset { id } => {
                object(&[(key::ID, (*id).into()), (key::OPERATION, "reset".into())])
            }
            Self::Ping { id } => {
                object(&[(key::ID, (*id).into()), (key::OPERATION, "ping".into())])
            }
            Self::Exit { id } => {
                object(&[(key::ID, (*id).into()), (key::OPERATION, "exit".into())])
            }
        }
    }

    /// Reads a posted object; the id is kept when it could be read, so the sender can be
    /// told what went wrong.
    pub fn from_js(value: &JsValue) -> Result<Self, (Option<u32>, Malformed)> {
        let id = number(value, key::ID).map_err(|e| (None, e))?;
        let read = || -> Result<Self, Malformed> {
            match field(value, key::OPERATION).as_string().as_deref() {
                Some("import") => Ok(Self::Import {
                    id,
                    from: text(value, key::FROM)?,
                    to: text(value, key::TO)?,
                    count: number(value, key::COUNT)?,
                }),
                Some("download") => Ok(Self::Download {
                    id,
                    identifier: text(value, key::ACCOUNT)?,
                    url: text(value, key::URL)?,
                }),
                Some("reset") => Ok(Self::Reset { id }),
                Some("ping") => Ok(Self::Ping { id }),
                Some("exit") => Ok(Self::Exit { id }),
                Some(other) => Err(Malformed(format!("unknown operation {other}"))),
                None => {
                    let path = text(value, key::COMMAND)?;
                    let command = Command::from_path(&path)
                        .ok_or_else(|| Malformed(format!("unknown command {path}")))?;
                    Ok(Self::Command {
                        id,
                        command,
                        identifier: text(value, key::ACCOUNT)?,
                        user_sig: text(value, key::SIG)?,
                        body: field(value, key::BODY),
                    })
                }
            }
        };
        read().map_err(|e| (Some(id), e))
    }
}

impl FromWorker {
    /// As the object posted back to the page.
    pub fn to_js(&self) -> JsValue {
        match self {
            Self::Reply { id, body } => {
                object(&[(key::ID, (*id).into()), (key::REPLY, body.clone())])
            }
            Self::Failed { id, message } => {
                object(&[(key::ID, (*id).into()), (key::ERROR, message.into())])
            }
            Self::Hello => object(&[("hello", true.into())]),
            Self::Fatal { message } => object(&[("fatal", message.into())]),
        }
    }

    /// Reads a posted answer.
    pub fn from_js(value: &JsValue) -> Result<Self, Malformed> {
        if let Some(message) = field(value, "fatal").as_string() {
            return Ok(Self::Fatal { message });
        }
        if field(value, "hello").is_truthy() {
            return Ok(Self::Hello);
        }
        let id = number(value, key::ID)?;
        if let Some(message) = field(value, key::ERROR).as_string() {
            return Ok(Self::Failed { id, message });
        }
        Ok(Self::Reply {
            id,
            body: field(value, key::REPLY),
        })
    }
}
