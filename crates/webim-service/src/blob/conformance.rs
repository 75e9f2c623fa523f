//! The conformance suite every [`BlobStore`] passes. Each case takes a fresh, empty store
//! and panics on a failure; a store runs them all with [`for_each_blob_case!`].
#![allow(clippy::unwrap_used)] // a failed step is the test failing

use super::{BlobId, BlobStore};

/// Calls `$each!(case)` for every case of the suite.
#[macro_export]
macro_rules! for_each_blob_case {
    ($each:ident) => {
        $each!(a_blob_reads_back_as_written_across_writes);
        $each!(an_unfinished_blob_cannot_be_read);
        $each!(a_write_anywhere_but_the_end_is_refused);
        $each!(a_finished_blob_is_never_written_again);
        $each!(reads_stop_at_the_end);
        $each!(remove_takes_finished_and_unfinished_blobs);
        $each!(every_byte_value_round_trips);
    };
}

fn id(n: u8) -> BlobId {
    BlobId::from_random([n; 16])
}

/// Writes `bytes` as one finished blob, in writes of `step` bytes.
async fn put<B: BlobStore>(blobs: &B, id: &BlobId, bytes: &[u8], step: usize) {
    let mut offset = 0;
    for chunk in bytes.chunks(step) {
        blobs.write(id, offset, chunk).await.unwrap();
        offset += chunk.len() as u64;
    }
    blobs.finish(id).await.unwrap();
}

/// Several writes make one blob, read back whole and in parts.
pub async fn a_blob_reads_back_as_written_across_writes<B: BlobStore>(blobs: B) {
    let bytes: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    put(&blobs, &id(1), &bytes, 999).await;
    assert_eq!(blobs.size(&id(1)).await.unwrap(), Some(10_000));
    assert_eq!(
        blobs.read(&id(1), 0..20000).await.unwrap(),
        Some(bytes.clone())
    );
    let part = blobs.read(&id(1), 4_000..6500).await.unwrap().unwrap();
    assert_eq!(part, bytes[4_000..6_500]);
}

/// Until it is finished, a blob reads as absent.
pub async fn an_unfinished_blob_cannot_be_read<B: BlobStore>(blobs: B) {
    blobs.write(&id(2), 0, b"half").await.unwrap();
    assert_eq!(blobs.size(&id(2)).await.unwrap(), None);
    assert_eq!(blobs.read(&id(2), 0..4).await.unwrap(), None);
    assert_eq!(
        blobs.read(&id(3), 0..4).await.unwrap(),
        None,
        "never written"
    );
    assert_eq!(blobs.size(&id(3)).await.unwrap(), None);
}

/// A write that would leave a gap or overwrite is refused, and changes nothing.
pub async fn a_write_anywhere_but_the_end_is_refused<B: BlobStore>(blobs: B) {
    blobs.write(&id(4), 0, b"abc").await.unwrap();
    assert!(blobs.write(&id(4), 5, b"gap").await.is_err());
    assert!(blobs.write(&id(4), 1, b"over").await.is_err());
    assert!(blobs.write(&id(5), 3, b"no start").await.is_err());
    blobs.write(&id(4), 3, b"def").await.unwrap();
    blobs.finish(&id(4)).await.unwrap();
    assert_eq!(
        blobs.read(&id(4), 0..100).await.unwrap().as_deref(),
        Some(&b"abcdef"[..])
    );
}

/// Finishing twice is fine; writing after it is not.
pub async fn a_finished_blob_is_never_written_again<B: BlobStore>(blobs: B) {
    put(&blobs, &id(6), b"done", 4).await;
    blobs.finish(&id(6)).await.unwrap();
    assert!(blobs.write(&id(6), 4, b"more").await.is_err());
    assert_eq!(blobs.size(&id(6)).await.unwrap(), Some(4));
}

/// A read at or past the end is short or empty, never an error; so is a backwards range.
pub async fn reads_stop_at_the_end<B: BlobStore>(blobs: B) {
    let seven = id(7);
    put(&blobs, &seven, b"0123456789", 3).await;
    let read = |offset: u64, len: u64| blobs.read(&seven, offset..offset + len);
    assert_eq!(read(8, 10).await.unwrap().as_deref(), Some(&b"89"[..]));
    assert_eq!(read(10, 10).await.unwrap().as_deref(), Some(&b""[..]));
    assert_eq!(read(99, 10).await.unwrap().as_deref(), Some(&b""[..]));
    assert_eq!(read(2, 0).await.unwrap().as_deref(), Some(&b""[..]));
    let (five, three) = (5, 3);
    let backwards = blobs.read(&seven, five..three).await.unwrap();
    assert_eq!(
        backwards.as_deref(),
        Some(&b""[..]),
        "a range that ends first is empty"
    );
}

/// Remove takes a blob at any stage, and a missing one is no error.
pub async fn remove_takes_finished_and_unfinished_blobs<B: BlobStore>(blobs: B) {
    put(&blobs, &id(8), b"finished", 8).await;
    blobs.write(&id(9), 0, b"unfinished").await.unwrap();
    blobs.remove(&id(8)).await.unwrap();
    blobs.remove(&id(9)).await.unwrap();
    blobs.remove(&id(10)).await.unwrap();
    assert_eq!(blobs.size(&id(8)).await.unwrap(), None);
    blobs.write(&id(9), 0, b"again").await.unwrap();
    blobs.finish(&id(9)).await.unwrap();
    assert_eq!(
        blobs.size(&id(9)).await.unwrap(),
        Some(5),
        "a removed id starts afresh"
    );
}

/// Every byte value, NUL and invalid UTF-8 included, comes back as it went.
pub async fn every_byte_value_round_trips<B: BlobStore>(blobs: B) {
    let bytes: Vec<u8> = (0..=255u8).rev().chain(0..=255u8).collect();
    put(&blobs, &id(11), &bytes, 100).await;
    assert_eq!(blobs.read(&id(11), 0..512).await.unwrap(), Some(bytes));
}
