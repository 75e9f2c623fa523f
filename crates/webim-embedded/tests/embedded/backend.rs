//! Two backends on one database and one wake-up channel behave as two tabs of the origin
//! with a dedicated worker each; two connections to one backend as two tabs of one shared
//! worker.

use std::rc::Rc;

use futures::future::{Either, select};
use gloo::timers::future::TimeoutFuture;
use wasm_bindgen_futures::spawn_local;
use wasm_bindgen_test::wasm_bindgen_test;
use webim_embedded::{ConnId, LocalTransport, Reads, WorkerBackend};
use webim_proto::AccountId;
use webim_sdk::{Client, LoginInfo, SessionKey, SessionType, Text};

use crate::TestEnv;

type TabClient = Client<LocalTransport, TestEnv>;

fn id(s: &str) -> AccountId {
    AccountId::new(s).expect("a test account")
}

async fn tab(db: &str, channel: &str, who: &str) -> Rc<TabClient> {
    let backend = WorkerBackend::open_named(db, channel, Reads::Database)
        .await
        .expect("open the backend");
    connected(backend, 0, who).await
}

/// A tab connected to `backend` as connection `conn` (tabs of one shared worker).
async fn connected(backend: Rc<WorkerBackend>, conn: u32, who: &str) -> Rc<TabClient> {
    let transport = LocalTransport {
        backend,
        conn: ConnId(conn),
    };
    let client = Rc::new(Client::new(transport, TestEnv));
    client
        .init(LoginInfo::demo(id(who), "test"), None)
        .await
        .expect("init");
    client
}

fn texts(client: &TabClient, peer: &str) -> Vec<String> {
    let store = client.msg_store();
    store
        .sess_by_type_id(SessionType::C2c, &id(peer))
        .map(|s| s.msgs().iter().map(|m| m.to_text()).collect())
        .unwrap_or_default()
}

async fn send(client: &TabClient, to: &str, text: &str) {
    let mut msg = client.create_msg(&id(to)).expect("create");
    msg.add_text(Text::new(text));
    client.send_msg(msg).await.expect("send");
}

/// Waits (up to 5 s) until `done` holds, polling every 10 ms.
async fn until(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..500 {
        if done() {
            return true;
        }
        TimeoutFuture::new(10).await;
    }
    false
}

#[wasm_bindgen_test]
async fn a_message_from_one_tab_wakes_the_long_poll_of_another() {
    let (db, channel) = (crate::unique("chat"), crate::unique("wake"));
    let a = tab(&db, &channel, "qiyueluhuo2016").await;
    let b = tab(&db, &channel, "peakerdong").await;
    let receiver = Rc::clone(&b);
    spawn_local(async move {
        let _ = receiver.run().await;
    });
    send(&a, "peakerdong", "hello from A").await;
    assert!(
        until(|| texts(&b, "qiyueluhuo2016") == ["hello from A"]).await,
        "B got it live"
    );
    let store = b.msg_store();
    let unread = store
        .session(&SessionKey::c2c(id("qiyueluhuo2016")))
        .map(|s| s.unread());
    assert_eq!(unread, Some(1));
}

#[wasm_bindgen_test]
async fn a_message_sent_in_one_tab_appears_live_in_the_senders_other_tab() {
    // The sending tab does not wake its own poll for its own message; its other tabs must
    // still hear of it.
    let (db, channel) = (crate::unique("own"), crate::unique("wake"));
    let a1 = tab(&db, &channel, "qiyueluhuo2016").await;
    let a2 = tab(&db, &channel, "qiyueluhuo2016").await;
    for client in [&a1, &a2] {
        let poller = Rc::clone(client);
        spawn_local(async move {
            let _ = poller.run().await;
        });
    }
    TimeoutFuture::new(50).await;
    send(&a1, "peakerdong", "sent in tab 1").await;
    assert!(
        until(|| texts(&a2, "peakerdong") == ["sent in tab 1"]).await,
        "tab 2 of the sender shows it"
    );
    assert_eq!(texts(&a1, "peakerdong"), ["sent in tab 1"], "once in tab 1");
}

#[wasm_bindgen_test]
async fn in_one_shared_service_the_senders_other_tab_and_the_receiver_hear_at_once() {
    // One backend, three connections: what a SharedWorker serving three tabs is. The
    // sender's own poll is not woken for its own message; its other tab's poll is.
    let (db, wake) = (crate::unique("shared"), crate::unique("wake"));
    let backend = WorkerBackend::open_named(&db, &wake, Reads::Copy)
        .await
        .expect("open the backend");
    let a1 = connected(Rc::clone(&backend), 1, "qiyueluhuo2016").await;
    let a2 = connected(Rc::clone(&backend), 2, "qiyueluhuo2016").await;
    let b = connected(Rc::clone(&backend), 3, "peakerdong").await;
    for client in [&a1, &a2, &b] {
        let poller = Rc::clone(client);
        spawn_local(async move {
            let _ = poller.run().await;
        });
    }
    TimeoutFuture::new(50).await;
    send(&a1, "peakerdong", "one service").await;
    assert!(
        until(|| texts(&a2, "peakerdong") == ["one service"]).await,
        "the sender's other tab shows it"
    );
    assert!(
        until(|| texts(&b, "qiyueluhuo2016") == ["one service"]).await,
        "the receiver shows it"
    );
    assert_eq!(texts(&a1, "peakerdong"), ["one service"], "once in tab 1");
    assert_eq!(backend.reads(), Reads::Copy, "its own writes keep the copy");
}

#[wasm_bindgen_test]
async fn a_shared_service_that_hears_of_another_writer_reads_the_database_from_then_on() {
    // A tab on its own worker writing the same database (an older build, or a browser
    // that started one): the shared service's copy would miss its writes.
    let (db, wake) = (crate::unique("other"), crate::unique("wake"));
    let shared = WorkerBackend::open_named(&db, &wake, Reads::Copy)
        .await
        .expect("open the backend");
    assert_eq!(shared.reads(), Reads::Copy);
    let b = connected(Rc::clone(&shared), 1, "peakerdong").await;
    let receiver = Rc::clone(&b);
    spawn_local(async move {
        let _ = receiver.run().await;
    });
    let a = tab(&db, &wake, "qiyueluhuo2016").await;
    send(&a, "peakerdong", "from another worker").await;
    assert!(
        until(|| texts(&b, "qiyueluhuo2016") == ["from another worker"]).await,
        "the receiver on the shared service shows it"
    );
    assert_eq!(shared.reads(), Reads::Database);
}

#[wasm_bindgen_test]
async fn two_tabs_writing_at_once_lose_and_duplicate_nothing() {
    let (db, channel) = (crate::unique("race"), crate::unique("wake"));
    let a1 = tab(&db, &channel, "qiyueluhuo2016").await;
    let a2 = tab(&db, &channel, "qiyueluhuo2016").await;
    let sends = |client: Rc<TabClient>, tag: &'static str| async move {
        for i in 0..20 {
            send(&client, "peakerdong", &format!("{tag}{i}")).await;
        }
    };
    let both = select(
        Box::pin(sends(Rc::clone(&a1), "x")),
        Box::pin(sends(Rc::clone(&a2), "y")),
    );
    match both.await {
        Either::Left((_, rest)) => rest.await,
        Either::Right((_, rest)) => rest.await,
    }
    let b = tab(&db, &channel, "peakerdong").await;
    let got = texts(&b, "qiyueluhuo2016");
    assert_eq!(got.len(), 40, "every message once: {got:?}");
    for tag in ["x", "y"] {
        let mine: Vec<&String> = got.iter().filter(|t| t.starts_with(tag)).collect();
        let expected: Vec<String> = (0..20).map(|i| format!("{tag}{i}")).collect();
        assert_eq!(
            mine,
            expected.iter().collect::<Vec<_>>(),
            "{tag} in its sender's order"
        );
    }
}

#[wasm_bindgen_test]
async fn data_survives_a_new_connection_like_a_reload() {
    let (db, channel) = (crate::unique("reload"), crate::unique("wake"));
    let a = tab(&db, &channel, "qiyueluhuo2017").await;
    send(&a, "peakerdong", "kept").await;
    let again = tab(&db, &channel, "peakerdong").await;
    assert_eq!(texts(&again, "qiyueluhuo2017"), ["kept"]);
}

#[wasm_bindgen_test]
async fn a_friend_request_from_one_tab_reaches_the_listener_of_another() {
    use std::cell::RefCell;

    use webim_proto::sns::ADD_SOURCE_UNKNOWN;
    use webim_proto::sns::friend_add::AddFriendItem;
    use webim_sdk::SdkEvent;

    let (db, channel) = (crate::unique("notice"), crate::unique("wake"));
    let a = tab(&db, &channel, "qiyueluhuo2018").await;
    let backend = WorkerBackend::open_named(&db, &channel, Reads::Database)
        .await
        .expect("open");
    let transport = LocalTransport {
        backend,
        conn: ConnId(0),
    };
    let b = Rc::new(Client::new(transport, TestEnv));
    let heard: Rc<RefCell<Vec<SdkEvent>>> = Rc::default();
    let sink = Rc::clone(&heard);
    let listener: webim_sdk::Listener =
        Rc::new(move |e: &SdkEvent| sink.borrow_mut().push(e.clone()));
    b.init(
        LoginInfo::demo(id("qiyueluhuo2016"), "test"),
        Some(listener),
    )
    .await
    .expect("init");
    let receiver = Rc::clone(&b);
    spawn_local(async move {
        let _ = receiver.run().await;
    });
    TimeoutFuture::new(50).await;
    let item = AddFriendItem {
        to_account: id("qiyueluhuo2016"),
        remark: String::new(),
        add_source: ADD_SOURCE_UNKNOWN.to_owned(),
        add_wording: "hi".to_owned(),
    };
    a.apply_add_friend(vec![item]).await.expect("request sent");
    let got = until(|| {
        heard
            .borrow()
            .iter()
            .any(|e| matches!(e, SdkEvent::RelationshipChanged { .. }))
    })
    .await;
    assert!(got, "B heard of the request: {:?}", heard.borrow());
}
