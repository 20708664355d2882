//! Seed data: operators, packages, billers, known bills, accounts and
//! beneficiaries, read from JSON with the core's exact reader (amounts never
//! pass through a float). A bad seed is refused whole, with every problem
//! listed by path; the built-in default is `seed/default.json`.

use bdpay_core::billers::{parse_billers, Biller, BillerType};
use bdpay_core::json::{self, object, Value};
use bdpay_core::money::Amount;
use bdpay_core::operators::Service;
use bdpay_core::request::amount_of;
use bdpay_core::rules::Rules;

use crate::ids::Token;

/// The seed compiled into the binary.
pub const DEFAULT_SEED: &str = include_str!("../seed/default.json");

/// What a package is, as the `/packages` `type` filter names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    Data,
    Combo,
    Minutes,
    Rate,
    Drive,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Data,
        Category::Combo,
        Category::Minutes,
        Category::Rate,
        Category::Drive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Data => "data",
            Category::Combo => "combo",
            Category::Minutes => "minutes",
            Category::Rate => "rate",
            Category::Drive => "drive",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    pub id: u32,
    pub operator: String,
    pub name: String,
    pub price: Amount,
    pub commission: Amount,
    pub category: Category,
    pub tag: Option<String>,
}

/// An operator as the sandbox serves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorState {
    pub code: String,
    pub active: bool,
    /// Services refused with "Service not available".
    pub unavailable: Vec<Service>,
}

/// A bill whose amount is fixed by the seed rather than derived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownBill {
    pub biller_id: String,
    pub account: String,
    pub amount: Amount,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Beneficiary {
    pub biller_logo: String,
    pub display_title: String,
    pub display_ac_no: String,
    pub bllr_id: String,
    pub srvc_id: String,
    pub inpt_pref: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Balances {
    pub flexiload: Amount,
    pub drive: Amount,
    pub bank: Amount,
    /// The wallet's own balance, debited by bill payments.
    pub wallet: Amount,
}

/// An account as seeded or created through `/__sandbox/accounts`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountSeed {
    pub token: Option<Token>,
    pub user_id: Option<u64>,
    pub active: bool,
    pub balances: Balances,
    /// The wallet PIN as text: `"0420"` keeps its leading zero.
    pub pin: String,
    pub settle_ms: u64,
    pub rate_limit: bool,
    /// `None`: the seed's beneficiary list.
    pub beneficiaries: Option<Vec<Beneficiary>>,
}

/// Everything fixed for a run: what `/__sandbox/reset` goes back to.
#[derive(Clone, Debug)]
pub struct Catalog {
    pub rules: Rules,
    pub operators: Vec<OperatorState>,
    pub packages: Vec<Package>,
    pub biller_types: Vec<BillerType>,
    pub bills: Vec<KnownBill>,
    pub charge: Amount,
    pub beneficiaries: Vec<Beneficiary>,
    pub accounts: Vec<AccountSeed>,
    pub new_account: AccountSeed,
}

/// Longest settle delay accepted: one hour.
pub const MAX_SETTLE_MS: u64 = 3_600_000;

type Errors = Vec<String>;

fn at(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn text(v: &Value, key: &str, path: &str, errs: &mut Errors) -> String {
    match v.get(key) {
        Some(Value::String(s)) if !s.is_empty() && s.chars().count() <= 256 => s.clone(),
        _ => {
            errs.push(format!("{}: expected a non-empty string", at(path, key)));
            String::new()
        }
    }
}

fn flag(v: &Value, key: &str, default: bool, path: &str, errs: &mut Errors) -> bool {
    match v.get(key) {
        None => default,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            errs.push(format!("{}: expected true or false", at(path, key)));
            default
        }
    }
}

fn whole(v: &Value, key: &str, max: u64, path: &str, errs: &mut Errors) -> Option<u64> {
    match v.get(key) {
        None => None,
        Some(Value::Number(n)) => match n.parse::<u64>() {
            Ok(x) if x <= max => Some(x),
            _ => {
                errs.push(format!(
                    "{}: expected a whole number up to {max}",
                    at(path, key)
                ));
                None
            }
        },
        Some(_) => {
            errs.push(format!("{}: expected a whole number", at(path, key)));
            None
        }
    }
}

/// A non-negative amount from a number or a decimal string.
fn amount(v: &Value, key: &str, path: &str, errs: &mut Errors) -> Option<Amount> {
    let field = v.get(key)?;
    match amount_of(field) {
        Ok(a) if !a.paisa().is_negative() => Some(a),
        _ => {
            errs.push(format!(
                "{}: expected an amount such as 500.00",
                at(path, key)
            ));
            None
        }
    }
}

fn list<'a>(v: &'a Value, key: &str, path: &str, errs: &mut Errors) -> &'a [Value] {
    match v.get(key) {
        None => &[],
        Some(Value::Array(items)) => items,
        Some(_) => {
            errs.push(format!("{}: expected an array", at(path, key)));
            &[]
        }
    }
}

fn only_keys(v: &Value, keys: &[&str], path: &str, errs: &mut Errors) {
    match v.as_object() {
        Some(fields) => {
            for (k, _) in fields {
                if !keys.contains(&k.as_str()) {
                    errs.push(format!("{}: unknown field", at(path, k)));
                }
            }
        }
        None => errs.push(format!(
            "{}: expected an object",
            if path.is_empty() { "(seed)" } else { path }
        )),
    }
}

/// A PIN: 4 to 6 digits, from a string (which may start with 0) or a number.
fn pin(v: &Value, path: &str, errs: &mut Errors) -> Option<String> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.clone(),
        _ => String::new(),
    };
    if (4..=6).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        Some(text)
    } else {
        errs.push(format!("{path}: expected a PIN of 4 to 6 digits"));
        None
    }
}

fn beneficiary(v: &Value, path: &str, errs: &mut Errors) -> Beneficiary {
    let keys = [
        "biller_logo",
        "display_title",
        "display_ac_no",
        "bllr_id",
        "srvc_id",
        "inpt_pref",
    ];
    only_keys(v, &keys, path, errs);
    Beneficiary {
        biller_logo: text(v, "biller_logo", path, errs),
        display_title: text(v, "display_title", path, errs),
        display_ac_no: text(v, "display_ac_no", path, errs),
        bllr_id: text(v, "bllr_id", path, errs),
        srvc_id: text(v, "srvc_id", path, errs),
        inpt_pref: text(v, "inpt_pref", path, errs),
    }
}

fn beneficiaries(items: &[Value], path: &str, errs: &mut Errors) -> Vec<Beneficiary> {
    items
        .iter()
        .enumerate()
        .map(|(i, b)| beneficiary(b, &format!("{path}[{i}]"), errs))
        .collect()
}

/// Account options over `base`: every key optional. Used for the seed's
/// accounts and for the body of `POST /__sandbox/accounts`.
pub fn account_options(v: &Value, base: &AccountSeed, path: &str) -> Result<AccountSeed, Errors> {
    let mut errs = Vec::new();
    let keys = [
        "token",
        "user_id",
        "active",
        "balances",
        "pin",
        "settle_ms",
        "rate_limit",
        "beneficiaries",
    ];
    only_keys(v, &keys, path, &mut errs);
    let mut out = base.clone();
    if v.get("token").is_some() {
        let t = text(v, "token", path, &mut errs);
        if t.bytes().any(|b| !b.is_ascii_graphic()) {
            errs.push(format!("{}: printable ASCII only", at(path, "token")));
        }
        out.token = Some(Token::new(&t));
    }
    if let Some(id) = whole(v, "user_id", u64::from(u32::MAX), path, &mut errs) {
        out.user_id = Some(id);
    }
    out.active = flag(v, "active", base.active, path, &mut errs);
    out.rate_limit = flag(v, "rate_limit", base.rate_limit, path, &mut errs);
    if let Some(ms) = whole(v, "settle_ms", MAX_SETTLE_MS, path, &mut errs) {
        out.settle_ms = ms;
    }
    if let Some(p) = v.get("pin") {
        if let Some(p) = pin(p, &at(path, "pin"), &mut errs) {
            out.pin = p;
        }
    }
    if let Some(b) = v.get("balances") {
        let bp = at(path, "balances");
        only_keys(
            b,
            &[
                "flexiload_balance",
                "drive_balance",
                "bank_balance",
                "wallet_balance",
            ],
            &bp,
            &mut errs,
        );
        let mut read = |key: &str, slot: &mut Amount| {
            if let Some(a) = amount(b, key, &bp, &mut errs) {
                *slot = a;
            }
        };
        read("flexiload_balance", &mut out.balances.flexiload);
        read("drive_balance", &mut out.balances.drive);
        read("bank_balance", &mut out.balances.bank);
        read("wallet_balance", &mut out.balances.wallet);
    }
    if v.get("beneficiaries").is_some() {
        let items = list(v, "beneficiaries", path, &mut errs);
        out.beneficiaries = Some(beneficiaries(items, &at(path, "beneficiaries"), &mut errs));
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

/// The account used when a seed says nothing: the built-in defaults.
fn fallback_account() -> AccountSeed {
    AccountSeed {
        token: None,
        user_id: None,
        active: true,
        balances: Balances::default(),
        pin: "1234".to_owned(),
        settle_ms: 200,
        rate_limit: true,
        beneficiaries: None,
    }
}

impl Catalog {
    /// Reads a seed document. `settle_ms` (from `--settle-ms`) overrides the
    /// settle delay of every seeded account and of new accounts.
    pub fn from_json(bytes: &[u8], settle_ms: Option<u64>) -> Result<Catalog, Errors> {
        let doc = json::parse(bytes).map_err(|e| vec![format!("seed: not JSON ({})", e.code())])?;
        let mut errs = Vec::new();
        only_keys(
            &doc,
            &[
                "rules",
                "operators",
                "packages",
                "billers",
                "bills",
                "wallet",
                "beneficiaries",
                "new_account",
                "accounts",
            ],
            "",
            &mut errs,
        );

        let rules = match Rules::from_config(doc.get("rules").unwrap_or(&Value::Null)) {
            Ok(r) => r,
            Err(es) => {
                for e in es {
                    errs.push(format!("rules.{}: {}", e.field, e.message));
                }
                Rules::default()
            }
        };

        let mut operators: Vec<OperatorState> = Vec::new();
        for (i, o) in list(&doc, "operators", "", &mut errs).iter().enumerate() {
            let path = format!("operators[{i}]");
            only_keys(o, &["code", "active", "unavailable"], &path, &mut errs);
            let code = text(o, "code", &path, &mut errs);
            let Some(known) = rules.registry.get(&code) else {
                errs.push(format!("{path}.code: {code:?} is not in the operator registry (add it under rules.operators)"));
                continue;
            };
            let code = known.code.clone();
            if operators.iter().any(|x| x.code == code) {
                errs.push(format!("{path}.code: {code} listed twice"));
            }
            let mut unavailable = Vec::new();
            for (j, s) in list(o, "unavailable", &path, &mut errs).iter().enumerate() {
                match s.as_str().and_then(Service::parse) {
                    Some(s) => unavailable.push(s),
                    None => errs.push(format!("{path}.unavailable[{j}]: expected a request type")),
                }
            }
            operators.push(OperatorState {
                code,
                active: flag(o, "active", true, &path, &mut errs),
                unavailable,
            });
        }

        let mut packages: Vec<Package> = Vec::new();
        for (i, p) in list(&doc, "packages", "", &mut errs).iter().enumerate() {
            let path = format!("packages[{i}]");
            only_keys(
                p,
                &[
                    "id",
                    "operator",
                    "name",
                    "price",
                    "commission",
                    "type",
                    "tag",
                ],
                &path,
                &mut errs,
            );
            let id = whole(p, "id", u64::from(u32::MAX), &path, &mut errs)
                .and_then(|n| u32::try_from(n).ok())
                .filter(|&n| n > 0);
            let operator = text(p, "operator", &path, &mut errs).to_ascii_uppercase();
            if !operators.iter().any(|o| o.code == operator) {
                errs.push(format!("{path}.operator: not a seeded operator"));
            }
            let category = Category::parse(&text(p, "type", &path, &mut errs));
            let price = amount(p, "price", &path, &mut errs).filter(|a| a.is_positive());
            let commission = amount(p, "commission", &path, &mut errs).unwrap_or(Amount::ZERO);
            let tag = match p.get("tag") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => {
                    errs.push(format!("{path}.tag: expected a string or null"));
                    None
                }
            };
            match (id, category, price) {
                (Some(id), Some(category), Some(price)) if commission < price => {
                    if packages.iter().any(|x| x.id == id) {
                        errs.push(format!("{path}.id: {id} used twice"));
                    }
                    packages.push(Package {
                        id,
                        operator,
                        name: text(p, "name", &path, &mut errs),
                        price,
                        commission,
                        category,
                        tag,
                    });
                }
                _ => errs.push(format!(
                    "{path}: needs a positive id, a type of data/combo/minutes/rate/drive, and a price above its commission"
                )),
            }
        }

        let biller_types = match doc.get("billers") {
            None => Vec::new(),
            Some(b) => match parse_billers(&object([("data", b.clone())])) {
                Ok(t) => t,
                Err(e) => {
                    errs.push(format!(
                        "billers: {} ({} expected)",
                        e.path.trim_start_matches("data."),
                        e.expected
                    ));
                    Vec::new()
                }
            },
        };
        let mut seen: Vec<&str> = Vec::new();
        for b in biller_types.iter().flat_map(|t| &t.billers) {
            if seen.contains(&b.biller_id.as_str()) {
                errs.push(format!("billers: biller_id {} used twice", b.biller_id));
            }
            seen.push(&b.biller_id);
        }

        let mut bills = Vec::new();
        for (i, b) in list(&doc, "bills", "", &mut errs).iter().enumerate() {
            let path = format!("bills[{i}]");
            only_keys(b, &["biller_id", "account", "amount"], &path, &mut errs);
            let biller_id = text(b, "biller_id", &path, &mut errs);
            if !seen.contains(&biller_id.as_str()) {
                errs.push(format!("{path}.biller_id: not a seeded biller"));
            }
            let account = text(b, "account", &path, &mut errs);
            if let Some(amount) = amount(b, "amount", &path, &mut errs).filter(|a| a.is_positive())
            {
                bills.push(KnownBill {
                    biller_id,
                    account,
                    amount,
                });
            } else {
                errs.push(format!("{path}.amount: expected a positive amount"));
            }
        }

        let mut charge = Amount::from_taka(5);
        if let Some(w) = doc.get("wallet") {
            only_keys(w, &["charge"], "wallet", &mut errs);
            if let Some(c) = amount(w, "charge", "wallet", &mut errs) {
                charge = c;
            }
        }

        let beneficiaries = beneficiaries(
            list(&doc, "beneficiaries", "", &mut errs),
            "beneficiaries",
            &mut errs,
        );

        let mut new_account = match doc.get("new_account") {
            None => fallback_account(),
            Some(v) => {
                account_options(v, &fallback_account(), "new_account").unwrap_or_else(|es| {
                    errs.extend(es);
                    fallback_account()
                })
            }
        };
        if new_account.token.is_some() || new_account.user_id.is_some() {
            errs.push("new_account: token and user_id are given out per account".to_owned());
        }
        if let Some(ms) = settle_ms {
            new_account.settle_ms = ms;
        }

        let mut accounts: Vec<AccountSeed> = Vec::new();
        for (i, a) in list(&doc, "accounts", "", &mut errs).iter().enumerate() {
            let path = format!("accounts[{i}]");
            match account_options(a, &new_account, &path) {
                Ok(mut acc) => {
                    if acc.token.is_none() {
                        errs.push(format!("{path}.token: required"));
                    }
                    if accounts
                        .iter()
                        .any(|x| x.token.is_some() && x.token == acc.token)
                    {
                        errs.push(format!("{path}.token: used twice"));
                    }
                    if let Some(ms) = settle_ms {
                        acc.settle_ms = ms;
                    }
                    accounts.push(acc);
                }
                Err(es) => errs.extend(es),
            }
        }

        if errs.is_empty() {
            Ok(Catalog {
                rules,
                operators,
                packages,
                biller_types,
                bills,
                charge,
                beneficiaries,
                accounts,
                new_account,
            })
        } else {
            Err(errs)
        }
    }

    /// The seeded operator with this code (any case), active or not.
    pub fn operator(&self, code: &str) -> Option<&OperatorState> {
        self.operators
            .iter()
            .find(|o| o.code.eq_ignore_ascii_case(code))
    }

    /// The biller with this id, with whether its type is active.
    pub fn biller(&self, biller_id: &str) -> Option<(&Biller, &BillerType)> {
        self.biller_types.iter().find_map(|t| {
            t.billers
                .iter()
                .find(|b| b.biller_id == biller_id)
                .map(|b| (b, t))
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn default() -> Catalog {
        Catalog::from_json(DEFAULT_SEED.as_bytes(), None).unwrap()
    }

    #[test]
    fn default_seed_is_valid_and_covers_every_case() {
        let c = default();
        assert!(c.operator("gp").is_some_and(|o| o.active));
        assert!(c.operator("AT").is_some_and(|o| !o.active));
        assert!(c
            .operator("DPDC")
            .is_some_and(|o| o.unavailable == [Service::Bill]));
        for cat in Category::ALL {
            assert!(c.packages.iter().any(|p| p.category == cat), "{cat:?}");
        }
        let tokens: Vec<&str> = c
            .accounts
            .iter()
            .filter_map(|a| a.token.as_ref())
            .map(Token::expose)
            .collect();
        assert!(tokens.contains(&"sandbox-token"));
        assert!(c.accounts.iter().any(|a| !a.active));
        assert!(c.accounts.iter().any(|a| a.pin.starts_with('0')));
        let params = c
            .biller_types
            .iter()
            .flat_map(|t| &t.billers)
            .flat_map(|b| &b.params);
        assert!(params.clone().any(|p| p.is_read_only));
        assert!(params
            .clone()
            .any(|p| p.input_type == "numeric" && p.field_type.as_str() == "numeric"));
        assert!(c
            .biller_types
            .iter()
            .any(|t| !t.is_active && !t.billers.is_empty()));
        assert_eq!(c.accounts[0].balances.flexiload, Amount::from_taka(10_000));
    }

    /// Every biller type and biller of the wallet reference's sample is served as is.
    #[test]
    fn default_seed_contains_the_reference_sample() {
        let sample = include_bytes!("../../tests/fixtures/wallet-billers.json");
        let sample = parse_billers(&json::parse(sample).unwrap()).unwrap();
        let c = default();
        for t in &sample {
            let ours = c.biller_types.iter().find(|o| o.title == t.title).unwrap();
            assert_eq!(
                (ours.is_active, ours.visibility, &ours.icon),
                (t.is_active, t.visibility, &t.icon)
            );
            for b in &t.billers {
                assert!(ours.billers.contains(b), "{}", b.biller_id);
            }
        }
        assert!(c.biller_types.len() > sample.len());
    }

    #[test]
    fn settle_override_applies_to_every_account() {
        let c = Catalog::from_json(DEFAULT_SEED.as_bytes(), Some(7)).unwrap();
        assert!(c.accounts.iter().all(|a| a.settle_ms == 7));
        assert_eq!(c.new_account.settle_ms, 7);
    }

    #[test]
    fn a_bad_seed_lists_every_problem_by_path() {
        let bad = br#"{"operators":[{"code":"ZZ"},{"code":"GP","unavailable":["fly"]}],
            "packages":[{"id":0,"operator":"GP","name":"x","price":"1.005","type":"data"}],
            "accounts":[{"pin":"12","balances":{"flexiload_balance":-5}}],
            "colour":"red"}"#;
        let errs = Catalog::from_json(bad, None).unwrap_err();
        let joined = errs.join("\n");
        for needle in [
            "colour: unknown field",
            "operators[0].code",
            "operators[1].unavailable[0]",
            "packages[0].price",
            "packages[0]: needs a positive id",
            "accounts[0].pin",
            "accounts[0].balances.flexiload_balance",
        ] {
            assert!(joined.contains(needle), "{needle} missing in:\n{joined}");
        }
        assert!(Catalog::from_json(b"[1,", None).is_err());
    }

    #[test]
    fn amounts_in_a_seed_stay_exact() {
        let seed = br#"{"operators":[{"code":"GP"}],
            "packages":[{"id":9,"operator":"gp","name":"x","price":0.29,"commission":"0.07","type":"rate"}],
            "accounts":[{"token":"t","balances":{"wallet_balance":1e2}}]}"#;
        let c = Catalog::from_json(seed, None).unwrap();
        assert_eq!(
            (c.packages[0].price, c.packages[0].commission),
            (Amount::from_paisa(29), Amount::from_paisa(7))
        );
        assert_eq!(c.accounts[0].balances.wallet, Amount::from_taka(100));
        assert_eq!(c.packages[0].operator, "GP");
    }
}
