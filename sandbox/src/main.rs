//! bdpay-sandbox: a local emulator of the recharge gateway and the wallet's
//! bill-pay API, with state and fault injection, for tests and demos.
//!
//! It listens on 127.0.0.1 only. Request bodies are read with the core's
//! exact JSON reader and checked with the core's own validators.

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

mod admin;
mod cli;
mod clock;
mod faults;
mod gateway;
mod ids;
mod reply;
mod seed;
mod server;
mod state;
mod wallet;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use cli::{Command, Options};

/// The repository root: the current directory when it has `www/`, else the
/// checkout this binary was built from.
fn repo_root() -> PathBuf {
    if Path::new("www").is_dir() {
        PathBuf::from(".")
    } else {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        manifest.parent().unwrap_or(manifest).to_path_buf()
    }
}

fn run(o: Options) -> Result<(), String> {
    let seed = match &o.seed {
        Some(path) => std::fs::read(path).map_err(|e| format!("--seed {}: {e}", path.display()))?,
        None => seed::DEFAULT_SEED.as_bytes().to_vec(),
    };
    let catalog = seed::Catalog::from_json(&seed, o.settle_ms)
        .map_err(|errs| format!("the seed is not usable:\n  {}", errs.join("\n  ")))?;
    let root = repo_root();
    let www = o.www.clone().unwrap_or_else(|| root.join("www"));
    let pkg = o.pkg.clone().unwrap_or_else(|| root.join("pkg"));

    let listener = std::net::TcpListener::bind(("127.0.0.1", o.port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", o.port))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
        let app = Arc::new(server::App::new(catalog, !o.quiet));
        let router = server::router(app, www.clone(), pkg.clone());
        {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "bdpay sandbox listening on http://127.0.0.1:{port}");
            let _ = out.flush();
        }
        if !o.quiet {
            for (what, dir) in [("www", &www), ("pkg", &pkg)] {
                if !dir.is_dir() {
                    server::log_line(&format!(
                        "note: {what} directory {} not found",
                        dir.display()
                    ));
                }
            }
        }
        server::serve(listener, router).await;
        Ok(())
    })
}

fn main() -> ExitCode {
    match cli::parse(std::env::args().skip(1)) {
        Ok(Command::Help) => {
            server::log_line(cli::USAGE);
            ExitCode::SUCCESS
        }
        Ok(Command::Version) => {
            server::log_line(concat!("bdpay-sandbox ", env!("CARGO_PKG_VERSION")));
            ExitCode::SUCCESS
        }
        Ok(Command::Run(o)) => match run(o) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                server::log_line(&format!("bdpay-sandbox: {e}"));
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            server::log_line(&format!("bdpay-sandbox: {e}\n\n{}", cli::USAGE));
            ExitCode::from(2)
        }
    }
}
