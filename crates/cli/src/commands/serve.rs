//! `circlework serve`: the web server against a real database.

use std::{net::SocketAddr, sync::Arc, time::Instant};

use anyhow::Context;
use tokio::net::TcpListener;
use web::{AppState, SystemClock, WebConfig};

use super::{DatabaseArgs, open_store};

/// Arguments of `circlework serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub listen: ListenArgs,
}

/// Where and how to listen; shared with `circlework demo`.
#[derive(Debug, Clone, clap::Args)]
pub struct ListenArgs {
    /// Address and port to listen on.
    #[arg(long, env = "CIRCLEWORK_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Mark cookies Secure and send HSTS: set this when users reach Circlework over HTTPS.
    #[arg(long, env = "CIRCLEWORK_SECURE_COOKIES")]
    pub secure_cookies: bool,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let store = open_store(&args.database.database_url).await?;
    serve(store, &args.listen, started, None).await
}

/// Binds, prints where it listens, and serves until Ctrl-C or SIGTERM.
pub async fn serve(
    store: store::SharedStore,
    listen: &ListenArgs,
    started: Instant,
    banner: Option<String>,
) -> anyhow::Result<()> {
    let config = WebConfig {
        secure_cookies: listen.secure_cookies,
        ..WebConfig::default()
    };
    let state = AppState::new(store, Arc::new(SystemClock), config);
    let listener = TcpListener::bind(listen.bind)
        .await
        .with_context(|| format!("could not listen on {}", listen.bind))?;
    let address = listener.local_addr()?;
    println!(
        "Circlework is serving on http://{address}/ (ready in {} ms)",
        started.elapsed().as_millis()
    );
    if let Some(banner) = banner {
        println!("{banner}");
    }
    web::serve(listener, state, shutdown_signal()).await?;
    println!("Circlework stopped.");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
