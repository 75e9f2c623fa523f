//! The server's userSig key: `--secret-key`, the one a PostgreSQL cluster shares, or the
//! data directory's `secret-key` file, generated on first use and kept readable by the
//! owner only. The sig format itself is `webim_usersig`'s (re-exported here), pure and
//! shared with the load client.

use std::path::Path;

pub use webim_usersig::{CLOCK_SKEW_SECS, SigClaims, SigError, SigKey, check_lifetime};

use crate::config::DataArgs;
use crate::error::ServerError;
use crate::store::ServerStore;

/// The generated signing key's file inside the data directory.
pub const SECRET_KEY_FILE: &str = "secret-key";

/// The signing key: `--secret-key`; else, on PostgreSQL, the one in the database (the
/// first process to start generates it, every other reads it); else `DATA/secret-key`,
/// generated on first use.
pub async fn sig_key(data: &DataArgs, store: Option<&ServerStore>) -> Result<SigKey, ServerError> {
    if let Some(key) = &data.secret_key {
        if key.is_empty() {
            return Err(ServerError::Config("--secret-key is empty".to_owned()));
        }
        return Ok(SigKey::new(data.sdkappid, key.clone()));
    }
    if let Some(ServerStore::Postgres(pg)) = store {
        let key = pg.shared_secret(&random_key()?).await?;
        return Ok(SigKey::new(data.sdkappid, key));
    }
    local_sig_key(data)
}

/// The signing key of a data directory: `DATA/secret-key`, generated on first use.
fn local_sig_key(data: &DataArgs) -> Result<SigKey, ServerError> {
    let path = data.data.join(SECRET_KEY_FILE);
    let key = match std::fs::read_to_string(&path) {
        Ok(_) if crate::private::open_to_others(&path)? != 0 => {
            return Err(ServerError::Config(format!(
                "{} can be read by other users of this machine, so the key in it may be \
                 known: delete it to have a new key generated (every userSig signed with the \
                 old one stops working), or, if no one else could have read it, \
                 `chmod 600` it",
                path.display()
            )));
        }
        Ok(text) if !text.trim().is_empty() => text.trim().to_owned(),
        Ok(_) => return Err(ServerError::Config(format!("{} is empty", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => new_secret(&path)?,
        Err(e) => return Err(ServerError::io(&path, e)),
    };
    Ok(SigKey::new(data.sdkappid, key))
}

/// 32 random bytes as 64 hex digits (the shape of a Tencent IM key), written readable by
/// the owner only.
fn new_secret(path: &Path) -> Result<String, ServerError> {
    let key = random_key()?;
    if let Some(dir) = path.parent() {
        crate::private::dir(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| ServerError::io(path, e))?;
    std::io::Write::write_all(&mut file, key.as_bytes()).map_err(|e| ServerError::io(path, e))?;
    tracing::info!(path = %path.display(), "generated a new userSig secret key");
    Ok(key)
}

/// 32 random bytes as 64 hex digits (the shape of a Tencent IM key).
fn random_key() -> Result<String, ServerError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ServerError::Config(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
