//! Blobs held in memory: the double the native tests run the service over, and the model
//! the other blob stores are held to by the conformance suite.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ops::Range;
use std::rc::Rc;

use super::{BlobId, BlobStore};
use crate::store::StoreError;

/// A blob's bytes, and whether it is finished.
type Held = (Vec<u8>, bool);

/// Blobs in memory; clones share them.
#[derive(Debug, Clone, Default)]
pub struct MemoryBlobs {
    blobs: Rc<RefCell<BTreeMap<BlobId, Held>>>,
    /// While set, removing a blob that is there fails: a test's stand-in for a crash
    /// before a removal.
    removes_fail: Rc<std::cell::Cell<bool>>,
}

impl MemoryBlobs {
    /// No blobs.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many blobs, finished or not, are held (for tests).
    pub fn len(&self) -> usize {
        self.blobs.borrow().len()
    }

    /// True if no blob is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Makes removing a blob that is there fail (`true`) or work again: what a process
    /// stopped just before a removal leaves behind, for the tests of what cleans it up.
    pub fn fail_removes(&self, fail: bool) {
        self.removes_fail.set(fail);
    }
}

impl BlobStore for MemoryBlobs {
    async fn write(&self, id: &BlobId, offset: u64, bytes: &[u8]) -> Result<(), StoreError> {
        let mut blobs = self.blobs.borrow_mut();
        let (data, finished) = blobs.entry(id.clone()).or_default();
        if *finished {
            return Err(StoreError::new(format!("blob {id} is finished")));
        }
        if offset != data.len() as u64 {
            return Err(StoreError::new(format!(
                "blob {id}: a write at {offset}, its end is {}",
                data.len()
            )));
        }
        data.extend_from_slice(bytes);
        Ok(())
    }

    async fn finish(&self, id: &BlobId) -> Result<(), StoreError> {
        match self.blobs.borrow_mut().get_mut(id) {
            Some((_, finished)) => {
                *finished = true;
                Ok(())
            }
            None => Err(StoreError::new(format!("no blob {id} to finish"))),
        }
    }

    async fn size(&self, id: &BlobId) -> Result<Option<u64>, StoreError> {
        Ok(match self.blobs.borrow().get(id) {
            Some((data, true)) => Some(data.len() as u64),
            _ => None,
        })
    }

    async fn read(&self, id: &BlobId, range: Range<u64>) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(match self.blobs.borrow().get(id) {
            Some((data, true)) => {
                let clamp = |n: u64| usize::try_from(n).unwrap_or(usize::MAX).min(data.len());
                let start = clamp(range.start);
                let end = clamp(range.end).max(start);
                Some(data[start..end].to_vec())
            }
            _ => None,
        })
    }

    async fn remove(&self, id: &BlobId) -> Result<(), StoreError> {
        if self.removes_fail.get() && self.blobs.borrow().contains_key(id) {
            return Err(StoreError::new(format!(
                "blob {id}: removing failed (a test's crash)"
            )));
        }
        self.blobs.borrow_mut().remove(id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::MemoryBlobs;
    use crate::blob::conformance;

    macro_rules! memory_case {
        ($case:ident) => {
            #[test]
            fn $case() {
                futures::executor::block_on(conformance::$case(MemoryBlobs::new()));
            }
        };
    }

    crate::for_each_blob_case!(memory_case);
}
