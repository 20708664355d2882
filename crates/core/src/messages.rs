//! Field errors: a stable machine code per failure, with English and Bangla
//! messages beside it (never instead of it). Every sentence is written once
//! per language, as a template with named slots (`{label}`, `{min}`, …), in
//! the tables below; no code builds or patches a message in one language only.
//!
//! Bangla templates hold no Latin letters: names and codes that stay as they
//! are in both languages (`https://`, a setting's name) come in through slots.

use crate::prelude::*;

use crate::json::{object, Value};
use crate::money::Amount;
use crate::text::{bengali_digits, cat, decimal, grouped, joined};
/// Why a field was refused. The `as_str` codes are part of the public API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Code {
    NotAnObject,
    Required,
    UnknownField,
    InvalidType,
    InvalidPhone,
    InvalidWallet,
    UnknownOperator,
    OperatorNotSupported,
    InvalidMonth,
    InvalidAmount,
    AmountNotPositive,
    TooManyDecimals,
    AmountTooSmall,
    AmountTooLarge,
    InvalidSubType,
    InvalidPackageId,
    InvalidRefId,
    InvalidBillNumber,
    InvalidValue,
    InvalidOption,
    ReadOnly,
    TooLong,
    Rejected,
    InvalidPin,
    InvalidId,
    InvalidPackageType,
    TooLarge,
    TooDeep,
    InvalidUrl,
    WeakKey,
}

/// `(code, name, English, Bangla)`: each code's own wording.
///
/// Rows marked `api-wording` (the feature, on by default) are the codes and
/// rules only the clients, the proxy and the server give: the validation
/// entries' builds, which never give them, leave those rows (names and
/// sentences) out of their wasm, 0.2 KB gzip of `bdpay`.
const MESSAGES: &[(Code, &str, &str, &str)] = &[
    (
        Code::NotAnObject,
        "not_an_object",
        "{label} must be an object.",
        "{label} একটি অবজেক্ট হতে হবে।",
    ),
    (
        Code::Required,
        "required",
        "{label} is required.",
        "{label} লিখুন।",
    ),
    (
        Code::UnknownField,
        "unknown_field",
        "{label} is not part of this request.",
        "{label} এই অনুরোধের অংশ নয়।",
    ),
    (
        Code::InvalidType,
        "invalid_type",
        "Type must be one of {options}.",
        "ধরন এগুলোর একটি হতে হবে: {options}।",
    ),
    (
        Code::InvalidPhone,
        "invalid_phone",
        "Enter an 11-digit Bangladeshi mobile number, like 01712345678.",
        "১১ অঙ্কের বাংলাদেশি মোবাইল নম্বর দিন, যেমন ০১৭১২৩৪৫৬৭৮।",
    ),
    (
        Code::InvalidWallet,
        "invalid_wallet",
        "Enter the wallet number: {digits} digits.",
        "{digits} অঙ্কের ওয়ালেট নম্বর দিন।",
    ),
    (
        Code::UnknownOperator,
        "unknown_operator",
        "Unknown operator.",
        "অজানা অপারেটর।",
    ),
    (
        Code::OperatorNotSupported,
        "operator_not_supported",
        "This operator does not offer {service}.",
        "এই অপারেটর {service} সেবা দেয় না।",
    ),
    (
        Code::InvalidMonth,
        "invalid_month",
        "Month must be 01 to 12.",
        "মাস ০১ থেকে ১২-এর মধ্যে হতে হবে।",
    ),
    (
        Code::InvalidAmount,
        "invalid_amount",
        "Amount must be a number, like 100 or 99.50.",
        "টাকার পরিমাণ একটি সংখ্যা হতে হবে, যেমন ১০০ বা ৯৯.৫০।",
    ),
    (
        Code::AmountNotPositive,
        "amount_not_positive",
        "Amount must be more than zero.",
        "টাকার পরিমাণ শূন্যের বেশি হতে হবে।",
    ),
    (
        Code::TooManyDecimals,
        "too_many_decimals",
        "Amount can have at most 2 decimal places.",
        "টাকার পরিমাণে দশমিকের পরে দুই অঙ্কের বেশি দেওয়া যাবে না।",
    ),
    (
        Code::AmountTooSmall,
        "amount_too_small",
        "Amount must be at least {min}.",
        "টাকার পরিমাণ কমপক্ষে {min} হতে হবে।",
    ),
    (
        Code::AmountTooLarge,
        "amount_too_large",
        "Amount must be at most {max}.",
        "টাকার পরিমাণ {max} বা তার কম হতে হবে।",
    ),
    (
        Code::InvalidSubType,
        "invalid_sub_type",
        "Sub-type must be one of {options}.",
        "উপ-ধরন এগুলোর একটি হতে হবে: {options}।",
    ),
    (
        Code::InvalidPackageId,
        "invalid_package_id",
        "Choose a package: its id is a positive whole number.",
        "একটি প্যাকেজ বেছে নিন: এর আইডি একটি ধনাত্মক পূর্ণসংখ্যা।",
    ),
    (
        Code::InvalidRefId,
        "invalid_ref_id",
        "Reference ID must be 1 to 64 letters, digits or . _ : -",
        "রেফারেন্স আইডি ১ থেকে ৬৪টি অক্ষর, অঙ্ক বা . _ : - দিয়ে লিখতে হবে।",
    ),
    (
        Code::InvalidBillNumber,
        "invalid_bill_number",
        "Bill number must be 4 to 30 letters or digits.",
        "বিল নম্বর ৪ থেকে ৩০টি অক্ষর বা অঙ্কের হতে হবে।",
    ),
    (
        Code::InvalidValue,
        "invalid_value",
        "{label} is not valid.",
        "{label} সঠিক নয়।",
    ),
    (
        Code::InvalidOption,
        "invalid_option",
        "Choose one of the options for {label}.",
        "{label} হিসেবে দেওয়া বিকল্পগুলোর একটি বেছে নিন।",
    ),
    (
        Code::ReadOnly,
        "read_only",
        "{label} cannot be changed.",
        "{label} বদলানো যায় না।",
    ),
    (
        Code::TooLong,
        "too_long",
        "{label} is too long.",
        "{label} খুব লম্বা।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Code::Rejected,
        "rejected",
        "{label} was refused by the server.",
        "সার্ভার {label} গ্রহণ করেনি।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Code::InvalidPin,
        "invalid_pin",
        "PIN must be 4 to 6 digits.",
        "পিন ৪ থেকে ৬ অঙ্কের হতে হবে।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Code::InvalidId,
        "invalid_id",
        "{label} must be 1 to 64 letters, digits or . _ : -",
        "{label} ১ থেকে ৬৪টি অক্ষর, অঙ্ক বা . _ : - দিয়ে লিখতে হবে।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Code::InvalidPackageType,
        "invalid_package_type",
        "Package type must be one of {options}.",
        "প্যাকেজের ধরন এগুলোর একটি হতে হবে: {options}।",
    ),
    (
        Code::TooLarge,
        "too_large",
        "{label} is too large.",
        "{label} আকারে খুব বড়।",
    ),
    (
        Code::TooDeep,
        "too_deep",
        "{label} is nested too deeply.",
        "{label} খুব বেশি স্তরে সাজানো।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Code::InvalidUrl,
        "invalid_url",
        "{label} must be an {http} or {https} URL.",
        "{label} একটি {http} বা {https} ঠিকানা হতে হবে।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Code::WeakKey,
        "weak_key",
        "{label} must be at least {min} characters of random text on one line.",
        "{label} এক লাইনে কমপক্ষে {min} অক্ষরের এলোমেলো লেখা হতে হবে।",
    ),
];

/// `(field, English label, Bangla label)` for the fields of both APIs.
const LABELS: &[(&str, &str, &str)] = &[
    ("type", "Type", "ধরন"),
    ("operator_code", "Operator", "অপারেটর"),
    ("phone", "Phone number", "মোবাইল নম্বর"),
    ("amount", "Amount", "টাকার পরিমাণ"),
    ("sub_type", "Sub-type", "উপ-ধরন"),
    ("package_id", "Package", "প্যাকেজ"),
    ("bill_number", "Bill number", "বিল নম্বর"),
    ("month", "Month", "মাস"),
    ("ref_id", "Reference ID", "রেফারেন্স আইডি"),
    #[cfg(feature = "api-wording")]
    ("trx_id", "Transaction ID", "লেনদেন আইডি"),
    #[cfg(feature = "api-wording")]
    ("request_id", "Request ID", "অনুরোধ আইডি"),
    #[cfg(feature = "api-wording")]
    ("pin", "PIN", "পিন"),
    #[cfg(feature = "api-wording")]
    ("price", "Package price", "প্যাকেজের দাম"),
    #[cfg(feature = "api-wording")]
    ("total", "Total payable", "মোট পরিশোধের পরিমাণ"),
    #[cfg(feature = "api-wording")]
    ("expiresIn", "Lifetime (seconds)", "মেয়াদ (সেকেন্ড)"),
    #[cfg(feature = "api-wording")]
    ("intentKey", "The intent key", "ইনটেন্ট কী"),
    #[cfg(feature = "api-wording")]
    (
        "intentKeyPrevious",
        "The previous intent key",
        "আগের ইনটেন্ট কী",
    ),
    ("", "The request", "অনুরোধটি"),
];

/// A rule a value broke, for codes whose one wording cannot say which:
/// `invalid_value` covers a token, a number setting and a biller's digits.
/// The code stays the same; the sentence names the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    LettersAndDigits,
    Digits,
    OneLine,
    Text,
    WholeNumber,
    Token,
    Intent,
    Seconds,
    Origins,
    Operations,
    PositiveAmount,
    Pin,
    List,
    RateLimit,
    QueryText,
    Operator,
    LimitOrder,
    LimitAmounts,
    InsecureHttp,
    ServerSaid,
    /// `required` on a field a person chooses (a list, radio buttons): the
    /// same English, and Bangla's "বেছে নিন" where a typed field's is "লিখুন".
    Choose,
    /// `invalid_phone` for a whole number on a prefix no operator uses
    /// (010, 011, 012): what is wrong is the prefix, not the length.
    UnusedPrefix,
}

/// `(rule, code, English, Bangla)`.
const RULES: &[(Rule, Code, &str, &str)] = &[
    (
        Rule::LettersAndDigits,
        Code::InvalidValue,
        "{label} may contain only letters and digits.",
        "{label} শুধু অক্ষর ও অঙ্ক দিয়ে লিখতে হবে।",
    ),
    (
        Rule::Digits,
        Code::InvalidValue,
        "{label} may contain only digits.",
        "{label} শুধু অঙ্ক দিয়ে লিখতে হবে।",
    ),
    (
        Rule::OneLine,
        Code::InvalidValue,
        "{label} must be text on one line.",
        "{label} এক লাইনের লেখা হতে হবে।",
    ),
    (
        Rule::Text,
        Code::InvalidValue,
        "{label} must be text.",
        "{label} লেখা হিসেবে দিতে হবে।",
    ),
    (
        Rule::WholeNumber,
        Code::InvalidValue,
        "{label} must be a whole number, 0 or more.",
        "{label} শূন্য বা তার বেশি একটি পূর্ণসংখ্যা হতে হবে।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Rule::Token,
        Code::InvalidValue,
        "{label} must be the API token: text on one line, at most {max} characters.",
        "{label} হতে হবে এপিআই টোকেন: এক লাইনের লেখা, সর্বোচ্চ {max} অক্ষর।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Rule::Intent,
        Code::InvalidValue,
        "{label} must be the payment intent's text, as the merchant's server signed it.",
        "{label} হতে হবে মার্চেন্টের সার্ভারের সই করা পেমেন্ট ইনটেন্টের লেখা, হুবহু।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Rule::Seconds,
        Code::InvalidValue,
        "{label} must be a whole number of seconds from {min} to {max}.",
        "{label} {min} থেকে {max} সেকেন্ডের মধ্যে একটি পূর্ণসংখ্যা হতে হবে।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Rule::Origins,
        Code::InvalidValue,
        "{label} must list the pages' origins, like {origin}; never {any}.",
        "{label} হতে হবে পেজগুলোর অরিজিনের তালিকা, যেমন {origin}; {any} চলবে না।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Rule::Operations,
        Code::InvalidValue,
        "{label} must list some of {options}.",
        "{label} হতে হবে এগুলোর কয়েকটির তালিকা: {options}।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Rule::PositiveAmount,
        Code::InvalidValue,
        "{label} must be an amount above zero, like 5000 or 99.50.",
        "{label} শূন্যের বেশি একটি টাকার পরিমাণ হতে হবে, যেমন ৫০০০ বা ৯৯.৫০।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Rule::Pin,
        Code::InvalidValue,
        "{label} must be 4 to 6 digits.",
        "{label} ৪ থেকে ৬ অঙ্কের হতে হবে।",
    ),
    (
        Rule::List,
        Code::InvalidValue,
        "{label} must be a list.",
        "{label} একটি তালিকা হতে হবে।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Rule::RateLimit,
        Code::InvalidValue,
        "{label} must be {true}, {false}, or limits in positive whole numbers.",
        "{label} হতে হবে {true}, {false}, অথবা ধনাত্মক পূর্ণসংখ্যায় লেখা সীমা।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Rule::QueryText,
        Code::InvalidValue,
        "{label} may contain only letters, digits, spaces and - _ . +, at most 64 characters.",
        "{label} শুধু অক্ষর, অঙ্ক, ফাঁকা জায়গা ও - _ . + দিয়ে, সর্বোচ্চ ৬৪ অক্ষরে লিখতে হবে।",
    ),
    (
        Rule::Operator,
        Code::InvalidValue,
        "{label} must be an operator with a code of letters and digits, a name, a kind, and lists of services and prefixes.",
        "{label} হতে হবে একটি অপারেটর: অক্ষর ও অঙ্কের কোড, নাম, ধরন, আর সেবা ও প্রিফিক্সের তালিকা সহ।",
    ),
    (
        Rule::LimitOrder,
        Code::InvalidAmount,
        "{label}: min ({min}) must not be more than max ({max}).",
        "{label}: সর্বনিম্ন সীমা ({min}) সর্বোচ্চ সীমার ({max}) চেয়ে বেশি হতে পারবে না।",
    ),
    (
        Rule::LimitAmounts,
        Code::InvalidAmount,
        "{label} must give min and max as amounts of 0 or more, like 10 or 99.50.",
        "{label} হিসেবে সর্বনিম্ন ও সর্বোচ্চ সীমা শূন্য বা তার বেশি টাকার পরিমাণে দিতে হবে, যেমন ১০ বা ৯৯.৫০।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Rule::InsecureHttp,
        Code::InvalidUrl,
        "{label}: a token may not be sent over plain {http} to a non-loopback host; use {https} or set {allowInsecureHttp}.",
        "{label}: টোকেন সহ অনুরোধ সাধারণ {http} দিয়ে এই কম্পিউটারের বাইরের কোনো হোস্টে পাঠানো যাবে না; {https} ব্যবহার করুন, অথবা {allowInsecureHttp} চালু করুন।",
    ),
    #[cfg(feature = "api-wording")]
    (
        Rule::ServerSaid,
        Code::Rejected,
        "{label} was refused by the server: {server}",
        "সার্ভার {label} গ্রহণ করেনি। সার্ভারের বার্তা: {server}",
    ),
    (
        Rule::Choose,
        Code::Required,
        "{label} is required.",
        "{label} বেছে নিন।",
    ),
    (
        Rule::UnusedPrefix,
        Code::InvalidPhone,
        "No operator's numbers start with {prefix}.",
        "{prefix} দিয়ে কোনো অপারেটরের নম্বর শুরু হয় না।",
    ),
];

/// Labels the wallet's biller schemas use (in English only), in Bangla. A
/// label not here is shown as the biller wrote it, in both languages.
const BILLER_LABELS: &[(&str, &str)] = &[
    ("Bill No", "বিল নম্বর"),
    ("Account No", "অ্যাকাউন্ট নম্বর"),
    ("Mobile No", "মোবাইল নম্বর"),
    ("Bill Type", "বিলের ধরন"),
    ("Zone", "জোন"),
    ("Customer ID", "গ্রাহক আইডি"),
    ("Customer No", "গ্রাহক নম্বর"),
    ("Meter No", "মিটার নম্বর"),
    ("Policy No", "পলিসি নম্বর"),
    ("Payment Token", "পেমেন্ট টোকেন"),
    ("Month", "মাস"),
    ("Year", "বছর"),
    ("Amount", "টাকার পরিমাণ"),
];

/// The values of `type`, `sub_type` and the package types, as a person reads
/// them in Bangla (in English, the value itself is the clearest name).
const OPTIONS: &[(&str, &str)] = &[
    ("recharge", "রিচার্জ"),
    ("data", "ডেটা প্যাক"),
    ("drive", "ড্রাইভ প্যাক"),
    ("mfs", "মোবাইল ব্যাংকিং"),
    ("bill", "বিল পরিশোধ"),
    ("Prepaid", "প্রিপেইড"),
    ("Postpaid", "পোস্টপেইড"),
    ("Personal", "পার্সোনাল"),
    ("Agent", "এজেন্ট"),
    // The package types only the clients' packages call names: the
    // validation entry leaves these rows out of its wasm.
    #[cfg(feature = "api-wording")]
    ("combo", "কম্বো প্যাক"),
    #[cfg(feature = "api-wording")]
    ("minutes", "মিনিট প্যাক"),
    #[cfg(feature = "api-wording")]
    ("rate", "কল রেট প্যাক"),
];

/// Names and codes a template may hold, the same in both languages: a
/// template writes `{https}`, never the Latin letters themselves.
#[cfg(feature = "api-wording")]
const NAMES: &[(&str, &str)] = &[
    ("http", "http://"),
    ("https", "https://"),
    ("allowInsecureHttp", "allowInsecureHttp"),
    ("true", "true"),
    ("false", "false"),
    ("origin", "https://shop.example"),
    ("any", "*"),
    ("json", "JSON"),
];
/// The validation entry's templates name none of them.
#[cfg(not(feature = "api-wording"))]
const NAMES: &[(&str, &str)] = &[];

/// The two languages every message is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Bn,
}

/// A value for a template's slot, written as each language writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot<'a> {
    /// A name, code, id or path: the same text in both languages.
    Code(&'a str),
    /// A whole number: grouped, in Bengali digits in Bangla.
    Count(u64),
    /// Taka: `৳5,000.00` in English, `৳৫,০০০.০০` (lakh grouping) in Bangla.
    Taka(Amount),
    /// Words with their own translation: `(English, Bangla)`.
    Text(&'a str, &'a str),
}

impl Slot<'_> {
    fn render(self, lang: Lang) -> String {
        let bn = lang == Lang::Bn;
        let digits = |s: String| if bn { bengali_digits(&s) } else { s };
        match self {
            Slot::Code(s) => s.to_owned(),
            Slot::Count(n) => digits(grouped(&decimal(n), bn)),
            Slot::Taka(a) => digits(cat(&["৳", &a.grouped(bn)])),
            Slot::Text(en, bn_text) => if bn { bn_text } else { en }.to_owned(),
        }
    }
}

/// `template` with every `{slot}` filled from `args`, then from [`NAMES`].
/// A slot with no value stays as written (the tests look for those).
pub fn fill(template: &str, lang: Lang, args: &[(&str, Slot<'_>)]) -> String {
    fill_with(template, lang, None, args)
}

/// [`fill`], with `{label}` filled from `label` before `args` (a field
/// error's label, without copying `args` into a new list for it).
fn fill_with(
    template: &str,
    lang: Lang,
    label: Option<Slot<'_>>,
    args: &[(&str, Slot<'_>)],
) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    // Character by character, the slot's name gathered as it is read: no
    // `split_once` (memchr, slicing and their panics, about 1 KB of wasm).
    let mut chars = template.chars();
    while let Some(c) = chars.next() {
        if c != '{' {
            out.push(c);
            continue;
        }
        let mut inside = String::new();
        let closed = loop {
            match chars.next() {
                Some('}') => break true,
                Some(c) => inside.push(c),
                None => break false,
            }
        };
        if !closed {
            out.push('{');
            out.push_str(&inside);
            return out;
        }
        let mut name = inside.as_str();
        while let Some(rest) = name.strip_prefix('{') {
            name = rest;
        }
        let value = match label {
            Some(label) if name == "label" => Some(label),
            _ => args.iter().find(|(n, _)| *n == name).map(|(_, v)| *v),
        };
        match value {
            Some(value) => out.push_str(&value.render(lang)),
            None => match NAMES.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => out.push_str(value),
                None => {
                    out.push('{');
                    out.push_str(&inside);
                    out.push('}');
                }
            },
        }
    }
    out
}

/// A field's `(English, Bangla)` label: from the table, or its own name.
pub fn label(field: &str) -> (&str, &str) {
    LABELS
        .iter()
        .find(|l| l.0 == field)
        .map_or((field, field), |l| (l.1, l.2))
}

/// A biller schema's label in both languages (its own text when unknown).
pub fn biller_label(label: &str) -> (&str, &str) {
    BILLER_LABELS
        .iter()
        .find(|l| l.0.eq_ignore_ascii_case(label.trim()))
        .map_or((label, label), |l| (label, l.1))
}

/// A list of option values, `(English, Bangla)`, joined with `sep_en`/`sep_bn`.
fn options(values: &[&str], sep_en: &str, sep_bn: &str) -> (String, String) {
    let (mut en, mut bn) = (String::new(), String::new());
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            en.push_str(sep_en);
            bn.push_str(sep_bn);
        }
        en.push_str(v);
        bn.push_str(OPTIONS.iter().find(|o| o.0 == *v).map_or(*v, |o| o.1));
    }
    (en, bn)
}

/// `"a, b, c"` in English, the Bangla names in Bangla: for "one of …".
pub fn one_of(values: &[&str]) -> (String, String) {
    options(values, ", ", ", ")
}

/// `"a or b"` in English, `"ক বা খ"` in Bangla.
pub fn either(values: &[&str]) -> (String, String) {
    options(values, " or ", " বা ")
}

/// Field names (`"phone, amount"`): the names in English, their labels in Bangla.
pub fn field_list(names: &str) -> (String, String) {
    let bn: Vec<&str> = names
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| label(n).1)
        .collect();
    (names.to_owned(), joined(&bn, ", "))
}

/// What a field error says: a code's own wording, or a rule under its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wording {
    Code(Code),
    Rule(Rule),
}

impl From<Code> for Wording {
    fn from(c: Code) -> Wording {
        Wording::Code(c)
    }
}

impl From<Rule> for Wording {
    fn from(r: Rule) -> Wording {
        Wording::Rule(r)
    }
}

impl Wording {
    pub fn code(self) -> Code {
        match self {
            Wording::Code(c) => c,
            Wording::Rule(r) => RULES
                .iter()
                .find(|row| row.0 == r)
                .map_or(Code::InvalidValue, |row| row.1),
        }
    }

    /// `(English, Bangla)` templates.
    fn templates(self) -> (&'static str, &'static str) {
        let found = match self {
            Wording::Code(c) => MESSAGES.iter().find(|r| r.0 == c).map(|r| (r.2, r.3)),
            Wording::Rule(r) => RULES
                .iter()
                .find(|row| row.0 == r)
                .map(|row| (row.2, row.3)),
        };
        found
            .filter(|t| !t.0.is_empty())
            .unwrap_or(("{label} is not valid.", "{label} সঠিক নয়।"))
    }
}

impl Code {
    fn row(self) -> Option<&'static (Code, &'static str, &'static str, &'static str)> {
        MESSAGES.iter().find(|row| row.0 == self)
    }

    /// The code with this machine name, e.g. `"invalid_phone"`.
    pub fn parse(name: &str) -> Option<Code> {
        MESSAGES.iter().find(|row| row.1 == name).map(|row| row.0)
    }

    /// The stable machine code, e.g. `invalid_phone`.
    pub fn as_str(self) -> &'static str {
        self.row().map_or("invalid", |r| r.1)
    }
}

/// One refused field: which, why (stable code) and how to say it to a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: Code,
    pub message: String,
    pub message_bn: String,
}

impl FieldError {
    /// An error on one of the APIs' own fields, labelled from the table.
    ///
    /// ```
    /// use bdpay_core::messages::{Code, FieldError, Rule};
    /// let e = FieldError::new("phone", Code::Required);
    /// assert_eq!((e.message.as_str(), e.message_bn.as_str()), ("Phone number is required.", "মোবাইল নম্বর লিখুন।"));
    /// let e = FieldError::new("package_id", Rule::Choose);
    /// assert_eq!((e.code.as_str(), e.message_bn.as_str()), ("required", "প্যাকেজ বেছে নিন।"));
    /// let e = FieldError::new("timeoutMs", Rule::WholeNumber);
    /// assert_eq!((e.code.as_str(), e.message.as_str()), ("invalid_value", "timeoutMs must be a whole number, 0 or more."));
    /// ```
    pub fn new(field: &str, why: impl Into<Wording>) -> FieldError {
        FieldError::with_args(field, why, &[])
    }

    /// As [`FieldError::new`], with slots such as `{min}` or `{options}` filled in.
    pub fn with_args(
        field: &str,
        why: impl Into<Wording>,
        args: &[(&str, Slot<'_>)],
    ) -> FieldError {
        FieldError::build(field, label(field), why.into(), args)
    }

    /// An error on a field whose `(English, Bangla)` label comes from elsewhere
    /// (a biller's schema).
    pub fn labelled(
        field: &str,
        label: (&str, &str),
        why: impl Into<Wording>,
        args: &[(&str, Slot<'_>)],
    ) -> FieldError {
        FieldError::build(field, label, why.into(), args)
    }

    // One copy in the wasm, whatever the callers' `impl Into`.
    fn build(
        field: &str,
        label: (&str, &str),
        why: Wording,
        args: &[(&str, Slot<'_>)],
    ) -> FieldError {
        let (en, bn) = why.templates();
        let label = Some(Slot::Text(label.0, label.1));
        FieldError {
            field: field.to_owned(),
            code: why.code(),
            message: fill_with(en, Lang::En, label, args),
            message_bn: fill_with(bn, Lang::Bn, label, args),
        }
    }

    /// `{ field, code, message, message_bn }`.
    pub fn to_json(&self) -> Value {
        object([
            ("field", self.field.as_str().into()),
            ("code", self.code.as_str().into()),
            ("message", self.message.as_str().into()),
            ("message_bn", self.message_bn.as_str().into()),
        ])
    }
}

/// The error for input that could not be read as JSON (too large, too deep,
/// or not JSON at all, as when a JS value could not be stringified).
pub fn unreadable(field: &str, e: crate::json::JsonError) -> FieldError {
    let code = match e {
        crate::json::JsonError::TooLarge => Code::TooLarge,
        crate::json::JsonError::TooDeep => Code::TooDeep,
        crate::json::JsonError::InvalidUtf8 | crate::json::JsonError::Syntax(_) => {
            Code::NotAnObject
        }
    };
    FieldError::new(field, code)
}

/// `{ ok: false, errors: [...] }`, the shape every validator returns on failure.
pub fn errors_json(errors: &[FieldError]) -> Value {
    object([
        ("ok", false.into()),
        ("errors", crate::json::array_of(errors, FieldError::to_json)),
    ])
}

/// Checks shared by the tests of every table of wording, in this crate and
/// the crates above it (their tests turn on the `check` feature).
#[cfg(any(test, feature = "check"))]
#[doc(hidden)]
pub mod check {
    use super::{Slot, NAMES};
    use crate::money::Amount;
    use crate::prelude::*;

    /// The slot names of a template, sorted, each once.
    pub fn slots(template: &str) -> Vec<&str> {
        let mut out: Vec<&str> = template
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The template with its slots taken out.
    pub fn without_slots(template: &str) -> String {
        let mut out = String::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            rest = rest[open..].split_once('}').map_or("", |(_, tail)| tail);
        }
        out.push_str(rest);
        out
    }

    pub fn has_latin(text: &str) -> bool {
        text.chars().any(|c| c.is_ascii_alphabetic())
    }

    pub fn has_bengali(text: &str) -> bool {
        text.chars().any(|c| ('\u{0980}'..='\u{09FF}').contains(&c))
    }

    /// Latin letters of a Bangla message once `allowed` (names and codes
    /// the message was given) and the table of names are taken out.
    pub fn latin_outside(bn: &str, allowed: &[&str]) -> Option<String> {
        let mut rest = bn.to_owned();
        let mut all: Vec<&str> = allowed.iter().copied().filter(|a| !a.is_empty()).collect();
        all.extend(NAMES.iter().map(|n| n.1));
        // Longest first, so that a name inside another is not taken alone.
        all.sort_by_key(|a| core::cmp::Reverse(a.len()));
        for a in all {
            rest = rest.replace(a, " ");
        }
        has_latin(&rest).then_some(rest)
    }

    /// An error says everything in both languages: its message and each field
    /// error's, no slot left unfilled, and Bangla with no Latin letters but the
    /// names and codes it was `given` (a server's sentence, a JSON path) and
    /// the names of fields that have no label of their own.
    pub fn assert_bilingual(
        what: &str,
        code: &str,
        message: (&str, &str),
        field_errors: &[super::FieldError],
        given: &[&str],
    ) {
        assert!(!code.is_empty(), "{what}: no code");
        let mut allowed: Vec<&str> = given.to_vec();
        for f in field_errors {
            let (en, bn) = super::label(&f.field);
            if en == bn {
                allowed.push(&f.field);
            }
            allowed.extend(f.field.split(['.', '[']));
        }
        let pairs = core::iter::once(message).chain(
            field_errors
                .iter()
                .map(|f| (f.message.as_str(), f.message_bn.as_str())),
        );
        for (en, bn) in pairs {
            assert!(!en.is_empty() && !en.contains('{'), "{what}: {en}");
            assert!(has_bengali(bn) && !bn.contains('{'), "{what}: {bn}");
            assert_eq!(latin_outside(bn, &allowed), None, "{what}: {bn}");
        }
    }

    /// A value for every slot name the tables use: the tests fill each
    /// template with these and look for a slot left unfilled.
    pub fn sample(name: &str) -> Slot<'static> {
        match name {
            "min" | "max" => Slot::Taka(Amount::from_taka(200_000)),
            "digits" => Slot::Text("11 or 12", "১১ বা ১২"),
            "options" | "service" | "fields" | "details" => Slot::Text("a, b", "ক, খ"),
            "label" => Slot::Text("Amount", "টাকার পরিমাণ"),
            _ => Slot::Code("code-1"),
        }
    }

    /// Every slot of `template` filled with [`sample`].
    pub fn samples(template: &str) -> Vec<(&str, Slot<'static>)> {
        slots(template)
            .into_iter()
            .map(|s| (s, sample(s)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::check::{has_bengali, has_latin, samples, slots, without_slots};
    use super::*;

    /// Every template of this module: `(name, English, Bangla)`.
    fn templates() -> Vec<(String, &'static str, &'static str)> {
        let codes = MESSAGES.iter().map(|r| (r.1.to_owned(), r.2, r.3));
        let rules = RULES.iter().map(|r| (format!("{:?}", r.0), r.2, r.3));
        codes.chain(rules).collect()
    }

    #[test]
    fn every_code_and_rule_has_its_own_wording() {
        let mut codes: Vec<&str> = MESSAGES.iter().map(|r| r.1).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), MESSAGES.len());
        // Two rows may share their English only when they are one code's
        // and their Bangla differs ("লিখুন" or "বেছে নিন" after the same
        // "is required").
        let mut said: Vec<(&str, &str)> = templates().iter().map(|t| (t.1, t.2)).collect();
        said.sort_unstable();
        said.dedup();
        assert_eq!(
            said.len(),
            MESSAGES.len() + RULES.len(),
            "two rows say the same"
        );
        for rule in RULES {
            let own = MESSAGES.iter().find(|m| m.2 == rule.2);
            assert!(
                own.is_none_or(|m| m.0 == rule.1),
                "{:?} says what another code says",
                rule.0
            );
        }
        let mut rules: Vec<Rule> = RULES.iter().map(|r| r.0).collect();
        rules.dedup();
        assert_eq!(rules.len(), RULES.len());
    }

    #[test]
    fn both_languages_have_the_same_slots() {
        for (name, en, bn) in templates() {
            assert_eq!(slots(en), slots(bn), "{name}");
        }
    }

    #[test]
    fn bangla_templates_hold_no_latin_letters_outside_slots() {
        for (name, _, bn) in templates() {
            assert!(has_bengali(bn), "{name}: no Bangla in {bn}");
            assert!(
                !has_latin(&without_slots(bn)),
                "{name}: Latin letters in {bn}"
            );
        }
    }

    #[test]
    fn no_bangla_template_glues_a_suffix_to_a_slot() {
        for (name, _, bn) in templates() {
            for after in bn.split('}').skip(1) {
                let next = after.chars().next();
                assert!(
                    !next.is_some_and(|c| c == '-' || has_bengali(&c.to_string())),
                    "{name}: a suffix glued to a slot in {bn}"
                );
            }
        }
    }

    #[test]
    fn every_slot_is_filled() {
        for (name, en, bn) in templates() {
            let args = samples(en);
            for (lang, t) in [(Lang::En, en), (Lang::Bn, bn)] {
                let out = fill(t, lang, &args);
                assert!(!out.contains('{'), "{name}: {out}");
            }
        }
    }

    #[test]
    fn names_are_the_same_in_both_languages() {
        for (slot, value) in NAMES {
            assert!(!value.is_empty() && value.is_ascii(), "{slot}");
            assert_eq!(
                fill(&["{", slot, "}"].concat(), Lang::Bn, &[]),
                *value,
                "{slot}"
            );
        }
    }

    #[test]
    fn options_and_labels_are_translated() {
        for (value, bn) in OPTIONS.iter().chain(BILLER_LABELS) {
            assert!(has_bengali(bn) && !has_latin(bn), "{value}: {bn}");
        }
        for (field, en, bn) in LABELS {
            assert!(
                !en.is_empty() && has_bengali(bn) && !has_latin(bn),
                "{field}"
            );
        }
        assert_eq!(
            one_of(&["recharge", "mfs"]),
            ("recharge, mfs".to_owned(), "রিচার্জ, মোবাইল ব্যাংকিং".to_owned())
        );
        assert_eq!(biller_label("Bill No"), ("Bill No", "বিল নম্বর"));
        assert_eq!(biller_label("Flat No"), ("Flat No", "Flat No"));
        assert_eq!(
            field_list("phone, amount"),
            (
                "phone, amount".to_owned(),
                "মোবাইল নম্বর, টাকার পরিমাণ".to_owned()
            )
        );
    }

    #[test]
    fn every_code_is_in_the_typescript_union() {
        let dts = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../pkg-template/index.d.ts"
        ))
        .unwrap();
        let union = &dts[dts.find("export type ErrorCode =").unwrap()..];
        let union = &union[..union.find(';').unwrap()];
        for (_, code, _, _) in MESSAGES {
            assert!(
                union.contains(&["'", code, "'"].concat()),
                "{code} missing from ErrorCode in index.d.ts"
            );
        }
    }

    #[test]
    fn unreadable_input_says_why() {
        use crate::json::{parse, MAX_DEPTH};
        let deep = "[".repeat(MAX_DEPTH + 1);
        let rows = [
            (deep.as_str(), "too_deep"),
            ("{", "not_an_object"),
            ("\u{0}", "not_an_object"),
        ];
        for (text, code) in rows {
            let e = parse(text.as_bytes())
                .map_err(|e| unreadable("", e))
                .unwrap_err();
            assert_eq!(e.code.as_str(), code, "{text}");
        }
        let big = " ".repeat(crate::json::MAX_BYTES + 1);
        let e = unreadable("", parse(big.as_bytes()).unwrap_err());
        assert_eq!(
            (e.message.as_str(), e.message_bn.as_str()),
            ("The request is too large.", "অনুরোধটি আকারে খুব বড়।")
        );
    }

    #[test]
    fn fills_labels_amounts_and_bengali_digits() {
        let min = Slot::Taka(Amount::from_taka(10));
        let e = FieldError::with_args("amount", Code::AmountTooSmall, &[("min", min)]);
        assert_eq!(e.code.as_str(), "amount_too_small");
        assert_eq!(e.message, "Amount must be at least ৳10.00.");
        assert_eq!(e.message_bn, "টাকার পরিমাণ কমপক্ষে ৳১০.০০ হতে হবে।");
        let max = Slot::Taka(Amount::from_taka(200_000));
        let e = FieldError::with_args("amount", Code::AmountTooLarge, &[("max", max)]);
        assert_eq!(e.message, "Amount must be at most ৳200,000.00.");
        assert_eq!(e.message_bn, "টাকার পরিমাণ ৳২,০০,০০০.০০ বা তার কম হতে হবে।");
        let e = FieldError::new("phone", Code::Required);
        assert_eq!(
            (e.message.as_str(), e.message_bn.as_str()),
            ("Phone number is required.", "মোবাইল নম্বর লিখুন।")
        );
        for field in ["type", "operator_code", "sub_type", "package_id"] {
            let e = FieldError::new(field, Rule::Choose);
            assert_eq!(e.code, Code::Required, "{field}");
            assert!(e.message.ends_with(" is required."), "{field}");
            assert!(
                e.message_bn.ends_with(" বেছে নিন।"),
                "{field}: {}",
                e.message_bn
            );
        }
        let e = FieldError::with_args(
            "phone",
            Rule::UnusedPrefix,
            &[("prefix", Slot::Text("012", "০১২"))],
        );
        assert_eq!(
            (e.code, e.message_bn.as_str()),
            (Code::InvalidPhone, "০১২ দিয়ে কোনো অপারেটরের নম্বর শুরু হয় না।")
        );
        let e = FieldError::with_args(
            "expiresIn",
            Rule::Seconds,
            &[("min", Slot::Count(10)), ("max", Slot::Count(86_400))],
        );
        assert_eq!(
            (e.code, e.message_bn.as_str()),
            (
                Code::InvalidValue,
                "মেয়াদ (সেকেন্ড) ১০ থেকে ৮৬,৪০০ সেকেন্ডের মধ্যে একটি পূর্ণসংখ্যা হতে হবে।"
            )
        );
        let e = FieldError::labelled(
            "bll_no",
            biller_label("Bill No"),
            Rule::LettersAndDigits,
            &[],
        );
        assert_eq!(
            (e.message.as_str(), e.message_bn.as_str()),
            (
                "Bill No may contain only letters and digits.",
                "বিল নম্বর শুধু অক্ষর ও অঙ্ক দিয়ে লিখতে হবে।"
            )
        );
    }

    #[test]
    fn a_value_that_holds_a_slot_is_not_filled_again() {
        let e = FieldError::with_args(
            "x",
            Rule::ServerSaid,
            &[("server", Slot::Code("{label} {https}"))],
        );
        assert_eq!(e.message, "x was refused by the server: {label} {https}");
    }
}
