//! The server's one error type: what stops it from starting or a command-line action from
//! finishing. Requests never end in one of these; they end in a [`crate::routes::Refusal`].

use std::path::Path;

use webim_service::store::StoreError;

/// Why the server (or a subcommand) cannot go on.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// A setting is wrong.
    #[error("{0}")]
    Config(String),
    /// A file or the network failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The failure.
        source: std::io::Error,
    },
    /// The database failed.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The service refused an operator's request.
    #[error("[{code}] {info}")]
    Refused {
        /// The protocol's code.
        code: webim_proto::ErrorCode,
        /// Why.
        info: String,
    },
    /// A password could not be set.
    #[error("{0}")]
    Credentials(#[from] crate::credentials::CredentialError),
}

impl ServerError {
    /// An IO failure on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            what: path.display().to_string(),
            source,
        }
    }
}

impl From<webim_service::service::Failure> for ServerError {
    fn from(failure: webim_service::service::Failure) -> Self {
        match failure {
            webim_service::service::Failure::Refused(code, info) => Self::Refused { code, info },
            webim_service::service::Failure::Storage(e) => Self::Store(e),
        }
    }
}
