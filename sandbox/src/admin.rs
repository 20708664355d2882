//! The loopback admin endpoints under `/__sandbox/`: fresh accounts, the
//! transactions held, a reset, and the fault queue. No auth: the server only
//! listens on 127.0.0.1. Tokens are handed out once and never listed.

use bdpay_core::json::{object, Value};

use crate::faults::{Fault, Queued, MAX_COUNT};
use crate::ids::Token;
use crate::reply::{money, Reply};
use crate::seed::{account_options, Catalog};
use crate::state::{Now, World};

fn bad(errors: &[String]) -> Reply {
    Reply::new(
        400,
        object([
            (
                "error",
                errors.first().map_or("bad request", String::as_str).into(),
            ),
            (
                "errors",
                Value::Array(errors.iter().map(|e| Value::from(e.as_str())).collect()),
            ),
        ]),
    )
}

/// `POST /__sandbox/accounts`: `{balances, settle_ms, pin, active, rate_limit,
/// beneficiaries, token, user_id}`, all optional → `{token, user_id}`.
pub fn create_account(
    catalog: &Catalog,
    world: &mut World,
    body: Result<&Value, ()>,
    now: Now,
) -> Reply {
    let Ok(body) = body else {
        return bad(&["body: not JSON".to_owned()]);
    };
    let options = match body {
        Value::Null => Ok(catalog.new_account.clone()),
        v => account_options(v, &catalog.new_account, ""),
    };
    let options = match options {
        Ok(o) => o,
        Err(errs) => return bad(&errs),
    };
    match world.create_account(&options, catalog, now.instant) {
        Ok((token, user_id)) => Reply::new(
            201,
            object([
                ("token", token.expose().into()),
                ("user_id", user_id.into()),
            ]),
        ),
        Err(e) => bad(&[e]),
    }
}

/// `GET /__sandbox/transactions[?token=T]`: every gateway transaction and
/// wallet payment held (settled first), oldest first.
pub fn transactions(world: &mut World, token: Option<&str>, now: Now) -> Reply {
    let filter = token.map(Token::new);
    let mut trx = Vec::new();
    let mut payments = Vec::new();
    for acc in world.accounts.values_mut() {
        if filter.as_ref().is_some_and(|t| t != &acc.token) {
            continue;
        }
        acc.settle(now.instant);
        for t in &acc.transactions {
            trx.push((
                t.seq,
                object([
                    ("user_id", acc.user_id.into()),
                    ("trx_id", t.trx_id.as_str().into()),
                    ("ref_id", t.ref_id.as_deref().into()),
                    ("type", t.service.as_str().into()),
                    ("sub_type", t.sub_type.as_deref().into()),
                    ("operator_code", t.operator_code.as_str().into()),
                    ("phone", t.phone.as_deref().into()),
                    ("bill_number", t.bill_number.as_deref().into()),
                    ("month", t.month.as_deref().into()),
                    ("package_id", t.package_id.map(u64::from).into()),
                    ("package_name", t.package_name.as_deref().into()),
                    ("amount", money(t.amount)),
                    ("payable", money(t.payable)),
                    ("trx_status", t.status.as_str().into()),
                    ("message", t.message.as_str().into()),
                    ("created_at", t.created_at.as_str().into()),
                ]),
            ));
        }
        for p in &acc.payments {
            payments.push((
                p.seq,
                object([
                    ("user_id", acc.user_id.into()),
                    ("order_id", p.order_id.as_str().into()),
                    ("trx_id", p.trx_id.as_str().into()),
                    ("biller_id", p.biller_id.as_str().into()),
                    ("account_no", p.account_no.as_str().into()),
                    ("amount", money(p.amount)),
                    ("charge", money(p.charge)),
                    (
                        "total_payable",
                        money(bdpay_core::money::Amount::from_paisa(
                            p.amount.paisa() + p.charge.paisa(),
                        )),
                    ),
                    ("created_at", p.created_at.as_str().into()),
                ]),
            ));
        }
    }
    trx.sort_by_key(|(seq, _)| *seq);
    payments.sort_by_key(|(seq, _)| *seq);
    Reply::ok(object([
        (
            "transactions",
            Value::Array(trx.into_iter().map(|(_, v)| v).collect()),
        ),
        (
            "payments",
            Value::Array(payments.into_iter().map(|(_, v)| v).collect()),
        ),
    ]))
}

/// `POST /__sandbox/reset`: back to the seed.
pub fn reset(catalog: &Catalog, world: &mut World, now: Now) -> Reply {
    world.reset(catalog, now.instant);
    Reply::ok(object([("reset", true.into())]))
}

/// `POST /__sandbox/faults`: `{kind, path?, token?, count?, …params}` → the queued fault.
pub fn add_fault(world: &mut World, body: Result<&Value, ()>) -> Reply {
    let Some(fields) = body.ok().and_then(Value::as_object) else {
        return bad(&["body: expected a JSON object".to_owned()]);
    };
    let mut kind = None;
    let mut path = None;
    let mut token = None;
    let mut count: u32 = 1;
    let mut params = Vec::new();
    let mut errors = Vec::new();
    for (k, v) in fields {
        let text = match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.clone()),
            _ => None,
        };
        let Some(text) = text else {
            errors.push(format!("{k}: expected a string or a number"));
            continue;
        };
        match k.as_str() {
            "kind" => kind = Some(text),
            "path" if text.starts_with('/') => path = Some(text),
            "path" => errors.push("path: expected a path starting with /".to_owned()),
            "token" => token = Some(Token::new(&text)),
            "count" => match text.parse::<u32>() {
                Ok(n) if (1..=MAX_COUNT).contains(&n) => count = n,
                _ => errors.push(format!("count: expected 1 to {MAX_COUNT}")),
            },
            _ => params.push((k.clone(), text)),
        }
    }
    let fault = match kind {
        Some(kind) => Fault::parse(&kind, &params)
            .map_err(|e| errors.push(e))
            .ok(),
        None => {
            errors.push("kind: required".to_owned());
            None
        }
    };
    let Some(fault) = fault.filter(|_| errors.is_empty()) else {
        return bad(&errors);
    };
    let queued = Queued {
        id: world.next_fault,
        fault,
        path,
        token,
        remaining: count,
    };
    world.next_fault += 1;
    let shown = queued.to_json();
    world.faults.push(queued);
    Reply::new(201, shown)
}

/// `GET /__sandbox/faults`: the faults still queued.
pub fn list_faults(world: &World) -> Reply {
    Reply::ok(object([(
        "faults",
        Value::Array(world.faults.iter().map(Queued::to_json).collect()),
    )]))
}

/// `DELETE /__sandbox/faults`: empties the queue.
pub fn clear_faults(world: &mut World) -> Reply {
    let n = world.faults.len() as u64;
    world.faults.clear();
    Reply::ok(object([("cleared", n.into())]))
}
