//! The wallet's bill-pay API (`/api/v1/private/wallet/…`): billers, summary,
//! execute, histories and beneficiaries.
//!
//! A summary's parameters are checked with the library's own
//! `validate_biller_form` against the seeded biller. Bill lookups are
//! deterministic: an account number starting with `404` is not found, a
//! seeded bill has its seeded amount, any other gets an amount derived
//! from its account number.

use bdpay_core::billers::{validate_biller_form, Biller, FieldType};
use bdpay_core::json::{object, Value};
use bdpay_core::money::Amount;

use crate::clock;
use crate::ids::Token;
use crate::reply::{taka, wallet_error, wallet_ok, Reply, Title};
use crate::seed::Catalog;
use crate::state::{Account, Now, Payment, Summary, World};

/// An account number starting with this is "Bill not found."
pub const MISSING_BILL_PREFIX: &str = "404";
pub const INVALID_REQUEST_ID: &str = "The selected request id is invalid.";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Billers,
    Summary,
    Execute,
    Histories,
    Beneficiaries,
}

/// What a call brought: the query pairs (summary) or the parsed body
/// (`Err` when the body was not JSON).
pub struct Input<'a> {
    pub query: &'a [(String, String)],
    pub body: Result<&'a Value, ()>,
}

pub fn handle(
    endpoint: Endpoint,
    catalog: &Catalog,
    world: &mut World,
    token: Option<&str>,
    input: Input<'_>,
    now: Now,
) -> Reply {
    let World {
        accounts,
        ids,
        next_trx,
        ..
    } = world;
    let Some(acc) = token.and_then(|t| accounts.get_mut(&Token::new(t))) else {
        return wallet_error(401, &["Unauthenticated."], Title::Absent);
    };
    if !acc.active {
        return wallet_error(403, &["Your account is not active."], Title::Absent);
    }
    let body = match (endpoint, input.body) {
        (Endpoint::Execute | Endpoint::Histories, Err(())) => {
            return wallet_error(
                422,
                &["The request body must be a JSON object."],
                Title::Null,
            )
        }
        (_, Ok(b)) => b,
        (_, Err(())) => &Value::Null,
    };
    match endpoint {
        Endpoint::Billers => billers(catalog),
        Endpoint::Summary => summary(catalog, acc, input.query, || ids.uuid()),
        Endpoint::Execute => execute(acc, body, ids.uuid(), next_trx, now),
        Endpoint::Histories => histories(acc, body),
        Endpoint::Beneficiaries => beneficiaries(acc),
    }
}

fn billers(catalog: &Catalog) -> Reply {
    let types = catalog.biller_types.iter().map(|t| t.to_json()).collect();
    wallet_ok(&["Biller List"], object([("types", Value::Array(types))]))
}

/// The param that names the bill: the first editable free-text one.
fn bill_param(biller: &Biller) -> Option<&str> {
    biller
        .params
        .iter()
        .find(|p| {
            p.is_editable() && matches!(p.field_type, FieldType::Alphanumeric | FieldType::Other(_))
        })
        .or_else(|| biller.params.first())
        .map(|p| p.key.as_str())
}

/// A stable amount between ৳100.00 and ৳4,999.99 for an account number (FNV-1a).
pub fn derived_amount(account: &str) -> Amount {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in account.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    Amount::from_paisa(10_000 + i64::try_from(h % 490_000).unwrap_or(0))
}

fn summary(
    catalog: &Catalog,
    acc: &mut Account,
    query: &[(String, String)],
    new_id: impl FnOnce() -> String,
) -> Reply {
    let invalid = |messages: &[&str]| wallet_error(422, messages, Title::Absent);
    let Some(biller_id) = query
        .iter()
        .find(|(k, _)| k == "biller_id")
        .map(|(_, v)| v.trim())
    else {
        return invalid(&["The biller id field is required."]);
    };
    let Some((biller, kind)) = catalog.biller(biller_id).filter(|(_, t)| t.is_active) else {
        return invalid(&["The selected biller id is invalid."]);
    };

    // Query pairs split into the person's values (checked by the core) and
    // hidden fields, which must come back unchanged.
    let mut problems: Vec<String> = Vec::new();
    let mut values: Vec<(String, Value)> = Vec::new();
    for (k, v) in query {
        let is_param = biller.params.iter().any(|p| &p.key == k);
        let hidden = biller.hidden_fields.iter().find(|(hk, _)| hk == k);
        if is_param {
            if !values.iter().any(|(seen, _)| seen == k) {
                values.push((k.clone(), Value::from(v.as_str())));
            }
        } else if let Some((_, want)) = hidden {
            if v != want {
                problems.push(format!("The selected {} is invalid.", k.replace('_', " ")));
            }
        } else {
            values.push((k.clone(), Value::from(v.as_str())));
        }
    }
    for (hk, _) in &biller.hidden_fields {
        if !query.iter().any(|(k, _)| k == hk) {
            problems.push(format!("The {} field is required.", hk.replace('_', " ")));
        }
    }
    let sent = match validate_biller_form(biller, &Value::Object(values), &catalog.rules.registry) {
        Ok(sent) => Some(sent),
        Err(errors) => {
            problems.extend(errors.into_iter().map(|e| e.message));
            None
        }
    };
    let Some(sent) = sent.filter(|_| problems.is_empty()) else {
        let messages: Vec<&str> = problems.iter().map(String::as_str).collect();
        return invalid(&messages);
    };

    let account_no = bill_param(biller)
        .and_then(|key| sent.iter().find(|(k, _)| k == key))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    if account_no.starts_with(MISSING_BILL_PREFIX) {
        return invalid(&["Bill not found."]);
    }
    let amount = catalog
        .bills
        .iter()
        .find(|b| b.biller_id == biller.biller_id && b.account == account_no)
        .map_or_else(|| derived_amount(&account_no), |b| b.amount);
    let charge = catalog.charge;
    let total = Amount::from_paisa(amount.paisa() + charge.paisa());
    let has_beneficiary = acc
        .beneficiaries
        .iter()
        .any(|b| b.bllr_id == biller.biller_id && b.display_ac_no == account_no);
    let s = Summary {
        request_id: new_id(),
        biller_id: biller.biller_id.clone(),
        title: format!("{} Bill Payment", kind.title),
        logo: biller.logo.clone(),
        account_no,
        amount,
        charge,
        payment: None,
    };
    let reply = wallet_ok(
        &[],
        object([(
            "summary",
            object([
                ("request_id", s.request_id.as_str().into()),
                (
                    "biller",
                    object([
                        ("title", s.title.as_str().into()),
                        ("logo", s.logo.as_str().into()),
                    ]),
                ),
                ("amount", taka(amount).into()),
                ("charge", ["+ ", &taka(charge)].concat().into()),
                // The reference shows a dollar sign on a Taka total; so does the sandbox.
                ("total_payable", taka(total).replacen('৳', "$", 1).into()),
                ("has_beneficiary", has_beneficiary.into()),
            ]),
        )]),
    );
    acc.summaries.push(s);
    reply
}

/// A string field, or `None` when absent or blank.
fn text_field<'a>(body: &'a Value, key: &str) -> Option<&'a str> {
    body.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn execute(acc: &mut Account, body: &Value, trx_id: String, seq: &mut u64, now: Now) -> Reply {
    let invalid = |m: &str, title: Title| wallet_error(422, &[m], title);
    let Some(request_id) = text_field(body, "request_id") else {
        return invalid("The request id field is required.", Title::Null);
    };
    // The reference types the PIN as a number; a string keeps a leading zero.
    let pin = match body.get("pin") {
        Some(Value::Number(n)) => n.as_str(),
        Some(Value::String(s)) if !s.is_empty() => s.as_str(),
        None | Some(Value::Null) | Some(Value::String(_)) => {
            return invalid("The pin field is required.", Title::Null)
        }
        Some(_) => return invalid("The pin must be a number.", Title::Null),
    };
    let Some(index) = acc
        .summaries
        .iter()
        .position(|s| s.request_id == request_id && s.payment.is_none())
    else {
        return invalid(INVALID_REQUEST_ID, Title::Null);
    };
    if pin != acc.pin {
        return invalid("Sorry! PIN does not match.", Title::Code("E_PIN_ERROR"));
    }
    let Some(s) = acc.summaries.get(index).cloned() else {
        return invalid(INVALID_REQUEST_ID, Title::Null);
    };
    let total = Amount::from_paisa(s.amount.paisa() + s.charge.paisa());
    if acc.balances.wallet < total {
        return invalid("Insufficient balance.", Title::Null);
    }
    acc.balances.wallet = Amount::from_paisa(acc.balances.wallet.paisa() - total.paisa());
    acc.payments.push(Payment {
        seq: *seq,
        order_id: s.request_id.clone(),
        trx_id,
        biller_id: s.biller_id.clone(),
        title: s.title.clone(),
        logo: s.logo.clone(),
        account_no: s.account_no.clone(),
        amount: s.amount,
        charge: s.charge,
        created_at: clock::wallet_time(now.unix),
    });
    *seq += 1;
    let paid = acc.payments.len() - 1;
    if let Some(slot) = acc.summaries.get_mut(index) {
        slot.payment = Some(paid);
    }
    // The reference's sample answer: `summary` at the top level, no envelope.
    Reply::ok(object([(
        "summary",
        object([
            (
                "biller",
                object([
                    ("title", s.title.as_str().into()),
                    ("logo", s.logo.as_str().into()),
                ]),
            ),
            ("total_payable", taka(total).into()),
        ]),
    )]))
}

fn histories(acc: &Account, body: &Value) -> Reply {
    let Some(request_id) = text_field(body, "request_id") else {
        return wallet_error(422, &["The request id field is required."], Title::Null);
    };
    let Some(s) = acc.summaries.iter().find(|s| s.request_id == request_id) else {
        return wallet_error(422, &[INVALID_REQUEST_ID], Title::Null);
    };
    let Some(p) = s.payment.and_then(|i| acc.payments.get(i)) else {
        // Looked up but never paid: the reference's 404.
        return wallet_error(
            404,
            &["Sorry! Something went wrong. Please try again later."],
            Title::Absent,
        );
    };
    wallet_ok(
        &["Your Money Request has been accepted."],
        object([
            ("order_id", p.order_id.as_str().into()),
            ("title", p.title.as_str().into()),
            ("logo", p.logo.as_str().into()),
            ("amount", taka(p.amount).into()),
            ("trx_id", p.trx_id.as_str().into()),
            ("created_at", p.created_at.as_str().into()),
            (
                "details",
                object([
                    (
                        "bill_information",
                        format!("{} for account {}", p.title, p.account_no).into(),
                    ),
                    (
                        "payment_information",
                        format!("Paid from wallet balance, charge {}", taka(p.charge)).into(),
                    ),
                    ("payment_received", taka(p.amount).into()),
                ]),
            ),
        ]),
    )
}

fn beneficiaries(acc: &Account) -> Reply {
    let list = acc
        .beneficiaries
        .iter()
        .map(|b| {
            object([
                ("user_id", acc.user_id.into()),
                ("biller_logo", b.biller_logo.as_str().into()),
                ("display_title", b.display_title.as_str().into()),
                ("display_ac_no", b.display_ac_no.as_str().into()),
                ("bllr_id", b.bllr_id.as_str().into()),
                ("srvc_id", b.srvc_id.as_str().into()),
                ("inpt_pref", b.inpt_pref.as_str().into()),
            ])
        })
        .collect();
    wallet_ok(&[], object([("beneficiaries", Value::Array(list))]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_amounts_are_stable_and_in_range() {
        for acc in ["1", "1234567890", "ZZZZZZZZZZZZZZZZ", ""] {
            let a = derived_amount(acc);
            assert_eq!(a, derived_amount(acc));
            assert!(
                a >= Amount::from_taka(100) && a < Amount::from_taka(5000),
                "{acc}"
            );
        }
        assert_ne!(derived_amount("1111"), derived_amount("1112"));
    }
}
