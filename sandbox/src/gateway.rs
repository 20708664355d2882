//! The recharge gateway (`/api/gateway/v1/…`): balance, packages, request and
//! status, as synchronous functions over the world and the time of the call.
//!
//! Every `/request` body goes through the library's own `validate_request`,
//! so the sandbox refuses exactly what the library refuses.

use bdpay_core::json::{object, Value};
use bdpay_core::messages::{one_of, Code, FieldError, Rule, Slot};
use bdpay_core::money::Amount;
use bdpay_core::operators::Service;
use bdpay_core::request::validate_request;

use crate::clock;
use crate::ids;
use crate::reply::{gateway_error, gateway_field_error, gateway_invalid, money, Reply};
use crate::seed::{Catalog, Category};
use crate::state::{Account, Now, Purse, Transaction, TrxStatus, World};

pub const OPERATOR_GONE: &str = "Operator not found or not active";
/// A number or bill number ending in this fails after the settle delay.
pub const FAILING_SUFFIX: &str = "99";

/// The four gateway endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Balance,
    Packages,
    Request,
    Status,
}

pub const READ_LIMIT: u32 = 60;
pub const REQUEST_LIMIT: u32 = 30;

/// Answers one gateway call: token check, rate limit, settling, then the endpoint.
pub fn handle(
    endpoint: Endpoint,
    catalog: &Catalog,
    world: &mut World,
    token: Option<&str>,
    body: Result<&Value, ()>,
    now: Now,
) -> Reply {
    let World {
        accounts, next_trx, ..
    } = world;
    let Some(acc) = token.and_then(|t| accounts.get_mut(&ids::Token::new(t))) else {
        return gateway_error(401, "Unauthenticated.");
    };
    if !acc.active {
        return gateway_error(403, "Account inactive or API access not enabled.");
    }
    let mut limit_headers = Vec::new();
    if acc.rate_limit {
        let (window, limit) = match endpoint {
            Endpoint::Request => (&mut acc.requests, REQUEST_LIMIT),
            _ => (&mut acc.reads, READ_LIMIT),
        };
        match window.hit(now.instant, limit) {
            Ok(remaining) => {
                limit_headers.push(("x-ratelimit-limit", limit.to_string()));
                limit_headers.push(("x-ratelimit-remaining", remaining.to_string()));
            }
            Err(secs) => {
                return gateway_error(429, "Too Many Attempts.")
                    .header("retry-after", secs.to_string())
                    .header("x-ratelimit-limit", limit.to_string())
                    .header("x-ratelimit-remaining", "0".to_owned());
            }
        }
    }
    acc.settle(now.instant);
    let mut reply = match (endpoint, body) {
        (Endpoint::Balance, _) => balance(acc),
        (_, Err(())) => gateway_invalid(&[FieldError::labelled(
            "body",
            ("The request body", "অনুরোধের বডি"),
            Code::NotAnObject,
            &[],
        )]),
        (Endpoint::Packages, Ok(body)) => packages(catalog, body),
        (Endpoint::Request, Ok(body)) => request(catalog, acc, next_trx, body, now),
        (Endpoint::Status, Ok(body)) => status(acc, body),
    };
    reply.headers.extend(limit_headers);
    reply
}

fn balance(acc: &Account) -> Reply {
    Reply::ok(object([
        ("status", true.into()),
        (
            "data",
            object([
                ("flexiload_balance", money(acc.balances.flexiload)),
                ("drive_balance", money(acc.balances.drive)),
                ("bank_balance", money(acc.balances.bank)),
            ]),
        ),
    ]))
}

/// A present, non-blank field (blank form inputs count as absent, as in the core).
fn present<'a>(body: &'a Value, key: &str) -> Option<&'a Value> {
    body.get(key).filter(|v| match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        _ => true,
    })
}

/// The seeded, active operator with this code, in the registry's spelling.
fn live_operator<'c>(catalog: &'c Catalog, code: &str) -> Option<&'c str> {
    let known = catalog.rules.registry.get(code.trim())?;
    catalog
        .operator(&known.code)
        .filter(|o| o.active)
        .map(|o| o.code.as_str())
}

fn packages(catalog: &Catalog, body: &Value) -> Reply {
    if body.as_object().is_none() {
        return gateway_invalid(&[FieldError::new("", Code::NotAnObject)]);
    }
    let mut errors = Vec::new();
    let code = match present(body, "operator_code") {
        None => {
            errors.push(FieldError::new("operator_code", Code::Required));
            None
        }
        Some(v) => match v.as_str() {
            Some(s) => Some(s),
            None => {
                errors.push(FieldError::new("operator_code", Code::UnknownOperator));
                None
            }
        },
    };
    let category = match present(body, "type") {
        None => None,
        // Exactly as documented: lower case, no padding.
        Some(v) => match v.as_str().and_then(Category::parse) {
            Some(c) => Some(c),
            None => {
                let (en, bn) = one_of(&["data", "combo", "minutes", "rate", "drive"]);
                errors.push(FieldError::with_args(
                    "type",
                    Code::InvalidType,
                    &[("options", Slot::Text(&en, &bn))],
                ));
                None
            }
        },
    };
    if !errors.is_empty() {
        return gateway_invalid(&errors);
    }
    let Some(op) = code.and_then(|c| live_operator(catalog, c)) else {
        return gateway_field_error("operator_code", OPERATOR_GONE);
    };
    let list = catalog
        .packages
        .iter()
        .filter(|p| p.operator == op && category.is_none_or(|c| c == p.category))
        .map(|p| {
            object([
                ("id", u64::from(p.id).into()),
                ("name", p.name.as_str().into()),
                ("price", money(p.price)),
                ("commission", money(p.commission)),
                ("type", p.category.as_str().into()),
                ("tag", p.tag.as_deref().into()),
            ])
        })
        .collect();
    Reply::ok(object([
        ("status", true.into()),
        ("data", Value::Array(list)),
    ]))
}

fn request(
    catalog: &Catalog,
    acc: &mut Account,
    next_trx: &mut u64,
    body: &Value,
    now: Now,
) -> Reply {
    let req = match validate_request(body, &catalog.rules) {
        Ok(r) => r,
        Err(mut errors) => {
            for e in &mut errors {
                if e.code == Code::UnknownOperator {
                    OPERATOR_GONE.clone_into(&mut e.message);
                }
            }
            return gateway_invalid(&errors);
        }
    };
    let Some(op) = catalog.operator(&req.operator_code).filter(|o| o.active) else {
        return gateway_field_error("operator_code", OPERATOR_GONE);
    };
    if op.unavailable.contains(&req.service) {
        return gateway_error(422, "Service not available");
    }
    let operator_name = catalog
        .rules
        .registry
        .get(&op.code)
        .map_or_else(|| op.code.clone(), |o| o.name.clone());

    let (amount, payable, package) = match req.service {
        Service::Data | Service::Drive => {
            let want_drive = req.service == Service::Drive;
            let found = catalog.packages.iter().find(|p| {
                Some(p.id) == req.package_id
                    && p.operator == op.code
                    && (p.category == Category::Drive) == want_drive
            });
            let Some(p) = found else {
                return gateway_field_error("package_id", "The selected package id is invalid.");
            };
            (
                p.price,
                Amount::from_paisa(p.price.paisa() - p.commission.paisa()),
                Some(p),
            )
        }
        _ => match req.amount {
            Some(a) => (a, a, None),
            None => return gateway_invalid(&[FieldError::new("amount", Code::Required)]),
        },
    };

    if let Some(r) = &req.ref_id {
        if acc
            .transactions
            .iter()
            .any(|t| t.ref_id.as_ref() == Some(r))
        {
            return gateway_field_error("ref_id", "Duplicate transaction");
        }
    }
    let purse = if req.service == Service::Drive {
        Purse::Drive
    } else {
        Purse::Flexiload
    };
    let balance = acc.purse_mut(purse);
    if *balance < payable {
        return gateway_error(422, "Insufficient balance");
    }
    *balance = Amount::from_paisa(balance.paisa() - payable.paisa());
    let balance_after = *balance;

    let seq = *next_trx;
    *next_trx += 1;
    let ends_badly = |s: &Option<String>| s.as_deref().is_some_and(|s| s.ends_with(FAILING_SUFFIX));
    let trx = Transaction {
        seq,
        trx_id: ids::trx_id(&clock::trx_date(now.unix), seq),
        ref_id: req.ref_id.clone(),
        service: req.service,
        sub_type: req.sub_type.clone(),
        operator_code: op.code.clone(),
        operator_name,
        phone: req.phone.clone(),
        bill_number: req.bill_number.clone(),
        month: req.month.clone(),
        package_id: package.map(|p| p.id),
        package_name: package.map(|p| p.name.clone()),
        amount,
        payable,
        purse,
        balance_after,
        status: TrxStatus::Pending,
        message: "Request accepted".to_owned(),
        created_at: clock::gateway_time(now.unix),
        settle_at: now.instant + std::time::Duration::from_millis(acc.settle_ms),
        will_fail: ends_badly(&req.phone) || ends_badly(&req.bill_number),
    };
    let reply = Reply::ok(object([
        ("status", true.into()),
        ("trx_id", trx.trx_id.as_str().into()),
        ("ref_id", trx.ref_id.as_deref().into()),
        ("type", trx.service.as_str().into()),
        ("operator", trx.operator_name.as_str().into()),
        ("phone", trx.phone.as_deref().into()),
        ("bill_number", trx.bill_number.as_deref().into()),
        ("package", trx.package_name.as_deref().into()),
        ("amount", money(trx.amount)),
        ("payable", money(trx.payable)),
        ("balance", money(trx.balance_after)),
        ("trx_status", trx.status.as_str().into()),
        ("message", trx.message.as_str().into()),
        ("created_at", trx.created_at.as_str().into()),
    ]));
    acc.transactions.push(trx);
    reply
}

fn status(acc: &Account, body: &Value) -> Reply {
    if body.as_object().is_none() {
        return gateway_invalid(&[FieldError::new("", Code::NotAnObject)]);
    }
    let trx_id = present(body, "trx_id");
    let ref_id = present(body, "ref_id");
    let mut errors = Vec::new();
    for (key, v) in [("trx_id", trx_id), ("ref_id", ref_id)] {
        if v.is_some_and(|v| v.as_str().is_none()) {
            errors.push(FieldError::labelled(key, (key, key), Rule::Text, &[]));
        }
    }
    if trx_id.is_none() && ref_id.is_none() {
        let msg = "Either trx_id or ref_id is required.";
        return Reply::new(
            422,
            object([
                ("status", false.into()),
                ("message", msg.into()),
                (
                    "errors",
                    object([
                        ("trx_id", Value::Array(vec![msg.into()])),
                        ("ref_id", Value::Array(vec![msg.into()])),
                    ]),
                ),
            ]),
        );
    }
    if !errors.is_empty() {
        return gateway_invalid(&errors);
    }
    let found = match (
        trx_id.and_then(Value::as_str),
        ref_id.and_then(Value::as_str),
    ) {
        (Some(id), _) => acc.transactions.iter().find(|t| t.trx_id == id.trim()),
        (None, Some(r)) => acc
            .transactions
            .iter()
            .find(|t| t.ref_id.as_deref() == Some(r.trim())),
        (None, None) => None,
    };
    let Some(t) = found else {
        return gateway_error(404, "Transaction not found.");
    };
    Reply::ok(object([
        ("status", true.into()),
        ("trx_id", t.trx_id.as_str().into()),
        ("ref_id", t.ref_id.as_deref().into()),
        ("type", t.service.as_str().into()),
        ("sub_type", t.sub_type.as_deref().into()),
        ("operator", t.operator_name.as_str().into()),
        ("operator_code", t.operator_code.as_str().into()),
        ("phone", t.phone.as_deref().into()),
        ("bill_number", t.bill_number.as_deref().into()),
        ("package_name", t.package_name.as_deref().into()),
        ("amount", money(t.amount)),
        ("payable", money(t.payable)),
        ("trx_status", t.status.as_str().into()),
        ("message", t.message.as_str().into()),
        ("created_at", t.created_at.as_str().into()),
    ]))
}
