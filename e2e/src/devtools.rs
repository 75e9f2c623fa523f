//! The browser's DevTools protocol over its WebSocket, for what WebDriver cannot reach:
//! here, code run inside the app's service worker (as a notification click runs there).

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::HarnessError;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A DevTools connection to the whole browser.
#[derive(Debug)]
pub struct Devtools {
    socket: Socket,
    next_id: u64,
}

fn failed(what: impl std::fmt::Display) -> HarnessError {
    HarnessError::Chromedriver(format!("devtools: {what}"))
}

impl Devtools {
    /// Connects to the browser whose DevTools listen on loopback `port`.
    pub async fn connect(port: u16) -> Result<Self, HarnessError> {
        let version: Value = reqwest::get(format!("http://127.0.0.1:{port}/json/version"))
            .await
            .map_err(failed)?
            .json()
            .await
            .map_err(failed)?;
        let url = version["webSocketDebuggerUrl"]
            .as_str()
            .ok_or_else(|| failed("no webSocketDebuggerUrl"))?;
        let (socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .map_err(failed)?;
        Ok(Self { socket, next_id: 0 })
    }

    /// Sends one command (to the browser, or to an attached `session`) and returns its result.
    pub async fn call(
        &mut self,
        method: &str,
        params: Value,
        session: Option<&str>,
    ) -> Result<Value, HarnessError> {
        self.next_id += 1;
        let id = self.next_id;
        let mut command = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            command["sessionId"] = json!(session);
        }
        self.socket
            .send(Message::text(command.to_string()))
            .await
            .map_err(failed)?;
        while let Some(message) = self.socket.next().await {
            let Ok(text) = message.map_err(failed)?.into_text() else {
                continue;
            };
            let answer: Value = serde_json::from_str(&text).map_err(failed)?;
            if answer["id"] == json!(id) {
                if let Some(error) = answer.get("error") {
                    return Err(failed(format!("{method}: {error}")));
                }
                return Ok(answer["result"].clone());
            }
        }
        Err(failed("the browser closed the connection"))
    }

    /// Evaluates `expression` (awaiting a promise) in the service worker of `origin`, and
    /// returns its value.
    pub async fn in_service_worker(
        &mut self,
        origin: &str,
        expression: &str,
    ) -> Result<Value, HarnessError> {
        let targets = self.call("Target.getTargets", json!({}), None).await?;
        let worker = targets["targetInfos"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| {
                t["type"] == "service_worker"
                    && t["url"].as_str().is_some_and(|u| u.starts_with(origin))
            })
            .and_then(|t| t["targetId"].as_str().map(str::to_owned))
            .ok_or_else(|| failed(format!("no service worker of {origin}")))?;
        let attached = self
            .call(
                "Target.attachToTarget",
                json!({"targetId": worker, "flatten": true}),
                None,
            )
            .await?;
        let session = attached["sessionId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let result = self
            .call(
                "Runtime.evaluate",
                json!({"expression": expression, "awaitPromise": true, "returnByValue": true}),
                Some(&session),
            )
            .await?;
        if let Some(thrown) = result.get("exceptionDetails") {
            return Err(failed(format!("in the service worker: {thrown}")));
        }
        Ok(result["result"]["value"].clone())
    }
}
