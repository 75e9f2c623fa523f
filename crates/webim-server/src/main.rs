//! `webim-server`: parses the command line and runs it (`webim-server --help`).

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use webim_server::config::LogFormat;

/// Info and up; sqlx's relay of the database's own notices only when they are errors (a
/// transaction that lost a race is rolled back twice, and PostgreSQL remarks on it).
const DEFAULT_LOG: &str = "info,sqlx::postgres::notice=error";

#[tokio::main]
async fn main() -> ExitCode {
    let cli = webim_server::config::Cli::parse();
    let filter =
        EnvFilter::try_from_env("WEBIM_LOG").unwrap_or_else(|_| EnvFilter::new(DEFAULT_LOG));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal: a log file gets no escape codes.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    match cli.serve.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().flatten_event(true).init(),
    }
    match webim_server::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("webim-server: {e}");
            ExitCode::FAILURE
        }
    }
}
