//! Blobs as rows of the shared PostgreSQL database (migration 0004): a `blob_data` row with
//! how far the blob is written and whether it is finished, and a `blob_chunks` row per
//! write. A write locks its blob's row, so two processes cannot both append at one
//! offset; a read fetches only the chunks its range overlaps.

use std::ops::Range;

use sqlx::{PgPool, Row};
use webim_service::blob::{BlobId, BlobStore};
use webim_service::store::StoreError;

use crate::store::postgres::storage;

/// Blobs in a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PgBlobs {
    pool: PgPool,
}

impl PgBlobs {
    /// Blobs over `pool` (its database migrated by `PgStore::open`).
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

fn signed(n: u64) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::new(format!("blobs: {n} is out of range")))
}

impl BlobStore for PgBlobs {
    async fn write(&self, id: &BlobId, offset: u64, bytes: &[u8]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(storage)?;
        let row = sqlx::query("SELECT size, finished FROM blob_data WHERE id = $1 FOR UPDATE")
            .bind(id.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(storage)?;
        let end = match row {
            None => 0,
            Some(row) if row.try_get::<bool, _>(1).map_err(storage)? => {
                return Err(StoreError::new(format!("blob {id} is finished")));
            }
            Some(row) => row.try_get::<i64, _>(0).map_err(storage)?,
        };
        if end != signed(offset)? {
            return Err(StoreError::new(format!(
                "blob {id}: a write at {offset}, its end is {end}"
            )));
        }
        let size = signed(offset.saturating_add(bytes.len() as u64))?;
        sqlx::query(
            "INSERT INTO blob_data (id, size) VALUES ($1, $2) \
             ON CONFLICT (id) DO UPDATE SET size = EXCLUDED.size",
        )
        .bind(id.as_str())
        .bind(size)
        .execute(&mut *tx)
        .await
        .map_err(storage)?;
        sqlx::query("INSERT INTO blob_chunks (id, at, bytes) VALUES ($1, $2, $3)")
            .bind(id.as_str())
            .bind(signed(offset)?)
            .bind(bytes)
            .execute(&mut *tx)
            .await
            .map_err(storage)?;
        tx.commit().await.map_err(storage)
    }

    async fn finish(&self, id: &BlobId) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE blob_data SET finished = true WHERE id = $1")
            .bind(id.as_str())
            .execute(&self.pool)
            .await
            .map_err(storage)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::new(format!("no blob {id} to finish")));
        }
        Ok(())
    }

    async fn size(&self, id: &BlobId) -> Result<Option<u64>, StoreError> {
        let size: Option<i64> =
            sqlx::query_scalar("SELECT size FROM blob_data WHERE id = $1 AND finished")
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(storage)?;
        Ok(size.map(|n| u64::try_from(n).unwrap_or(0)))
    }

    async fn read(&self, id: &BlobId, range: Range<u64>) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(size) = self.size(id).await? else {
            return Ok(None);
        };
        let start = range.start.min(size);
        let end = range.end.clamp(start, size);
        if start == end {
            return Ok(Some(Vec::new()));
        }
        let rows = sqlx::query(
            "SELECT at, bytes FROM blob_chunks \
             WHERE id = $1 AND at < $3 AND at + length(bytes) > $2 ORDER BY at",
        )
        .bind(id.as_str())
        .bind(signed(start)?)
        .bind(signed(end)?)
        .fetch_all(&self.pool)
        .await
        .map_err(storage)?;
        let mut out = Vec::with_capacity((end - start) as usize);
        for row in rows {
            let at = u64::try_from(row.try_get::<i64, _>(0).map_err(storage)?).unwrap_or(0);
            let bytes: Vec<u8> = row.try_get(1).map_err(storage)?;
            let from = start.saturating_sub(at) as usize;
            let to = (end - at).min(bytes.len() as u64) as usize;
            out.extend_from_slice(&bytes[from.min(to)..to]);
        }
        Ok(Some(out))
    }

    async fn remove(&self, id: &BlobId) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM blob_data WHERE id = $1")
            .bind(id.as_str())
            .execute(&self.pool)
            .await
            .map_err(storage)?;
        Ok(())
    }
}
