//! The edge proxy's rules, sans-IO: a browser's request comes in as a plain
//! value and leaves as either an answer (preflight, refusal) or a rebuilt
//! upstream request carrying the merchant's token. The Worker around it only
//! moves bytes; the checks here are the very validators the browser ran.
//!
//! It must never put the token in an answer, and never forward a request
//! that failed a check. It never retries: exactly-once is the client's job,
//! through `status` by `ref_id`.

use std::collections::HashMap;

use crate::billpay;
use crate::error::ApiError;
use crate::gateway::{self, PackagesQuery, StatusQuery};
use crate::http::{BaseUrl, Endpoint, HttpRequest, HttpResponse, Method, Token};
use crate::json::{self, object, Value};
use crate::messages::{Code, FieldError};
use crate::money::Amount;
use crate::policy::Window;
use crate::request::validate_request;
use crate::rules::Rules;

/// What a browser may ask the proxy to do, one per upstream endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Balance,
    Packages,
    Request,
    Status,
    Billers,
    Summary,
    Execute,
    Histories,
    Beneficiaries,
}

/// `(operation, method, path, exposed to browsers by default)`. `balance`
/// shows the merchant's wallet and `beneficiaries` the merchant's payees:
/// server-side only unless configured.
const ROUTES: &[(Operation, Method, &str, bool)] = &[
    (
        Operation::Balance,
        Method::Get,
        "/api/gateway/v1/balance",
        false,
    ),
    (
        Operation::Packages,
        Method::Post,
        "/api/gateway/v1/packages",
        true,
    ),
    (
        Operation::Request,
        Method::Post,
        "/api/gateway/v1/request",
        true,
    ),
    (
        Operation::Status,
        Method::Post,
        "/api/gateway/v1/status",
        true,
    ),
    (
        Operation::Billers,
        Method::Get,
        "/api/v1/private/wallet/utility/billers",
        true,
    ),
    (
        Operation::Summary,
        Method::Get,
        "/api/v1/private/wallet/utility-bill-pay/summary",
        true,
    ),
    (
        Operation::Execute,
        Method::Post,
        "/api/v1/private/wallet/utility-bill-pay/execute",
        true,
    ),
    (
        Operation::Histories,
        Method::Post,
        "/api/v1/private/wallet/utility-bill-pay/histories",
        true,
    ),
    (
        Operation::Beneficiaries,
        Method::Get,
        "/api/v1/private/wallet/utility-bill-pay/beneficiaries",
        false,
    ),
];

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Balance => "balance",
            Operation::Packages => "packages",
            Operation::Request => "request",
            Operation::Status => "status",
            Operation::Billers => "billers",
            Operation::Summary => "summary",
            Operation::Execute => "execute",
            Operation::Histories => "histories",
            Operation::Beneficiaries => "beneficiaries",
        }
    }

    pub fn parse(s: &str) -> Option<Operation> {
        ROUTES.iter().map(|r| r.0).find(|o| o.as_str() == s)
    }

    fn is_submit(self) -> bool {
        matches!(self, Operation::Request | Operation::Execute)
    }
}

/// The proxy's settings, from the Worker's environment or `createProxy(config)`.
#[derive(Clone, Debug)]
pub struct ProxyConfig {
    pub gateway: Endpoint,
    pub wallet: Endpoint,
    /// Exact origins (`https://shop.example`) whose pages may call the proxy.
    pub allowed_origins: Vec<String>,
    pub operations: Vec<Operation>,
    pub max_body_bytes: usize,
    /// Calls per client per minute: `(reads, payments)`.
    pub client_limit: (u32, u32),
    /// The largest amount one transaction may carry through this proxy.
    pub max_amount: Amount,
    pub rules: Rules,
    /// How long to wait for the upstream before answering 504.
    pub upstream_timeout_ms: u64,
}

fn config_error(field: &str) -> ApiError {
    ApiError::invalid(vec![FieldError::new(field, Code::InvalidValue)])
}

/// A list setting: a JSON array of strings, or one comma-separated string
/// (as Workers' plain-text variables are).
fn string_list(v: Option<&Value>, field: &str) -> Result<Option<Vec<String>>, ApiError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(
            s.split(',')
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect(),
        )),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(|s| s.trim().to_owned())
                    .ok_or_else(|| config_error(field))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(config_error(field)),
    }
}

fn whole(v: Option<&Value>, field: &str, default: u64) -> Result<u64, ApiError> {
    match v {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Number(n)) | Some(Value::String(n)) => {
            n.trim().parse().map_err(|_| config_error(field))
        }
        Some(_) => Err(config_error(field)),
    }
}

impl ProxyConfig {
    /// Reads `{ upstreamUrl, walletUrl?, token, allowedOrigins, operations?,
    /// maxBodyBytes?, clientReadsPerMinute?, clientPaymentsPerMinute?,
    /// maxAmount?, upstreamTimeoutMs?, validator?, allowInsecureHttp? }`.
    pub fn from_json(v: &Value) -> Result<ProxyConfig, ApiError> {
        if v.as_object().is_none() {
            return Err(ApiError::invalid(vec![FieldError::new(
                "",
                Code::NotAnObject,
            )]));
        }
        let token = match v.get("token").and_then(Value::as_str) {
            Some(t) if !t.is_empty() && !t.chars().any(char::is_control) => Token::new(t),
            _ => {
                return Err(ApiError::invalid(vec![FieldError::new(
                    "token",
                    Code::Required,
                )]))
            }
        };
        let insecure = v
            .get("allowInsecureHttp")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let url = |key: &str| -> Result<Option<BaseUrl>, ApiError> {
            match v.get(key).and_then(Value::as_str) {
                None => Ok(None),
                Some(u) => BaseUrl::parse(u, true, insecure)
                    .map(Some)
                    .map_err(|_| ApiError::invalid(vec![FieldError::new(key, Code::InvalidUrl)])),
            }
        };
        let gateway = url("upstreamUrl")?.ok_or_else(|| {
            ApiError::invalid(vec![FieldError::new("upstreamUrl", Code::Required)])
        })?;
        let wallet = url("walletUrl")?.unwrap_or_else(|| gateway.clone());
        let allowed_origins =
            string_list(v.get("allowedOrigins"), "allowedOrigins")?.unwrap_or_default();
        if allowed_origins
            .iter()
            .any(|o| o == "*" || BaseUrl::parse(o, false, true).is_err())
        {
            return Err(config_error("allowedOrigins"));
        }
        let operations = match string_list(v.get("operations"), "operations")? {
            None => ROUTES.iter().filter(|r| r.3).map(|r| r.0).collect(),
            Some(names) => names
                .iter()
                .map(|n| Operation::parse(n).ok_or_else(|| config_error("operations")))
                .collect::<Result<_, _>>()?,
        };
        let max_amount = match v.get("maxAmount") {
            None | Some(Value::Null) => Amount::from_taka(5_000),
            Some(a) => crate::request::amount_of(a)
                .ok()
                .filter(|a| a.is_positive())
                .ok_or_else(|| config_error("maxAmount"))?,
        };
        let rules = match v.get("validator") {
            None | Some(Value::Null) => Rules::default(),
            Some(c) => Rules::from_config(c).map_err(ApiError::invalid)?,
        };
        let per_minute =
            |key: &str, d: u64| whole(v.get(key), key, d).map(|n| n.clamp(1, 100_000) as u32);
        Ok(ProxyConfig {
            gateway: Endpoint {
                base: gateway,
                token: Some(token.clone()),
            },
            wallet: Endpoint {
                base: wallet,
                token: Some(token),
            },
            allowed_origins,
            operations,
            max_body_bytes: whole(v.get("maxBodyBytes"), "maxBodyBytes", 8 * 1024)?
                .clamp(256, 1 << 20) as usize,
            client_limit: (
                per_minute("clientReadsPerMinute", 60)?,
                per_minute("clientPaymentsPerMinute", 10)?,
            ),
            max_amount,
            rules,
            upstream_timeout_ms: whole(v.get("upstreamTimeoutMs"), "upstreamTimeoutMs", 25_000)?
                .max(1),
        })
    }
}

/// A request as it reached the Worker.
#[derive(Clone, Debug, Default)]
pub struct Inbound {
    pub method: String,
    /// Path and query, e.g. `/api/v1/private/wallet/utility-bill-pay/summary?biller_id=b1`.
    pub target: String,
    pub origin: Option<String>,
    pub content_type: Option<String>,
    /// `None` when the body was over the size cap (the Worker stops reading).
    pub body: Option<Vec<u8>>,
    /// Who is calling, for the per-client limit (the Worker passes the client IP).
    pub client: String,
}

/// What to do with an inbound request.
#[derive(Debug)]
pub enum Decision {
    /// Answer at once; nothing goes upstream.
    Respond(HttpResponse),
    /// Send this upstream, then pass its answer back with [`Proxy::finish`].
    Forward {
        upstream: HttpRequest,
        origin: Option<String>,
    },
}

/// Per-client windows, bounded so that a flood of addresses cannot grow it without end.
const MAX_CLIENTS: usize = 10_000;

pub struct Proxy {
    config: ProxyConfig,
    clients: HashMap<String, (Window, Window)>,
}

/// A JSON answer in the gateway's error shape (`status: false`, `message`),
/// with `errors` as Laravel sends them and our own `field_errors` beside.
fn refusal(status: u16, message: &str, fields: &[FieldError]) -> HttpResponse {
    let mut body = vec![
        ("status".to_owned(), Value::Bool(false)),
        ("message".to_owned(), Value::from(message)),
    ];
    if !fields.is_empty() {
        let errors = fields
            .iter()
            .map(|f| {
                (
                    f.field.clone(),
                    Value::Array(vec![Value::from(f.message.as_str())]),
                )
            })
            .collect();
        body.push(("errors".to_owned(), Value::Object(errors)));
        body.push((
            "field_errors".to_owned(),
            Value::Array(fields.iter().map(FieldError::to_json).collect()),
        ));
    }
    HttpResponse {
        status,
        headers: vec![("content-type".to_owned(), "application/json".to_owned())],
        body: Value::Object(body).to_json().into_bytes(),
    }
}

fn invalid(e: &ApiError) -> HttpResponse {
    refusal(422, &e.message, &e.field_errors)
}

impl Proxy {
    pub fn new(config: ProxyConfig) -> Proxy {
        Proxy {
            config,
            clients: HashMap::new(),
        }
    }

    pub fn config(&self) -> &ProxyConfig {
        &self.config
    }

    fn origin_allowed(&self, origin: Option<&str>) -> bool {
        match origin {
            // A call with no Origin header is server-to-server (curl, a backend):
            // CORS does not apply, the other rules do.
            None => true,
            Some(o) => self
                .config
                .allowed_origins
                .iter()
                .any(|a| a.eq_ignore_ascii_case(o)),
        }
    }

    /// CORS headers for an allowed origin.
    fn cors(origin: Option<&str>) -> Vec<(String, String)> {
        match origin {
            None => Vec::new(),
            // Retry-After is not a CORS-safelisted header: without this a
            // page cannot read how long a 429 asks it to wait.
            Some(o) => vec![
                ("access-control-allow-origin".to_owned(), o.to_owned()),
                (
                    "access-control-expose-headers".to_owned(),
                    "Retry-After".to_owned(),
                ),
                ("vary".to_owned(), "Origin".to_owned()),
            ],
        }
    }

    fn with_cors(mut resp: HttpResponse, origin: Option<&str>) -> HttpResponse {
        resp.headers.extend(Proxy::cors(origin));
        resp
    }

    /// Counts a call against the client's window; the wait in ms when over.
    fn over_limit(&mut self, client: &str, submit: bool, now: u64) -> Option<u64> {
        if !self.clients.contains_key(client) && self.clients.len() >= MAX_CLIENTS {
            // Forget clients whose windows are empty; if none, the oldest entries go.
            self.clients
                .retain(|_, (r, p)| r.wait_ms(now) > 0 || p.wait_ms(now) > 0);
            if self.clients.len() >= MAX_CLIENTS {
                self.clients.clear();
            }
        }
        let (reads, pays) = self.config.client_limit;
        let (r, p) = self
            .clients
            .entry(client.to_owned())
            .or_insert_with(|| (Window::per_minute(reads), Window::per_minute(pays)));
        let w = if submit { p } else { r };
        match w.wait_ms(now) {
            0 => {
                w.record(now);
                None
            }
            ms => Some(ms),
        }
    }

    /// Decides what to do with a request at time `now`; `fresh_ref_id` is used
    /// when a payment arrives without a `ref_id` (so it can be traced later).
    pub fn decide(&mut self, req: &Inbound, now: u64, fresh_ref_id: &str) -> Decision {
        let origin = req.origin.as_deref();
        if !self.origin_allowed(origin) {
            return Decision::Respond(refusal(403, "This origin may not use the proxy.", &[]));
        }
        let (path, query) = match req.target.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (req.target.as_str(), None),
        };
        let route = ROUTES.iter().find(|r| r.2 == path);
        if req.method.eq_ignore_ascii_case("OPTIONS") {
            let Some(&(_, method, _, _)) = route.filter(|r| self.config.operations.contains(&r.0))
            else {
                return Decision::Respond(Proxy::with_cors(
                    refusal(404, "Not found.", &[]),
                    origin,
                ));
            };
            let mut resp = HttpResponse {
                status: 204,
                headers: Proxy::cors(origin),
                body: Vec::new(),
            };
            resp.headers.extend([
                (
                    "access-control-allow-methods".to_owned(),
                    [method.as_str(), ", OPTIONS"].concat(),
                ),
                (
                    "access-control-allow-headers".to_owned(),
                    "content-type, accept".to_owned(),
                ),
                ("access-control-max-age".to_owned(), "600".to_owned()),
            ]);
            return Decision::Respond(resp);
        }
        let respond = |r: HttpResponse| Decision::Respond(Proxy::with_cors(r, origin));
        let Some(&(op, method, _, _)) = route else {
            return respond(refusal(404, "Not found.", &[]));
        };
        if !self.config.operations.contains(&op) {
            return respond(refusal(
                403,
                "This operation is not available through the proxy.",
                &[],
            ));
        }
        if !req.method.eq_ignore_ascii_case(method.as_str()) {
            return respond(refusal(405, "Method not allowed.", &[]));
        }
        if let Some(wait) = self.over_limit(&req.client, op.is_submit(), now) {
            let mut r = refusal(429, "Too Many Attempts.", &[]);
            r.headers.push((
                "retry-after".to_owned(),
                crate::text::decimal(wait.div_ceil(1000).max(1)),
            ));
            return respond(r);
        }
        let Some(body) = &req.body else {
            return respond(refusal(413, "The request body is too large.", &[]));
        };
        if body.len() > self.config.max_body_bytes {
            return respond(refusal(413, "The request body is too large.", &[]));
        }
        let parsed = if method == Method::Post {
            let json_type = req.content_type.as_deref().is_some_and(|c| {
                c.split(';')
                    .next()
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
            });
            if !json_type {
                return respond(refusal(
                    415,
                    "Send JSON (Content-Type: application/json).",
                    &[],
                ));
            }
            match json::parse(body) {
                Ok(v) if v.as_object().is_some() => v,
                _ => {
                    return respond(invalid(&ApiError::invalid(vec![FieldError::new(
                        "",
                        Code::NotAnObject,
                    )])))
                }
            }
        } else {
            Value::Null
        };
        match self.upstream(op, &parsed, query.unwrap_or(""), fresh_ref_id) {
            Ok(upstream) => Decision::Forward {
                upstream,
                origin: req.origin.clone(),
            },
            Err(e) => respond(invalid(&e)),
        }
    }

    /// The checked, rebuilt upstream request for an operation.
    fn upstream(
        &self,
        op: Operation,
        body: &Value,
        query: &str,
        fresh_ref_id: &str,
    ) -> Result<HttpRequest, ApiError> {
        let c = &self.config;
        Ok(match op {
            Operation::Balance => gateway::balance(&c.gateway),
            Operation::Packages => {
                gateway::packages(&c.gateway, &PackagesQuery::from_json(body, &c.rules)?)
            }
            Operation::Status => gateway::status(&c.gateway, &StatusQuery::from_json(body)?),
            Operation::Request => {
                let mut req = validate_request(body, &c.rules).map_err(ApiError::invalid)?;
                if req.amount.is_some_and(|a| a > c.max_amount) {
                    let max = c.max_amount.to_decimal_string();
                    return Err(ApiError::invalid(vec![FieldError::with_args(
                        "amount",
                        Code::AmountTooLarge,
                        &[("max", &max)],
                    )]));
                }
                if req.ref_id.is_none() {
                    req.ref_id = Some(fresh_ref_id.to_owned());
                }
                gateway::submit(&c.gateway, &req)
            }
            Operation::Billers => billpay::billers(&c.wallet),
            Operation::Beneficiaries => billpay::beneficiaries(&c.wallet),
            Operation::Summary => billpay::summary(&c.wallet, &summary_params(query)?),
            Operation::Execute => billpay::execute(&c.wallet, &billpay::Execute::from_json(body)?),
            Operation::Histories => {
                let id = billpay::request_id(body.get("request_id"))
                    .map_err(|e| ApiError::invalid(vec![e]))?;
                billpay::histories(&c.wallet, &id)
            }
        })
    }

    /// The answer to pass back for an upstream response: its status and JSON
    /// body as they were (the documented error shapes go through untouched),
    /// with CORS headers, and never the token.
    pub fn finish(&self, upstream: &HttpResponse, origin: Option<&str>) -> HttpResponse {
        let token = self.config.gateway.token.as_ref();
        // The token in the body or in any header value: the whole answer is withheld.
        let body = String::from_utf8_lossy(&upstream.body);
        let leaks = |t: Option<&Token>| {
            t.is_some_and(|t| {
                t.appears_in(&body) || upstream.headers.iter().any(|(_, v)| t.appears_in(v))
            })
        };
        if leaks(token) || leaks(self.config.wallet.token.as_ref()) {
            return Proxy::with_cors(
                refusal(502, "The upstream answer was withheld.", &[]),
                origin,
            );
        }
        // Only well-formed header values pass, never the upstream's text as
        // is: a header could carry anything, the token included.
        let content_type = match upstream.header("content-type") {
            Some(t) if is_media_type(t) => t.to_owned(),
            _ => "application/json".to_owned(),
        };
        let mut headers = vec![("content-type".to_owned(), content_type)];
        if let Some(r) = upstream.header("retry-after").map(str::trim) {
            if !r.is_empty() && r.len() <= 10 && r.bytes().all(|b| b.is_ascii_digit()) {
                headers.push(("retry-after".to_owned(), r.to_owned()));
            }
        }
        Proxy::with_cors(
            HttpResponse {
                status: upstream.status,
                headers,
                body: upstream.body.clone(),
            },
            origin,
        )
    }

    /// The answer when the upstream could not be reached or timed out.
    pub fn upstream_failed(&self, timed_out: bool, origin: Option<&str>) -> HttpResponse {
        let (status, message) = if timed_out {
            (504, "The upstream timed out.")
        } else {
            (502, "The upstream could not be reached.")
        };
        Proxy::with_cors(refusal(status, message, &[]), origin)
    }
}

/// `type/subtype` with optional `; charset=…`-style parameters, short and plain.
fn is_media_type(t: &str) -> bool {
    let media = t.split(';').next().unwrap_or("").trim();
    t.len() <= 64
        && media
            .split_once('/')
            .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/;=-+. ".contains(&b))
        && !t.to_ascii_lowercase().contains("bearer")
}

/// The summary's parameters from the inbound query string, decoded; the
/// keys and values are checked as a biller form would be (no schema here:
/// alphanumerics, `-`, `_`, `.`, `+` and spaces, 64 characters at most each).
fn summary_params(query: &str) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (percent_decode(k), percent_decode(v));
        let ok = |s: &Option<String>, allow_empty: bool| {
            s.as_ref().is_some_and(|s| {
                (allow_empty || !s.is_empty())
                    && s.chars().count() <= 64
                    && s.chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | ' '))
            })
        };
        if !ok(&k, false) || !ok(&v, true) {
            let field = k.unwrap_or_default();
            return Err(ApiError::invalid(vec![FieldError::new(
                &field,
                Code::InvalidValue,
            )]));
        }
        out.push((k.unwrap_or_default(), v.unwrap_or_default()));
    }
    if !out.iter().any(|(k, _)| k == "biller_id") {
        return Err(ApiError::invalid(vec![FieldError::new(
            "biller_id",
            Code::Required,
        )]));
    }
    Ok(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(s.len());
    let mut it = s.bytes();
    while let Some(b) = it.next() {
        match b {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hi = char::from(it.next()?).to_digit(16)?;
                let lo = char::from(it.next()?).to_digit(16)?;
                bytes.push((hi * 16 + lo) as u8);
            }
            b => bytes.push(b),
        }
    }
    String::from_utf8(bytes).ok()
}

/// `{ status, headers, body }` of a response, for the Worker.
pub fn response_json(r: &HttpResponse) -> Value {
    object([
        ("status", u64::from(r.status).into()),
        (
            "headers",
            Value::Object(
                r.headers
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                    .collect(),
            ),
        ),
        ("body", String::from_utf8_lossy(&r.body).into_owned().into()),
    ])
}

#[cfg(test)]
mod tests;
