//! Who may spend the merchant's money through the proxy: a payment passes
//! only with an intent signed by the merchant's server, or when the Worker's
//! `authorize` hook says yes. `Origin` plays no part here.
//!
//! What is not configured is refused. A payment must equal its intent field
//! by field after the validators' normalisation: nothing added, nothing changed.

use bdpay_api::intent::{self, Intent, IntentError, Payment};
use bdpay_core::json::Value;
use bdpay_core::request::ValidRequest;

use super::config::ProxyConfig;
use super::refusal::Refusal;
use super::routes::Operation;

/// How a call that needs authorization got it.
#[derive(Clone, Debug)]
pub enum Grant {
    Intent(Intent),
    /// The Worker asks its `authorize` hook before anything goes upstream.
    Hook,
}

/// A refusal, with the fields that differ for `IntentMismatch`.
pub type Refused = (Refusal, String);

fn refused(r: Refusal) -> Refused {
    (r, String::new())
}

fn intent_refusal(e: IntentError) -> Refused {
    refused(match e {
        IntentError::Malformed => Refusal::IntentMalformed,
        IntentError::UnknownKey => Refusal::IntentUnknownKey,
        IntentError::BadSignature => Refusal::IntentBadSignature,
        IntentError::Expired => Refusal::IntentExpired,
        IntentError::TooLong => Refusal::IntentTooLong,
    })
}

/// Whether `op` needs the merchant's authorization: payments, and `status`
/// (a page may read only the payments it holds an intent for).
pub fn needed(op: Operation) -> bool {
    matches!(
        op,
        Operation::Request | Operation::Execute | Operation::Status
    )
}

/// The grant for a call of `op` carrying `intent` (the `Bdpay-Intent`
/// header), at `now_ms`. The intent is checked here (key, signature,
/// expiry, operation); its fields are compared by the `bind_*` functions.
pub fn grant(
    config: &ProxyConfig,
    op: Operation,
    intent: Option<&str>,
    now_ms: u64,
) -> Result<Grant, Refused> {
    let Some(text) = intent else {
        return if config.authorize_hook {
            Ok(Grant::Hook)
        } else if config.intent_keys.is_empty() {
            Err(refused(Refusal::AuthorizationNotConfigured))
        } else {
            Err(refused(Refusal::IntentRequired))
        };
    };
    if config.intent_keys.is_empty() {
        return Err(refused(if config.authorize_hook {
            Refusal::IntentUnknownKey
        } else {
            Refusal::AuthorizationNotConfigured
        }));
    }
    let now_s = now_ms / 1000;
    let verified = if op == Operation::Status {
        intent::verify_for_status(text, &config.intent_keys, now_s, &config.rules)
    } else {
        intent::verify(text, &config.intent_keys, now_s, &config.rules)
    }
    .map_err(intent_refusal)?;
    let fits = matches!(
        (&verified.payment, op),
        (Payment::Request(_), Operation::Request | Operation::Status)
            | (Payment::Execute { .. }, Operation::Execute)
    );
    if !fits {
        return Err(refused(Refusal::IntentOtherOperation));
    }
    Ok(Grant::Intent(verified))
}

/// The request to send for a `/request` under an intent: the page's,
/// normalised, which must equal the signed one; a missing `ref_id` is the
/// intent's.
pub fn bind_request(intent: &Intent, mut req: ValidRequest) -> Result<ValidRequest, Refused> {
    let Payment::Request(signed) = &intent.payment else {
        return Err(refused(Refusal::IntentOtherOperation));
    };
    if req.ref_id.is_none() {
        req.ref_id.clone_from(&signed.ref_id);
    }
    let differ: Vec<&str> = [
        ("type", req.service == signed.service),
        ("operator_code", req.operator_code == signed.operator_code),
        ("phone", req.phone == signed.phone),
        ("amount", req.amount == signed.amount),
        ("sub_type", req.sub_type == signed.sub_type),
        ("package_id", req.package_id == signed.package_id),
        ("bill_number", req.bill_number == signed.bill_number),
        ("month", req.month == signed.month),
        ("ref_id", req.ref_id == signed.ref_id),
    ]
    .into_iter()
    .filter(|(_, same)| !same)
    .map(|(name, _)| name)
    .collect();
    if differ.is_empty() {
        Ok(req)
    } else {
        Err((Refusal::IntentMismatch, differ.join(", ")))
    }
}

/// The `request_id` of an `execute` under an intent: the body may hold only
/// `request_id`, equal to the signed one. A page never sends the PIN.
pub fn bind_execute(intent: &Intent, body: &Value) -> Result<String, Refused> {
    let Payment::Execute { request_id, .. } = &intent.payment else {
        return Err(refused(Refusal::IntentOtherOperation));
    };
    let fields = body.as_object().unwrap_or_default();
    if fields.iter().any(|(k, _)| k == "pin") {
        return Err(refused(Refusal::PinNotAllowed));
    }
    let extra: Vec<&str> = fields
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| *k != "request_id")
        .collect();
    if !extra.is_empty() {
        return Err((Refusal::IntentMismatch, extra.join(", ")));
    }
    // A `request_id` that is no string (`5`, `{}`) is not the signed one either.
    match body.get("request_id") {
        None | Some(Value::Null) => Ok(request_id.clone()),
        Some(Value::String(id)) if id.trim() == request_id => Ok(request_id.clone()),
        Some(_) => Err((Refusal::IntentMismatch, "request_id".to_owned())),
    }
}

/// What `status` may ask under an intent: its own `ref_id` only. Asked by
/// `trx_id`, the proxy asks by the intent's `ref_id` and passes the answer
/// only when its `trx_id` is the one asked for: `(ref_id, expected trx_id)`.
pub fn bind_status(intent: &Intent, body: &Value) -> Result<(String, Option<String>), Refused> {
    let own = intent.ref_id().to_owned();
    let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::trim);
    match (text("ref_id"), text("trx_id")) {
        (Some(r), _) if r != own => Err((Refusal::IntentMismatch, "ref_id".to_owned())),
        (_, Some(t)) if !t.is_empty() => Ok((own, Some(t.to_owned()))),
        _ => Ok((own, None)),
    }
}
