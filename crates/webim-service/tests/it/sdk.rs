//! The real SDK over the real service (in memory, in one process): the whole chain the
//! browser runs, minus the browser.

use std::rc::Rc;

use futures::executor::block_on;
use webim_proto::{Endpoint, Timestamp};
use webim_sdk::testing::{FakeEnv, account};
use webim_sdk::{
    Answer, Cancel, Client, Elem, LoginInfo, SessionType, Text, Transport, TransportError, Upload,
    from_json, to_json,
};
use webim_service::blob::{Files, NoFiles, TestFiles};
use webim_service::{MemoryStore, Service};

/// A transport that hands each request to the service directly.
struct Direct<F = NoFiles>(Rc<Service<MemoryStore, F>>);

impl<F: Files> Transport for Direct<F> {
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

fn client<F: Files>(
    service: &Rc<Service<MemoryStore, F>>,
    who: &str,
) -> Client<Direct<F>, FakeEnv> {
    logged_in(Direct(Rc::clone(service)), who)
}

/// A client over `transport`, logged in as `who`.
fn logged_in<T: Transport>(transport: T, who: &str) -> Client<T, FakeEnv> {
    let client = Client::new(transport, FakeEnv::default());
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

#[test]
fn test_an_sdk_client_uploads_a_picture_in_slices_and_its_peer_sees_it() {
    let service = Rc::new(Service::new(MemoryStore::new()).with_files(TestFiles::default()));
    block_on(service.ensure_seeded(Timestamp(1))).unwrap();
    let a = client(&service, "qiyueluhuo2016");
    let b = client(&service, "peakerdong");
    // A PNG's header (the test double reads only that), 3 MB in all: three slices.
    let mut photo = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    photo.extend_from_slice(&4_000u32.to_be_bytes());
    photo.extend_from_slice(&3_000u32.to_be_bytes());
    photo.resize(3_000_000, 1);
    let seen = std::cell::RefCell::new(Vec::new());
    let progress = |sent, total| seen.borrow_mut().push((sent, total));
    let peer = account("peakerdong");
    let elem = block_on(a.upload(
        &peer,
        &Upload::Picture { name: None },
        &photo,
        &progress,
        &Cancel::new(),
    ))
    .unwrap();
    let slice = webim_sdk::SLICE_BYTES as u64;
    assert_eq!(
        *seen.borrow(),
        [
            (slice, 3_000_000),
            (2 * slice, 3_000_000),
            (3_000_000, 3_000_000)
        ]
    );
    let Elem::Image(image) = &elem else {
        panic!("{elem:?}")
    };
    assert_eq!(image.image_info_array.len(), 3);
    let mut msg = a.create_msg(&peer).unwrap();
    msg.add_text(Text::new("看"));
    msg.add_elem(elem);
    block_on(a.send_msg(msg)).unwrap();
    block_on(b.poll_once()).unwrap();
    let store = b.msg_store();
    let sess = store
        .sess_by_type_id(SessionType::C2c, &account("qiyueluhuo2016"))
        .unwrap();
    let got = sess.msgs().last().unwrap();
    assert_eq!(got.to_text(), "看[图片]");
    let Elem::Image(image) = &got.elems()[1] else {
        panic!("{got:?}")
    };
    assert!(
        image.image_info_array[0]
            .url
            .starts_with("test://peakerdong/")
    );
}

#[test]
fn test_a_file_upload_gives_my_own_address_and_a_cancel_stops_before_a_slice() {
    let service = Rc::new(Service::new(MemoryStore::new()).with_files(TestFiles::default()));
    block_on(service.ensure_seeded(Timestamp(1))).unwrap();
    let a = client(&service, "qiyueluhuo2016");
    let peer = account("peakerdong");
    let file = Upload::File {
        name: "a.pdf".to_owned(),
    };
    let elem = block_on(a.upload(&peer, &file, b"%PDF-1.7", &|_, _| {}, &Cancel::new())).unwrap();
    let Elem::File(sent) = &elem else {
        panic!("{elem:?}")
    };
    assert_eq!((sent.file_name.as_str(), sent.file_size), ("a.pdf", 8));
    assert!(sent.url.starts_with("test://qiyueluhuo2016/"), "{sent:?}");
    let cancel = Cancel::new();
    cancel.cancel();
    let stopped = block_on(a.upload(&peer, &file, b"x", &|_, _| {}, &cancel)).unwrap_err();
    assert_eq!(stopped.code, webim_sdk::CANCELLED);
    let none = block_on(a.upload(&peer, &file, b"", &|_, _| {}, &Cancel::new())).unwrap_err();
    assert_eq!(none.code, webim_proto::ErrorCode::UploadTooLarge);
}

/// The service, except that its first slice is answered "too busy to read it" (as the
/// server's upload gate answers when every turn is taken).
struct BusyOnce<F: Files>(Direct<F>, std::cell::Cell<bool>);

impl<F: Files> Transport for BusyOnce<F> {
    async fn request<R: Endpoint>(
        &self,
        login: &LoginInfo,
        request: &R,
    ) -> Result<Answer<R::Response>, TransportError> {
        if R::COMMAND == webim_proto::Command::PicUp && !self.1.replace(true) {
            return from_json(r#"{"ActionStatus":"FAIL","ErrorCode":60018,"ErrorInfo":"busy"}"#);
        }
        self.0.request(login, request).await
    }
}

#[test]
fn test_a_slice_the_service_was_too_busy_to_read_is_sent_again() {
    let service = Rc::new(Service::new(MemoryStore::new()).with_files(TestFiles::default()));
    block_on(service.ensure_seeded(Timestamp(1))).unwrap();
    let transport = BusyOnce(Direct(Rc::clone(&service)), std::cell::Cell::new(false));
    let a = logged_in(transport, "qiyueluhuo2016");
    let file = Upload::File {
        name: "a.txt".to_owned(),
    };
    let peer = account("peakerdong");
    let elem = block_on(a.upload(&peer, &file, b"hello", &|_, _| {}, &Cancel::new())).unwrap();
    assert!(
        matches!(&elem, Elem::File(f) if f.file_size == 5),
        "{elem:?}"
    );
}
