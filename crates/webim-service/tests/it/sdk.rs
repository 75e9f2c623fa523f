//! The real SDK over the real service (in memory, in one process): the whole chain the
//! browser runs, minus the browser.

use std::rc::Rc;

use futures::executor::block_on;
use webim_proto::{Endpoint, Timestamp};
use webim_sdk::testing::{FakeEnv, account};
use webim_sdk::{
    Answer, Client, LoginInfo, SessionType, Text, Transport, TransportError, from_json, to_json,
};
use webim_service::{MemoryStore, Service};

/// A transport that hands each request to the service directly.
struct Direct(Rc<Service<MemoryStore>>);

impl Transport for Direct {
    /// Through the protocol's JSON, as the server would.
    async fn request<R: Endpoint>(
        &self,
        login: &LoginInfo,
        request: &R,
    ) -> Result<Answer<R::Response>, TransportError> {
        let body = to_json(request)?;
        let handled = self
            .0
            .handle(
                login.identifier.as_str(),
                &login.user_sig,
                R::COMMAND,
                &body,
                Timestamp(1_448_000_000),
            )
            .await;
        let reply = handled
            .reply
            .unwrap_or_else(|| Service::<MemoryStore>::long_poll_timeout(&body));
        from_json(&reply)
    }
}

fn client(service: &Rc<Service<MemoryStore>>, who: &str) -> Client<Direct, FakeEnv> {
    let client = Client::new(Direct(Rc::clone(service)), FakeEnv::default());
    block_on(client.init(LoginInfo::demo(account(who), "sig"), None)).unwrap();
    client
}

#[test]
fn test_two_sdk_clients_chat_through_the_service() {
    let service = Rc::new(Service::new(MemoryStore::new()));
    block_on(service.ensure_seeded(Timestamp(1))).unwrap();
    let a = client(&service, "qiyueluhuo2016");
    let b = client(&service, "peakerdong");

    for text in ["one", "two", "three"] {
        let mut msg = a.create_msg(&account("peakerdong")).unwrap();
        msg.add_text(Text::new(text));
        block_on(a.send_msg(msg)).unwrap();
    }
    block_on(b.poll_once()).unwrap();
    {
        let store = b.msg_store();
        let sess = store
            .sess_by_type_id(SessionType::C2c, &account("qiyueluhuo2016"))
            .unwrap();
        let texts: Vec<String> = sess.msgs().iter().map(|m| m.to_text()).collect();
        assert_eq!(texts, ["one", "two", "three"]);
        assert_eq!(sess.unread(), 3);
    }

    // B reads; a second client of B, starting now, sees nothing unread.
    let key = webim_sdk::SessionKey::c2c(account("qiyueluhuo2016"));
    block_on(b.set_auto_read(Some(&key), true, true)).unwrap();
    let b2 = client(&service, "peakerdong");
    let store = b2.msg_store();
    let sess = store
        .sess_by_type_id(SessionType::C2c, &account("qiyueluhuo2016"))
        .unwrap();
    assert_eq!(sess.unread(), 0);
    assert_eq!(
        sess.msg_count(),
        1,
        "a fresh client gets the latest message; older ones by history"
    );
}
