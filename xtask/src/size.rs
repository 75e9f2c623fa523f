//! Transfer size of the release build: what a visitor downloads, raw and compressed; and
//! the compressed twins (`.gz`, `.br`) written beside `dist/`'s files for servers to send;
//! and (`report`, `symbols`) what the wasm is made of.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::error::Error;

pub mod report;
pub mod symbols;

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

/// `bytes` gzipped at the best compression level.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// `bytes` in brotli at quality 11 (what static hosts pre-compress with).
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    match brotli::BrotliCompress(&mut &bytes[..], &mut out, &params) {
        Ok(_) => out,
        Err(_) => Vec::new(),
    }
}

/// Length of `bytes` after gzip at the best compression level.
pub fn gzip_len(bytes: &[u8]) -> u64 {
    gzip(bytes).len() as u64
}

/// Length of `bytes` after brotli at quality 11.
pub fn brotli_len(bytes: &[u8]) -> u64 {
    brotli(bytes).len() as u64
}

/// Kinds of file worth sending compressed.
const COMPRESSIBLE: [&str; 5] = ["wasm", "js", "css", "html", "svg"];

/// Writes `NAME.gz` and `NAME.br` beside every compressible file under `dir` (the server,
/// and hosts configured for it, send them to browsers that accept them).
pub fn precompress(dir: &Path) -> Result<usize, Error> {
    let failed =
        |p: &Path, e: std::io::Error| Error::Project(format!("precompress {}: {e}", p.display()));
    let mut written = 0;
    for entry in fs::read_dir(dir).map_err(|e| failed(dir, e))? {
        let path = entry.map_err(|e| failed(dir, e))?.path();
        if path.is_dir() {
            written += precompress(&path)?;
            continue;
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let bytes = fs::read(&path).map_err(|e| failed(&path, e))?;
        for (suffix, packed) in [("gz", gzip(&bytes)), ("br", brotli(&bytes))] {
            let mut twin = path.clone().into_os_string();
            twin.push(format!(".{suffix}"));
            fs::write(&twin, packed).map_err(|e| failed(&path, e))?;
            written += 1;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_precompress_writes_twins_for_web_files_only() {
        let dir = std::env::temp_dir().join(format!("xtask-precompress-{}", std::process::id()));
        fs::create_dir_all(dir.join("emoticons")).unwrap();
        fs::write(dir.join("app.js"), "let a = 1;".repeat(100)).unwrap();
        fs::write(dir.join("emoticons/1.svg"), "<svg/>").unwrap();
        fs::write(dir.join("photo.png"), [0u8; 10]).unwrap();
        assert_eq!(precompress(&dir).unwrap(), 4);
        let gz = fs::read(dir.join("app.js.gz")).unwrap();
        assert!(gz.len() < 100 && gz.starts_with(&[0x1f, 0x8b]));
        assert!(dir.join("emoticons/1.svg.br").is_file());
        assert!(!dir.join("photo.png.gz").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn test_gzip_shrinks_repetitive_input() {
        let input = vec![b'a'; 10_000];
        let len = gzip_len(&input);
        assert!(len > 0 && len < 100, "{len}");
        let len = brotli_len(&input);
        assert!(len > 0 && len < 100, "{len}");
    }
}
