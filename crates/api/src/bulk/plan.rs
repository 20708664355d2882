//! Every row checked before anything is sent: the request each row makes,
//! its errors per field, an operator guessed from the prefix (with a warning
//! where the prefix is shared), numbers met twice, and the totals.

use crate::prelude::*;

use alloc::boxed::Box;
use alloc::string::ToString;

use bdpay_core::json::Value;
use bdpay_core::messages::Slot;
use bdpay_core::money::Amount;
use bdpay_core::operators::Service;
use bdpay_core::phone::check_phone;
use bdpay_core::request::{validate_request, ValidRequest};
use bdpay_core::rules::Rules;
use bdpay_core::text::bengali_digits;

use super::file::Cells;
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

/// A checked row's request, kept small (a job holds up to 100,000): what
/// a [`ValidRequest`] holds but its `ref_id`, which the job gives
/// ([`Request::to_valid`]), with the fields only bills and packages use
/// out of the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub service: Service,
    pub amount: Option<Amount>,
    pub package_id: Option<u32>,
    pub operator_code: Box<str>,
    pub phone: Option<Box<str>>,
    more: Option<Box<More>>,
}

/// `sub_type`, `bill_number` and `month`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct More(Option<String>, Option<String>, Option<String>);

impl Request {
    pub fn of(r: ValidRequest) -> Request {
        let more = (r.sub_type.is_some() || r.bill_number.is_some() || r.month.is_some())
            .then(|| Box::new(More(r.sub_type, r.bill_number, r.month)));
        Request {
            service: r.service,
            amount: r.amount,
            package_id: r.package_id,
            operator_code: r.operator_code.into_boxed_str(),
            phone: r.phone.map(String::into_boxed_str),
            more,
        }
    }

    /// The request to send, under `ref_id`.
    pub fn to_valid(&self, ref_id: Option<String>) -> ValidRequest {
        let (sub_type, bill_number, month) = match self.more.as_deref() {
            Some(More(a, b, c)) => (a.clone(), b.clone(), c.clone()),
            None => (None, None, None),
        };
        ValidRequest {
            service: self.service,
            operator_code: self.operator_code.clone().into_string(),
            phone: self.phone.as_deref().map(str::to_owned),
            amount: self.amount,
            sub_type,
            package_id: self.package_id,
            bill_number,
            month,
            ref_id,
        }
    }

    pub fn sub_type(&self) -> Option<&str> {
        self.more.as_deref().and_then(|m| m.0.as_deref())
    }

    pub fn bill_number(&self) -> Option<&str> {
        self.more.as_deref().and_then(|m| m.1.as_deref())
    }
}

/// What checking one row found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Checked {
    /// The request to send, when the row has no error.
    pub request: Option<ValidRequest>,
    pub issues: Vec<Issue>,
    /// Worth a look, not blocking: an operator guessed on a shared prefix.
    pub warnings: Vec<Issue>,
}

/// Checks one row; `keys` are the columns as [`super::file::column_key`] names them.
pub fn check_row(keys: &[String], cells: &Cells, extra_cells: bool, rules: &Rules) -> Checked {
    let cell = |key: &str| {
        keys.iter()
            .position(|k| k == key)
            .and_then(|i| cells.get(i))
            .map(str::trim)
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
    // `1e3` is a number to JSON, and what a spreadsheet shows for a cell too
    // narrow or a number typed as one: a payment is never made of a guess.
    if let Some(amount) = cell("amount").filter(|a| a.contains(['e', 'E'])) {
        if !out.issues.iter().any(|i| i.field == "amount") {
            out.issues.push(Issue::note(
                "amount",
                Note::ExponentAmount,
                &[("value", Slot::Code(amount))],
            ));
        }
        out.request = None;
    }
    // A number refused for a character that only looks like one it takes
    // (an en dash, a no-break space, another script's digit): say which.
    if out.issues.iter().any(|i| i.field == "phone") {
        if let Some(c) = cell("phone").and_then(look_alike) {
            let mut shown = [0u8; 4];
            let code = alloc::format!("U+{:04X}", u32::from(c));
            out.issues.push(Issue::note(
                "phone",
                Note::LookAlike,
                &[
                    ("char", Slot::Code(c.encode_utf8(&mut shown))),
                    ("code", Slot::Code(&code)),
                ],
            ));
        }
    }
    if extra_cells {
        out.issues.push(Issue::note("", Note::ExtraCells, &[]));
        out.request = None;
    }
    out
}

/// The first character of a phone cell that a number cannot hold though a
/// reader may take it for one that can: anything past ASCII but a Bengali digit.
fn look_alike(phone: &str) -> Option<char> {
    phone
        .chars()
        .find(|c| !c.is_ascii() && bdpay_core::text::digit_value(*c).is_none())
}

/// For each of `n` rows (`row(i)`: its line, its request if it is to be
/// counted, and its rank), the line of the row kept of the rows paying the
/// same number for the same service, or `None` for the row kept and for a
/// row met once. The row kept is the one of lowest rank (a row already sent
/// before one to send, one to send before one left out), the first in the
/// file among equals: a number met twice leaves the first line good and
/// flags only the later ones. The rows are sorted by what they pay, as
/// 4-byte indices: no table of keys beside 100,000 rows.
pub fn duplicates<'a>(
    n: usize,
    row: impl Fn(usize) -> (u64, Option<&'a Request>, u8),
) -> Vec<Option<u64>> {
    fn key(r: &Request) -> (&str, Option<&str>, &str) {
        (
            r.service.as_str(),
            r.phone.as_deref().or(r.bill_number()),
            &r.operator_code,
        )
    }
    let key_at = |i: u32| row(i as usize).1.map(key);
    let mut order: Vec<u32> = (0..n)
        .filter_map(|i| u32::try_from(i).ok())
        .filter(|&i| key_at(i).is_some())
        .collect();
    // Stable: within one payment, the rows stay in the file's order.
    order.sort_by(|&a, &b| key_at(a).cmp(&key_at(b)));
    let mut out = vec![None; n];
    for same in order.chunk_by(|&a, &b| key_at(a) == key_at(b)) {
        if same.len() < 2 {
            continue;
        }
        // `min_by_key` keeps the first of equals: the file's order.
        let Some(&kept) = same.iter().min_by_key(|&&i| row(i as usize).2) else {
            continue;
        };
        let line = row(kept as usize).0;
        for &i in same.iter().filter(|&&i| i != kept) {
            if let Some(slot) = out.get_mut(i as usize) {
                *slot = Some(line);
            }
        }
    }
    out
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
    pub fn of<'a>(requests: impl Iterator<Item = &'a Request>) -> Totals {
        let mut t = Totals::default();
        for r in requests {
            let amount = r.amount.unwrap_or_default();
            t.rows += 1;
            t.amount = t.amount.saturating_add(amount);
            match t.operators.iter_mut().find(|o| *o.0 == *r.operator_code) {
                Some(o) => {
                    o.1 += 1;
                    o.2 = o.2.saturating_add(amount);
                }
                None => t.operators.push((r.operator_code.to_string(), 1, amount)),
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
