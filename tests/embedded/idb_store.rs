//! The store conformance suite, on IndexedDB.

use wasm_bindgen_test::wasm_bindgen_test;
use webim::embedded::IdbStore;
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
