//! The harness of the integration tests: starts the real binary on a free
//! loopback port, reads its first line for the URL, kills it on drop, and
//! speaks plain HTTP/1.1 over a `TcpStream` so a test sees exactly what
//! came back: an answer, an empty reply, or a reset.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use bdpay_core::json::{self, Value};

pub const GW: &str = "/api/gateway/v1";
pub const WALLET: &str = "/api/v1/private/wallet";

pub struct Sandbox {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    pub port: u16,
    pub url: String,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a call got back.
#[derive(Debug)]
pub enum Outcome {
    Answer(Resp),
    /// The server closed the connection without sending a byte.
    Empty,
    /// The connection was reset.
    Reset,
}

#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as exact JSON (numbers keep their text); panics if it is not JSON.
    pub fn json(&self) -> Value {
        json::parse(&self.body).unwrap_or_else(|e| panic!("not JSON ({e:?}): {}", self.text()))
    }
}

/// The value at a dotted path (`data.types.0.title`); `Null` when absent.
pub fn at<'a>(v: &'a Value, path: &str) -> &'a Value {
    const NULL: &Value = &Value::Null;
    let mut cur = v;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        cur = match (cur, part.parse::<usize>()) {
            (Value::Array(items), Ok(i)) => items.get(i).unwrap_or(NULL),
            _ => cur.get(part).unwrap_or(NULL),
        };
    }
    cur
}

pub fn s(v: &Value, path: &str) -> String {
    match at(v, path) {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.clone(),
        other => panic!("{path}: not a string or number but {other:?}"),
    }
}

pub fn num(text: &str) -> Value {
    Value::Number(text.to_owned())
}

pub fn len(v: &Value, path: &str) -> usize {
    at(v, path)
        .as_array()
        .map_or_else(|| panic!("{path}: not an array"), <[Value]>::len)
}

static SCRATCH: AtomicU32 = AtomicU32::new(0);

/// A fresh directory under the system temp dir for one test.
pub fn scratch_dir(name: &str) -> PathBuf {
    let n = SCRATCH.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "bdpay-sandbox-test-{}-{name}-{n}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
}

impl Sandbox {
    pub fn start() -> Sandbox {
        Sandbox::with_args(&[])
    }

    /// Starts the binary with `--port 0 --quiet` and extra arguments.
    pub fn with_args(args: &[&str]) -> Sandbox {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bdpay-sandbox"))
            .args(["--port", "0", "--quiet"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the sandbox");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let Some(url) = line.trim_end().strip_prefix("bdpay sandbox listening on ") else {
            let _ = child.kill();
            panic!("unexpected first line {line:?}");
        };
        let port = url.rsplit(':').next().unwrap().parse().unwrap();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        Sandbox {
            url: url.to_owned(),
            child,
            _stdout: stdout,
            port,
        }
    }

    /// One HTTP/1.1 exchange on a new connection.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Outcome {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n",
            self.port
        );
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        let body = body.unwrap_or_default();
        if !body.is_empty() || method == "POST" {
            req.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        req.push_str("\r\n");
        let mut bytes = req.into_bytes();
        bytes.extend_from_slice(body);
        // A server that resets early can make the write fail too.
        if let Err(e) = stream.write_all(&bytes) {
            assert!(
                matches!(e.kind(), ErrorKind::ConnectionReset | ErrorKind::BrokenPipe),
                "{e}"
            );
            return Outcome::Reset;
        }
        let mut raw = Vec::new();
        match stream.read_to_end(&mut raw) {
            Ok(_) if raw.is_empty() => Outcome::Empty,
            Ok(_) => Outcome::Answer(parse_response(&raw)),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => Outcome::Reset,
            Err(e) => panic!("{method} {path}: {e}"),
        }
    }

    /// A call that must be answered.
    pub fn call(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Resp {
        match self.send(method, path, headers, body) {
            Outcome::Answer(r) => r,
            other => panic!("{method} {path}: no answer ({other:?})"),
        }
    }

    pub fn get(&self, path: &str, token: &str) -> Resp {
        let auth = format!("Bearer {token}");
        self.call(
            "GET",
            path,
            &[("Authorization", &auth), ("Accept", "application/json")],
            None,
        )
    }

    pub fn post(&self, path: &str, token: &str, body: &str) -> Resp {
        let auth = format!("Bearer {token}");
        self.call(
            "POST",
            path,
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
                ("Accept", "application/json"),
            ],
            Some(body.as_bytes()),
        )
    }

    pub fn admin(&self, method: &str, path: &str, body: &str) -> Resp {
        self.call(
            method,
            path,
            &[("Content-Type", "application/json")],
            Some(body.as_bytes()),
        )
    }

    /// A fresh account (`POST /__sandbox/accounts`) and its token.
    pub fn account(&self, options: &str) -> String {
        let r = self.admin("POST", "/__sandbox/accounts", options);
        assert_eq!(r.status, 201, "{}", r.text());
        s(&r.json(), "token")
    }

    /// Every transaction and payment held for a token.
    pub fn held(&self, token: &str) -> Value {
        let path = format!("/__sandbox/transactions?token={token}");
        let r = self.call("GET", &path, &[], None);
        assert_eq!(r.status, 200);
        r.json()
    }
}

fn parse_response(raw: &[u8]) -> Resp {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let body = raw[split + 4..].to_vec();
    let resp = Resp {
        status,
        headers,
        body,
    };
    if let Some(n) = resp.header("content-length") {
        assert_eq!(
            resp.body.len(),
            n.parse::<usize>().unwrap(),
            "body length matches Content-Length"
        );
    }
    resp
}
