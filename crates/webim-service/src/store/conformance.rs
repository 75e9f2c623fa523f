//! The conformance suite every [`Store`] passes: the in-memory store natively, IndexedDB
//! in headless Chromium. Each case takes a fresh, empty store and panics on a failure.
//!
//! A backend runs them all with [`for_each_store_case!`], giving a macro that turns one
//! case name into one test.
#![allow(clippy::unwrap_used)] // a failed step is the test failing

use std::ops::Bound;

use super::{Direction, KeyRange, Mode, Store, Table, Tx};

/// Calls `$each!(case)` for every case of the suite.
#[macro_export]
macro_rules! for_each_store_case {
    ($each:ident) => {
        $each!(missing_key_reads_as_none);
        $each!(a_transaction_reads_its_own_writes);
        $each!(commit_makes_every_write_visible);
        $each!(a_dropped_transaction_changes_nothing);
        $each!(delete_removes_a_key);
        $each!(scan_returns_keys_in_order_up_to_the_limit);
        $each!(scan_in_reverse);
        $each!(scan_stays_inside_its_prefix_and_table);
        $each!(scan_after_and_before_a_key);
        $each!(scan_sees_the_transactions_own_writes);
        $each!(a_read_only_transaction_refuses_writes);
        $each!(text_values_round_trip_exactly);
        $each!(clear_empties_one_table_only);
        $each!(racing_read_write_transactions_lose_no_update);
    };
}

async fn put_all<S: Store>(store: &S, table: Table, entries: &[(&str, &str)]) {
    let tx = store.begin(Mode::ReadWrite).await.unwrap();
    for (k, v) in entries {
        tx.put(table, k, v).await.unwrap();
    }
    tx.commit().await.unwrap();
}

async fn keys<S: Store>(
    store: &S,
    table: Table,
    range: &KeyRange,
    dir: Direction,
    limit: usize,
) -> Vec<String> {
    let tx = store.begin(Mode::ReadOnly).await.unwrap();
    tx.scan(table, range, dir, limit)
        .await
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect()
}

/// A key never written reads as `None`.
pub async fn missing_key_reads_as_none<S: Store>(store: S) {
    let tx = store.begin(Mode::ReadOnly).await.unwrap();
    assert_eq!(tx.get(Table::Accounts, "nobody").await.unwrap(), None);
}

/// Inside a transaction, a read sees the transaction's earlier write.
pub async fn a_transaction_reads_its_own_writes<S: Store>(store: S) {
    let tx = store.begin(Mode::ReadWrite).await.unwrap();
    tx.put(Table::Accounts, "a", "1").await.unwrap();
    assert_eq!(
        tx.get(Table::Accounts, "a").await.unwrap().as_deref(),
        Some("1")
    );
    tx.put(Table::Accounts, "a", "2").await.unwrap();
    assert_eq!(
        tx.get(Table::Accounts, "a").await.unwrap().as_deref(),
        Some("2")
    );
    tx.commit().await.unwrap();
}

/// After commit, a new transaction sees every write.
pub async fn commit_makes_every_write_visible<S: Store>(store: S) {
    put_all(&store, Table::Inbox, &[("u/1", "x"), ("u/2", "y")]).await;
    let tx = store.begin(Mode::ReadOnly).await.unwrap();
    assert_eq!(
        tx.get(Table::Inbox, "u/1").await.unwrap().as_deref(),
        Some("x")
    );
    assert_eq!(
        tx.get(Table::Inbox, "u/2").await.unwrap().as_deref(),
        Some("y")
    );
}

/// A transaction dropped without commit leaves the data as it was.
pub async fn a_dropped_transaction_changes_nothing<S: Store>(store: S) {
    put_all(&store, Table::Counters, &[("u", "1")]).await;
    {
        let tx = store.begin(Mode::ReadWrite).await.unwrap();
        tx.put(Table::Counters, "u", "2").await.unwrap();
        tx.put(Table::Counters, "v", "9").await.unwrap();
        tx.delete(Table::Counters, "u").await.unwrap();
    }
    let tx = store.begin(Mode::ReadOnly).await.unwrap();
    assert_eq!(
        tx.get(Table::Counters, "u").await.unwrap().as_deref(),
        Some("1")
    );
    assert_eq!(tx.get(Table::Counters, "v").await.unwrap(), None);
}

/// Delete removes a key; deleting a missing key is not an error.
pub async fn delete_removes_a_key<S: Store>(store: S) {
    put_all(&store, Table::Friends, &[("a/b", "{}")]).await;
    let tx = store.begin(Mode::ReadWrite).await.unwrap();
    tx.delete(Table::Friends, "a/b").await.unwrap();
    tx.delete(Table::Friends, "never").await.unwrap();
    tx.commit().await.unwrap();
    let tx = store.begin(Mode::ReadOnly).await.unwrap();
    assert_eq!(tx.get(Table::Friends, "a/b").await.unwrap(), None);
}

/// A forward scan gives keys in ascending order and stops at the limit.
pub async fn scan_returns_keys_in_order_up_to_the_limit<S: Store>(store: S) {
    put_all(
        &store,
        Table::Inbox,
        &[("u/3", "c"), ("u/1", "a"), ("u/2", "b")],
    )
    .await;
    let all = KeyRange::prefix("u/");
    assert_eq!(
        keys(&store, Table::Inbox, &all, Direction::Forward, 10).await,
        ["u/1", "u/2", "u/3"]
    );
    assert_eq!(
        keys(&store, Table::Inbox, &all, Direction::Forward, 2).await,
        ["u/1", "u/2"]
    );
    let tx = store.begin(Mode::ReadOnly).await.unwrap();
    let entries = tx
        .scan(Table::Inbox, &all, Direction::Forward, 1)
        .await
        .unwrap();
    assert_eq!(
        entries,
        [("u/1".to_owned(), "a".to_owned())],
        "values come with their keys"
    );
}

/// A reverse scan gives keys in descending order, the limit counting from the top.
pub async fn scan_in_reverse<S: Store>(store: S) {
    put_all(
        &store,
        Table::Inbox,
        &[("u/1", "a"), ("u/2", "b"), ("u/3", "c")],
    )
    .await;
    let all = KeyRange::prefix("u/");
    assert_eq!(
        keys(&store, Table::Inbox, &all, Direction::Reverse, 2).await,
        ["u/3", "u/2"]
    );
}

/// A prefix scan sees neither neighbouring prefixes nor other tables.
pub async fn scan_stays_inside_its_prefix_and_table<S: Store>(store: S) {
    put_all(
        &store,
        Table::Inbox,
        &[("u/1", "a"), ("u0", "x"), ("v/1", "y"), ("u", "z")],
    )
    .await;
    put_all(&store, Table::Notices, &[("u/1", "n")]).await;
    let got = keys(
        &store,
        Table::Inbox,
        &KeyRange::prefix("u/"),
        Direction::Forward,
        10,
    )
    .await;
    assert_eq!(got, ["u/1"]);
}

/// `prefix_after` and `prefix_before` exclude the key they name.
pub async fn scan_after_and_before_a_key<S: Store>(store: S) {
    put_all(
        &store,
        Table::Inbox,
        &[("u/1", "a"), ("u/2", "b"), ("u/3", "c")],
    )
    .await;
    let after = KeyRange::prefix_after("u/", "u/1");
    assert_eq!(
        keys(&store, Table::Inbox, &after, Direction::Forward, 10).await,
        ["u/2", "u/3"]
    );
    let before = KeyRange::prefix_before("u/", "u/3");
    assert_eq!(
        keys(&store, Table::Inbox, &before, Direction::Reverse, 10).await,
        ["u/2", "u/1"]
    );
    let inclusive = KeyRange {
        start: Bound::Included("u/2".to_owned()),
        end: Bound::Included("u/3".to_owned()),
    };
    assert_eq!(
        keys(&store, Table::Inbox, &inclusive, Direction::Forward, 10).await,
        ["u/2", "u/3"]
    );
}

/// A scan inside a read-write transaction includes its puts and omits its deletes.
pub async fn scan_sees_the_transactions_own_writes<S: Store>(store: S) {
    put_all(&store, Table::Inbox, &[("u/1", "a"), ("u/2", "b")]).await;
    let tx = store.begin(Mode::ReadWrite).await.unwrap();
    tx.put(Table::Inbox, "u/3", "c").await.unwrap();
    tx.delete(Table::Inbox, "u/1").await.unwrap();
    let got: Vec<String> = tx
        .scan(
            Table::Inbox,
            &KeyRange::prefix("u/"),
            Direction::Forward,
            10,
        )
        .await
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(got, ["u/2", "u/3"]);
    tx.commit().await.unwrap();
}

/// Writing in a read-only transaction is an error, not a silent no-op.
pub async fn a_read_only_transaction_refuses_writes<S: Store>(store: S) {
    let tx = store.begin(Mode::ReadOnly).await.unwrap();
    assert!(tx.put(Table::Meta, "k", "v").await.is_err());
}

/// Values come back byte for byte: CJK, emoji, quotes, 12000-byte texts.
pub async fn text_values_round_trip_exactly<S: Store>(store: S) {
    let long = "七".repeat(4000);
    let samples = [
        "七月流火2016",
        "😀 <script>\"x\"</script> \\ \n",
        long.as_str(),
        "",
        "it's '' quoted'); DROP TABLE meta; --",
        "nul \0 inside",
    ];
    let tx = store.begin(Mode::ReadWrite).await.unwrap();
    for (i, v) in samples.iter().enumerate() {
        tx.put(Table::Meta, &format!("k{i}"), v).await.unwrap();
    }
    tx.commit().await.unwrap();
    let tx = store.begin(Mode::ReadOnly).await.unwrap();
    for (i, v) in samples.iter().enumerate() {
        assert_eq!(
            tx.get(Table::Meta, &format!("k{i}"))
                .await
                .unwrap()
                .as_deref(),
            Some(*v)
        );
    }
}

/// Clear empties its table, including the transaction's own writes, and no other table.
pub async fn clear_empties_one_table_only<S: Store>(store: S) {
    put_all(&store, Table::Inbox, &[("u/1", "a"), ("u/2", "b")]).await;
    put_all(&store, Table::Notices, &[("u/1", "n")]).await;
    let tx = store.begin(Mode::ReadWrite).await.unwrap();
    tx.put(Table::Inbox, "u/3", "c").await.unwrap();
    tx.clear(Table::Inbox).await.unwrap();
    tx.put(Table::Inbox, "u/4", "d").await.unwrap();
    tx.commit().await.unwrap();
    let got = keys(
        &store,
        Table::Inbox,
        &KeyRange::prefix("u/"),
        Direction::Forward,
        10,
    )
    .await;
    assert_eq!(got, ["u/4"]);
    let notices = keys(
        &store,
        Table::Notices,
        &KeyRange::prefix("u/"),
        Direction::Forward,
        10,
    )
    .await;
    assert_eq!(notices, ["u/1"]);
}

/// Two read-write transactions that read a counter and write it back one higher, started
/// together, end with the counter two higher: the second waits for the first (or one is
/// refused and nothing of it lands), never both reading the old value.
pub async fn racing_read_write_transactions_lose_no_update<S: Store>(store: S) {
    put_all(&store, Table::Counters, &[("u", "0")]).await;
    let bump = || async {
        let tx = store.begin(Mode::ReadWrite).await?;
        let now: u64 = tx
            .get(Table::Counters, "u")
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        tx.put(Table::Counters, "u", &(now + 1).to_string()).await?;
        tx.commit().await
    };
    let (a, b) = futures_util::future::join(bump(), bump()).await;
    for refused in [&a, &b].into_iter().filter_map(|r| r.as_ref().err()) {
        assert!(
            refused.is_conflict(),
            "a writer refused for racing says so, so the caller runs it again: {refused}"
        );
    }
    let landed = u64::from(a.is_ok()) + u64::from(b.is_ok());
    assert!(
        landed >= 1,
        "at least one of two racing writers lands: {a:?} {b:?}"
    );
    let tx = store.begin(Mode::ReadOnly).await.unwrap();
    let value = tx.get(Table::Counters, "u").await.unwrap();
    assert_eq!(value, Some(landed.to_string()), "no update is lost");
}
