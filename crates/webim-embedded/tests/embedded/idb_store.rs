//! The store conformance suite, on IndexedDB, read directly and through a copy in memory
//! (the SharedWorker's).

use wasm_bindgen_test::wasm_bindgen_test;
use webim_embedded::IdbStore;
use webim_service::store::conformance;

macro_rules! idb_case {
    ($case:ident) => {
        #[wasm_bindgen_test]
        async fn $case() {
            let name = crate::unique(stringify!($case));
            let store = IdbStore::open(&name).await.expect("open IndexedDB");
            conformance::$case(store.clone()).await;
            store.close();
            IdbStore::delete(&name)
                .await
                .expect("delete the test database");
        }
    };
}

webim_service::for_each_store_case!(idb_case);

macro_rules! mirrored_idb_case {
    ($case:ident) => {
        mod $case {
            use super::*;
            use webim_service::store::Mirrored;

            #[wasm_bindgen_test]
            async fn through_a_copy() {
                let name = crate::unique(stringify!($case));
                let idb = IdbStore::open(&name).await.expect("open IndexedDB");
                let store = Mirrored::new(idb.clone());
                assert!(store.load(1 << 20).await.expect("load the copy"));
                conformance::$case(store.clone()).await;
                assert!(store.is_mirrored(), "still read from the copy");
                idb.close();
                IdbStore::delete(&name)
                    .await
                    .expect("delete the test database");
            }
        }
    };
}

webim_service::for_each_store_case!(mirrored_idb_case);

#[wasm_bindgen_test]
async fn a_transaction_dropped_unfinished_raises_no_error_later() {
    use std::cell::Cell;
    use std::rc::Rc;
    use webim_service::store::{Mode, Store, Table, Tx};

    // An uncaught error in a dedicated worker reaches its page as the worker's `error`;
    // the abort that follows a dropped transaction must not call freed handlers.
    let errors = Rc::new(Cell::new(0));
    let seen = Rc::clone(&errors);
    let global: web_sys::EventTarget = wasm_bindgen::JsValue::from(js_sys::global()).into();
    let _listener =
        gloo::events::EventListener::new(&global, "error", move |_| seen.set(seen.get() + 1));
    let name = crate::unique("dropped");
    let store = IdbStore::open(&name).await.expect("open IndexedDB");
    for mode in [Mode::ReadOnly, Mode::ReadWrite] {
        let tx = store.begin(mode).await.expect("begin");
        let _ = tx.get(Table::Meta, "k").await;
        drop(tx);
    }
    gloo::timers::future::TimeoutFuture::new(100).await;
    assert_eq!(errors.get(), 0, "no uncaught error after the aborts");
    store.close();
    IdbStore::delete(&name)
        .await
        .expect("delete the test database");
}
