//! Blobs in the origin's IndexedDB, beside the service's tables: `blob_data` holds each blob's
//! written size and whether it is finished (`"{size}/{0|1}"`), `blob_chunks` one byte
//! array per write under `"{id}/{offset, 20 digits}"`, so the chunks of a blob sort in
//! order. Each call is one transaction over both: a write's chunk and its new size land
//! together or not at all.

use std::ops::Range;

use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::IdbKeyRange;
use webim_service::blob::{BlobId, BlobStore};
use webim_service::store::{Mode, StoreError, Tx};

use crate::idb::{IdbStore, IdbTx, Request, js_error};

const BLOBS: &str = "blob_data";
const CHUNKS: &str = "blob_chunks";
/// The object stores this module keeps (created with the database's tables).
pub(crate) const STORES: [&str; 2] = [BLOBS, CHUNKS];

/// Blobs in an IndexedDB database.
#[derive(Debug, Clone)]
pub struct IdbBlobs {
    db: IdbStore,
}

/// What `blobs` says of one blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Written {
    size: u64,
    finished: bool,
}

fn chunk_key(id: &BlobId, at: u64) -> String {
    format!("{id}/{at:020}")
}

/// Every chunk key of `id` below `end` (all of them with `u64::MAX`).
fn chunks_below(id: &BlobId, end: u64) -> Result<IdbKeyRange, StoreError> {
    let (low, high) = (chunk_key(id, 0), chunk_key(id, end));
    IdbKeyRange::bound_with_lower_open_and_upper_open(&low.into(), &high.into(), false, true)
        .map_err(|e| js_error("key range", &e))
}

impl IdbBlobs {
    pub(crate) fn new(db: IdbStore) -> Self {
        Self { db }
    }

    fn begin(&self, mode: Mode) -> Result<IdbTx, StoreError> {
        self.db.transaction(&STORES, mode)
    }
}

async fn written(tx: &IdbTx, id: &BlobId) -> Result<Option<Written>, StoreError> {
    let req = tx
        .object_store(BLOBS)?
        .get(&JsValue::from_str(id.as_str()))
        .map_err(|e| js_error("get", &e))?;
    let Some(text) = Request::new(req, "get").await?.as_string() else {
        return Ok(None);
    };
    let parsed = text
        .split_once('/')
        .and_then(|(size, finished)| Some((size.parse().ok()?, finished == "1")));
    let (size, finished) =
        parsed.ok_or_else(|| StoreError::new(format!("blob {id}: a bad record {text}")))?;
    Ok(Some(Written { size, finished }))
}

fn record(tx: &IdbTx, id: &BlobId, written: Written) -> Result<(), StoreError> {
    let text = format!("{}/{}", written.size, u8::from(written.finished));
    tx.object_store(BLOBS)?
        .put_with_key(&JsValue::from_str(&text), &JsValue::from_str(id.as_str()))
        .map(drop)
        .map_err(|e| js_error("put", &e))
}

impl BlobStore for IdbBlobs {
    async fn write(&self, id: &BlobId, offset: u64, bytes: &[u8]) -> Result<(), StoreError> {
        let tx = self.begin(Mode::ReadWrite)?;
        let end = match written(&tx, id).await? {
            None => 0,
            Some(w) if w.finished => return Err(StoreError::new(format!("blob {id} is finished"))),
            Some(w) => w.size,
        };
        if end != offset {
            return Err(StoreError::new(format!(
                "blob {id}: a write at {offset}, its end is {end}"
            )));
        }
        let size = offset.saturating_add(bytes.len() as u64);
        record(
            &tx,
            id,
            Written {
                size,
                finished: false,
            },
        )?;
        tx.object_store(CHUNKS)?
            .put_with_key(
                &Uint8Array::from(bytes),
                &JsValue::from_str(&chunk_key(id, offset)),
            )
            .map_err(|e| js_error("put", &e))?;
        tx.commit().await
    }

    async fn finish(&self, id: &BlobId) -> Result<(), StoreError> {
        let tx = self.begin(Mode::ReadWrite)?;
        match written(&tx, id).await? {
            None => Err(StoreError::new(format!("no blob {id} to finish"))),
            Some(w) if w.finished => Ok(()),
            Some(w) => {
                record(
                    &tx,
                    id,
                    Written {
                        size: w.size,
                        finished: true,
                    },
                )?;
                tx.commit().await
            }
        }
    }

    async fn size(&self, id: &BlobId) -> Result<Option<u64>, StoreError> {
        let tx = self.begin(Mode::ReadOnly)?;
        Ok(written(&tx, id)
            .await?
            .filter(|w| w.finished)
            .map(|w| w.size))
    }

    async fn read(&self, id: &BlobId, range: Range<u64>) -> Result<Option<Vec<u8>>, StoreError> {
        let tx = self.begin(Mode::ReadOnly)?;
        let Some(size) = written(&tx, id)
            .await?
            .filter(|w| w.finished)
            .map(|w| w.size)
        else {
            return Ok(None);
        };
        let start = range.start.min(size);
        let end = range.end.clamp(start, size);
        if start == end {
            return Ok(Some(Vec::new()));
        }
        let store = tx.object_store(CHUNKS)?;
        let range: JsValue = chunks_below(id, end)?.into();
        let keys = store
            .get_all_keys_with_key(&range)
            .map_err(|e| js_error("read", &e))?;
        let values = store
            .get_all_with_key(&range)
            .map_err(|e| js_error("read", &e))?;
        let keys = Request::new(keys, "read keys");
        let values = Request::new(values, "read chunks");
        let keys: js_sys::Array = keys.await?.unchecked_into();
        let values: js_sys::Array = values.await?.unchecked_into();
        let mut out = Vec::with_capacity((end - start) as usize);
        for (key, value) in keys.iter().zip(values.iter()) {
            let at: u64 = key
                .as_string()
                .and_then(|k| k.rsplit_once('/').and_then(|(_, at)| at.parse().ok()))
                .ok_or_else(|| StoreError::new(format!("blob {id}: a bad chunk key")))?;
            let bytes = value
                .dyn_into::<Uint8Array>()
                .map(|a| a.to_vec())
                .map_err(|_| {
                    StoreError::new(format!("blob {id}: the chunk at {at} is not bytes"))
                })?;
            let chunk_end = at.saturating_add(bytes.len() as u64);
            if chunk_end <= start {
                continue;
            }
            let from = start.saturating_sub(at) as usize;
            let to = (end.min(chunk_end) - at) as usize;
            out.extend_from_slice(&bytes[from..to]);
        }
        Ok(Some(out))
    }

    async fn remove(&self, id: &BlobId) -> Result<(), StoreError> {
        let tx = self.begin(Mode::ReadWrite)?;
        tx.object_store(BLOBS)?
            .delete(&JsValue::from_str(id.as_str()))
            .map_err(|e| js_error("remove", &e))?;
        let every: JsValue = chunks_below(id, u64::MAX)?.into();
        tx.object_store(CHUNKS)?
            .delete(&every)
            .map_err(|e| js_error("remove", &e))?;
        tx.commit().await
    }
}
