//! Transfer size of the release build: what a visitor downloads, raw and gzip.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::error::Error;

/// One file of `dist/` with its raw, gzip (level 9) and brotli (quality 11) sizes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSize {
    /// The file.
    pub path: PathBuf,
    /// Bytes on disk.
    pub raw: u64,
    /// Bytes after gzip -9.
    pub gzip: u64,
    /// Bytes after brotli -q 11.
    pub brotli: u64,
}

/// The sizes of the files in `dist` whose names end with `ext`.
pub fn of_files(dist: &Path, ext: &str) -> Result<Vec<FileSize>, Error> {
    let unreadable =
        |e: std::io::Error| Error::Project(format!("cannot read {}: {e}", dist.display()));
    let mut sizes = Vec::new();
    for entry in fs::read_dir(dist).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if path.extension().and_then(|e| e.to_str()) == Some(ext) {
            let bytes = fs::read(&path).map_err(unreadable)?;
            sizes.push(FileSize {
                raw: bytes.len() as u64,
                gzip: gzip_len(&bytes),
                brotli: brotli_len(&bytes),
                path,
            });
        }
    }
    Ok(sizes)
}

/// Length of `bytes` after gzip at the best compression level.
pub fn gzip_len(bytes: &[u8]) -> u64 {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().map(|v| v.len() as u64).unwrap_or(0)
}

/// Length of `bytes` after brotli at quality 11 (what static hosts pre-compress with).
pub fn brotli_len(bytes: &[u8]) -> u64 {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    match brotli::BrotliCompress(&mut &bytes[..], &mut out, &params) {
        Ok(_) => out.len() as u64,
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_gzip_shrinks_repetitive_input() {
        let input = vec![b'a'; 10_000];
        let len = gzip_len(&input);
        assert!(len > 0 && len < 100, "{len}");
        let len = brotli_len(&input);
        assert!(len > 0 && len < 100, "{len}");
    }
}
