//! History: older messages of one conversation, a page at a time, newest first
//! (`openim/getroammsg`; not in WebIM 1.0, docs/sdk.md). Pages join the session in time
//! order; messages already held are not added twice.

use webim_proto::AccountId;
use webim_proto::openim::getroammsg::{self, Complete, MAX_PAGE};

use super::Client;
use crate::error::{Result, WebimError};
use crate::msg::Msg;
use crate::session::SessionKey;
use crate::transport::{Env, Transport};

/// Where a conversation's history paging stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Cursor {
    last_msg_key: String,
    complete: bool,
}

/// One page of history (webim.js 1.7 `getC2CHistoryMsgs` result; not in 1.0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryPage {
    /// The page's messages, newest first.
    pub msgs: Vec<Msg>,
    /// How many of them were new to the session.
    pub added: usize,
    /// True when nothing older remains.
    pub complete: bool,
}

impl<T: Transport, E: Env> Client<T, E> {
    /// webim.js 1.7 `getC2CHistoryMsgs` (not in 1.0): the next older page of the conversation with
    /// `peer` (at most `max_cnt`, 1 to 100, messages). The first call returns the newest page; each
    /// later call the page before. Once `complete`, further calls return an empty complete page
    /// without asking.
    pub async fn get_c2c_history_msgs(
        &self,
        peer: &AccountId,
        max_cnt: u32,
    ) -> Result<HistoryPage> {
        let me = self.me()?;
        if !(1..=MAX_PAGE).contains(&max_cnt) {
            return Err(WebimError::local(
                webim_proto::ErrorCode::InvalidPacket,
                format!("a history page holds 1 to {MAX_PAGE} messages, not {max_cnt}"),
            ));
        }
        let key = SessionKey::c2c(peer.clone());
        let cursor = self
            .state
            .borrow()
            .history
            .get(&key)
            .cloned()
            .unwrap_or_default();
        if cursor.complete {
            return Ok(HistoryPage {
                msgs: Vec::new(),
                added: 0,
                complete: true,
            });
        }
        let request = getroammsg::Request {
            peer_account: peer.clone(),
            max_cnt,
            last_msg_key: cursor.last_msg_key,
        };
        let page = self.call(&request).await?;
        let msgs: Vec<Msg> = page
            .msg_list
            .into_iter()
            .map(|w| Msg::from_wire(w, &me))
            .collect();
        let complete = page.complete == Complete::Yes;
        let mut state = self.state.borrow_mut();
        let added = msgs
            .iter()
            .filter(|m| state.store.add_older_msg((*m).clone()))
            .count();
        if added > 0 {
            state.store.update_timeline();
        }
        state.history.insert(
            key,
            Cursor {
                last_msg_key: page.last_msg_key,
                complete,
            },
        );
        Ok(HistoryPage {
            msgs,
            added,
            complete,
        })
    }
}
