//! Command-line options. Hand-rolled: six flags do not need a parser crate.

use std::path::PathBuf;

pub const USAGE: &str = "\
usage: bdpay-sandbox [--port PORT] [--seed FILE] [--www DIR] [--pkg DIR] [--settle-ms N] [--quiet]

  --port PORT      port on 127.0.0.1 (default 8282; 0 picks a free one)
  --seed FILE      seed data (default: the built-in seed/default.json)
  --www DIR        files served at /       (default: www/ of the repository)
  --pkg DIR        files served at /pkg/   (default: pkg/ of the repository)
  --settle-ms N    settle delay of every seeded and new account, in ms
  --quiet          no request log on stderr

The first line on stdout is `bdpay sandbox listening on http://127.0.0.1:PORT`.";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    pub port: u16,
    pub seed: Option<PathBuf>,
    pub www: Option<PathBuf>,
    pub pkg: Option<PathBuf>,
    pub settle_ms: Option<u64>,
    pub quiet: bool,
}

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Run(Options),
    Help,
    Version,
}

/// Reads the arguments after the program name; `--flag value` and `--flag=value` both work.
pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut o = Options {
        port: 8282,
        seed: None,
        www: None,
        pkg: None,
        settle_ms: None,
        quiet: false,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--quiet" => o.quiet = true,
            "--port" => {
                let v = value()?;
                o.port = v
                    .parse()
                    .map_err(|_| format!("--port: {v:?} is not a port"))?;
            }
            "--seed" => o.seed = Some(PathBuf::from(value()?)),
            "--www" => o.www = Some(PathBuf::from(value()?)),
            "--pkg" => o.pkg = Some(PathBuf::from(value()?)),
            "--settle-ms" => {
                let v = value()?;
                let ms = v
                    .parse::<u64>()
                    .ok()
                    .filter(|ms| *ms <= crate::seed::MAX_SETTLE_MS)
                    .ok_or_else(|| {
                        format!("--settle-ms: {v:?} is not a whole number of ms up to one hour")
                    })?;
                o.settle_ms = Some(ms);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Command::Run(o))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn reads_every_flag_in_both_forms() {
        let got = run(&[
            "--port",
            "0",
            "--seed=s.json",
            "--www",
            "w",
            "--pkg=p",
            "--settle-ms",
            "50",
            "--quiet",
        ]);
        assert_eq!(
            got,
            Ok(Command::Run(Options {
                port: 0,
                seed: Some("s.json".into()),
                www: Some("w".into()),
                pkg: Some("p".into()),
                settle_ms: Some(50),
                quiet: true,
            }))
        );
        assert!(matches!(
            run(&[]),
            Ok(Command::Run(Options { port: 8282, .. }))
        ));
        assert_eq!(run(&["--help"]), Ok(Command::Help));
    }

    #[test]
    fn refuses_bad_arguments() {
        for (args, needle) in [
            (&["--port"][..], "needs a value"),
            (&["--port", "65536"][..], "not a port"),
            (&["--settle-ms", "-1"][..], "--settle-ms"),
            (&["--bind", "0.0.0.0"][..], "unknown argument"),
        ] {
            let e = run(args).err().unwrap_or_default();
            assert!(e.contains(needle), "{args:?}: {e}");
        }
    }
}
