//! The gateway and wallet clients, generic over a [`Transport`]: validation
//! before sending, client-side rate limits, retries of idempotent reads, and
//! exactly-once submission of payments.
//!
//! A `/request` is sent once. When its outcome is unknown (timeout, reset,
//! 5xx, unreadable answer) the client asks `/status` by the request's `ref_id`
//! and returns what really happened; it never resends blindly. Wallet
//! `execute` is reconciled the same way through `histories`.

use crate::prelude::*;

use core::cell::RefCell;
use core::future::Future;

use crate::billpay::{self, Beneficiary, Execute, History, Receipt, Summary};
use crate::error::{ApiError, ErrorKind, Say};
use crate::gateway::{
    self, is_unknown_outcome, payment_differences, Balance, Package, PackagesQuery, StatusQuery,
    Transaction,
};
use crate::http::{BaseUrl, Endpoint, HttpRequest, HttpResponse, Token, UrlError};
use crate::policy::{is_transient, RetryPolicy, Window};
use bdpay_core::billers::BillerType;
use bdpay_core::json::Value;
use bdpay_core::messages::{one_of, Code, FieldError, Rule, Slot, Wording};
use bdpay_core::operators::Service;
use bdpay_core::request::{validate_request, ValidRequest};
use bdpay_core::rules::Rules;
use bdpay_core::settings::{whole_number, whole_number_of};
use bdpay_core::text::{decimal, hex_digit};

/// Why no response arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    Timeout,
    /// Connection refused or reset, DNS, CORS…: the text is the runtime's.
    Network(String),
    /// An answer came but was not read: the request may have been acted on,
    /// so a payment's outcome is unknown.
    Unreadable {
        status: u16,
        why: Unread,
    },
}

/// Why an answer that came was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unread {
    /// A redirect: never followed.
    Redirect,
    /// A body past the transport's size cap (1 MiB).
    TooLarge,
}

impl TransportError {
    pub fn into_api_error(self) -> ApiError {
        match self {
            TransportError::Timeout => ApiError::of_kind(ErrorKind::Timeout, 0),
            // The runtime's words ("Failed to fetch") are for developers, in
            // `messages`; a person reads the sentence.
            TransportError::Network(m) => ApiError {
                messages: vec![m],
                ..ApiError::of_kind(ErrorKind::Network, 0)
            },
            TransportError::Unreadable { status, why } => {
                let say = match why {
                    Unread::Redirect => Say::Redirect,
                    Unread::TooLarge => Say::AnswerTooLarge,
                };
                ApiError::says(ErrorKind::BadResponse, status, say, &[])
            }
        }
    }
}

/// One HTTP call: in wasm, the package's `send` over `fetch`; in tests, a script.
pub trait Transport {
    fn call(
        &self,
        req: HttpRequest,
        timeout_ms: u64,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>>;
}

/// The time: what it is now, and a timer.
pub trait Clock {
    fn now_ms(&self) -> u64;
    fn sleep(&self, ms: u64) -> impl Future<Output = ()>;
}

/// Randomness, for fresh `ref_id`s and the jitter of retries.
pub trait Random {
    fn random_u32(&self) -> u32;
}

/// Client settings, read from the JS options object (`baseUrl`, `token`,
/// `timeoutMs`, `maxRetries`, `allowInsecureHttp`, `rateLimit`, `waitTimeoutMs`,
/// `pollIntervalMs`, `reconcileChecks`, `repeatGuardMs`, `validator`). Number settings are
/// read as the proxy reads its own: a JSON number or a decimal string.
#[derive(Clone, Debug)]
pub struct Config {
    pub endpoint: Endpoint,
    pub timeout_ms: u64,
    pub retry: RetryPolicy,
    /// `None`: no client-side limit (a proxy in front may have its own).
    pub rate_limit: Option<RateLimit>,
    pub wait_timeout_ms: u64,
    pub poll_interval_ms: u64,
    /// Checks of `status` after an unknown outcome before giving up.
    pub reconcile_checks: u32,
    /// How long the same payment under another `ref_id` needs the caller's
    /// `confirm_repeat` (0: never).
    pub repeat_guard_ms: u64,
    pub rules: Rules,
}

/// The gateway's documented limits: 60 reads and 30 `/request`s a minute.
/// `period_ms` is adjustable for a gateway with other windows (and for tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub reads: u32,
    pub requests: u32,
    pub period_ms: u64,
}

impl Default for RateLimit {
    fn default() -> RateLimit {
        RateLimit {
            reads: 60,
            requests: 30,
            period_ms: 60_000,
        }
    }
}

fn config_error(field: &str, why: impl Into<Wording>) -> ApiError {
    ApiError::invalid(vec![FieldError::new(field, why)])
}

/// The longest token accepted.
const MAX_TOKEN_CHARS: u64 = 4096;

impl Config {
    pub fn from_json(v: &Value) -> Result<Config, ApiError> {
        if v.as_object().is_none() {
            return Err(config_error("", Code::NotAnObject));
        }
        let token = match v.get("token") {
            None | Some(Value::Null) => None,
            Some(Value::String(t))
                if !t.is_empty()
                    && t.len() as u64 <= MAX_TOKEN_CHARS
                    && !t.chars().any(char::is_control) =>
            {
                Some(Token::new(t))
            }
            Some(_) => {
                return Err(ApiError::invalid(vec![FieldError::with_args(
                    "token",
                    Rule::Token,
                    &[("max", Slot::Count(MAX_TOKEN_CHARS))],
                )]))
            }
        };
        let allow_insecure = v
            .get("allowInsecureHttp")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let base = match v.get("baseUrl") {
            None | Some(Value::Null) => return Err(config_error("baseUrl", Code::Required)),
            Some(b) => b
                .as_str()
                .ok_or_else(|| config_error("baseUrl", Code::InvalidUrl))?,
        };
        let base = BaseUrl::parse(base, token.is_some(), allow_insecure).map_err(|e| {
            if e == UrlError::InsecureHttp {
                config_error("baseUrl", Rule::InsecureHttp)
            } else {
                config_error("baseUrl", Code::InvalidUrl)
            }
        })?;
        let num = |key: &str, default: u64| -> Result<u64, ApiError> {
            whole_number(v.get(key), key, default).map_err(|e| ApiError::invalid(vec![e]))
        };
        let rate_limit = match v.get("rateLimit") {
            Some(Value::Bool(false)) => None,
            None | Some(Value::Null) | Some(Value::Bool(true)) => Some(RateLimit::default()),
            Some(limits @ Value::Object(_)) => {
                let read = |k: &str, d: u64| match limits.get(k) {
                    None => Some(d),
                    Some(n) => whole_number_of(n).filter(|&n| n > 0),
                };
                match (
                    read("perMinute", 60),
                    read("requestPerMinute", 30),
                    read("periodMs", 60_000),
                ) {
                    (Some(a), Some(b), Some(period_ms)) => Some(RateLimit {
                        reads: a.min(u64::from(u32::MAX)) as u32,
                        requests: b.min(u64::from(u32::MAX)) as u32,
                        period_ms,
                    }),
                    _ => return Err(config_error("rateLimit", Rule::RateLimit)),
                }
            }
            Some(_) => return Err(config_error("rateLimit", Rule::RateLimit)),
        };
        let rules = match v.get("validator") {
            None | Some(Value::Null) => Rules::default(),
            Some(c) => Rules::from_config(c).map_err(ApiError::invalid)?,
        };
        Ok(Config {
            endpoint: Endpoint { base, token },
            timeout_ms: num("timeoutMs", 30_000)?.max(1),
            retry: RetryPolicy {
                max_retries: num("maxRetries", 2)?.min(10) as u32,
                ..RetryPolicy::default()
            },
            rate_limit,
            wait_timeout_ms: num("waitTimeoutMs", 120_000)?,
            poll_interval_ms: num("pollIntervalMs", 1_000)?.max(10),
            reconcile_checks: num("reconcileChecks", 4)?.clamp(1, 20) as u32,
            repeat_guard_ms: num("repeatGuardMs", repeat::DEFAULT_WINDOW_MS)?,
            rules,
        })
    }
}

/// Shared by both clients: limits, retries and the transport.
struct Caller<T> {
    transport: T,
    config: Config,
    /// `(reads, requests)` windows.
    windows: Option<RefCell<(Window, Window)>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Bucket {
    Read,
    Submit,
}

impl<T: Transport + Clock + Random> Caller<T> {
    fn new(transport: T, config: Config) -> Caller<T> {
        let windows = config.rate_limit.map(|l| {
            RefCell::new((
                Window::new(l.reads, l.period_ms),
                Window::new(l.requests, l.period_ms),
            ))
        });
        Caller {
            transport,
            config,
            windows,
        }
    }

    fn with_window<R>(&self, bucket: Bucket, f: impl FnOnce(&mut Window) -> R) -> Option<R> {
        let cell = self.windows.as_ref()?;
        let mut w = cell.try_borrow_mut().ok()?;
        Some(f(if bucket == Bucket::Read {
            &mut w.0
        } else {
            &mut w.1
        }))
    }

    /// Waits until the bucket's window lets a call out, and counts it.
    async fn throttle(&self, bucket: Bucket) {
        loop {
            let now = self.transport.now_ms();
            let wait = self.with_window(bucket, |w| w.wait_ms(now)).unwrap_or(0);
            if wait == 0 {
                self.with_window(bucket, |w| w.record(now));
                return;
            }
            self.transport.sleep(wait).await;
        }
    }

    /// One call through the limiter; a 429 pauses the bucket for `Retry-After`.
    async fn send<R>(
        &self,
        bucket: Bucket,
        req: HttpRequest,
        parse: fn(&HttpResponse) -> Result<R, ApiError>,
    ) -> Result<R, ApiError> {
        self.throttle(bucket).await;
        let resp = self
            .transport
            .call(req, self.config.timeout_ms)
            .await
            .map_err(TransportError::into_api_error)?;
        let out = parse(&resp);
        if let Err(e) = &out {
            if e.kind == ErrorKind::RateLimited {
                let now = self.transport.now_ms();
                let ms = e.retry_after_ms.unwrap_or(1_000);
                self.with_window(bucket, |w| w.pause(now, ms));
            }
        }
        out
    }

    /// An idempotent read, retried with backoff on transient failures.
    async fn read<R>(
        &self,
        req: HttpRequest,
        parse: fn(&HttpResponse) -> Result<R, ApiError>,
    ) -> Result<R, ApiError> {
        let mut attempt = 0;
        loop {
            match self.send(Bucket::Read, req.clone(), parse).await {
                Err(e) if self.config.retry.should_retry(&e, attempt) => {
                    let wait = self.config.retry.backoff_ms(
                        attempt,
                        e.retry_after_ms,
                        self.transport.random_u32(),
                    );
                    self.transport.sleep(wait).await;
                    attempt += 1;
                }
                out => return out,
            }
        }
    }

    /// A fresh reference: `bdp-` + time + 64 random bits, within `ref_id`'s charset.
    fn new_ref_id(&self) -> String {
        fresh_ref_id("bdp-", self.transport.now_ms(), || {
            self.transport.random_u32()
        })
    }
}

/// `prefix` + `now` + `-` + 64 bits of `random` in hex: a `ref_id` no other
/// payment has, within `ref_id`'s charset.
pub fn fresh_ref_id(prefix: &str, now: u64, mut random: impl FnMut() -> u32) -> String {
    let mut id = [prefix, &decimal(now), "-"].concat();
    for _ in 0..2 {
        let r = random();
        for shift in (0..32).step_by(4).rev() {
            id.push(hex_digit(r >> shift));
        }
    }
    id
}

/// The payment intent a call carries (the `intent` field of its arguments),
/// taken out of them: it travels as the `Bdpay-Intent` header, never in a body.
fn take_intent(fields: &mut Vec<(String, Value)>) -> Result<Option<String>, ApiError> {
    let Some(at) = fields.iter().position(|(k, _)| k == "intent") else {
        return Ok(None);
    };
    checked_intent(fields.remove(at).1)
}

/// An intent's text as a client may send it in a header: short, and only
/// the characters of its base64url parts and dots; `null` is none.
fn checked_intent(v: Value) -> Result<Option<String>, ApiError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s)
            if !s.is_empty()
                && s.len() <= 4096
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')) =>
        {
            Ok(Some(s))
        }
        _ => Err(config_error("intent", Rule::Intent)),
    }
}

/// `confirm_repeat` taken out of a payment's fields: `true`, `false` or
/// absent (`null`), anything else refused.
fn take_confirm_repeat(fields: &mut Vec<(String, Value)>) -> Result<bool, ApiError> {
    let Some(at) = fields.iter().position(|(k, _)| k == "confirm_repeat") else {
        return Ok(false);
    };
    match fields.remove(at).1 {
        Value::Null | Value::Bool(false) => Ok(false),
        Value::Bool(true) => Ok(true),
        _ => Err(config_error("confirm_repeat", Code::InvalidValue)),
    }
}

/// `req` with the intent's header, when there is one.
fn with_intent(mut req: HttpRequest, intent: Option<&str>) -> HttpRequest {
    if let Some(i) = intent {
        req.headers
            .push((crate::intent::INTENT_HEADER.to_owned(), i.to_owned()));
    }
    req
}

/// The intent in a query or a transaction (`{ ..., intent }`), if any.
fn intent_of(v: &Value) -> Result<Option<String>, ApiError> {
    v.get("intent")
        .map_or(Ok(None), |i| checked_intent(i.clone()))
}

/// The recharge gateway's client.
pub struct GatewayClient<T> {
    caller: Caller<T>,
    /// The payments sent lately, for the repeat guard.
    recent: repeat::Recent,
}

impl<T: Transport + Clock + Random> GatewayClient<T> {
    pub fn new(transport: T, config: Config) -> GatewayClient<T> {
        GatewayClient {
            caller: Caller::new(transport, config),
            recent: repeat::Recent::default(),
        }
    }

    pub fn config(&self) -> &Config {
        &self.caller.config
    }

    pub fn transport(&self) -> &T {
        &self.caller.transport
    }

    /// A fresh `ref_id`: `bdp-` + time + 64 random bits.
    pub fn new_ref_id(&self) -> String {
        self.caller.new_ref_id()
    }

    fn ep(&self) -> &Endpoint {
        &self.caller.config.endpoint
    }

    pub async fn balance(&self) -> Result<Balance, ApiError> {
        self.caller
            .read(gateway::balance(self.ep()), gateway::parse_balance)
            .await
    }

    pub async fn packages(&self, query: &Value) -> Result<Vec<Package>, ApiError> {
        let q = PackagesQuery::from_json(query, &self.caller.config.rules)?;
        self.caller
            .read(gateway::packages(self.ep(), &q), gateway::parse_packages)
            .await
    }

    /// `{ trx_id }` or `{ ref_id }`, with the payment's `intent` when asked
    /// through a proxy.
    pub async fn status(&self, query: &Value) -> Result<Transaction, ApiError> {
        let q = StatusQuery::from_json(query)?;
        self.status_of(&q, intent_of(query)?.as_deref()).await
    }

    async fn status_of(
        &self,
        q: &StatusQuery,
        intent: Option<&str>,
    ) -> Result<Transaction, ApiError> {
        let t = self
            .caller
            .read(
                with_intent(gateway::status(self.ep(), q), intent),
                gateway::parse_transaction,
            )
            .await?;
        self.recent.seen(&t);
        Ok(t)
    }

    /// Validates and submits a `/request` of type `service` (the `type` field
    /// may be left out of `args`). A `ref_id` is generated when none is given.
    /// `args.intent`, a payment intent from the merchant's server, goes as the
    /// `Bdpay-Intent` header with the payment and every `status` about it.
    /// The same payment sent within `repeatGuardMs` under another `ref_id`
    /// is refused (kind `repeat`) unless `args.confirm_repeat` is `true`.
    pub async fn submit(&self, service: Service, args: &Value) -> Result<Transaction, ApiError> {
        self.pay(Some(service), args).await
    }

    /// Any of the five, by the `type` of `args` or, for `{ intent }` alone,
    /// of the payment the intent signed.
    pub async fn request(&self, args: &Value) -> Result<Transaction, ApiError> {
        self.pay(None, args).await
    }

    /// [`GatewayClient::submit`] of `service`, or [`GatewayClient::request`]
    /// without one: one future for both (the wasm binding's one call).
    pub async fn pay(
        &self,
        service: Option<Service>,
        args: &Value,
    ) -> Result<Transaction, ApiError> {
        let args = self.with_intent_fields(args);
        let service = service
            .or_else(|| {
                args.get("type")
                    .and_then(Value::as_str)
                    .and_then(Service::parse)
            })
            .ok_or_else(|| ApiError::invalid(vec![FieldError::new("type", Code::InvalidType)]))?;
        self.submit_filled(service, args).await
    }

    /// `args` with the fields of the payment its `intent` signed where the
    /// page left them out (a page may pass `{ intent }` alone): the intent
    /// read once, here. Fields the page gives itself stay (the proxy refuses
    /// any that differ from the intent). Unchanged without an intent that
    /// reads as a `/request`'s.
    fn with_intent_fields(&self, args: &Value) -> Value {
        let (Value::Object(fields), Some(text)) =
            (args, args.get("intent").and_then(Value::as_str))
        else {
            return args.clone();
        };
        let Some(intent) = crate::intent::peek(text, &self.caller.config.rules)
            .filter(|i| matches!(i.payment, crate::intent::Payment::Request(_)))
        else {
            return args.clone();
        };
        let Value::Object(signed) = crate::intent::page_body(&intent) else {
            return args.clone();
        };
        let mut out = fields.clone();
        for (k, v) in signed {
            if !fields.iter().any(|(own, _)| *own == k) {
                out.push((k, v));
            }
        }
        Value::Object(out)
    }

    async fn submit_filled(&self, service: Service, args: Value) -> Result<Transaction, ApiError> {
        let mut body = match args {
            Value::Object(fields) => fields,
            _ => return Err(config_error("", Code::NotAnObject)),
        };
        let intent = take_intent(&mut body)?;
        let confirmed = take_confirm_repeat(&mut body)?;
        let intent = intent.as_deref();
        match body
            .iter()
            .find(|(k, _)| k == "type")
            .map(|(_, v)| v.as_str())
        {
            None => body.insert(0, ("type".to_owned(), Value::from(service.as_str()))),
            Some(Some(t)) if t == service.as_str() => {}
            Some(_) => {
                let (en, bn) = one_of(&[service.as_str()]);
                return Err(ApiError::invalid(vec![FieldError::with_args(
                    "type",
                    Code::InvalidType,
                    &[("options", Slot::Text(&en, &bn))],
                )]));
            }
        }
        let mut req = validate_request(&Value::Object(body), &self.caller.config.rules)
            .map_err(ApiError::invalid)?;
        if req.ref_id.is_none() {
            req.ref_id = Some(self.caller.new_ref_id());
        }
        let ref_id = req.ref_id.clone().unwrap_or_default();
        let now = self.caller.transport.now_ms();
        if !confirmed {
            self.recent
                .check(&req, now, self.caller.config.repeat_guard_ms)?;
        }
        let http = with_intent(gateway::submit(self.ep(), &req), intent);

        // A 429 is a refusal before any processing, so waiting and sending the
        // same request (same ref_id) again is safe; nothing else is resent.
        let mut attempt = 0;
        let sent = loop {
            let sent = self
                .caller
                .send(Bucket::Submit, http.clone(), gateway::parse_transaction)
                .await;
            break match sent {
                Ok(t) => Ok(t),
                Err(e)
                    if e.kind == ErrorKind::RateLimited
                        && attempt < self.caller.config.retry.max_retries =>
                {
                    let wait = self.caller.config.retry.backoff_ms(
                        attempt,
                        e.retry_after_ms,
                        self.caller.transport.random_u32(),
                    );
                    self.caller.transport.sleep(wait).await;
                    attempt += 1;
                    continue;
                }
                // Taken already: by this payment (sent before, its answer
                // lost) or by another one.
                Err(e) if e.kind == ErrorKind::Duplicate => {
                    match self
                        .status_of(&StatusQuery::RefId(ref_id.clone()), intent)
                        .await
                    {
                        Ok(t) => ours(t, &req, &ref_id, &e),
                        Err(_) => Err(e),
                    }
                }
                Err(e) if is_unknown_outcome(&e) => self.reconcile(&req, &ref_id, e, intent).await,
                Err(e) => Err(e),
            };
        };
        if let Ok(t) = &sent {
            self.recent.remember(&req, t, now);
        }
        sent
    }

    /// How long until the `/request` limiter lets a payment out (0: now),
    /// without counting one: a caller that must stay able to stop waits for
    /// this itself, a little at a time, before it commits to sending.
    pub fn submit_wait_ms(&self) -> u64 {
        let now = self.caller.transport.now_ms();
        self.caller
            .with_window(Bucket::Submit, |w| w.wait_ms(now))
            .unwrap_or(0)
    }

    /// Sends a checked request (with its `ref_id`) once: no `status` asked
    /// after an unknown outcome, no second attempt after a 429. For a caller
    /// that settles every unknown outcome by `status` itself (a bulk job,
    /// whose state machine does, and can be stopped between the two).
    pub async fn submit_once(
        &self,
        req: &ValidRequest,
        intent: Option<&str>,
    ) -> Result<Transaction, ApiError> {
        if req.ref_id.is_none() {
            return Err(config_error("ref_id", Code::Required));
        }
        let intent = match intent {
            Some(i) => checked_intent(Value::from(i))?,
            None => None,
        };
        let http = with_intent(gateway::submit(self.ep(), req), intent.as_deref());
        self.caller
            .send(Bucket::Submit, http, gateway::parse_transaction)
            .await
    }

    /// After an unknown outcome: what does the gateway hold under `ref_id`?
    /// This payment, or another one that took the `ref_id` first.
    async fn reconcile(
        &self,
        req: &ValidRequest,
        ref_id: &str,
        original: ApiError,
        intent: Option<&str>,
    ) -> Result<Transaction, ApiError> {
        let query = StatusQuery::RefId(ref_id.to_owned());
        let mut not_found = false;
        for check in 0..self.caller.config.reconcile_checks {
            if check > 0 {
                let wait = self.caller.config.retry.backoff_ms(
                    check - 1,
                    None,
                    self.caller.transport.random_u32(),
                );
                self.caller.transport.sleep(wait).await;
            }
            match self.status_of(&query, intent).await {
                Ok(t) => return ours(t, req, ref_id, &original),
                Err(e) => not_found = e.kind == ErrorKind::NotFound,
            }
        }
        if not_found {
            return Err(ApiError {
                not_committed: true,
                ..original
            });
        }
        Err(original.outcome_unknown())
    }

    /// Polls `status` until the transaction is `Success` or `Failed`, or
    /// `waitTimeoutMs` passes (then a `timeout` error). A read that fails
    /// for a while (a rate limit, a dropped connection, a 5xx) does not end
    /// the wait: the next poll comes after its `Retry-After`, or the usual
    /// interval, while time is left.
    pub async fn wait_for_final(&self, trx: &Value) -> Result<Transaction, ApiError> {
        let query = match trx.get("trx_id").filter(|v| !v.is_null()) {
            Some(id) => {
                StatusQuery::from_json(&bdpay_core::json::object([("trx_id", id.clone())]))?
            }
            None => StatusQuery::from_json(trx)?,
        };
        let intent = intent_of(trx)?;
        let t = &self.caller.transport;
        let deadline = t
            .now_ms()
            .saturating_add(self.caller.config.wait_timeout_ms);
        let mut interval = self.caller.config.poll_interval_ms;
        loop {
            let (wait, last) = match self.status_of(&query, intent.as_deref()).await {
                Ok(current) if current.is_final() => return Ok(current),
                Ok(current) => (interval, Ok(current.trx_status)),
                Err(e) if is_transient(&e) => (e.retry_after_ms.unwrap_or(0).max(interval), Err(e)),
                Err(e) => return Err(e),
            };
            let now = t.now_ms();
            if now >= deadline {
                return Err(match last {
                    Ok(trx_status) => {
                        let mut e = ApiError::says(ErrorKind::Timeout, 0, Say::Pending, &[]);
                        e.messages.push(trx_status);
                        e
                    }
                    Err(e) => e,
                });
            }
            t.sleep(wait.min(deadline - now)).await;
            interval = interval.saturating_mul(3).div_ceil(2).min(15_000);
        }
    }
}

/// `t`, found under `ref_id`, if it is the payment `req` describes; else a
/// `ref_id_conflict` error naming the fields that differ (never their values:
/// they are another order's). `original` is why the client had to ask.
fn ours(
    t: Transaction,
    req: &ValidRequest,
    ref_id: &str,
    original: &ApiError,
) -> Result<Transaction, ApiError> {
    let differ = payment_differences(&t, req);
    if differ.is_empty() {
        return Ok(t);
    }
    Err(ApiError {
        messages: original.messages.clone(),
        ..ref_id_conflict(ref_id, &differ, original.status)
    })
}

/// The `ref_id_conflict` error: the gateway holds another payment under
/// `ref_id`, differing in the fields `differ` names.
pub(crate) fn ref_id_conflict(ref_id: &str, differ: &[&str], status: u16) -> ApiError {
    let (en, bn) = bdpay_core::messages::field_list(&differ.join(", "));
    ApiError::says(
        ErrorKind::RefIdConflict,
        status,
        Say::RefIdConflict,
        &[
            ("ref_id", Slot::Code(ref_id)),
            ("fields", Slot::Text(&en, &bn)),
        ],
    )
}

/// The wallet's utility-bill client.
pub struct BillPayClient<T> {
    caller: Caller<T>,
    /// Recent summaries, for receipts rebuilt from `histories` and to check
    /// that a history record is the bill that was priced.
    priced: RefCell<Vec<Priced>>,
}

/// What a summary said a request id costs.
struct Priced {
    request_id: String,
    amount: bdpay_core::money::Amount,
    total: billpay::Money,
}

/// Summaries remembered.
const REMEMBERED_SUMMARIES: usize = 32;

/// Why `paid` gives no receipt.
enum NotPaid {
    /// Not seen paid; `not_found` when last seen unpaid.
    Unconfirmed { not_found: bool },
    /// `histories` holds a payment under the request id that is not the
    /// bill its summary priced.
    Conflict(ApiError),
}

impl<T: Transport + Clock + Random> BillPayClient<T> {
    pub fn new(transport: T, mut config: Config) -> BillPayClient<T> {
        // The wallet documents no rate limit.
        config.rate_limit = None;
        BillPayClient {
            caller: Caller::new(transport, config),
            priced: RefCell::new(Vec::new()),
        }
    }

    fn ep(&self) -> &Endpoint {
        &self.caller.config.endpoint
    }

    pub async fn billers(&self) -> Result<Vec<BillerType>, ApiError> {
        self.caller
            .read(billpay::billers(self.ep()), billpay::parse_billers_response)
            .await
    }

    /// Checks `values` against `biller`'s schema, then asks for the summary.
    pub async fn summary(&self, biller: &Value, values: &Value) -> Result<Summary, ApiError> {
        let biller = bdpay_core::billers::parse_biller(biller)
            .map_err(|_| ApiError::invalid(vec![FieldError::new("biller", Code::NotAnObject)]))?;
        let params = bdpay_core::billers::validate_biller_form(
            &biller,
            values,
            &self.caller.config.rules.registry,
        )
        .map_err(ApiError::invalid)?;
        let summary = self
            .caller
            .read(billpay::summary(self.ep(), &params), billpay::parse_summary)
            .await?;
        if let Ok(mut priced) = self.priced.try_borrow_mut() {
            if priced.len() >= REMEMBERED_SUMMARIES {
                priced.remove(0);
            }
            priced.push(Priced {
                request_id: summary.request_id.clone(),
                amount: summary.amount.amount,
                total: summary.total_payable.clone(),
            });
        }
        Ok(summary)
    }

    /// Pays a summarised bill once. After an unknown outcome the client asks
    /// `histories` for the request id instead of paying again.
    /// `{ request_id, pin }`; or `{ request_id, intent }` through a proxy that
    /// holds the PIN, with an execute intent from the merchant's server.
    pub async fn execute(&self, args: &Value) -> Result<Receipt, ApiError> {
        let (exec, req) = match intent_of(args)? {
            Some(intent) => {
                let request_id = billpay::request_id(args.get("request_id"))
                    .map_err(|e| ApiError::invalid(vec![e]))?;
                let req = billpay::execute_by_intent(self.ep(), &request_id);
                (
                    Execute {
                        request_id,
                        pin: String::new(),
                    },
                    with_intent(req, Some(&intent)),
                )
            }
            None => {
                let exec = Execute::from_json(args)?;
                let req = billpay::execute(self.ep(), &exec);
                (exec, req)
            }
        };
        let sent = self
            .caller
            .send(Bucket::Submit, req, billpay::parse_execute)
            .await;
        let checks = self.caller.config.reconcile_checks;
        match sent {
            Err(e) if is_unknown_outcome(&e) => match self.paid(&exec.request_id, checks).await {
                Ok(receipt) => Ok(receipt),
                Err(NotPaid::Conflict(c)) => Err(c),
                Err(NotPaid::Unconfirmed { not_found: true }) => Err(ApiError {
                    not_committed: true,
                    ..e
                }),
                Err(NotPaid::Unconfirmed { not_found: false }) => Err(e.outcome_unknown()),
            },
            // "The selected request id is invalid." also answers a request id
            // that was just paid: a browser resends a POST by itself when a
            // reused connection drops before the answer. So ask once; when
            // the history cannot be read either, that sentence may mean paid.
            Err(e) if e.kind == ErrorKind::Validation && e.title.is_none() => {
                match self.paid(&exec.request_id, 1).await {
                    Ok(receipt) => Ok(receipt),
                    Err(NotPaid::Conflict(c)) => Err(c),
                    Err(NotPaid::Unconfirmed { not_found: false })
                        if e.code == Say::RequestIdInvalid.row().0 =>
                    {
                        Err(e.outcome_unknown())
                    }
                    Err(NotPaid::Unconfirmed { .. }) => Err(e),
                }
            }
            other => other,
        }
    }

    /// The receipt of a request id the wallet has paid, from `histories`,
    /// asked up to `checks` times.
    ///
    /// The wallet hands out request ids itself (one per summary), so another
    /// order cannot have taken one as a merchant's `ref_id` can be taken;
    /// still, when this client priced the request id, the record must show
    /// that bill: its amount is the summary's amount or its total (the
    /// reference's sample gives the bill amount, without the charge). With no
    /// summary seen there is nothing to compare.
    async fn paid(&self, request_id: &str, checks: u32) -> Result<Receipt, NotPaid> {
        let mut not_found = false;
        for check in 0..checks {
            if check > 0 {
                let t = &self.caller.transport;
                t.sleep(
                    self.caller
                        .config
                        .retry
                        .backoff_ms(check - 1, None, t.random_u32()),
                )
                .await;
            }
            match self.histories(request_id).await {
                Ok(h) => {
                    let priced = self.priced.try_borrow().ok().and_then(|p| {
                        p.iter()
                            .find(|p| p.request_id == request_id)
                            .map(|p| (p.amount, p.total.clone()))
                    });
                    if let Some((amount, total)) = &priced {
                        if h.amount.amount != *amount && h.amount.amount != total.amount {
                            return Err(NotPaid::Conflict(ApiError::says(
                                ErrorKind::RefIdConflict,
                                0,
                                Say::RequestIdConflict,
                                &[("request_id", Slot::Code(request_id))],
                            )));
                        }
                    }
                    let total = priced.map(|(_, total)| total);
                    return Ok(Receipt {
                        biller: billpay::BillerRef {
                            title: h.title.clone(),
                            logo: h.logo.clone(),
                        },
                        total_payable: total,
                        history: Some(h),
                    });
                }
                Err(h) => not_found = matches!(h.kind, ErrorKind::NotFound | ErrorKind::Validation),
            }
        }
        Err(NotPaid::Unconfirmed { not_found })
    }

    pub async fn histories(&self, request_id: &str) -> Result<History, ApiError> {
        let id = billpay::request_id(Some(&Value::from(request_id)))
            .map_err(|e| ApiError::invalid(vec![e]))?;
        self.caller
            .read(billpay::histories(self.ep(), &id), billpay::parse_history)
            .await
    }

    pub async fn beneficiaries(&self) -> Result<Vec<Beneficiary>, ApiError> {
        self.caller
            .read(
                billpay::beneficiaries(self.ep()),
                billpay::parse_beneficiaries,
            )
            .await
    }
}

mod repeat;

#[cfg(test)]
mod tests;
