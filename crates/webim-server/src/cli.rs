//! What each subcommand does: `serve` (the default), `usersig`, and `account add | import |
//! passwd | revoke | list | disable | enable`. Output for people goes to standard output; logs to standard
//! error.
// A command-line tool: printing its answers to standard output is its job.
#![allow(clippy::print_stdout)]

use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use webim_proto::AccountId;
use webim_service::NewAccount;

use crate::app;
use crate::backend::now;
use crate::config::{AccountTask, Cli, DataArgs, ServeArgs, Task};
use crate::credentials;
use crate::error::ServerError;
use crate::state::Settings;

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<(), ServerError> {
    match cli.task.unwrap_or(Task::Serve) {
        Task::Serve => serve(&cli.data, &cli.serve).await,
        Task::Usersig { identifier, expire } => {
            let id = account_id(&identifier)?;
            let key = if cli.data.database_url.is_some() && cli.data.secret_key.is_none() {
                let store = crate::store::open_store(&cli.data).await?;
                let key = crate::usersig::sig_key(&cli.data, Some(&store)).await;
                store.close().await;
                key?
            } else {
                crate::usersig::sig_key(&cli.data, None).await?
            };
            println!("{}", key.mint(id.as_str(), now().0, expire.as_secs()));
            Ok(())
        }
        Task::Account(command) => account(&cli.data, command).await,
    }
}

fn account_id(text: &str) -> Result<AccountId, ServerError> {
    AccountId::new(text).map_err(|e| ServerError::Config(format!("{text:?}: {e}")))
}

/// File descriptors kept free of connections: the database's, the app's files, NATS.
const FILES_KEPT: u64 = 256;

/// Demo mode hands out sessions of the test accounts to anyone: only on loopback unless
/// the operator says `--public-demo`.
fn check_demo(args: &ServeArgs) -> Result<(), ServerError> {
    if args.no_demo || args.listen.ip().is_loopback() {
        return Ok(());
    }
    if args.public_demo {
        tracing::warn!(
            listen = %args.listen,
            "DEMO MODE ON A PUBLIC ADDRESS: anyone who reaches this server can log in as the \
             five test accounts with one click (--public-demo)"
        );
        return Ok(());
    }
    Err(ServerError::Config(format!(
        "demo mode lets anyone log in as the five test accounts, and --listen {} is not a \
         loopback address: give --no-demo (WEBIM_NO_DEMO=1), or --public-demo if that is \
         really what you want",
        args.listen
    )))
}

/// Binds, serves until SIGTERM or Ctrl+C, then answers held long polls and drains.
async fn serve(data: &DataArgs, args: &ServeArgs) -> Result<(), ServerError> {
    check_demo(args)?;
    if cfg!(panic = "abort") {
        tracing::warn!(
            "this build aborts on a panic (cargo's release profile): a bug met by one request \
             stops every connection; build with `cargo build --profile server -p webim-server`"
        );
    }
    if args.public_url.is_none() && !args.listen.ip().is_loopback() {
        tracing::warn!(
            "no --public-url: pages are taken as this server's own by the host they asked \
             for; name the address people open (e.g. --public-url https://chat.example.com)"
        );
    }
    let lock = data_lock(data)?;
    // Each held long poll is an open connection: allow as many as the system lets us, and
    // keep the connection cap below that, so the database and the app's files can still
    // be opened when every connection is taken.
    let mut limits = args.limits.limits();
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(n) => {
            let room = usize::try_from(n.saturating_sub(FILES_KEPT)).unwrap_or(usize::MAX);
            if limits.max_connections > room {
                tracing::warn!(
                    open_files = n,
                    "--max-connections {} lowered to {} to stay below the open file limit",
                    limits.max_connections,
                    room.max(1)
                );
                limits.max_connections = room.max(1);
            }
            tracing::info!(
                open_files = n,
                max_connections = limits.max_connections,
                "limits"
            );
        }
        Err(e) => tracing::warn!("cannot raise the open file limit: {e}"),
    }
    let store = crate::store::open_store(data).await?;
    let key = crate::usersig::sig_key(data, Some(&store)).await?;
    let dist = args
        .dist
        .join("index.html")
        .is_file()
        .then(|| args.dist.clone());
    if dist.is_none() {
        tracing::warn!(dist = %args.dist.display(), "no app build there: serving the protocol only");
    }
    let settings = Settings {
        demo: !args.no_demo,
        poll_timeout: Duration::from_secs(args.poll_timeout.max(1)),
        body_limit: args.body_limit,
        sig_expire: args.sig_expire,
        sig_max_expire: args.sig_max_expire.max(args.sig_expire),
        dist,
        nats: args.nats.clone(),
        recheck: Duration::from_secs(args.poll_recheck.max(1)),
        trusted_proxies: args.trusted_proxy.clone(),
        allowed_origins: args.allow_origin.clone(),
        limits,
        metrics_here: args.metrics_listen.is_none() && args.listen.ip().is_loopback(),
        public_origin: args.public_url.clone(),
        blob_dir: Some(data.data.join("blobs")),
    };
    let state = crate::state::open(store.clone(), key, settings).await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| ServerError::Io {
            what: format!("listen on {}", args.listen),
            source: e,
        })?;
    let address = listener.local_addr().map_err(|e| ServerError::Io {
        what: "local address".to_owned(),
        source: e,
    })?;
    tracing::info!(
        %address,
        demo = !args.no_demo,
        database = if store.is_shared() { "postgres" } else { "sqlite" },
        nats = args.nats.is_some(),
        "webim-server listening"
    );
    println!("webim-server: serving on http://{address}");
    if let Some(metrics) = args.metrics_listen {
        let listener =
            tokio::net::TcpListener::bind(metrics)
                .await
                .map_err(|e| ServerError::Io {
                    what: format!("listen on {metrics} (--metrics-listen)"),
                    source: e,
                })?;
        tracing::info!(%metrics, "serving /metrics");
        let router = crate::routes::ops::metrics_app(state.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, router).await {
                tracing::error!("--metrics-listen stopped: {e}");
            }
        });
    }
    app::serve(listener, state, stop_signal())
        .await
        .map_err(|e| ServerError::Io {
            what: "serve".to_owned(),
            source: e,
        })?;
    store.close().await;
    drop(lock);
    Ok(())
}

/// One server per data directory: two would each believe they are SQLite's only writer.
fn data_lock(data: &DataArgs) -> Result<Option<std::fs::File>, ServerError> {
    if data.database_url.is_some() {
        return Ok(None);
    }
    crate::private::dir(&data.data)?;
    let path = data.data.join("server.lock");
    crate::private::file(&path)?;
    let file = std::fs::File::create(&path).map_err(|e| ServerError::io(&path, e))?;
    file.try_lock().map_err(|_| {
        ServerError::Config(format!(
            "another webim-server is using {} (it holds {})",
            data.data.display(),
            path.display()
        ))
    })?;
    Ok(Some(file))
}

async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

async fn account(data: &DataArgs, command: AccountTask) -> Result<(), ServerError> {
    let store = crate::store::open_store(data).await?;
    let service = webim_service::Service::new(store.clone());
    service.ensure_seeded(now()).await?;
    let result = match command {
        AccountTask::Add {
            identifier,
            nick,
            gender,
            allow_type,
        } => {
            let id = account_id(&identifier)?;
            let password = read_new_password()?;
            credentials::check_new_password(&password, &id)?;
            service
                .create_account(NewAccount {
                    id: id.clone(),
                    nick,
                    gender: gender.into(),
                    allow_type: allow_type.into(),
                })
                .await?;
            credentials::set_password(&store, &id, &password, now().0).await?;
            println!("account {id} created");
            Ok(())
        }
        AccountTask::Import { identifiers } => import(&service, identifiers).await,
        AccountTask::Passwd { identifier } => {
            let id = account_id(&identifier)?;
            if !service.accounts().await?.iter().any(|a| a.id == id) {
                return Err(ServerError::Config(format!("no account {id}")));
            }
            let password = read_new_password()?;
            credentials::set_password(&store, &id, &password, now().0).await?;
            // Whoever knew the old password may hold a sig from it.
            service.end_credentials(&id, now()).await?;
            println!("password of {id} set; its earlier logins are ended");
            Ok(())
        }
        AccountTask::Revoke { identifier } => {
            let id = account_id(&identifier)?;
            service.end_credentials(&id, now()).await?;
            println!("every userSig and login of {id} issued until now is ended");
            Ok(())
        }
        AccountTask::List => {
            println!(
                "{:<32}  {:<8}  {:<12}  nick",
                "identifier", "state", "add friend"
            );
            for a in service.accounts().await? {
                let has_password = credentials::password_hash(&store, &a.id).await?.is_some();
                let state = match (a.disabled, has_password) {
                    (true, _) => "disabled",
                    (false, true) => "password",
                    (false, false) => "sig only",
                };
                println!(
                    "{:<32}  {state:<8}  {:<12}  {}",
                    a.id,
                    format!("{:?}", a.allow_type),
                    a.nick
                );
            }
            Ok(())
        }
        AccountTask::Disable { identifier } => {
            let id = account_id(&identifier)?;
            service.set_disabled(&id, true).await?;
            println!("account {id} disabled");
            Ok(())
        }
        AccountTask::Enable { identifier } => {
            let id = account_id(&identifier)?;
            service.set_disabled(&id, false).await?;
            println!("account {id} enabled");
            Ok(())
        }
    };
    store.close().await;
    result
}

async fn import(
    service: &webim_service::Service<crate::store::ServerStore>,
    identifiers: Vec<String>,
) -> Result<(), ServerError> {
    let identifiers = if identifiers.is_empty() {
        std::io::stdin()
            .lock()
            .lines()
            .map_while(Result::ok)
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect()
    } else {
        identifiers
    };
    let ids = identifiers
        .iter()
        .map(|i| account_id(i))
        .collect::<Result<Vec<_>, _>>()?;
    let (mut created, mut kept) = (0, 0);
    for id in ids {
        let account = NewAccount {
            id: id.clone(),
            nick: id.to_string(),
            gender: webim_proto::Gender::Unknown,
            allow_type: webim_proto::AllowType::NeedConfirm,
        };
        match service.create_account(account).await {
            Ok(()) => created += 1,
            Err(webim_service::service::Failure::Refused(
                webim_proto::ErrorCode::BadAccountParam,
                _,
            )) => kept += 1,
            Err(e) => return Err(e.into()),
        }
    }
    println!("{created} accounts created, {kept} already there");
    Ok(())
}

/// A new password: asked twice at a terminal (not echoed), or one line on standard input.
fn read_new_password() -> Result<String, ServerError> {
    let io = |e: std::io::Error| ServerError::Io {
        what: "read the password".to_owned(),
        source: e,
    };
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("password: ").map_err(io)?;
        let again = rpassword::prompt_password("again: ").map_err(io)?;
        if first != again {
            return Err(ServerError::Config("the two passwords differ".to_owned()));
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(io)?;
    let _ = std::io::stdout().flush();
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}
