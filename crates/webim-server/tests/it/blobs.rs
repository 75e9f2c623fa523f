//! The shared blob conformance suite on files in a data directory and on PostgreSQL (a
//! fresh database per case, on a private server unless WEBIM_TEST_POSTGRES_URL is set).

use webim_server::blobs::FileBlobs;

macro_rules! files_case {
    ($case:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $case() {
            let dir = tempfile::tempdir().unwrap();
            let blobs = FileBlobs::open(&dir.path().join("blobs")).unwrap();
            webim_service::blob::conformance::$case(blobs).await;
        }
    };
}

webim_service::for_each_blob_case!(files_case);

mod postgres {
    macro_rules! postgres_case {
        ($case:ident) => {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let store = crate::harness::fresh_postgres().await;
                webim_service::blob::conformance::$case(store.blobs()).await;
                store.close().await;
            }
        };
    }

    webim_service::for_each_blob_case!(postgres_case);
}

/// Files are the server's user's alone, and a blob that was never finished is never where
/// a finished one is read.
#[cfg(unix)]
#[tokio::test]
async fn blob_files_are_private_and_unfinished_ones_stay_apart() {
    use std::os::unix::fs::PermissionsExt;
    use webim_service::blob::{BlobId, BlobStore};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("blobs");
    let blobs = FileBlobs::open(&root).unwrap();
    let id = BlobId::from_random([0x5a; 16]);
    blobs.write(&id, 0, b"secret").await.unwrap();
    let unfinished = root.join("unfinished").join(id.as_str());
    assert!(unfinished.exists());
    blobs.finish(&id).await.unwrap();
    assert!(!unfinished.exists(), "moved into place");
    let finished = root.join("5a").join(id.as_str());
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&finished), 0o600);
    assert_eq!(mode(&root), 0o700);
    assert_eq!(mode(&root.join("5a")), 0o700);
}
