//! The data directory is for the server's user alone: it holds password hashes and the
//! userSig key. It is created 0700 and its files 0600; an existing directory or file that
//! others may read is tightened (and said so in the log), except the key file, which is
//! refused: a key others could read may already be known, and only its owner can say.

use std::path::Path;

use crate::error::ServerError;

/// Creates `dir` (and its parents) readable by the owner only, or tightens it.
pub fn dir(dir: &Path) -> Result<(), ServerError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| ServerError::io(dir, e))?;
    tighten(dir, 0o700)
}

/// Creates the file `path` (empty) for the owner only if it does not exist, or tightens it;
/// SQLite then gives its journal files the same mode.
pub fn file(path: &Path) -> Result<(), ServerError> {
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(|e| ServerError::io(path, e))?;
    tighten(path, 0o600)
}

/// The bits of `path`'s mode that let others than its owner in (0 when none, or off Unix).
pub fn open_to_others(path: &Path) -> Result<u32, ServerError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| ServerError::io(path, e))?
            .permissions()
            .mode();
        Ok(mode & 0o077)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(0)
    }
}

fn tighten(path: &Path, mode: u32) -> Result<(), ServerError> {
    if open_to_others(path)? == 0 {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .map_err(|e| ServerError::io(path, e))?;
        tracing::warn!(path = %path.display(), "made readable by the server's user only ({mode:o})");
    }
    Ok(())
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn test_a_new_data_directory_and_its_files_are_the_owners_alone() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("a/b");
        dir(&data).unwrap();
        file(&data.join("db")).unwrap();
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join("db")), 0o600);
    }

    #[test]
    fn test_an_open_directory_and_file_are_tightened() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        std::fs::create_dir(&data).unwrap();
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(data.join("db"), b"").unwrap();
        std::fs::set_permissions(data.join("db"), std::fs::Permissions::from_mode(0o644)).unwrap();
        dir(&data).unwrap();
        file(&data.join("db")).unwrap();
        assert_eq!((mode(&data), mode(&data.join("db"))), (0o700, 0o600));
    }
}
