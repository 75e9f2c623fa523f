//! What the SDK tells the page without being asked (webim.js `listeners`): new messages
//! (`onMsgNotify`), and, beyond 1.0, send status, read reports from other clients,
//! friend/pendency/blacklist/profile changes and the connection's state.

use webim_proto::AccountId;
use webim_proto::openim::longpolling::FriendNoticeType;

use crate::msg::{Msg, MsgKey, SendStatus};
use crate::session::SessionKey;

/// One notification (webim.js `listeners.onMsgNotify`, and 1.7's friend and profile
/// system notices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SdkEvent {
    /// webim.js `onMsgNotify(notifyInfo)`: the new messages of one sync, oldest first.
    MsgNotify(Vec<Msg>),
    /// A sent message changed status (pending → sent | failed).
    SendStatus {
        /// The session of the message.
        session: SessionKey,
        /// The message.
        key: MsgKey,
        /// Its new status.
        status: SendStatus,
    },
    /// A session's unread count changed without a new message (a read here or elsewhere).
    UnreadChanged(SessionKey),
    /// My friends, friend requests or blacklist changed (webim.js 1.7 friend notices).
    RelationshipChanged {
        /// What changed.
        kind: FriendNoticeType,
        /// The other accounts concerned.
        accounts: Vec<AccountId>,
    },
    /// Someone's profile changed (mine or a friend's).
    ProfileChanged(AccountId),
    /// The connection to the service went down or came back.
    Connection(ConnectionState),
    /// The service's data was reset (the demo's reset, or a server wiped): every session
    /// and message was dropped and a fresh sync follows. Not in webim.js.
    Reset,
}

/// webim.js 1.7 `CONNECTION_STATUS`, reduced to what a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionState {
    /// The last request reached the service.
    Online,
    /// Requests are failing; the SDK keeps retrying.
    Offline,
}

/// webim.js `listeners`: the page's callback for SDK events.
pub type Listener = std::rc::Rc<dyn Fn(&SdkEvent)>;
