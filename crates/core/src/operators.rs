//! The operator registry: every operator, wallet and biller the gateway knows,
//! and the numbering plan that maps a mobile prefix to operators.
//!
//! Both are data in the two tables below: a prefix that goes live, a new biller
//! or a renamed brand is one edit here (or a run-time override, see `rules`).
//! Detection from a prefix is a hint only: numbers are portable in Bangladesh.

use crate::json::{object, Value};

/// What an operator is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Mobile,
    Mfs,
    Biller,
}

/// A gateway service, one per `/request` type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    Recharge,
    Data,
    Drive,
    Mfs,
    Bill,
}

/// Whether a bill payment needs the payer's phone number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneRule {
    Optional,
    Required,
}

/// One operator, wallet or biller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operator {
    pub code: String,
    pub name: String,
    pub name_bn: String,
    pub kind: Kind,
    pub services: Vec<Service>,
    /// For billers: whether `phone` must be sent with a bill.
    pub phone: PhoneRule,
    /// For wallets: the lengths a wallet number may have (Rocket: 11 or 12).
    pub wallet_digits: Vec<u8>,
}

/// The numbering plan as of 2026: each live mobile prefix and the operators that
/// issue numbers on it, the usual one first. 010, 011 (Citycell, dead since
/// 2016) and 012 are not live. 016 was Airtel's and is now Robi's.
pub const PREFIXES: &[(&str, &[&str])] = &[
    ("013", &["GP", "SK"]),
    ("014", &["BL"]),
    ("015", &["TT"]),
    ("016", &["AT", "RB"]),
    ("017", &["GP"]),
    ("018", &["RB"]),
    ("019", &["BL"]),
];

use Kind::{Biller, Mfs, Mobile};
use PhoneRule::{Optional, Required};
use Service::{Bill, Data, Drive, Recharge};

/// `(code, name, Bangla name, kind, services, bill phone rule, wallet digits)`.
/// The bill codes are both sets the gateway reference uses. Jalalabad and
/// Bakhrabad gas ask for a mobile number in the wallet's schemas, so bills to
/// them require `phone`.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    Kind,
    &'static [Service],
    PhoneRule,
    &'static [u8],
);

pub const OPERATORS: &[Row] = &[
    (
        "GP",
        "Grameenphone",
        "গ্রামীণফোন",
        Mobile,
        &[Recharge, Data, Drive],
        Optional,
        &[],
    ),
    (
        "RB",
        "Robi",
        "রবি",
        Mobile,
        &[Recharge, Data, Drive],
        Optional,
        &[],
    ),
    ("AT", "Airtel", "এয়ারটেল", Mobile, &[Recharge], Optional, &[]),
    (
        "BL",
        "Banglalink",
        "বাংলালিংক",
        Mobile,
        &[Recharge, Data, Drive],
        Optional,
        &[],
    ),
    ("SK", "Skitto", "স্কিটো", Mobile, &[Recharge], Optional, &[]),
    (
        "TT",
        "Teletalk",
        "টেলিটক",
        Mobile,
        &[Recharge],
        Optional,
        &[],
    ),
    ("BK", "bKash", "বিকাশ", Mfs, &[Service::Mfs], Optional, &[11]),
    ("NG", "Nagad", "নগদ", Mfs, &[Service::Mfs], Optional, &[11]),
    (
        "RK",
        "Rocket",
        "রকেট",
        Mfs,
        &[Service::Mfs],
        Optional,
        &[11, 12],
    ),
    ("DESCO", "DESCO", "ডেসকো", Biller, &[Bill], Optional, &[]),
    ("DPDC", "DPDC", "ডিপিডিসি", Biller, &[Bill], Optional, &[]),
    (
        "TITAS",
        "Titas Gas",
        "তিতাস গ্যাস",
        Biller,
        &[Bill],
        Optional,
        &[],
    ),
    (
        "PBP",
        "Palli Bidyut (Prepaid)",
        "পল্লী বিদ্যুৎ (প্রিপেইড)",
        Biller,
        &[Bill],
        Optional,
        &[],
    ),
    (
        "PBD",
        "Palli Bidyut (Postpaid)",
        "পল্লী বিদ্যুৎ (পোস্টপেইড)",
        Biller,
        &[Bill],
        Optional,
        &[],
    ),
    (
        "DSP",
        "DESCO (Prepaid)",
        "ডেসকো (প্রিপেইড)",
        Biller,
        &[Bill],
        Optional,
        &[],
    ),
    (
        "DSD",
        "DESCO (Postpaid)",
        "ডেসকো (পোস্টপেইড)",
        Biller,
        &[Bill],
        Optional,
        &[],
    ),
    (
        "JLB",
        "Jalalabad Gas",
        "জালালাবাদ গ্যাস",
        Biller,
        &[Bill],
        Required,
        &[],
    ),
    (
        "SBG",
        "Sundarban Gas",
        "সুন্দরবন গ্যাস",
        Biller,
        &[Bill],
        Optional,
        &[],
    ),
    (
        "BRD",
        "Bakhrabad Gas",
        "বাখরাবাদ গ্যাস",
        Biller,
        &[Bill],
        Required,
        &[],
    ),
    (
        "ART",
        "Amber IT",
        "আম্বার আইটি",
        Biller,
        &[Bill],
        Optional,
        &[],
    ),
];

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Mobile => "mobile",
            Mfs => "mfs",
            Biller => "biller",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [Mobile, Mfs, Biller].into_iter().find(|k| k.as_str() == s)
    }
}

impl Service {
    pub const ALL: [Service; 5] = [Recharge, Data, Drive, Service::Mfs, Bill];

    /// The `/request` `type` value of this service.
    pub fn as_str(self) -> &'static str {
        match self {
            Recharge => "recharge",
            Data => "data",
            Drive => "drive",
            Service::Mfs => "mfs",
            Bill => "bill",
        }
    }

    pub fn parse(s: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl PhoneRule {
    pub fn as_str(self) -> &'static str {
        match self {
            Optional => "optional",
            Required => "required",
        }
    }
}

impl Operator {
    pub fn offers(&self, service: Service) -> bool {
        self.services.contains(&service)
    }

    fn from_row(row: &Row) -> Operator {
        let (code, name, name_bn, kind, services, phone, wallet_digits) = *row;
        Operator {
            code: code.to_owned(),
            name: name.to_owned(),
            name_bn: name_bn.to_owned(),
            kind,
            services: services.to_vec(),
            phone,
            wallet_digits: wallet_digits.to_vec(),
        }
    }
}

/// The operators and prefixes in force; [`Registry::default`] is the built-in table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registry {
    operators: Vec<Operator>,
    prefixes: Vec<(String, Vec<String>)>,
}

/// What a mobile number's prefix suggests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detection<'a> {
    pub operator: &'a Operator,
    /// Other operators issuing numbers on the same prefix (013: Skitto beside Grameenphone).
    pub alternatives: Vec<&'a Operator>,
}

impl Default for Registry {
    fn default() -> Registry {
        Registry {
            operators: OPERATORS.iter().map(Operator::from_row).collect(),
            prefixes: PREFIXES
                .iter()
                .map(|(p, codes)| {
                    (
                        (*p).to_owned(),
                        codes.iter().map(|c| (*c).to_owned()).collect(),
                    )
                })
                .collect(),
        }
    }
}

impl Registry {
    /// A registry with no operators and no live prefixes, to fill from a caller's table.
    pub fn empty() -> Registry {
        Registry {
            operators: Vec::new(),
            prefixes: Vec::new(),
        }
    }

    pub fn operators(&self) -> &[Operator] {
        &self.operators
    }

    /// The operator with this code, compared without regard to case.
    pub fn get(&self, code: &str) -> Option<&Operator> {
        self.operators
            .iter()
            .find(|o| o.code.eq_ignore_ascii_case(code))
    }

    /// Adds an operator, or replaces the one with the same code in place.
    pub fn upsert(&mut self, op: Operator) {
        match self
            .operators
            .iter_mut()
            .find(|o| o.code.eq_ignore_ascii_case(&op.code))
        {
            Some(slot) => *slot = op,
            None => self.operators.push(op),
        }
    }

    /// Sets which operators issue numbers on a three-digit prefix (`"010"`);
    /// an empty list takes the prefix out of service.
    pub fn set_prefix(&mut self, prefix: &str, codes: Vec<String>) {
        self.prefixes.retain(|(p, _)| p != prefix);
        if !codes.is_empty() {
            self.prefixes.push((prefix.to_owned(), codes));
        }
    }

    /// Whether numbers starting with this three-digit prefix are issued today.
    pub fn is_live_prefix(&self, prefix: &str) -> bool {
        self.prefixes.iter().any(|(p, _)| p == prefix)
    }

    /// The prefixes on which an operator issues numbers, in table order.
    pub fn prefixes_of(&self, code: &str) -> Vec<&str> {
        self.prefixes
            .iter()
            .filter(|(_, codes)| codes.iter().any(|c| c.eq_ignore_ascii_case(code)))
            .map(|(p, _)| p.as_str())
            .collect()
    }

    /// The operators suggested by the prefix of a canonical number (`01XXXXXXXXX`).
    pub fn detect(&self, canonical: &str) -> Option<Detection<'_>> {
        let prefix = canonical.get(..3)?;
        let (_, codes) = self.prefixes.iter().find(|(p, _)| p == prefix)?;
        let mut found = codes.iter().filter_map(|c| self.get(c));
        let operator = found.next()?;
        Some(Detection {
            operator,
            alternatives: found.collect(),
        })
    }

    /// The registry as data: `[{ code, name, name_bn, kind, services, prefixes, phone, wallet_digits }]`.
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.operators
                .iter()
                .map(|o| self.operator_json(o))
                .collect(),
        )
    }

    pub fn operator_json(&self, o: &Operator) -> Value {
        let strings = |items: Vec<&str>| Value::Array(items.into_iter().map(Value::from).collect());
        object([
            ("code", o.code.as_str().into()),
            ("name", o.name.as_str().into()),
            ("name_bn", o.name_bn.as_str().into()),
            ("kind", o.kind.as_str().into()),
            (
                "services",
                strings(o.services.iter().map(|s| s.as_str()).collect()),
            ),
            ("prefixes", strings(self.prefixes_of(&o.code))),
            ("phone", o.phone.as_str().into()),
            (
                "wallet_digits",
                Value::Array(
                    o.wallet_digits
                        .iter()
                        .map(|&d| Value::from(u64::from(d)))
                        .collect(),
                ),
            ),
        ])
    }
}

impl Detection<'_> {
    /// `{ code, name, name_bn, alternatives: [{ code, name, name_bn }] }`.
    pub fn to_json(&self) -> Value {
        let brief = |o: &Operator| {
            object([
                ("code", o.code.as_str().into()),
                ("name", o.name.as_str().into()),
                ("name_bn", o.name_bn.as_str().into()),
            ])
        };
        object([
            ("code", self.operator.code.as_str().into()),
            ("name", self.operator.name.as_str().into()),
            ("name_bn", self.operator.name_bn.as_str().into()),
            (
                "alternatives",
                Value::Array(self.alternatives.iter().map(|o| brief(o)).collect()),
            ),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(d: &Detection<'_>) -> (String, Vec<String>) {
        (
            d.operator.code.clone(),
            d.alternatives.iter().map(|o| o.code.clone()).collect(),
        )
    }

    #[test]
    fn detects_every_live_prefix() {
        let r = Registry::default();
        let rows = [
            ("01312345678", "GP", vec!["SK"]),
            ("01412345678", "BL", vec![]),
            ("01512345678", "TT", vec![]),
            ("01612345678", "AT", vec!["RB"]),
            ("01712345678", "GP", vec![]),
            ("01812345678", "RB", vec![]),
            ("01912345678", "BL", vec![]),
        ];
        for (number, code, alts) in rows {
            let d = r.detect(number).unwrap();
            assert_eq!(
                codes(&d),
                (
                    code.to_owned(),
                    alts.into_iter().map(String::from).collect::<Vec<_>>()
                ),
                "{number}"
            );
        }
    }

    #[test]
    fn dead_prefixes_detect_nothing() {
        let r = Registry::default();
        for n in ["01012345678", "01112345678", "01212345678", ""] {
            assert!(r.detect(n).is_none(), "{n}");
            assert!(!r.is_live_prefix(n.get(..3).unwrap_or("")));
        }
    }

    #[test]
    fn every_code_in_the_numbering_plan_is_an_operator() {
        let r = Registry::default();
        for (_, cs) in PREFIXES {
            for c in *cs {
                assert_eq!(r.get(c).map(|o| o.kind), Some(Kind::Mobile), "{c}");
            }
        }
    }

    #[test]
    fn registry_covers_both_bill_code_sets() {
        let r = Registry::default();
        for c in [
            "DESCO", "DPDC", "TITAS", "PBP", "PBD", "DSP", "DSD", "JLB", "SBG", "BRD", "ART",
        ] {
            assert!(r.get(c).is_some_and(|o| o.offers(Service::Bill)), "{c}");
        }
        assert_eq!(
            r.get("rk").map(|o| o.wallet_digits.clone()),
            Some(vec![11, 12])
        );
    }

    #[test]
    fn upsert_and_prefixes_change_detection() {
        let mut r = Registry::default();
        let mut op = r.get("TT").unwrap().clone();
        op.name = "Teletalk Bangladesh".into();
        r.upsert(op);
        assert_eq!(r.get("TT").unwrap().name, "Teletalk Bangladesh");
        r.set_prefix("010", vec!["TT".into()]);
        assert_eq!(r.detect("01012345678").unwrap().operator.code, "TT");
        r.set_prefix("010", vec![]);
        assert!(r.detect("01012345678").is_none());
    }
}
