//! The blob conformance suite on IndexedDB, in the database beside the service's tables.

use wasm_bindgen_test::wasm_bindgen_test;
use webim_embedded::IdbStore;
use webim_service::blob::conformance;

macro_rules! idb_blob_case {
    ($case:ident) => {
        #[wasm_bindgen_test]
        async fn $case() {
            let name = crate::unique(stringify!($case));
            let store = IdbStore::open(&name).await.expect("open IndexedDB");
            conformance::$case(store.blobs()).await;
            store.close();
            IdbStore::delete(&name)
                .await
                .expect("delete the test database");
        }
    };
}

webim_service::for_each_blob_case!(idb_blob_case);
