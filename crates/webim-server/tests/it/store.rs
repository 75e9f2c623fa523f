//! The shared store conformance suite on SQLite files and on PostgreSQL databases (a
//! fresh database per case, on a private server unless WEBIM_TEST_POSTGRES_URL is set).

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

mod postgres {
    macro_rules! postgres_case {
        ($case:ident) => {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let store = crate::harness::fresh_postgres().await;
                webim_service::store::conformance::$case(store.clone()).await;
                store.close().await;
            }
        };
    }

    webim_service::for_each_store_case!(postgres_case);
}

/// A write command that read (so began the writer's transaction) and was then dropped
/// leaves no lock behind: another process (the command line) can write the file at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_write_transaction_does_not_keep_the_write_lock() {
    use webim_service::store::{Mode, Store, Table, Tx};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("webim.sqlite3");
    let server = SqliteStore::open(&path).await.unwrap();
    let tx = server.begin(Mode::ReadWrite).await.unwrap();
    assert_eq!(tx.get(Table::Accounts, "nobody").await.unwrap(), None);
    drop(tx);
    let other_process = SqliteStore::open(&path).await.unwrap();
    let started = std::time::Instant::now();
    let tx = other_process.begin(Mode::ReadWrite).await.unwrap();
    tx.put(Table::Meta, "k", "v").await.unwrap();
    tx.commit().await.expect("the file is writable");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "not after waiting out the busy timeout: {:?}",
        started.elapsed()
    );
    let tx = server.begin(Mode::ReadOnly).await.unwrap();
    assert_eq!(
        tx.get(Table::Meta, "k").await.unwrap().as_deref(),
        Some("v")
    );
    drop(tx);
    other_process.close().await;
    server.close().await;
}
