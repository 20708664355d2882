//! The proxy's settings, read from the Worker's environment or from
//! `createProxy(config)`. A bad setting is refused by name, never by value:
//! no error here may hold the token, the PIN or an intent key.

use bdpay_api::error::ApiError;
use bdpay_api::http::{BaseUrl, Endpoint, Token, UrlError};
use bdpay_api::intent::IntentKey;
use bdpay_core::json::Value;
use bdpay_core::messages::{Code, FieldError, Rule, Slot, Wording};
use bdpay_core::money::Amount;
use bdpay_core::rules::Rules;
use bdpay_core::settings::whole_number;

use super::routes::Operation;

/// The wallet PIN the proxy adds to `execute`; its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

impl Pin {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(***)")
    }
}

#[derive(Clone, Debug)]
pub struct ProxyConfig {
    pub gateway: Endpoint,
    /// Its token is `None` until `walletToken` is set: one provider's token
    /// never goes to the other.
    pub wallet: Endpoint,
    /// Exact origins (`https://shop.example`) whose pages may read answers.
    pub allowed_origins: Vec<String>,
    pub operations: Vec<Operation>,
    pub max_body_bytes: usize,
    /// Calls per client per minute: `(reads, payments)`.
    pub client_limit: (u32, u32),
    /// The largest amount one payment may carry through this proxy.
    pub max_amount: Amount,
    pub rules: Rules,
    /// How long to wait for the upstream before answering 504: 1 ms to
    /// [`MAX_UPSTREAM_TIMEOUT_MS`].
    pub upstream_timeout_ms: u64,
    /// The merchant's keys, current first; intents signed with either pass.
    pub intent_keys: Vec<IntentKey>,
    /// Whether the Worker has an `authorize(request, payment)` hook.
    pub authorize_hook: bool,
    pub wallet_pin: Option<Pin>,
    /// Spending ceilings over all payments: `(per hour, per day)`.
    pub budget: (Option<Amount>, Option<Amount>),
}

/// The longest upstream timeout: a setting past it is held there (ten
/// minutes; a JavaScript timer overflows past 2^31 - 1 ms and would fire at
/// once, which the Worker need not guard against when this holds).
pub const MAX_UPSTREAM_TIMEOUT_MS: u64 = 600_000;

fn config_error(field: &str, rule: Rule) -> ApiError {
    ApiError::invalid(vec![FieldError::new(field, rule)])
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
                    .ok_or_else(|| config_error(field, Rule::List))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(config_error(field, Rule::List)),
    }
}

/// A whole-number setting, read as the clients read theirs.
fn whole(v: Option<&Value>, field: &str, default: u64) -> Result<u64, ApiError> {
    whole_number(v, field, default).map_err(|e| ApiError::invalid(vec![e]))
}

/// A positive amount setting (a number or decimal text), or `None` when unset.
fn amount(v: Option<&Value>, field: &str) -> Result<Option<Amount>, ApiError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(a) => bdpay_core::request::amount_of(a)
            .ok()
            .filter(|a| a.is_positive())
            .map(Some)
            .ok_or_else(|| config_error(field, Rule::PositiveAmount)),
    }
}

/// A secret setting: absent when unset or empty.
fn secret<'a>(v: &'a Value, field: &str) -> Result<Option<&'a str>, ApiError> {
    match v.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) if !s.chars().any(char::is_control) => Ok(Some(s)),
        Some(_) => Err(config_error(field, Rule::OneLine)),
    }
}

impl ProxyConfig {
    /// Reads `{ upstreamUrl, walletUrl?, token, walletToken?, allowedOrigins,
    /// operations?, maxBodyBytes?, clientReadsPerMinute?,
    /// clientPaymentsPerMinute?, maxAmount?, upstreamTimeoutMs?, validator?,
    /// allowInsecureHttp?, intentKey?, intentKeyPrevious?, walletPin?,
    /// budgetPerHour?, budgetPerDay?, authorizeHook? }`.
    pub fn from_json(v: &Value) -> Result<ProxyConfig, ApiError> {
        if v.as_object().is_none() {
            return Err(ApiError::invalid(vec![FieldError::new(
                "",
                Code::NotAnObject,
            )]));
        }
        let token = secret(v, "token")?
            .map(Token::new)
            .ok_or_else(|| ApiError::invalid(vec![FieldError::new("token", Code::Required)]))?;
        let wallet_token = secret(v, "walletToken")?.map(Token::new);
        let insecure = v
            .get("allowInsecureHttp")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let url = |key: &str| -> Result<Option<BaseUrl>, ApiError> {
            let refused = |why: Wording| ApiError::invalid(vec![FieldError::new(key, why)]);
            match v.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(u)) => {
                    BaseUrl::parse(u, true, insecure).map(Some).map_err(|e| {
                        refused(if e == UrlError::InsecureHttp {
                            Rule::InsecureHttp.into()
                        } else {
                            Code::InvalidUrl.into()
                        })
                    })
                }
                Some(_) => Err(refused(Code::InvalidUrl.into())),
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
            return Err(config_error("allowedOrigins", Rule::Origins));
        }
        let operations = match string_list(v.get("operations"), "operations")? {
            None => Operation::defaults(),
            Some(names) => names
                .iter()
                .map(|n| {
                    Operation::parse(n).ok_or_else(|| {
                        let names: Vec<&str> = Operation::all().map(Operation::as_str).collect();
                        let names = names.join(", ");
                        ApiError::invalid(vec![FieldError::with_args(
                            "operations",
                            Rule::Operations,
                            &[("options", Slot::Code(&names))],
                        )])
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        let max_amount =
            amount(v.get("maxAmount"), "maxAmount")?.unwrap_or(Amount::from_taka(5_000));
        let rules = match v.get("validator") {
            None | Some(Value::Null) => Rules::default(),
            Some(c) => Rules::from_config(c).map_err(ApiError::invalid)?,
        };
        let mut intent_keys = Vec::new();
        for field in ["intentKey", "intentKeyPrevious"] {
            if let Some(s) = secret(v, field)? {
                intent_keys.push(IntentKey::new(s).map_err(|e| {
                    ApiError::invalid(vec![FieldError::with_args(
                        field,
                        e.code,
                        &[(
                            "min",
                            Slot::Count(bdpay_api::intent::MIN_SECRET_BYTES as u64),
                        )],
                    )])
                })?);
            }
        }
        let wallet_pin = match secret(v, "walletPin")?.map(str::trim) {
            None => None,
            Some(p) if (4..=6).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) => {
                Some(Pin(p.to_owned()))
            }
            Some(_) => return Err(config_error("walletPin", Rule::Pin)),
        };
        let per_minute =
            |key: &str, d: u64| whole(v.get(key), key, d).map(|n| n.clamp(1, 100_000) as u32);
        Ok(ProxyConfig {
            gateway: Endpoint {
                base: gateway,
                token: Some(token),
            },
            wallet: Endpoint {
                base: wallet,
                token: wallet_token,
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
                .clamp(1, MAX_UPSTREAM_TIMEOUT_MS),
            intent_keys,
            authorize_hook: v
                .get("authorizeHook")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            wallet_pin,
            budget: (
                amount(v.get("budgetPerHour"), "budgetPerHour")?,
                amount(v.get("budgetPerDay"), "budgetPerDay")?,
            ),
        })
    }

    /// Whether payments can be authorized at all.
    pub fn authorizes_payments(&self) -> bool {
        !self.intent_keys.is_empty() || self.authorize_hook
    }

    /// Every secret the proxy holds, for scrubbing answers and logs.
    pub fn tokens(&self) -> impl Iterator<Item = &Token> {
        self.gateway.token.iter().chain(self.wallet.token.iter())
    }
}
