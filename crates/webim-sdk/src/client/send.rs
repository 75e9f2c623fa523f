//! Sending: webim.js `sendMsg` with a local echo (pending → sent | failed), one queue so
//! messages leave in the order typed, and retry in place (docs/sdk.md, "Sending").

use futures_channel::oneshot;
use webim_proto::ErrorCode;

use super::Client;
use crate::error::{Result, WebimError};
use crate::event::SdkEvent;
use crate::msg::{Msg, MsgKey, SendStatus};
use crate::send_queue::{Item, Outcome};
use crate::session::SessionKey;
use crate::tool::Tool;
use crate::transport::{Env, Transport};

/// webim.js `MSG_MAX_LENGTH.C2C`: the longest message, in UTF-8 bytes.
pub const MAX_C2C_MSG_BYTES: usize = webim_proto::MAX_MSG_BYTES;

impl<T: Transport, E: Env> Client<T, E> {
    /// webim.js `sendMsg(msg, cbOk, cbErr)`: checks the message, shows it at once in its
    /// session as pending, and sends it after every message sent before it. While the
    /// service cannot be reached it stays pending and is sent again and again (with growing
    /// pauses) until the service answers. Resolves when it is accepted (then it is in
    /// `MsgStore` exactly once, as sent) or refused (it stays in its session as failed and
    /// can be retried with [`Client::retry_msg`]).
    ///
    /// Refused before anything is sent or stored: not logged in (-4), not a message of
    /// mine, no content, or more than 12000 bytes (80002).
    ///
    /// The future drives the queue: poll it to completion (spawn it).
    pub async fn send_msg(&self, msg: Msg) -> Result<()> {
        let me = self.me()?;
        check_sendable(&msg, &me)?;
        let item: Item = (msg.session().clone(), msg.key());
        let done = {
            let mut state = self.state.borrow_mut();
            let mut msg = msg;
            msg.set_status(SendStatus::Pending);
            if !state.store.add_msg(msg) {
                return Err(WebimError::local(
                    ErrorCode::InvalidPacket,
                    "sendMsg: this message is already in its session",
                ));
            }
            state.store.update_timeline();
            state.queue.push(item.clone());
            self.waiter(&mut state.waiters, &item.1)
        };
        self.emit(SdkEvent::SendStatus {
            session: item.0.clone(),
            key: item.1.clone(),
            status: SendStatus::Pending,
        });
        self.drive_queue().await;
        self.outcome(&item.1, done).await
    }

    /// Waits for a message's send to end. A message held behind an undelivered one is
    /// answered at once: it stays pending and leaves when that one is retried.
    async fn outcome(&self, key: &MsgKey, done: oneshot::Receiver<Result<()>>) -> Result<()> {
        let held = {
            let mut state = self.state.borrow_mut();
            let held = state.queue.waiting_behind().any(|(_, k)| k == key);
            if held {
                state.waiters.remove(key);
            }
            held
        };
        if held {
            return Err(held_error());
        }
        done.await
            .unwrap_or_else(|_| Err(WebimError::not_logged_in()))
    }

    /// webim.js 1.7 demo's `重发` (resend): sends a failed message again, in place: same session
    /// position, same identity, so the service stores it once even if the first attempt did arrive.
    pub async fn retry_msg(&self, session: &SessionKey, key: &MsgKey) -> Result<()> {
        self.session_login()?;
        let done = {
            let mut state = self.state.borrow_mut();
            let status = state.store.msg_mut(session, key).map(|m| m.status());
            match status {
                Some(SendStatus::Failed) => {}
                Some(_) => {
                    return Err(WebimError::local(
                        ErrorCode::InvalidPacket,
                        "only a failed message can be retried",
                    ));
                }
                None => {
                    return Err(WebimError::local(
                        ErrorCode::InvalidPacket,
                        "no such message",
                    ));
                }
            }
            state.queue.retry((session.clone(), key.clone()));
            state.store.set_status(session, key, SendStatus::Pending);
            self.waiter(&mut state.waiters, key)
        };
        self.emit(SdkEvent::SendStatus {
            session: session.clone(),
            key: key.clone(),
            status: SendStatus::Pending,
        });
        self.drive_queue().await;
        self.outcome(key, done).await
    }

    fn waiter(
        &self,
        waiters: &mut std::collections::BTreeMap<MsgKey, Vec<oneshot::Sender<Result<()>>>>,
        key: &MsgKey,
    ) -> oneshot::Receiver<Result<()>> {
        let (tx, rx) = oneshot::channel();
        waiters.entry(key.clone()).or_default().push(tx);
        rx
    }

    /// Sends queued messages one by one until the queue is empty or held. A second caller
    /// while one is sending returns at once: the first sends its message too.
    async fn drive_queue(&self) {
        loop {
            let Ok((_, generation)) = self.session_login() else {
                return;
            };
            let Some((session, key)) = self.state.borrow_mut().queue.start_next() else {
                return;
            };
            let mut in_flight = InFlight {
                client: self,
                session: &session,
                key: &key,
                done: false,
            };
            let wire = {
                let state = self.state.borrow();
                let me = state.login.as_ref().map(|l| l.identifier.clone());
                let msg = state
                    .store
                    .session(&session)
                    .and_then(|s| s.msg_by_key(&key));
                me.zip(msg).map(|(me, msg)| msg.to_wire(&me))
            };
            let result = match wire {
                Some(wire) => self.deliver(&wire, generation).await,
                None => Err(WebimError::not_logged_in()),
            };
            in_flight.done = true;
            if self.state.borrow().generation != generation {
                return; // logged out (or in again) meanwhile: this queue is gone
            }
            self.finish_send(&session, &key, result);
        }
    }

    /// Sends one message until the service answers: a transport failure (the network or
    /// the server is gone) is tried again after a pause that grows, with jitter, and the
    /// message stays pending meanwhile; the same identity each time, so the service stores
    /// it once however many attempts arrive. Ends at logout.
    async fn deliver(
        &self,
        wire: &webim_proto::C2cMsg,
        generation: u64,
    ) -> Result<webim_proto::openim::sendmsg::Response> {
        let mut failures = 0;
        loop {
            match self.call(wire).await {
                Err(e) if e.is_transient() && self.state.borrow().generation == generation => {
                    failures += 1;
                    let pause = super::sync::backoff_ms(failures, self.env.random_u32());
                    self.pause(pause).await;
                }
                other => return other,
            }
        }
    }

    fn finish_send(
        &self,
        session: &SessionKey,
        key: &MsgKey,
        result: Result<webim_proto::openim::sendmsg::Response>,
    ) {
        let (status, outcome, reply) = match result {
            Ok(answer) => {
                if let Some(time) = answer.msg_time {
                    self.state
                        .borrow_mut()
                        .store
                        .set_msg_time(session, key, time);
                }
                (SendStatus::Sent, Outcome::Sent, Ok(()))
            }
            Err(e) if e.is_transient() => (SendStatus::Failed, Outcome::Undelivered, Err(e)),
            Err(e) => (SendStatus::Failed, Outcome::Refused, Err(e)),
        };
        let (waiting, behind) = {
            let mut state = self.state.borrow_mut();
            state.store.set_status(session, key, status);
            if status == SendStatus::Sent {
                state.store.update_timeline();
            }
            state.queue.finish(outcome);
            let waiting = state.waiters.remove(key).unwrap_or_default();
            // Messages held behind an undelivered one stay pending, but their callers hear
            // now why they wait, rather than waiting for a retry that may never come.
            let behind: Vec<_> = if outcome == Outcome::Undelivered {
                let keys: Vec<MsgKey> = state.queue.waiting_behind().map(|i| i.1.clone()).collect();
                keys.iter()
                    .flat_map(|k| state.waiters.remove(k).unwrap_or_default())
                    .collect()
            } else {
                Vec::new()
            };
            (waiting, behind)
        };
        for tx in waiting {
            let _ = tx.send(reply.clone());
        }
        for tx in behind {
            let _ = tx.send(Err(held_error()));
        }
        self.emit(SdkEvent::SendStatus {
            session: session.clone(),
            key: key.clone(),
            status,
        });
    }
}

fn held_error() -> WebimError {
    WebimError {
        code: ErrorCode::NetworkError,
        info: "waiting to be sent after an earlier message that could not be delivered".to_owned(),
        origin: crate::error::ErrorOrigin::Held,
        results: Vec::new(),
    }
}

/// The checks webim.js's demo made before sending (docs/sdk.md, "Sending"), in the SDK.
fn check_sendable(msg: &Msg, me: &webim_proto::AccountId) -> Result<()> {
    if !msg.is_send() || msg.from_account() != me {
        return Err(WebimError::local(
            ErrorCode::InvalidPacket,
            "only my own messages can be sent",
        ));
    }
    let text = msg.to_text();
    if text.is_empty() {
        return Err(WebimError::local(
            ErrorCode::InvalidPacket,
            "发送的消息不能为空 (empty message)",
        ));
    }
    let bytes = Tool::get_str_bytes(&text);
    if bytes > MAX_C2C_MSG_BYTES {
        return Err(WebimError::local(
            ErrorCode::MsgTooLong,
            format!("消息长度超出限制 ({bytes} bytes; at most {MAX_C2C_MSG_BYTES})"),
        ));
    }
    Ok(())
}

/// Marks the message in flight as undelivered if the sending future is dropped before the
/// answer came (the page cancelled it), so the queue is not stuck on it forever.
struct InFlight<'a, T, E> {
    client: &'a Client<T, E>,
    session: &'a SessionKey,
    key: &'a MsgKey,
    done: bool,
}

impl<T, E> Drop for InFlight<'_, T, E> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        if let Ok(mut state) = self.client.state.try_borrow_mut() {
            state
                .store
                .set_status(self.session, self.key, SendStatus::Failed);
            state.queue.finish(Outcome::Undelivered);
        }
    }
}
