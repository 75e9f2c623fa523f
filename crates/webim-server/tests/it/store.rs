//! The shared store conformance suite on SQLite files.

use webim_server::store::SqliteStore;

macro_rules! sqlite_case {
    ($case:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $case() {
            let dir = tempfile::tempdir().unwrap();
            let store = SqliteStore::open(&dir.path().join("webim.sqlite3"))
                .await
                .unwrap();
            webim_service::store::conformance::$case(store.clone()).await;
            store.close().await;
        }
    };
}

webim_service::for_each_store_case!(sqlite_case);
