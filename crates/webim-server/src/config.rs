//! The command line: every flag with its environment variable, parsed by clap. `--help`
//! is the reference; the README repeats it with examples.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use webim_proto::{AllowType, Gender};

/// The seed's demo SDKAppID (webim.js demo's `sdkAppID`), so the five test accounts'
/// `loginInfo` works unchanged.
pub const DEFAULT_SDK_APP_ID: u64 = webim_proto::dialect::DEFAULT_SDK_APP_ID;

/// The WebIM server: the seed's HTTP protocol over the shared IM service, SQLite by
/// default, the app's `dist/` beside it.
#[derive(Debug, Parser)]
#[command(name = "webim-server", version, about, long_about = None)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub task: Option<Task>,
    /// Where the data lives.
    #[command(flatten)]
    pub data: DataArgs,
    /// How to serve (used by `serve`, the default).
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// Where the data lives and how userSigs are signed: shared by every subcommand.
#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// Directory for the SQLite database and the generated secret key.
    #[arg(
        long,
        env = "WEBIM_DATA",
        default_value = "./webim-data",
        global = true
    )]
    pub data: PathBuf,
    /// Database URL instead of DATA/webim.sqlite3: `sqlite:///path/file.db`, or
    /// `postgres://user:password@host/db` for several server processes on one database.
    #[arg(long, env = "WEBIM_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// The SDKAppID userSigs are minted for and checked against.
    #[arg(long, env = "WEBIM_SDKAPPID", default_value_t = DEFAULT_SDK_APP_ID, global = true)]
    pub sdkappid: u64,
    /// The key userSigs are signed with (TLSSigAPIv2's secret key). Default: generated
    /// into DATA/secret-key on first start and read from there.
    #[arg(long, env = "WEBIM_SECRET_KEY", hide_env_values = true, global = true)]
    pub secret_key: Option<String>,
}

/// How the server serves.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "WEBIM_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The app's release build to serve (trunk's output). Without it only the protocol is
    /// served.
    #[arg(long, env = "WEBIM_DIST", default_value = "./dist")]
    pub dist: PathBuf,
    /// Turn off demo mode: no one-click test accounts, log in with a password or a userSig.
    #[arg(long, env = "WEBIM_NO_DEMO")]
    pub no_demo: bool,
    /// Demo mode on an address other than loopback: anyone who reaches the server logs in
    /// as the five test accounts with one click. Without this flag a server listening
    /// beyond loopback refuses to start in demo mode (give --no-demo there).
    #[arg(long, env = "WEBIM_PUBLIC_DEMO", conflicts_with = "no_demo")]
    pub public_demo: bool,
    /// Serve `/metrics` on this address (e.g. 127.0.0.1:9090, or a private network's)
    /// instead. Without it `/metrics` is served on --listen when that is loopback, and
    /// nowhere otherwise.
    #[arg(long, env = "WEBIM_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
    /// Where people open the app (e.g. https://chat.example.com): pages of this origin are
    /// the server's own. Without it the server's own pages are those of its loopback
    /// address (127.0.0.1, localhost, [::1] at its port) or, listening beyond loopback,
    /// of whatever host the browser asked for.
    #[arg(long, env = "WEBIM_PUBLIC_URL")]
    pub public_url: Option<crate::origin::WebOrigin>,
    /// Longest a long poll is held, in seconds (clients may ask for less).
    #[arg(long, env = "WEBIM_POLL_TIMEOUT", default_value_t = 30)]
    pub poll_timeout: u64,
    /// Largest request body accepted, in bytes.
    #[arg(long, env = "WEBIM_BODY_LIMIT", default_value_t = 64 * 1024)]
    pub body_limit: usize,
    /// The NATS server carrying wake-up hints between server processes on one PostgreSQL
    /// database (`nats://host:4222`). Without it, each process still finds others' writes
    /// at its long polls' re-check.
    #[arg(long, env = "WEBIM_NATS_URL")]
    pub nats: Option<String>,
    /// On a shared database, how often a held long poll looks again on its own, in
    /// seconds: the longest a lost wake-up hint can delay a delivery.
    #[arg(long, env = "WEBIM_POLL_RECHECK", default_value_t = 3)]
    pub poll_recheck: u64,
    /// Networks of the load balancers or reverse proxies in front of this server
    /// (comma-separated, e.g. `10.0.0.0/8,127.0.0.1`): for requests from them the client's
    /// address (for the login throttle and the logs) is read from `X-Forwarded-For`.
    #[arg(long, env = "WEBIM_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxy: Vec<crate::proxy::Network>,
    /// Origins of other sites whose pages may call this server (webim.js there;
    /// comma-separated, e.g. `https://shop.example.com`). Pages of any other origin are
    /// refused; the server's own pages always may.
    #[arg(
        long = "allow-origin",
        env = "WEBIM_ALLOW_ORIGINS",
        value_delimiter = ','
    )]
    pub allow_origin: Vec<crate::origin::WebOrigin>,
    /// Log format: `text` for people, `json` (one object per line) for log collectors.
    #[arg(long, env = "WEBIM_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// How long a userSig from the login form stays valid (e.g. 7d, 12h, 3600s).
    #[arg(long, env = "WEBIM_SIG_EXPIRE", default_value = "7d", value_parser = parse_duration)]
    pub sig_expire: Duration,
    /// The longest a presented userSig may say it is valid (e.g. 180d): a longer one, or one
    /// minted more than 5 minutes ahead of this server's clock, is refused (70003).
    #[arg(long, env = "WEBIM_SIG_MAX_EXPIRE", default_value = "180d", value_parser = parse_duration)]
    pub sig_max_expire: Duration,
    /// Bounds against one person sending too much (SECURITY.md lists them).
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// The bounds (`crate::limits::Limits`), each with a safe default.
#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Password checks running at once (each takes about 19 MiB and a core); further
    /// logins wait up to 2 s for one, then get 429. Default: one per core, at most 4.
    #[arg(long, env = "WEBIM_LOGIN_HASHES")]
    pub login_hashes: Option<usize>,
    /// Longest a connection may take to send a request's headers, counted from the end of
    /// its previous answer: a keep-alive connection idle this long is closed too.
    #[arg(long, env = "WEBIM_HEADER_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    pub header_timeout: Duration,
    /// Open connections at most; past it new ones are closed at once and the open ones go
    /// on. Kept below the open-file limit.
    #[arg(long, env = "WEBIM_MAX_CONNECTIONS", default_value_t = 10_000)]
    pub max_connections: usize,
    /// Open connections per client address (an IPv6 /64) at most. A trusted proxy's
    /// connections are not counted (its clients are, at their long polls and logins).
    #[arg(long, env = "WEBIM_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 512)]
    pub max_connections_per_address: usize,
    /// Long polls held at once per account; one more answers the oldest at once (the
    /// app's tabs share one poll per account).
    #[arg(long, env = "WEBIM_MAX_POLLS_PER_ACCOUNT", default_value_t = 32)]
    pub max_polls_per_account: usize,
    /// Long polls held at once per client address; past it a new one is refused (429).
    #[arg(long, env = "WEBIM_MAX_POLLS_PER_ADDRESS", default_value_t = 512)]
    pub max_polls_per_address: usize,
    /// The largest picture one upload may be, in bytes.
    #[arg(long, env = "WEBIM_MAX_PICTURE_BYTES", default_value_t = 10_000_000)]
    pub max_picture_bytes: u64,
    /// The largest file one upload may be, in bytes.
    #[arg(long, env = "WEBIM_MAX_FILE_BYTES", default_value_t = 50_000_000)]
    pub max_file_bytes: u64,
    /// The bytes of pictures and files one account may keep in all.
    #[arg(
        long,
        env = "WEBIM_UPLOAD_QUOTA_BYTES",
        default_value_t = 1_000_000_000
    )]
    pub upload_quota_bytes: u64,
    /// Pictures decoded at once (each up to 256 MiB and a core); more wait their turn.
    /// Default: one per core, at most 2.
    #[arg(long, env = "WEBIM_PICTURE_WORKERS")]
    pub picture_workers: Option<usize>,
    /// Upload slices read at once on the whole server (each up to about 12 MB while it is
    /// read and decoded); more wait their turn, then are told to try again.
    #[arg(long, env = "WEBIM_MAX_UPLOAD_BODIES", default_value_t = 16)]
    pub max_upload_bodies: usize,
    /// Of those, one account's at most.
    #[arg(long, env = "WEBIM_MAX_UPLOAD_BODIES_PER_ACCOUNT", default_value_t = 2)]
    pub max_upload_bodies_per_account: usize,
}

impl LimitArgs {
    /// The bounds these flags set.
    pub fn limits(&self) -> crate::limits::Limits {
        crate::limits::Limits {
            login_hashes: self
                .login_hashes
                .unwrap_or_else(crate::limits::default_login_hashes)
                .max(1),
            header_timeout: self.header_timeout,
            max_connections: self.max_connections.max(1),
            connections_per_address: self.max_connections_per_address.max(1),
            polls_per_account: self.max_polls_per_account.max(1),
            polls_per_address: self.max_polls_per_address.max(1),
            uploads: webim_service::blob::Limits {
                max_picture: self.max_picture_bytes,
                max_file: self.max_file_bytes,
                per_account: self.upload_quota_bytes,
                ..webim_service::blob::Limits::default()
            },
            picture_workers: self
                .picture_workers
                .unwrap_or_else(crate::limits::default_picture_workers)
                .max(1),
            upload_bodies: self.max_upload_bodies.max(1),
            upload_bodies_per_account: self.max_upload_bodies_per_account.max(1),
            ..crate::limits::Limits::default()
        }
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per event.
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Task {
    /// Serve the protocol and the app (the default).
    Serve,
    /// Print a userSig for an account, as Tencent's `tls-sig-api-v2` would mint it.
    Usersig {
        /// The account.
        identifier: String,
        /// How long it stays valid (e.g. 180d, 12h, 90m, 3600s).
        #[arg(long, default_value = "180d", value_parser = parse_duration)]
        expire: Duration,
    },
    /// Manage accounts and their passwords.
    #[command(subcommand)]
    Account(AccountTask),
}

/// `account …`.
#[derive(Debug, Subcommand)]
pub enum AccountTask {
    /// Create an account with a password (prompted, or one line on standard input).
    Add {
        /// The identifier (1–32 of ASCII letters, digits and `_ - . @`).
        identifier: String,
        /// Nickname (Tag_Profile_IM_Nick, at most 64 bytes).
        #[arg(long)]
        nick: String,
        /// Gender.
        #[arg(long, value_enum, default_value_t = GenderArg::Unknown)]
        gender: GenderArg,
        /// Who may add the account as a friend.
        #[arg(long, value_enum, default_value_t = AllowTypeArg::NeedConfirm)]
        allow_type: AllowTypeArg,
    },
    /// Create accounts that log in with userSigs your own backend mints (Tencent's
    /// `account_import`): the identifiers given, or one per line on standard input. The
    /// nick is the identifier; existing accounts are left as they are.
    Import {
        /// The identifiers (none: read them from standard input).
        identifiers: Vec<String>,
    },
    /// Set a new password (prompted, or one line on standard input).
    Passwd {
        /// The account.
        identifier: String,
    },
    /// End every userSig and login of an account issued until now (a leaked sig, a lost
    /// device): its clients must log in again. A password change does this too.
    Revoke {
        /// The account.
        identifier: String,
    },
    /// List every account.
    List,
    /// Disable an account: its requests and logins are refused.
    Disable {
        /// The account.
        identifier: String,
    },
    /// Enable a disabled account again.
    Enable {
        /// The account.
        identifier: String,
    },
}

/// `--gender`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenderArg {
    /// Gender_Type_Male.
    Male,
    /// Gender_Type_Female.
    Female,
    /// Gender_Type_Unknown.
    Unknown,
}

impl From<GenderArg> for Gender {
    fn from(g: GenderArg) -> Self {
        match g {
            GenderArg::Male => Gender::Male,
            GenderArg::Female => Gender::Female,
            GenderArg::Unknown => Gender::Unknown,
        }
    }
}

/// `--allow-type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AllowTypeArg {
    /// AllowType_Type_NeedConfirm: requests wait for an answer.
    NeedConfirm,
    /// AllowType_Type_AllowAny: anyone becomes a friend at once.
    AllowAny,
    /// AllowType_Type_DenyAny: no one may add the account.
    DenyAny,
}

impl From<AllowTypeArg> for AllowType {
    fn from(a: AllowTypeArg) -> Self {
        match a {
            AllowTypeArg::NeedConfirm => AllowType::NeedConfirm,
            AllowTypeArg::AllowAny => AllowType::AllowAny,
            AllowTypeArg::DenyAny => AllowType::DenyAny,
        }
    }
}

/// Reads `90d`, `12h`, `30m`, `45s` or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 7d, 12h, 30m or 45s"))?;
    let seconds = match unit {
        "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3_600),
        "d" => n.saturating_mul(86_400),
        _ => return Err(format!("{text:?}: the unit is one of s, m, h, d")),
    };
    if seconds == 0 {
        return Err("a duration must be longer than 0".to_owned());
    }
    Ok(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_durations_read_with_their_units() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert!(parse_duration("7w").is_err());
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("h").is_err());
    }

    #[test]
    fn test_the_command_line_parses() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
        let cli = Cli::parse_from(["webim-server", "--no-demo", "--data", "/tmp/x"]);
        assert!(cli.serve.no_demo);
        assert!(cli.task.is_none());
        let cli = Cli::parse_from(["webim-server", "usersig", "peakerdong", "--expire", "1h"]);
        assert!(matches!(cli.task, Some(Task::Usersig { .. })));
    }
}
