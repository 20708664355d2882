//! Every row checked before anything is sent: the request each row makes,
//! its errors per field, an operator guessed from the prefix (with a warning
//! where the prefix is shared), numbers met twice, and the totals.

use crate::prelude::*;

use std::collections::HashMap;

use bdpay_core::json::Value;
use bdpay_core::messages::Slot;
use bdpay_core::money::Amount;
use bdpay_core::operators::Service;
use bdpay_core::phone::check_phone;
use bdpay_core::request::{validate_request, ValidRequest};
use bdpay_core::rules::Rules;
use bdpay_core::text::bengali_digits;

use super::notes::{Issue, Note};

/// The columns that make a row's request; any other column (`note`, a
/// name) is kept with the row and written to the results, never sent.
pub const REQUEST_COLUMNS: &[&str] = &[
    "type",
    "operator_code",
    "phone",
    "amount",
    "sub_type",
    "package_id",
    "bill_number",
    "month",
];

/// What checking one row found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Checked {
    /// The request to send, when the row has no error.
    pub request: Option<ValidRequest>,
    pub issues: Vec<Issue>,
    /// Worth a look, not blocking: an operator guessed on a shared prefix.
    pub warnings: Vec<Issue>,
}

/// Checks one row; `keys` are the columns as [`super::file::key_of`] names them.
pub fn check_row(keys: &[String], cells: &[String], extra_cells: bool, rules: &Rules) -> Checked {
    let cell = |key: &str| {
        keys.iter()
            .position(|k| k == key)
            .and_then(|i| cells.get(i))
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
    };
    let service = cell("type").map_or_else(|| "recharge".to_owned(), str::to_ascii_lowercase);
    let mut fields = vec![("type".to_owned(), Value::from(service.as_str()))];
    for &key in REQUEST_COLUMNS.iter().skip(1) {
        if let Some(v) = cell(key) {
            fields.push((key.to_owned(), Value::from(v)));
        }
    }
    let mut out = Checked::default();
    let guessable = matches!(
        Service::parse(&service),
        Some(Service::Recharge | Service::Data | Service::Drive)
    );
    if cell("operator_code").is_none() && guessable {
        let detected = cell("phone")
            .and_then(|p| check_phone(p, &rules.registry))
            .and_then(|c| {
                let canonical = c.canonical();
                let d = rules.registry.detect(&canonical)?;
                let names = (d.operator.name.clone(), d.operator.name_bn.clone());
                let shared = !d.alternatives.is_empty();
                Some((canonical, d.operator.code.clone(), names, shared))
            });
        if let Some((canonical, code, (name, name_bn), shared)) = detected {
            if shared {
                let prefix = canonical.get(..3).unwrap_or("");
                out.warnings.push(Issue::note(
                    "operator_code",
                    Note::MaybePorted,
                    &[
                        ("operator", Slot::Text(&name, &name_bn)),
                        ("prefix", Slot::Text(prefix, &bengali_digits(prefix))),
                    ],
                ));
            }
            fields.push(("operator_code".to_owned(), Value::String(code)));
        }
    }
    let guessed = fields.iter().any(|(k, _)| k == "operator_code");
    match validate_request(&Value::Object(fields), rules) {
        Ok(req) => out.request = Some(req),
        Err(errors) => {
            // No operator to guess from a bad number: the number's error says it.
            let bad_phone = errors.iter().any(|e| e.field == "phone");
            out.issues = errors
                .iter()
                .filter(|e| !(guessable && !guessed && bad_phone && e.field == "operator_code"))
                .map(Issue::of_field)
                .collect();
        }
    }
    if extra_cells {
        out.issues.push(Issue::note("", Note::ExtraCells, &[]));
        out.request = None;
    }
    out
}

/// For each request (by index; `None` for rows not sent), the line of
/// another row paying the same number for the same service, if any: each
/// occurrence names the first other one.
pub fn duplicates(rows: &[(u64, Option<&ValidRequest>)]) -> Vec<Option<u64>> {
    let key = |r: &ValidRequest| {
        (
            r.service,
            r.phone.clone().or_else(|| r.bill_number.clone()),
            r.operator_code.clone(),
        )
    };
    let mut seen: HashMap<_, Vec<u64>> = HashMap::new();
    for (line, req) in rows {
        if let Some(r) = req {
            seen.entry(key(r)).or_default().push(*line);
        }
    }
    rows.iter()
        .map(|(line, req)| {
            let lines = seen.get(&key((*req)?))?;
            lines.iter().find(|l| *l != line).copied()
        })
        .collect()
}

/// The balance a service draws on, by the names of `/balance`.
pub fn balance_of(service: Service) -> Option<&'static str> {
    match service {
        Service::Recharge | Service::Data => Some("flexiload_balance"),
        Service::Drive => Some("drive_balance"),
        Service::Mfs => Some("bank_balance"),
        Service::Bill => None,
    }
}

/// Rows and money per operator, and overall.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// `(operator code, rows, amount)`, in order of first appearance.
    pub operators: Vec<(String, u64, Amount)>,
    /// `(balance name, amount)`: what each balance must hold.
    pub balances: Vec<(&'static str, Amount)>,
    pub rows: u64,
    pub amount: Amount,
}

impl Totals {
    pub fn of<'a>(requests: impl Iterator<Item = &'a ValidRequest>) -> Totals {
        let mut t = Totals::default();
        for r in requests {
            let amount = r.amount.unwrap_or_default();
            t.rows += 1;
            t.amount = t.amount.saturating_add(amount);
            match t.operators.iter_mut().find(|o| o.0 == r.operator_code) {
                Some(o) => {
                    o.1 += 1;
                    o.2 = o.2.saturating_add(amount);
                }
                None => t.operators.push((r.operator_code.clone(), 1, amount)),
            }
            if let Some(b) = balance_of(r.service) {
                match t.balances.iter_mut().find(|x| x.0 == b) {
                    Some(x) => x.1 = x.1.saturating_add(amount),
                    None => t.balances.push((b, amount)),
                }
            }
        }
        t
    }
}
