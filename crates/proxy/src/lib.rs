//! The edge proxy's rules, sans-IO: a request comes in as a plain value and
//! leaves as either an answer (preflight, refusal) or a rebuilt upstream
//! request carrying the merchant's token. The Worker around it only moves
//! bytes; the checks here are the very validators the browser ran.
//!
//! It must never put a token in an answer, never forward a request that
//! failed a check, and never spend without the merchant's authorization
//! (an intent or the Worker's hook); `Origin` decides CORS only. It never
//! retries: exactly-once is the client's job, through `status` by `ref_id`.

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

mod authorize;
mod billers;
mod budget;
mod config;
mod in_flight;
mod limiter;
mod query;
pub(crate) mod refusal;
mod routes;

pub use authorize::Grant;
pub use budget::{Budget, Ceiling, Period};
pub use config::{Pin, ProxyConfig, MAX_UPSTREAM_TIMEOUT_MS};
pub use in_flight::{InFlight, MAX_IN_FLIGHT};
pub use limiter::{Limiter, Refused as LimitRefused, MAX_CLIENTS};
pub use refusal::Refusal;
pub use routes::{Operation, ROUTES};

use bdpay_api::billpay;
use bdpay_api::client::TransportError;
use bdpay_api::error::ApiError;
use bdpay_api::gateway::{self, PackagesQuery, StatusQuery};
use bdpay_api::http::{HttpRequest, HttpResponse, Method};
use bdpay_core::json::{self, object, Value};
use bdpay_core::messages::{Code, FieldError, Slot};
use bdpay_core::money::Amount;
use bdpay_core::request::validate_request;

pub use bdpay_api::intent::INTENT_HEADER;

/// A request as it reached the Worker.
#[derive(Clone, Debug, Default)]
pub struct Inbound {
    pub method: String,
    /// Path and query, e.g. `/api/v1/private/wallet/utility-bill-pay/summary?biller_id=b1`.
    pub target: String,
    pub origin: Option<String>,
    pub content_type: Option<String>,
    /// The `Bdpay-Intent` header.
    pub intent: Option<String>,
    /// `None` when the body was over the size cap (the Worker stops reading).
    pub body: Option<Vec<u8>>,
    /// Who is calling, for the per-client limit (the Worker passes the client IP).
    pub client: String,
}

/// What the answer to a forwarded request needs to know about it.
#[derive(Clone, Debug, Default)]
pub struct Context {
    pub op: Option<Operation>,
    pub origin: Option<String>,
    /// `status` asked by `trx_id` under an intent: the answer must be that one.
    pub expect_trx_id: Option<String>,
    /// The `ref_id` a `/request` carries, or a `status` asks about.
    pub ref_id: Option<String>,
}

impl Context {
    /// Whether the upstream's answer, of `status`, to this forwarded payment
    /// refused it before committing it (a 4xx but 408: the gateway's
    /// "Duplicate transaction" to a replay, insufficient balance, a 429), so
    /// its reservation on the ceilings is given back. A 2xx committed it; a
    /// 5xx, a 408 or no readable answer leaves its outcome unknown, and the
    /// reservation stays.
    pub fn refused_before_commit(&self, status: u16) -> bool {
        matches!(self.op, Some(Operation::Request | Operation::Execute))
            && (400..500).contains(&status)
            && status != 408
    }

    /// Whether this is a `status` of the payment `sending` is forwarding
    /// upstream (the same `ref_id`): answered [`Proxy::in_flight`] while
    /// that forward waits, never "not found" while the payment may land.
    pub fn asks_after(&self, sending: &Context) -> bool {
        self.op == Some(Operation::Status)
            && sending.op == Some(Operation::Request)
            && self.ref_id.is_some()
            && self.ref_id == sending.ref_id
    }
}

/// A checked request, ready for the last steps of the Worker.
#[derive(Debug)]
pub struct Forward {
    pub upstream: HttpRequest,
    pub context: Context,
    /// What a payment spends, for the ceilings.
    pub spend: Option<Amount>,
    /// `Some(payment)` when the Worker's `authorize` hook must allow it first.
    pub ask_hook: Option<Value>,
}

/// What to do with an inbound request.
#[derive(Debug)]
pub enum Decision {
    /// Answer at once; nothing goes upstream.
    Respond(HttpResponse),
    /// Ask the hook if asked to, reserve the spend, send this upstream, then
    /// pass its answer back with [`Proxy::finish`].
    Forward(Box<Forward>),
}

pub struct Proxy {
    config: ProxyConfig,
    limiter: Limiter,
    budget: Budget,
    billers: billers::BillerCache,
}

type Refused = (Refusal, String);

impl Proxy {
    pub fn new(config: ProxyConfig) -> Proxy {
        Proxy {
            limiter: Limiter::new(config.client_limit),
            budget: Budget::new(config.budget.0, config.budget.1),
            billers: billers::BillerCache::default(),
            config,
        }
    }

    /// The wallet's biller list to fetch before deciding a summary at `now`,
    /// when the copy held is missing or old (and the wallet has its token).
    pub fn billers_request(&self, target: &str, now: u64) -> Option<HttpRequest> {
        let path = target.split('?').next().unwrap_or_default();
        let summary = routes::route(path).is_some_and(|(op, _)| op == Operation::Summary);
        (summary
            && self.config.operations.contains(&Operation::Summary)
            && self.config.wallet.token.is_some()
            && self.billers.is_stale(now))
        .then(|| billpay::billers(&self.config.wallet))
    }

    /// Keeps the biller list from the wallet's answer; an unreadable answer
    /// keeps the copy held (or none).
    pub fn store_billers(&mut self, answer: &HttpResponse, now: u64) {
        if let Ok(types) = billpay::parse_billers_response(answer) {
            self.billers.store(types, now);
        }
    }

    pub fn config(&self) -> &ProxyConfig {
        &self.config
    }

    fn origin_allowed(&self, origin: Option<&str>) -> bool {
        match origin {
            // No Origin: not a browser page, so CORS does not apply. This
            // grants nothing: payments still need the merchant's authorization.
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

    fn retry_after(mut resp: HttpResponse, wait_ms: u64) -> HttpResponse {
        resp.headers.push((
            "retry-after".to_owned(),
            bdpay_core::text::decimal(wait_ms.div_ceil(1000).max(1)),
        ));
        resp
    }

    /// Decides what to do with a request at time `now` (ms); `fresh_ref_id`
    /// is used when a payment the hook authorizes arrives without a `ref_id`.
    pub fn decide(&mut self, req: &Inbound, now: u64, fresh_ref_id: &str) -> Decision {
        self.decide_with(req, now, || fresh_ref_id.to_owned())
    }

    /// [`Proxy::decide`], with the fresh `ref_id` made only when one is needed.
    pub fn decide_with(
        &mut self,
        req: &Inbound,
        now: u64,
        fresh_ref_id: impl FnOnce() -> String,
    ) -> Decision {
        let origin = req.origin.as_deref();
        if !self.origin_allowed(origin) {
            return Decision::Respond(Refusal::OriginNotAllowed.response());
        }
        let (path, query) = match req.target.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (req.target.as_str(), None),
        };
        let route = routes::route(path);
        if req.method.eq_ignore_ascii_case("OPTIONS") {
            return Decision::Respond(self.preflight(route, origin));
        }
        let respond = |r: HttpResponse| Decision::Respond(Proxy::with_cors(r, origin));
        let Some((op, method)) = route else {
            return respond(Refusal::NotFound.response());
        };
        if !self.config.operations.contains(&op) {
            return respond(Refusal::OperationNotExposed.response());
        }
        if !req.method.eq_ignore_ascii_case(method.as_str()) {
            return respond(Refusal::MethodNotAllowed.response());
        }
        match self.limiter.check(&req.client, op.is_payment(), now) {
            Ok(()) => {}
            Err(LimitRefused::OverLimit { wait_ms }) => {
                return respond(Proxy::retry_after(
                    Refusal::TooManyAttempts.response(),
                    wait_ms,
                ))
            }
            Err(LimitRefused::Full { wait_ms }) => {
                return respond(Proxy::retry_after(Refusal::ProxyBusy.response(), wait_ms))
            }
        }
        let body = match &req.body {
            Some(b) if b.len() <= self.config.max_body_bytes => b,
            _ => return respond(Refusal::BodyTooLarge.response()),
        };
        let parsed = if method == Method::Post {
            let json_type = req.content_type.as_deref().is_some_and(|c| {
                c.split(';')
                    .next()
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
            });
            if !json_type {
                return respond(Refusal::NotJson.response());
            }
            match json::parse(body) {
                Ok(v) if v.as_object().is_some() => v,
                _ => {
                    return respond(refusal::invalid(&ApiError::invalid(vec![FieldError::new(
                        "",
                        Code::NotAnObject,
                    )])))
                }
            }
        } else {
            Value::Null
        };
        if op.is_wallet() && self.config.wallet.token.is_none() {
            return respond(Refusal::WalletTokenMissing.response());
        }
        let grant = if authorize::needed(op) {
            match authorize::grant(&self.config, op, req.intent.as_deref(), now) {
                Ok(g) => Some(g),
                Err((r, fields)) => return respond(r.answer(&fields)),
            }
        } else {
            None
        };
        let context = Context {
            op: Some(op),
            origin: req.origin.clone(),
            expect_trx_id: None,
            ref_id: None,
        };
        match self.upstream(
            op,
            &parsed,
            query.unwrap_or(""),
            grant,
            fresh_ref_id,
            context,
        ) {
            Ok(Ok(fwd)) => Decision::Forward(Box::new(fwd)),
            Ok(Err((r, fields))) => respond(r.answer(&fields)),
            Err(e) => respond(refusal::invalid(&e)),
        }
    }

    fn preflight(&self, route: Option<(Operation, Method)>, origin: Option<&str>) -> HttpResponse {
        let Some((_, method)) = route.filter(|r| self.config.operations.contains(&r.0)) else {
            return Proxy::with_cors(Refusal::NotFound.response(), origin);
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
                ["content-type, accept, ", INTENT_HEADER].concat(),
            ),
            ("access-control-max-age".to_owned(), "600".to_owned()),
        ]);
        resp
    }

    /// The checked, rebuilt upstream request for an operation: a validation
    /// error (`Err`), a refusal (`Ok(Err)`) or what to forward.
    fn upstream(
        &self,
        op: Operation,
        body: &Value,
        query: &str,
        grant: Option<Grant>,
        fresh_ref_id: impl FnOnce() -> String,
        mut context: Context,
    ) -> Result<Result<Forward, Refused>, ApiError> {
        let c = &self.config;
        let mut spend = None;
        let mut ask_hook = None;
        let upstream = match op {
            Operation::Balance => gateway::balance(&c.gateway),
            Operation::Packages => {
                gateway::packages(&c.gateway, &PackagesQuery::from_json(body, &c.rules)?)
            }
            Operation::Status => {
                let query = match &grant {
                    Some(Grant::Intent(intent)) => match authorize::bind_status(intent, body) {
                        Ok((ref_id, expect)) => {
                            context.expect_trx_id = expect;
                            StatusQuery::from_json(&object([("ref_id", ref_id.into())]))?
                        }
                        Err(r) => return Ok(Err(r)),
                    },
                    _ => {
                        let q = StatusQuery::from_json(body)?;
                        ask_hook = Some(object([
                            ("operation", "status".into()),
                            ("query", body.clone()),
                        ]));
                        q
                    }
                };
                if let StatusQuery::RefId(ref_id) = &query {
                    context.ref_id = Some(ref_id.clone());
                }
                gateway::status(&c.gateway, &query)
            }
            Operation::Request => {
                let mut req = validate_request(body, &c.rules).map_err(ApiError::invalid)?;
                let cost = match &grant {
                    Some(Grant::Intent(intent)) => {
                        req = match authorize::bind_request(intent, req) {
                            Ok(r) => r,
                            Err(r) => return Ok(Err(r)),
                        };
                        Some(intent.spend)
                    }
                    _ => {
                        if req.ref_id.is_none() {
                            req.ref_id = Some(fresh_ref_id());
                        }
                        ask_hook = Some(object([
                            ("operation", "request".into()),
                            ("payment", req.to_json()),
                        ]));
                        req.amount
                    }
                };
                self.within_max(cost)?;
                spend = cost;
                context.ref_id.clone_from(&req.ref_id);
                gateway::submit(&c.gateway, &req)
            }
            Operation::Execute => {
                let (exec, cost) = match &grant {
                    Some(Grant::Intent(intent)) => {
                        let request_id = match authorize::bind_execute(intent, body) {
                            Ok(id) => id,
                            Err(r) => return Ok(Err(r)),
                        };
                        let Some(pin) = &c.wallet_pin else {
                            return Ok(Err((Refusal::WalletPinMissing, String::new())));
                        };
                        let exec = billpay::Execute {
                            request_id,
                            pin: pin.as_str().to_owned(),
                        };
                        (exec, Some(intent.spend))
                    }
                    _ => {
                        // The point-of-sale deployment: the logged-in operator
                        // may type the PIN; otherwise the proxy's own is used.
                        let exec = match (body.get("pin"), &c.wallet_pin) {
                            (None | Some(Value::Null), Some(pin)) => billpay::Execute {
                                request_id: billpay::request_id(body.get("request_id"))
                                    .map_err(|e| ApiError::invalid(vec![e]))?,
                                pin: pin.as_str().to_owned(),
                            },
                            (None | Some(Value::Null), None) => {
                                return Ok(Err((Refusal::WalletPinMissing, String::new())))
                            }
                            _ => billpay::Execute::from_json(body)?,
                        };
                        ask_hook = Some(object([
                            ("operation", "execute".into()),
                            (
                                "payment",
                                object([("request_id", exec.request_id.as_str().into())]),
                            ),
                        ]));
                        (exec, None)
                    }
                };
                self.within_max(cost)?;
                spend = cost;
                billpay::execute(&c.wallet, &exec)
            }
            Operation::Billers => billpay::billers(&c.wallet),
            Operation::Beneficiaries => billpay::beneficiaries(&c.wallet),
            Operation::Summary => {
                if self.billers.is_empty() {
                    return Ok(Err((Refusal::BillersUnavailable, String::new())));
                }
                let pairs = query::summary_params(query)?;
                let params = self.billers.check(&pairs, &c.rules.registry)?;
                billpay::summary(&c.wallet, &params)
            }
            Operation::Histories => {
                let id = billpay::request_id(body.get("request_id"))
                    .map_err(|e| ApiError::invalid(vec![e]))?;
                billpay::histories(&c.wallet, &id)
            }
        };
        Ok(Ok(Forward {
            upstream,
            context,
            spend,
            ask_hook: if matches!(grant, Some(Grant::Hook)) {
                ask_hook
            } else {
                None
            },
        }))
    }

    fn within_max(&self, cost: Option<Amount>) -> Result<(), ApiError> {
        match cost {
            Some(a) if a > self.config.max_amount => {
                Err(ApiError::invalid(vec![FieldError::with_args(
                    "amount",
                    Code::AmountTooLarge,
                    &[("max", Slot::Taka(self.config.max_amount))],
                )]))
            }
            _ => Ok(()),
        }
    }

    /// Counts a payment against this proxy's own ceilings (per isolate; the
    /// Worker uses a Durable Object's instead when one is bound).
    pub fn reserve(&mut self, spend: Amount, now: u64) -> Result<(), Ceiling> {
        self.budget.reserve(spend, now)
    }

    /// Counts a spend reserved at `at` (ms) in an earlier life of these
    /// ceilings (a Durable Object's stored spends, oldest first).
    pub fn seed(&mut self, spend: Amount, at: u64) {
        self.budget.seed(spend, at);
    }

    /// Gives back a payment's reservation on this proxy's own ceilings (the
    /// upstream refused it before committing it).
    pub fn release(&mut self, spend: Amount) {
        self.budget.release(spend);
    }

    /// The answer for a payment over a ceiling.
    pub fn ceiling_reached(c: Ceiling, origin: Option<&str>) -> HttpResponse {
        let r = match c.period {
            Period::Hour => Refusal::BudgetHour,
            Period::Day => Refusal::BudgetDay,
        };
        Proxy::with_cors(Proxy::retry_after(r.response(), c.retry_after_ms), origin)
    }

    /// The answer when the Worker holds as many forwards as it may
    /// ([`MAX_IN_FLIGHT`]): `proxy_busy` (429), to be tried again in a second.
    pub fn busy(origin: Option<&str>) -> HttpResponse {
        Proxy::with_cors(
            Proxy::retry_after(Refusal::ProxyBusy.response(), 1_000),
            origin,
        )
    }

    /// The answer to a `status` of a payment still being sent upstream
    /// (`payment_in_flight`, 503): ask again in a second.
    pub fn in_flight(origin: Option<&str>) -> HttpResponse {
        Proxy::with_cors(
            Proxy::retry_after(Refusal::PaymentInFlight.response(), 1_000),
            origin,
        )
    }

    /// A refusal with CORS headers, for the Worker's own (the hook's denial).
    pub fn refuse(r: Refusal, origin: Option<&str>) -> HttpResponse {
        Proxy::with_cors(r.response(), origin)
    }

    /// The answer to pass back for an upstream response: its status and JSON
    /// body (the documented error shapes go through untouched) with CORS
    /// headers; never a token, never the merchant's `balance`.
    pub fn finish(&self, upstream: &HttpResponse, context: &Context) -> HttpResponse {
        let origin = context.origin.as_deref();
        // A token in the body or in any header value: the whole answer is withheld.
        // The body counts as sent and as JSON reads it: `\/` or `\u0061` hide
        // nothing from a page's JSON.parse, nor from the rewrite below.
        let text = String::from_utf8_lossy(&upstream.body);
        // Parsed once: for the scan, the `balance` cut and the `trx_id` check.
        let parsed = json::parse(&upstream.body).ok();
        let read = parsed.as_ref().map(Value::to_json).unwrap_or_default();
        if self.config.tokens().any(|t| {
            t.appears_in(&text)
                || t.appears_in(&read)
                || upstream.headers.iter().any(|(_, v)| t.appears_in(v))
        }) {
            return Proxy::with_cors(Refusal::Withheld.response(), origin);
        }
        let mut body = upstream.body.clone();
        let mut answer = parsed;
        if context.op == Some(Operation::Request) {
            if let Some(Value::Object(fields)) = answer {
                let kept: Vec<_> = fields.into_iter().filter(|(k, _)| k != "balance").collect();
                let kept = Value::Object(kept);
                body = kept.to_json().into_bytes();
                answer = Some(kept);
            }
        }
        if let Some(expected) = &context.expect_trx_id {
            let trx = answer
                .as_ref()
                .and_then(|v| v.get("trx_id").and_then(Value::as_str).map(str::to_owned));
            if (200..300).contains(&upstream.status) && trx.as_deref() != Some(expected.as_str()) {
                return Proxy::with_cors(Refusal::StatusNotFound.response(), origin);
            }
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
                body,
            },
            origin,
        )
    }

    /// The answer when no upstream answer could be passed on: it timed out,
    /// could not be reached, or answered what is never read (a redirect,
    /// never followed; a body past the cap). For a payment, whichever it was:
    /// the request may have reached the upstream and paid, so the page is
    /// told the outcome is unknown, never that it failed. Every other
    /// refusal of a payment is given before anything goes upstream.
    pub fn upstream_failed(&self, e: &TransportError, context: &Context) -> HttpResponse {
        let r = match e {
            _ if context.op.is_some_and(Operation::is_payment) => Refusal::OutcomeUnknown,
            TransportError::Timeout => Refusal::UpstreamTimeout,
            TransportError::Network(_) => Refusal::UpstreamUnreachable,
            TransportError::Unreadable { .. } => Refusal::UpstreamUnreadable,
        };
        Proxy::with_cors(r.response(), context.origin.as_deref())
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

#[cfg(test)]
mod tests;
