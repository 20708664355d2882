//! The operator registry: every operator, wallet and biller the gateway knows,
//! and the numbering plan that maps a mobile prefix to operators.
//!
//! Both are data in the two tables below, one row a line with its fields
//! named: a prefix that goes live, a new biller or a renamed brand is one
//! edit here (or a run-time override, see `rules`).
//! Detection from a prefix is a hint only: numbers are portable in Bangladesh.

use crate::prelude::*;

use crate::json::{array_of, object, Value};

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

/// One live mobile prefix and the operators that issue numbers on it.
#[derive(Clone, Copy, Debug)]
pub struct PrefixRow {
    /// The first three digits of a number, `"017"`.
    pub prefix: &'static str,
    /// Operator codes, the usual one first: detection suggests it and
    /// offers the others as alternatives.
    pub operators: &'static [&'static str],
}

/// The numbering plan as of 2026: each live mobile prefix and the operators that
/// issue numbers on it, the usual one first. 010, 011 (Citycell, dead since
/// 2016) and 012 are not live. 016 was Airtel's and is now Robi's.
#[rustfmt::skip] // one row a line
pub const PREFIXES: &[PrefixRow] = &[
    PrefixRow { prefix: "013", operators: &["GP", "SK"] },
    PrefixRow { prefix: "014", operators: &["BL"] },
    PrefixRow { prefix: "015", operators: &["TT"] },
    PrefixRow { prefix: "016", operators: &["AT", "RB"] },
    PrefixRow { prefix: "017", operators: &["GP"] },
    PrefixRow { prefix: "018", operators: &["RB"] },
    PrefixRow { prefix: "019", operators: &["BL"] },
];

use Kind::{Biller, Mfs, Mobile};
use PhoneRule::{Optional, Required};
use Service::{Bill, Data, Drive, Recharge};

/// One row of [`OPERATORS`]: an [`Operator`] as static data.
#[derive(Clone, Copy, Debug)]
pub struct OperatorRow {
    pub code: &'static str,
    pub name: &'static str,
    pub name_bn: &'static str,
    pub kind: Kind,
    pub services: &'static [Service],
    /// For billers: whether `phone` must be sent with a bill.
    pub phone: PhoneRule,
    /// For wallets: the lengths a wallet number may have.
    pub wallet_digits: &'static [u8],
}

/// What a row of each kind has unless it says otherwise (`..MOBILE`); every
/// row names its own `code`, `name` and `name_bn`.
const MOBILE: OperatorRow = OperatorRow {
    code: "",
    name: "",
    name_bn: "",
    kind: Mobile,
    services: &[Recharge],
    phone: Optional,
    wallet_digits: &[],
};
const WALLET: OperatorRow = OperatorRow {
    kind: Mfs,
    services: &[Service::Mfs],
    wallet_digits: &[11],
    ..MOBILE
};
const BILLER: OperatorRow = OperatorRow {
    kind: Biller,
    services: &[Bill],
    ..MOBILE
};

/// Every operator, wallet and biller. The bill codes are both sets the
/// gateway reference uses. Jalalabad and Bakhrabad gas ask for a mobile
/// number in the wallet's schemas, so bills to them require `phone`.
#[rustfmt::skip] // one row a line
pub const OPERATORS: &[OperatorRow] = &[
    OperatorRow { code: "GP", name: "Grameenphone", name_bn: "গ্রামীণফোন", services: &[Recharge, Data, Drive], ..MOBILE },
    OperatorRow { code: "RB", name: "Robi", name_bn: "রবি", services: &[Recharge, Data, Drive], ..MOBILE },
    OperatorRow { code: "AT", name: "Airtel", name_bn: "এয়ারটেল", ..MOBILE },
    OperatorRow { code: "BL", name: "Banglalink", name_bn: "বাংলালিংক", services: &[Recharge, Data, Drive], ..MOBILE },
    OperatorRow { code: "SK", name: "Skitto", name_bn: "স্কিটো", ..MOBILE },
    OperatorRow { code: "TT", name: "Teletalk", name_bn: "টেলিটক", ..MOBILE },
    OperatorRow { code: "BK", name: "bKash", name_bn: "বিকাশ", ..WALLET },
    OperatorRow { code: "NG", name: "Nagad", name_bn: "নগদ", ..WALLET },
    // Rocket also takes its 12-digit account numbers.
    OperatorRow { code: "RK", name: "Rocket", name_bn: "রকেট", wallet_digits: &[11, 12], ..WALLET },
    OperatorRow { code: "DESCO", name: "DESCO", name_bn: "ডেসকো", ..BILLER },
    OperatorRow { code: "DPDC", name: "DPDC", name_bn: "ডিপিডিসি", ..BILLER },
    OperatorRow { code: "TITAS", name: "Titas Gas", name_bn: "তিতাস গ্যাস", ..BILLER },
    OperatorRow { code: "PBP", name: "Palli Bidyut (Prepaid)", name_bn: "পল্লী বিদ্যুৎ (প্রিপেইড)", ..BILLER },
    OperatorRow { code: "PBD", name: "Palli Bidyut (Postpaid)", name_bn: "পল্লী বিদ্যুৎ (পোস্টপেইড)", ..BILLER },
    OperatorRow { code: "DSP", name: "DESCO (Prepaid)", name_bn: "ডেসকো (প্রিপেইড)", ..BILLER },
    OperatorRow { code: "DSD", name: "DESCO (Postpaid)", name_bn: "ডেসকো (পোস্টপেইড)", ..BILLER },
    OperatorRow { code: "JLB", name: "Jalalabad Gas", name_bn: "জালালাবাদ গ্যাস", phone: Required, ..BILLER },
    OperatorRow { code: "SBG", name: "Sundarban Gas", name_bn: "সুন্দরবন গ্যাস", ..BILLER },
    OperatorRow { code: "BRD", name: "Bakhrabad Gas", name_bn: "বাখরাবাদ গ্যাস", phone: Required, ..BILLER },
    OperatorRow { code: "ART", name: "Amber IT", name_bn: "আম্বার আইটি", ..BILLER },
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

    fn from_row(row: &OperatorRow) -> Operator {
        Operator {
            code: row.code.to_owned(),
            name: row.name.to_owned(),
            name_bn: row.name_bn.to_owned(),
            kind: row.kind,
            services: row.services.to_vec(),
            phone: row.phone,
            wallet_digits: row.wallet_digits.to_vec(),
        }
    }
}

/// The operators and prefixes in force; [`Registry::default`] is the built-in table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registry {
    operators: Vec<Operator>,
    prefixes: Vec<(String, Vec<String>)>,
    /// Where `01` and each digit stands in `prefixes` (`NONE` when not
    /// live): a number's prefix is found in one step, not a search.
    /// Made again by every change to `prefixes`.
    mobile: [u16; 10],
}

/// No index in [`Registry::mobile`].
const NONE: u16 = u16::MAX;

/// What a mobile number's prefix suggests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detection<'a> {
    pub operator: &'a Operator,
    /// Other operators issuing numbers on the same prefix (013: Skitto beside Grameenphone).
    pub alternatives: Vec<&'a Operator>,
}

impl Default for Registry {
    fn default() -> Registry {
        // Loops, not map/collect: smaller in the wasm.
        let mut registry = Registry::empty();
        for row in OPERATORS {
            registry.operators.push(Operator::from_row(row));
        }
        for row in PREFIXES {
            let mut codes = Vec::new();
            for &c in row.operators {
                codes.push(c.to_owned());
            }
            registry.prefixes.push((row.prefix.to_owned(), codes));
        }
        registry.index_mobile();
        registry
    }
}

impl Registry {
    /// A registry with no operators and no live prefixes, to fill from a caller's table.
    pub fn empty() -> Registry {
        Registry {
            operators: Vec::new(),
            prefixes: Vec::new(),
            mobile: [NONE; 10],
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
        self.index_mobile();
    }

    /// [`Registry::mobile`] from `prefixes`: the first place of each `01X`.
    fn index_mobile(&mut self) {
        self.mobile = [NONE; 10];
        for (i, (p, _)) in self.prefixes.iter().enumerate() {
            if let (&[b'0', b'1', d @ b'0'..=b'9'], Ok(i)) = (p.as_bytes(), u16::try_from(i)) {
                if let Some(slot) = self.mobile.get_mut(usize::from(d - b'0')) {
                    if *slot == NONE {
                        *slot = i;
                    }
                }
            }
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
        self.detect_at(self.prefix_index(canonical.get(..3)?)?)
    }

    /// Where a live three-digit prefix stands in this registry's table: a
    /// stable index for as long as the registry is not changed.
    pub fn prefix_index(&self, prefix: &str) -> Option<usize> {
        self.prefixes.iter().position(|(p, _)| p == prefix)
    }

    /// [`Registry::prefix_index`] of a national number's first three digits
    /// (ASCII): this runs once per number, so a mobile prefix (`01X`) is
    /// looked up in [`Registry::mobile`]; any other is searched, compared
    /// as three-byte arrays (a slice comparison is a call to `memcmp`).
    pub fn prefix_index_of(&self, prefix: [u8; 3]) -> Option<usize> {
        if let [b'0', b'1', d @ b'0'..=b'9'] = prefix {
            let i = *self.mobile.get(usize::from(d - b'0'))?;
            return (i != NONE).then_some(usize::from(i));
        }
        self.prefixes
            .iter()
            .position(|(p, _)| <[u8; 3]>::try_from(p.as_bytes()).ok() == Some(prefix))
    }

    /// How many live prefixes there are: every [`Registry::prefix_index`] is below it.
    pub fn prefix_count(&self) -> usize {
        self.prefixes.len()
    }

    /// The operators suggested by the live prefix at `index`; `None` past the
    /// table or when none of its operators is in the registry.
    pub fn detect_at(&self, index: usize) -> Option<Detection<'_>> {
        let (_, codes) = self.prefixes.get(index)?;
        let mut operator = None;
        let mut alternatives = Vec::new();
        for o in codes.iter().filter_map(|c| self.get(c)) {
            match operator {
                None => operator = Some(o),
                Some(_) => alternatives.push(o),
            }
        }
        Some(Detection {
            operator: operator?,
            alternatives,
        })
    }

    /// The registry as data: `[{ code, name, name_bn, kind, services, prefixes, phone, wallet_digits }]`.
    pub fn to_json(&self) -> Value {
        array_of(&self.operators, |o| self.operator_json(o))
    }

    pub fn operator_json(&self, o: &Operator) -> Value {
        let prefixes = self
            .prefixes
            .iter()
            .filter(|(_, codes)| codes.iter().any(|c| c.eq_ignore_ascii_case(&o.code)));
        object([
            ("code", o.code.as_str().into()),
            ("name", o.name.as_str().into()),
            ("name_bn", o.name_bn.as_str().into()),
            ("kind", o.kind.as_str().into()),
            ("services", array_of(&o.services, |s| s.as_str().into())),
            ("prefixes", array_of(prefixes, |(p, _)| p.as_str().into())),
            ("phone", o.phone.as_str().into()),
            (
                "wallet_digits",
                array_of(&o.wallet_digits, |&d| u64::from(d).into()),
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
            ("alternatives", array_of(&self.alternatives, |o| brief(o))),
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
        for row in PREFIXES {
            for c in row.operators {
                assert_eq!(r.get(c).map(|o| o.kind), Some(Kind::Mobile), "{c}");
            }
        }
    }

    /// Each row names itself: no row keeps its kind's empty code or names,
    /// and no code or prefix is listed twice.
    #[test]
    fn every_row_is_named_once() {
        for (i, row) in OPERATORS.iter().enumerate() {
            assert!(!row.code.is_empty() && !row.name.is_empty() && !row.name_bn.is_empty());
            assert!(!row.services.is_empty(), "{}", row.code);
            assert!(
                OPERATORS[..i]
                    .iter()
                    .all(|o| !o.code.eq_ignore_ascii_case(row.code)),
                "{}",
                row.code
            );
        }
        for (i, row) in PREFIXES.iter().enumerate() {
            assert!(PREFIXES[..i].iter().all(|p| p.prefix != row.prefix));
            assert!(!row.operators.is_empty(), "{}", row.prefix);
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

    #[test]
    fn the_mobile_index_follows_every_change_of_prefixes() {
        // The one-step lookup against the search by text, after each change.
        let agree = |r: &Registry| {
            for p in (0..1000).map(|n| [n / 100, n / 10 % 10, n % 10].map(|d| b'0' + d as u8)) {
                let text: String = p.iter().map(|&b| char::from(b)).collect();
                assert_eq!(r.prefix_index_of(p), r.prefix_index(&text), "{text}");
            }
        };
        let mut r = Registry::default();
        agree(&r);
        for (prefix, codes) in [
            ("017", vec![]),
            ("010", vec!["TT"]),
            ("017", vec!["GP"]),
            ("099", vec!["GP"]),
            ("019", vec![]),
        ] {
            r.set_prefix(prefix, codes.into_iter().map(String::from).collect());
            agree(&r);
        }
        assert_eq!(r.prefix_index_of(*b"010"), Some(r.prefix_count() - 3));
        assert_eq!(r.prefix_index_of(*b"019"), None);
        assert_eq!(Registry::empty().prefix_index_of(*b"017"), None);
    }
}
