//! Fault injection for reliability tests: what can go wrong between a client
//! and the upstream APIs, on demand.
//!
//! A fault comes from a queue filled through `POST /__sandbox/faults` (for
//! the next N matching calls) or from one call's `X-Sandbox-Fault` header. It
//! applies to API paths only, never to the admin endpoints or static files.
//! "Commit" means the endpoint ran and kept its effect (a transaction, a payment).

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bdpay_core::json::{object, Value};

use crate::ids::Token;
use crate::reply::Reply;
use crate::server::{bearer, App, ConnControl};

/// Whether a fault acts before the endpoint runs or after it has committed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Before,
    After,
}

/// How a connection is closed without an answer: a TCP reset (RST) or an
/// orderly close (FIN, "empty reply from server").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Close {
    Rst,
    Fin,
}

/// The body of an injected error status: the API's own JSON error shape,
/// or the HTML page a reverse proxy serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Json,
    Html,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    Latency {
        ms: u64,
        phase: Phase,
    },
    Status {
        code: u16,
        phase: Phase,
        style: Style,
    },
    /// Close with no answer before the endpoint runs: nothing is recorded.
    Reset {
        close: Close,
    },
    /// Run the endpoint (the transaction is kept), then close with no answer.
    DropAfterCommit {
        close: Close,
    },
    RateLimit {
        secs: u64,
    },
    /// Commit, then answer 200 with a PHP warning in front of the JSON.
    MalformedJson,
    /// Commit, then answer 200 with the right JSON labelled `text/html`.
    WrongContentType,
    /// Commit, then answer 200 with the first half of the JSON.
    Truncated,
    /// Answer a redirect to `location` (a loopback URL) before the endpoint
    /// runs, or after it has committed.
    Redirect {
        code: u16,
        location: String,
        phase: Phase,
    },
    /// Commit, then answer with the endpoint's own answer padded with
    /// whitespace to `bytes`, its length in `Content-Length` or sent chunked.
    Oversized {
        bytes: u64,
        chunked: bool,
    },
}

/// A fault waiting in the queue for matching calls.
#[derive(Clone, Debug)]
pub struct Queued {
    pub id: u64,
    pub fault: Fault,
    /// Applies to paths starting with this (any API path when `None`).
    pub path: Option<String>,
    /// Applies to calls carrying this token (any when `None`).
    pub token: Option<Token>,
    pub remaining: u32,
}

pub const KINDS: [&str; 10] = [
    "latency",
    "status",
    "reset",
    "drop_after_commit",
    "rate_limit",
    "malformed_json",
    "wrong_content_type",
    "truncated",
    "redirect",
    "oversized",
];
pub const MAX_MS: u64 = 60_000;
pub const MAX_COUNT: u32 = 10_000;
/// The redirect statuses a server may send.
pub const REDIRECT_CODES: [u16; 5] = [301, 302, 303, 307, 308];
/// `oversized`'s default: twice the clients' 1 MiB cap.
pub const OVERSIZED_DEFAULT: u64 = 2 * 1024 * 1024;
pub const OVERSIZED_MAX: u64 = 64 * 1024 * 1024;

fn number(params: &[(String, String)], key: &str, default: u64, max: u64) -> Result<u64, String> {
    match params.iter().find(|(k, _)| k == key) {
        None => Ok(default),
        Some((_, v)) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| format!("{key}: expected a whole number up to {max}")),
    }
}

fn phase(params: &[(String, String)]) -> Result<Phase, String> {
    match params
        .iter()
        .find(|(k, _)| k == "phase")
        .map(|(_, v)| v.trim())
    {
        None | Some("before") => Ok(Phase::Before),
        Some("after") => Ok(Phase::After),
        Some(_) => Err("phase: expected before or after".to_owned()),
    }
}

fn close(params: &[(String, String)], default: Close) -> Result<Close, String> {
    match params
        .iter()
        .find(|(k, _)| k == "close")
        .map(|(_, v)| v.trim())
    {
        None => Ok(default),
        Some("rst") => Ok(Close::Rst),
        Some("fin") => Ok(Close::Fin),
        Some(_) => Err("close: expected rst or fin".to_owned()),
    }
}

/// A redirect target: an `http://` URL on this machine, so that a test can
/// listen there and a sandbox never sends a client elsewhere.
fn location(params: &[(String, String)]) -> Result<String, String> {
    let url = params
        .iter()
        .find(|(k, _)| k == "location")
        .map(|(_, v)| v.trim())
        .ok_or("location: required")?;
    let authority = url
        .strip_prefix("http://")
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .unwrap_or_default();
    if url.len() > 2000
        || !bdpay_api::http::is_loopback(authority)
        || HeaderValue::from_str(url).is_err()
    {
        return Err("location: expected an http:// URL on a loopback host".to_owned());
    }
    Ok(url.to_owned())
}

impl Fault {
    /// A fault from its kind and `key=value` parameters; unknown keys are refused.
    pub fn parse(kind: &str, params: &[(String, String)]) -> Result<Fault, String> {
        let allowed: &[&str] = match kind {
            "latency" => &["ms", "phase"],
            "status" => &["code", "phase", "body"],
            "reset" | "drop_after_commit" => &["close"],
            "rate_limit" => &["secs"],
            "malformed_json" | "wrong_content_type" | "truncated" => &[],
            "redirect" => &["code", "location", "phase"],
            "oversized" => &["bytes", "length"],
            _ => return Err(format!("kind: expected one of {}", KINDS.join(", "))),
        };
        if let Some((k, _)) = params.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            return Err(format!("{k}: not a parameter of {kind}"));
        }
        Ok(match kind {
            "latency" => Fault::Latency {
                ms: number(params, "ms", 1000, MAX_MS)?,
                phase: phase(params)?,
            },
            "status" => {
                let code = number(params, "code", 500, 599)?;
                let code = u16::try_from(code)
                    .ok()
                    .filter(|c| *c >= 400)
                    .ok_or("code: expected 400 to 599")?;
                let style = match params
                    .iter()
                    .find(|(k, _)| k == "body")
                    .map(|(_, v)| v.trim())
                {
                    None if matches!(code, 502..=504) => Style::Html,
                    None | Some("json") => Style::Json,
                    Some("html") => Style::Html,
                    Some(_) => return Err("body: expected json or html".to_owned()),
                };
                Fault::Status {
                    code,
                    phase: phase(params)?,
                    style,
                }
            }
            "reset" => Fault::Reset {
                close: close(params, Close::Rst)?,
            },
            "drop_after_commit" => Fault::DropAfterCommit {
                close: close(params, Close::Fin)?,
            },
            "rate_limit" => Fault::RateLimit {
                secs: number(params, "secs", 1, 3600)?,
            },
            "malformed_json" => Fault::MalformedJson,
            "wrong_content_type" => Fault::WrongContentType,
            "redirect" => Fault::Redirect {
                code: u16::try_from(number(params, "code", 307, 399)?)
                    .ok()
                    .filter(|c| REDIRECT_CODES.contains(c))
                    .ok_or("code: expected 301, 302, 303, 307 or 308")?,
                location: location(params)?,
                phase: phase(params)?,
            },
            "oversized" => Fault::Oversized {
                bytes: number(params, "bytes", OVERSIZED_DEFAULT, OVERSIZED_MAX)?,
                chunked: match params
                    .iter()
                    .find(|(k, _)| k == "length")
                    .map(|(_, v)| v.trim())
                {
                    None | Some("declared") => false,
                    Some("chunked") => true,
                    Some(_) => return Err("length: expected declared or chunked".to_owned()),
                },
            },
            _ => Fault::Truncated,
        })
    }

    /// `kind;key=value;…`, the form of the `X-Sandbox-Fault` header.
    pub fn parse_header(text: &str) -> Result<Fault, String> {
        let mut parts = text.split(';').map(str::trim).filter(|p| !p.is_empty());
        let kind = parts.next().unwrap_or_default();
        let mut params = Vec::new();
        for p in parts {
            let (k, v) = p
                .split_once('=')
                .ok_or_else(|| format!("{p}: expected key=value"))?;
            params.push((k.trim().to_owned(), v.trim().to_owned()));
        }
        Fault::parse(kind, &params)
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Fault::Latency { .. } => "latency",
            Fault::Status { .. } => "status",
            Fault::Reset { .. } => "reset",
            Fault::DropAfterCommit { .. } => "drop_after_commit",
            Fault::RateLimit { .. } => "rate_limit",
            Fault::MalformedJson => "malformed_json",
            Fault::WrongContentType => "wrong_content_type",
            Fault::Truncated => "truncated",
            Fault::Redirect { .. } => "redirect",
            Fault::Oversized { .. } => "oversized",
        }
    }

    /// The fault's parameters as JSON fields, defaults filled in.
    pub fn params_json(&self) -> Vec<(String, Value)> {
        let phase = |p: &Phase| {
            Value::from(if *p == Phase::Before {
                "before"
            } else {
                "after"
            })
        };
        let close = |c: &Close| Value::from(if *c == Close::Rst { "rst" } else { "fin" });
        let pairs: Vec<(&str, Value)> = match self {
            Fault::Latency { ms, phase: p } => vec![("ms", (*ms).into()), ("phase", phase(p))],
            Fault::Status {
                code,
                phase: p,
                style,
            } => vec![
                ("code", u64::from(*code).into()),
                ("phase", phase(p)),
                (
                    "body",
                    (if *style == Style::Html {
                        "html"
                    } else {
                        "json"
                    })
                    .into(),
                ),
            ],
            Fault::Reset { close: c } | Fault::DropAfterCommit { close: c } => {
                vec![("close", close(c))]
            }
            Fault::RateLimit { secs } => vec![("secs", (*secs).into())],
            Fault::MalformedJson | Fault::WrongContentType | Fault::Truncated => vec![],
            Fault::Redirect {
                code,
                location,
                phase: p,
            } => vec![
                ("code", u64::from(*code).into()),
                ("location", location.as_str().into()),
                ("phase", phase(p)),
            ],
            Fault::Oversized { bytes, chunked } => vec![
                ("bytes", (*bytes).into()),
                (
                    "length",
                    (if *chunked { "chunked" } else { "declared" }).into(),
                ),
            ],
        };
        pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }
}

impl Queued {
    pub fn matches(&self, path: &str, token: Option<&str>) -> bool {
        self.path.as_deref().is_none_or(|p| path.starts_with(p))
            && self
                .token
                .as_ref()
                .is_none_or(|t| token == Some(t.expose()))
    }

    /// `{id, kind, …params, path, for_token, remaining}`; the token itself is never shown.
    pub fn to_json(&self) -> Value {
        let mut fields = vec![
            ("id".to_owned(), Value::from(self.id)),
            ("kind".to_owned(), Value::from(self.fault.kind())),
        ];
        fields.extend(self.fault.params_json());
        fields.push(("path".to_owned(), self.path.as_deref().into()));
        fields.push(("for_token".to_owned(), self.token.is_some().into()));
        fields.push(("remaining".to_owned(), u64::from(self.remaining).into()));
        Value::Object(fields)
    }
}

/// Takes the first queued fault for this call, counting it down.
pub fn take(queue: &mut Vec<Queued>, path: &str, token: Option<&str>) -> Option<Fault> {
    let i = queue.iter().position(|q| q.matches(path, token))?;
    let q = queue.get_mut(i)?;
    let fault = q.fault.clone();
    q.remaining = q.remaining.saturating_sub(1);
    if q.remaining == 0 {
        queue.remove(i);
    }
    Some(fault)
}

/// Which API a path belongs to, for the shape of injected errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Gateway,
    Wallet,
}

pub fn family(path: &str) -> Family {
    if path.starts_with("/api/gateway/") {
        Family::Gateway
    } else {
        Family::Wallet
    }
}

/// An error status in the API's JSON shape or as a proxy's HTML page.
pub fn status_response(code: u16, style: Style, family: Family) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let reason = status.canonical_reason().unwrap_or("Error");
    match style {
        Style::Html => {
            let page = format!(
                "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
            );
            (status, [(header::CONTENT_TYPE, "text/html")], page).into_response()
        }
        Style::Json => {
            let message = if code == 500 { "Server Error" } else { reason };
            error_body(code, message, family).into_response()
        }
    }
}

fn error_body(code: u16, message: &str, family: Family) -> Reply {
    match family {
        Family::Gateway => crate::reply::gateway_error(code, message),
        Family::Wallet => crate::reply::wallet_error(code, &[message], crate::reply::Title::Absent),
    }
}

/// A 429 as the API's throttle sends it.
pub fn rate_limited(secs: u64, family: Family) -> Response {
    error_body(429, "Too Many Attempts.", family)
        .header("retry-after", secs.to_string())
        .into_response()
}

/// A PHP notice printed ahead of the JSON, as a misconfigured server does.
pub const PHP_WARNING: &str = "<br />\n<b>Warning</b>:  Undefined array key \"operator\" in <b>/var/www/app/Http/Controllers/Api/GatewayController.php</b> on line <b>87</b><br />\n";

async fn body_of(res: Response) -> Vec<u8> {
    to_bytes(res.into_body(), usize::MAX)
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default()
}

fn with_body(bytes: Vec<u8>, content_type: &'static str) -> Response {
    let mut res = Response::new(Body::from(bytes));
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}

/// A redirect as a web server sends one: the status, `Location` and a short page.
fn redirect(code: u16, location: &str) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::TEMPORARY_REDIRECT);
    let Ok(to) = HeaderValue::from_str(location) else {
        return status_response(500, Style::Json, Family::Gateway);
    };
    let mut res = with_body(
        format!("<html><body>Moved to <a href=\"{location}\">{location}</a></body></html>\n")
            .into_bytes(),
        "text/html",
    );
    *res.status_mut() = status;
    res.headers_mut().insert(header::LOCATION, to);
    res
}

/// Chunks of an answer and then of whitespace, with no length declared.
struct Padded {
    head: Option<Bytes>,
    left: u64,
}

impl futures_core::Stream for Padded {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        const CHUNK: u64 = 64 * 1024;
        if let Some(head) = self.head.take() {
            return Poll::Ready(Some(Ok(head)));
        }
        if self.left == 0 {
            return Poll::Ready(None);
        }
        let n = self.left.min(CHUNK);
        self.left -= n;
        Poll::Ready(Some(Ok(Bytes::from(vec![b' '; n as usize]))))
    }
}

/// `answer` padded with whitespace (still the same JSON) to `bytes`.
async fn oversized(answer: Response, bytes: u64, chunked: bool) -> Response {
    let status = answer.status();
    let head = body_of(answer).await;
    let left = bytes.saturating_sub(head.len() as u64);
    let mut res = if chunked {
        let mut res = Response::new(Body::from_stream(Padded {
            head: Some(Bytes::from(head)),
            left,
        }));
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        res
    } else {
        let mut all = head;
        all.resize(all.len().saturating_add(left as usize), b' ');
        with_body(all, "application/json")
    };
    *res.status_mut() = status;
    res
}

/// Closes the connection without an answer. The connection task drops the
/// socket as soon as it hears of it; this future never completes.
async fn abort(control: Option<ConnControl>, close: Close, log: bool, path: &str) -> Response {
    match control {
        Some(c) => {
            if log {
                crate::server::log_line(&format!(
                    "fault: closing the connection ({close:?}) on {path}"
                ));
            }
            c.close(close);
            std::future::pending::<Response>().await
        }
        None => status_response(500, Style::Json, family(path)),
    }
}

/// The middleware: finds a fault for this call and acts it out.
pub async fn inject(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if !path.starts_with("/api/") {
        return next.run(req).await;
    }
    let fault = match req.headers().get("x-sandbox-fault") {
        Some(h) => match h
            .to_str()
            .map_err(|_| "not ASCII".to_owned())
            .and_then(Fault::parse_header)
        {
            Ok(f) => Some(f),
            Err(e) => {
                let body = object([("error", ["X-Sandbox-Fault: ", &e].concat().into())]);
                return Reply::new(400, body).into_response();
            }
        },
        None => {
            let token = bearer(req.headers()).map(str::to_owned);
            let mut world = app.lock();
            take(&mut world.faults, &path, token.as_deref())
        }
    };
    let Some(fault) = fault else {
        return next.run(req).await;
    };
    let control = req.extensions().get::<ConnControl>().cloned();
    let fam = family(&path);
    match fault {
        Fault::Latency { ms, phase } => {
            let wait = Duration::from_millis(ms);
            if phase == Phase::Before {
                tokio::time::sleep(wait).await;
                next.run(req).await
            } else {
                let res = next.run(req).await;
                tokio::time::sleep(wait).await;
                res
            }
        }
        Fault::Status { code, phase, style } => {
            if phase == Phase::After {
                drop(next.run(req).await);
            }
            status_response(code, style, fam)
        }
        Fault::Reset { close } => abort(control, close, app.log, &path).await,
        Fault::DropAfterCommit { close } => {
            drop(next.run(req).await);
            abort(control, close, app.log, &path).await
        }
        Fault::RateLimit { secs } => rate_limited(secs, fam),
        Fault::MalformedJson => {
            let mut bytes = PHP_WARNING.as_bytes().to_vec();
            bytes.extend(body_of(next.run(req).await).await);
            with_body(bytes, "application/json")
        }
        Fault::WrongContentType => {
            let bytes = body_of(next.run(req).await).await;
            with_body(bytes, "text/html; charset=UTF-8")
        }
        Fault::Truncated => {
            let mut bytes = body_of(next.run(req).await).await;
            bytes.truncate(bytes.len() / 2);
            with_body(bytes, "application/json")
        }
        Fault::Redirect {
            code,
            location,
            phase,
        } => {
            if phase == Phase::After {
                drop(next.run(req).await);
            }
            if app.log {
                crate::server::log_line(&format!("fault: redirecting {path} ({code})"));
            }
            redirect(code, &location)
        }
        Fault::Oversized { bytes, chunked } => oversized(next.run(req).await, bytes, chunked).await,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn header_form_parses_every_kind() {
        let rows: &[(&str, Fault)] = &[
            (
                "latency;ms=250",
                Fault::Latency {
                    ms: 250,
                    phase: Phase::Before,
                },
            ),
            (
                "latency; ms=5 ; phase=after",
                Fault::Latency {
                    ms: 5,
                    phase: Phase::After,
                },
            ),
            (
                "status",
                Fault::Status {
                    code: 500,
                    phase: Phase::Before,
                    style: Style::Json,
                },
            ),
            (
                "status;code=502",
                Fault::Status {
                    code: 502,
                    phase: Phase::Before,
                    style: Style::Html,
                },
            ),
            (
                "status;code=503;phase=after;body=json",
                Fault::Status {
                    code: 503,
                    phase: Phase::After,
                    style: Style::Json,
                },
            ),
            ("reset", Fault::Reset { close: Close::Rst }),
            ("reset;close=fin", Fault::Reset { close: Close::Fin }),
            (
                "drop_after_commit",
                Fault::DropAfterCommit { close: Close::Fin },
            ),
            ("rate_limit;secs=7", Fault::RateLimit { secs: 7 }),
            ("malformed_json", Fault::MalformedJson),
            ("wrong_content_type", Fault::WrongContentType),
            ("truncated", Fault::Truncated),
            (
                "redirect;location=http://127.0.0.1:9/x",
                Fault::Redirect {
                    code: 307,
                    location: "http://127.0.0.1:9/x".into(),
                    phase: Phase::Before,
                },
            ),
            (
                "redirect;code=308;location=http://localhost:8080/a?b=c;phase=after",
                Fault::Redirect {
                    code: 308,
                    location: "http://localhost:8080/a?b=c".into(),
                    phase: Phase::After,
                },
            ),
            (
                "oversized",
                Fault::Oversized {
                    bytes: OVERSIZED_DEFAULT,
                    chunked: false,
                },
            ),
            (
                "oversized;bytes=10;length=chunked",
                Fault::Oversized {
                    bytes: 10,
                    chunked: true,
                },
            ),
        ];
        for (text, want) in rows {
            assert_eq!(Fault::parse_header(text).as_ref(), Ok(want), "{text}");
        }
    }

    #[test]
    fn bad_faults_say_what_is_wrong() {
        for (text, needle) in [
            ("", "kind"),
            ("explode", "kind"),
            ("latency;ms=-1", "ms"),
            ("latency;ms=600001", "ms"),
            ("latency;phase=during", "phase"),
            ("status;code=200", "code"),
            ("status;code=abc", "code"),
            ("reset;code=500", "code: not a parameter"),
            ("truncated;x", "expected key=value"),
            ("drop_after_commit;close=slam", "close"),
            ("redirect", "location: required"),
            ("redirect;location=http://example.com/x", "loopback"),
            ("redirect;location=https://127.0.0.1/x", "loopback"),
            ("redirect;location=http://127.0.0.1@evil.com/", "loopback"),
            ("redirect;code=200;location=http://127.0.0.1/", "code"),
            ("redirect;code=304;location=http://127.0.0.1/", "code"),
            ("oversized;bytes=999999999999", "bytes"),
            ("oversized;length=huge", "length"),
        ] {
            let e = Fault::parse_header(text).unwrap_err();
            assert!(e.contains(needle), "{text}: {e}");
        }
    }

    #[test]
    fn queue_matches_path_prefix_and_token_then_counts_down() {
        let q = |id, path: Option<&str>, token: Option<&str>, remaining| Queued {
            id,
            fault: Fault::Truncated,
            path: path.map(str::to_owned),
            token: token.map(Token::new),
            remaining,
        };
        let mut queue = vec![
            q(1, Some("/api/gateway/v1/request"), Some("a"), 2),
            q(2, Some("/api/v1/private/wallet/"), None, 1),
        ];
        let req = "/api/gateway/v1/request";
        assert!(take(&mut queue, req, Some("b")).is_none(), "other token");
        assert!(
            take(&mut queue, "/api/gateway/v1/status", Some("a")).is_none(),
            "other path"
        );
        assert!(take(&mut queue, req, Some("a")).is_some());
        assert_eq!(queue.first().map(|q| q.remaining), Some(1));
        assert!(take(&mut queue, req, Some("a")).is_some());
        assert!(take(&mut queue, req, Some("a")).is_none(), "used up");
        assert!(take(&mut queue, "/api/v1/private/wallet/utility/billers", None).is_some());
        assert!(queue.is_empty());
        let shown = q(3, None, Some("secret"), 1).to_json().to_json();
        assert!(
            !shown.contains("secret") && shown.contains(r#""for_token":true"#),
            "{shown}"
        );
    }
}
