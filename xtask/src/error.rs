//! Why an xtask command stopped, said so a person knows what to do next.

/// Everything that stops `cargo xtask`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line is wrong.
    #[error("{0}")]
    Usage(String),
    /// A program could not be started at all.
    #[error("could not run {program}: {source}")]
    Spawn {
        /// The program.
        program: String,
        /// Why.
        source: std::io::Error,
    },
    /// A step ran and failed.
    #[error("{0} failed")]
    StepFailed(String),
    /// Something the project needs is missing and this command may not install it.
    #[error("{0}")]
    Missing(String),
    /// The project's own files disagree or cannot be read.
    #[error("{0}")]
    Project(String),
}
