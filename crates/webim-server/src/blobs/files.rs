//! Blobs as files under the data directory: `blobs/unfinished/{id}` while written, then
//! `blobs/{first two digits}/{id}` once finished. Finishing flushes the file to the disk
//! and renames it into place (then flushes the directory), so after a crash a blob is
//! either finished and whole or not there; an unfinished file is only ever an upload that
//! did not end. Files are the server's user's alone (0600, directories 0700).

use std::io::{ErrorKind, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};

use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use webim_service::blob::{BlobId, BlobStore};
use webim_service::store::StoreError;

use crate::error::ServerError;

/// Blobs in a directory.
#[derive(Debug, Clone)]
pub struct FileBlobs {
    root: PathBuf,
}

fn io(what: &str, path: &Path, e: std::io::Error) -> StoreError {
    StoreError::new(format!("blobs: {what} {}: {e}", path.display()))
}

impl FileBlobs {
    /// Blobs under `root` (created, for the owner only, with its `unfinished` folder).
    pub fn open(root: &Path) -> Result<Self, ServerError> {
        crate::private::dir(&root.join("unfinished"))?;
        crate::private::dir(root)?;
        Ok(Self {
            root: root.to_owned(),
        })
    }

    fn unfinished(&self, id: &BlobId) -> PathBuf {
        self.root.join("unfinished").join(id.as_str())
    }

    fn finished(&self, id: &BlobId) -> PathBuf {
        self.root.join(&id.as_str()[..2]).join(id.as_str())
    }
}

/// The file's length, or `None` if there is no file.
async fn length(path: &Path) -> Result<Option<u64>, StoreError> {
    match tokio::fs::metadata(path).await {
        Ok(meta) => Ok(Some(meta.len())),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io("read", path, e)),
    }
}

impl BlobStore for FileBlobs {
    async fn write(&self, id: &BlobId, offset: u64, bytes: &[u8]) -> Result<(), StoreError> {
        if length(&self.finished(id)).await?.is_some() {
            return Err(StoreError::new(format!("blob {id} is finished")));
        }
        let path = self.unfinished(id);
        let mut options = tokio::fs::OpenOptions::new();
        options.append(true).create(offset == 0);
        #[cfg(unix)]
        options.mode(0o600);
        let mut file = options
            .open(&path)
            .await
            .map_err(|e| io("open", &path, e))?;
        let end = file
            .metadata()
            .await
            .map_err(|e| io("read", &path, e))?
            .len();
        if end != offset {
            return Err(StoreError::new(format!(
                "blob {id}: a write at {offset}, its end is {end}"
            )));
        }
        file.write_all(bytes)
            .await
            .map_err(|e| io("write", &path, e))?;
        file.flush().await.map_err(|e| io("write", &path, e))
    }

    async fn finish(&self, id: &BlobId) -> Result<(), StoreError> {
        let done = self.finished(id);
        if length(&done).await?.is_some() {
            return Ok(());
        }
        let path = self.unfinished(id);
        let file = tokio::fs::File::open(&path)
            .await
            .map_err(|e| io("open", &path, e))?;
        file.sync_all().await.map_err(|e| io("flush", &path, e))?;
        let dir = done.parent().unwrap_or(&self.root).to_owned();
        let made = dir.clone();
        tokio::task::spawn_blocking(move || crate::private::dir(&made))
            .await
            .map_err(|e| StoreError::new(format!("blobs: {e}")))?
            .map_err(|e| StoreError::new(e.to_string()))?;
        tokio::fs::rename(&path, &done)
            .await
            .map_err(|e| io("rename", &path, e))?;
        // The rename itself is durable once its directory is.
        let dir_handle = tokio::fs::File::open(&dir)
            .await
            .map_err(|e| io("open", &dir, e))?;
        dir_handle
            .sync_all()
            .await
            .map_err(|e| io("flush", &dir, e))
    }

    async fn size(&self, id: &BlobId) -> Result<Option<u64>, StoreError> {
        length(&self.finished(id)).await
    }

    async fn read(&self, id: &BlobId, range: Range<u64>) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.finished(id);
        let mut file = match tokio::fs::File::open(&path).await {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io("open", &path, e)),
        };
        file.seek(SeekFrom::Start(range.start))
            .await
            .map_err(|e| io("read", &path, e))?;
        let mut bytes = Vec::new();
        file.take(range.end.saturating_sub(range.start))
            .read_to_end(&mut bytes)
            .await
            .map_err(|e| io("read", &path, e))?;
        Ok(Some(bytes))
    }

    async fn remove(&self, id: &BlobId) -> Result<(), StoreError> {
        for path in [self.unfinished(id), self.finished(id)] {
            match tokio::fs::remove_file(&path).await {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(io("remove", &path, e)),
            }
        }
        Ok(())
    }
}
