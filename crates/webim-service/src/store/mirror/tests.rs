//! The mirror: the conformance suite with and without a copy, and what the copy must
//! follow (commits through it, in order, within its bound) and must not (a dropped or
//! unfinished transaction, another writer once told).

use futures::executor::block_on;

use super::Mirrored;
use crate::store::{Direction, KeyRange, MemoryStore, Mode, Store, Table, Tx, conformance};

macro_rules! mirror_cases {
    ($case:ident) => {
        mod $case {
            use super::*;

            #[test]
            fn without_a_copy() {
                block_on(conformance::$case(Mirrored::new(MemoryStore::new())));
            }

            #[test]
            fn with_a_copy() {
                block_on(async {
                    let store = Mirrored::new(MemoryStore::new());
                    assert!(store.load(1 << 20).await.expect("load"));
                    conformance::$case(store.clone()).await;
                    assert!(store.is_mirrored(), "the suite stays within the bound");
                });
            }
        }
    };
}

crate::for_each_store_case!(mirror_cases);

async fn put(store: &impl Store, table: Table, key: &str, value: &str) {
    let tx = store.begin(Mode::ReadWrite).await.expect("begin");
    tx.put(table, key, value).await.expect("put");
    tx.commit().await.expect("commit");
}

async fn read(store: &impl Store, table: Table, key: &str) -> Option<String> {
    let tx = store.begin(Mode::ReadOnly).await.expect("begin");
    tx.get(table, key).await.expect("get")
}

async fn everything(store: &impl Store) -> Vec<(Table, String, String)> {
    let tx = store.begin(Mode::ReadOnly).await.expect("begin");
    let all = KeyRange {
        start: std::ops::Bound::Unbounded,
        end: std::ops::Bound::Unbounded,
    };
    let mut out = Vec::new();
    for table in Table::ALL {
        let entries = tx.scan(table, &all, Direction::Forward, usize::MAX).await;
        for (k, v) in entries.expect("scan") {
            out.push((table, k, v));
        }
    }
    out
}

#[test]
fn reads_come_from_the_copy_until_it_is_forgotten() {
    block_on(async {
        let backing = MemoryStore::new();
        put(&backing, Table::Accounts, "alice", "before").await;
        let store = Mirrored::new(backing.clone());
        assert!(store.load(1 << 20).await.expect("load"));
        assert_eq!(
            read(&store, Table::Accounts, "alice").await.as_deref(),
            Some("before")
        );
        // Another writer, behind the mirror's back: the copy cannot know.
        put(&backing, Table::Accounts, "alice", "after").await;
        assert_eq!(
            read(&store, Table::Accounts, "alice").await.as_deref(),
            Some("before")
        );
        store.forget();
        assert!(!store.is_mirrored());
        assert_eq!(
            read(&store, Table::Accounts, "alice").await.as_deref(),
            Some("after")
        );
    });
}

#[test]
fn the_copy_follows_commits_and_nothing_else() {
    block_on(async {
        let backing = MemoryStore::new();
        let store = Mirrored::new(backing.clone());
        assert!(store.load(1 << 20).await.expect("load"));
        put(&store, Table::Inbox, "bob/1", "hello").await;
        put(&store, Table::Inbox, "bob/2", "again").await;
        let tx = store.begin(Mode::ReadWrite).await.expect("begin");
        tx.delete(Table::Inbox, "bob/1").await.expect("delete");
        tx.clear(Table::Counters).await.expect("clear");
        tx.put(Table::Counters, "bob", "2").await.expect("put");
        tx.commit().await.expect("commit");
        // Dropped without commit: neither store changes.
        let tx = store.begin(Mode::ReadWrite).await.expect("begin");
        tx.put(Table::Inbox, "bob/3", "never").await.expect("put");
        drop(tx);
        let seen = everything(&store).await;
        assert_eq!(seen, everything(&backing).await);
        assert_eq!(
            seen,
            vec![
                (Table::Inbox, "bob/2".to_owned(), "again".to_owned()),
                (Table::Counters, "bob".to_owned(), "2".to_owned()),
            ]
        );
        assert_eq!(store.mirrored_bytes(), "bob/2again".len() + "bob2".len());
    });
}

#[test]
fn a_write_begun_before_the_load_and_committed_after_it_reaches_the_copy() {
    block_on(async {
        let store = Mirrored::new(MemoryStore::new());
        let tx = store.begin(Mode::ReadWrite).await.expect("begin");
        tx.put(Table::Friends, "alice/bob", "{}")
            .await
            .expect("put");
        assert!(store.load(1 << 20).await.expect("load"));
        tx.commit().await.expect("commit");
        assert_eq!(
            read(&store, Table::Friends, "alice/bob").await.as_deref(),
            Some("{}")
        );
    });
}

#[test]
fn a_load_reads_every_entry_in_chunks() {
    block_on(async {
        let backing = MemoryStore::new();
        let tx = backing.begin(Mode::ReadWrite).await.expect("begin");
        for i in 0..4500 {
            tx.put(Table::Inbox, &format!("u/{i:05}"), "m")
                .await
                .expect("put");
        }
        tx.put(Table::Meta, "seeded", "1").await.expect("put");
        tx.commit().await.expect("commit");
        let store = Mirrored::new(backing.clone());
        assert!(store.load(1 << 20).await.expect("load"));
        assert_eq!(everything(&store).await.len(), 4501);
        assert_eq!(
            store.mirrored_bytes(),
            4500 * "u/00000m".len() + "seeded1".len()
        );
    });
}

#[test]
fn past_its_bound_there_is_no_copy_and_reads_stay_right() {
    block_on(async {
        let backing = MemoryStore::new();
        put(&backing, Table::Accounts, "alice", "0123456789").await;
        let store = Mirrored::new(backing.clone());
        assert!(
            !store.load(10).await.expect("load"),
            "15 bytes do not fit in 10"
        );
        assert!(!store.is_mirrored());

        let store = Mirrored::new(backing.clone());
        assert!(store.load(20).await.expect("load"));
        put(&store, Table::Accounts, "bob", "0123456789").await;
        assert!(!store.is_mirrored(), "28 bytes outgrew the copy's 20");
        assert_eq!(
            read(&store, Table::Accounts, "bob").await.as_deref(),
            Some("0123456789")
        );
        put(&backing, Table::Accounts, "carol", "x").await;
        assert_eq!(
            read(&store, Table::Accounts, "carol").await.as_deref(),
            Some("x")
        );
    });
}
