//! Field errors: a stable machine code per failure, with English and Bangla
//! messages beside it (never instead of it). All wording lives in the two
//! tables below, so a translation fix is one edit.

use crate::json::{object, Value};
use crate::text::bengali_digits;

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

/// `(code, English, Bangla)`; `{label}`, `{min}`, `{max}` and `{options}` are filled in.
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
        "{label} দিতে হবে।",
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
        "১১ সংখ্যার বাংলাদেশি মোবাইল নম্বর দিন, যেমন ০১৭১২৩৪৫৬৭৮।",
    ),
    (
        Code::InvalidWallet,
        "invalid_wallet",
        "Enter the wallet number: {options} digits.",
        "ওয়ালেট নম্বর দিন: {options} সংখ্যা।",
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
        "This operator does not offer {options}.",
        "এই অপারেটর {options} সেবা দেয় না।",
    ),
    (
        Code::InvalidMonth,
        "invalid_month",
        "Month must be 01 to 12.",
        "মাস ০১ থেকে ১২ এর মধ্যে হতে হবে।",
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
        "টাকার পরিমাণে দশমিকের পরে সর্বোচ্চ ২টি অঙ্ক থাকতে পারে।",
    ),
    (
        Code::AmountTooSmall,
        "amount_too_small",
        "Amount must be at least ৳{min}.",
        "টাকার পরিমাণ কমপক্ষে ৳{min} হতে হবে।",
    ),
    (
        Code::AmountTooLarge,
        "amount_too_large",
        "Amount must be at most ৳{max}.",
        "টাকার পরিমাণ সর্বোচ্চ ৳{max} হতে পারে।",
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
        "রেফারেন্স আইডি ১ থেকে ৬৪টি অক্ষর, সংখ্যা বা . _ : - হতে পারে।",
    ),
    (
        Code::InvalidBillNumber,
        "invalid_bill_number",
        "Bill number must be 4 to 30 letters or digits.",
        "বিল নম্বর ৪ থেকে ৩০টি অক্ষর বা সংখ্যা হতে হবে।",
    ),
    (
        Code::InvalidValue,
        "invalid_value",
        "{label} may contain only letters and digits.",
        "{label}-এ শুধু অক্ষর ও সংখ্যা থাকতে পারে।",
    ),
    (
        Code::InvalidOption,
        "invalid_option",
        "Choose one of the options for {label}.",
        "{label}-এর জন্য একটি বিকল্প বেছে নিন।",
    ),
    (
        Code::ReadOnly,
        "read_only",
        "{label} cannot be changed.",
        "{label} পরিবর্তন করা যায় না।",
    ),
    (
        Code::TooLong,
        "too_long",
        "{label} is too long.",
        "{label} অনেক বড়।",
    ),
    (
        Code::Rejected,
        "rejected",
        "{label} was refused by the server.",
        "সার্ভার {label} গ্রহণ করেনি।",
    ),
    (
        Code::InvalidPin,
        "invalid_pin",
        "PIN must be 4 to 6 digits.",
        "পিন ৪ থেকে ৬ সংখ্যার হতে হবে।",
    ),
    (
        Code::InvalidId,
        "invalid_id",
        "{label} must be 1 to 64 letters, digits or . _ : -",
        "{label} ১ থেকে ৬৪টি অক্ষর, সংখ্যা বা . _ : - হতে পারে।",
    ),
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
        "{label} অনেক বড়।",
    ),
    (
        Code::TooDeep,
        "too_deep",
        "{label} is nested too deeply.",
        "{label}-এ অনেক স্তরের নেস্টিং আছে।",
    ),
    (
        Code::InvalidUrl,
        "invalid_url",
        "{label} must be an http:// or https:// URL.",
        "{label} একটি http:// বা https:// URL হতে হবে।",
    ),
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
    ("phone", "Phone number", "ফোন নম্বর"),
    ("amount", "Amount", "টাকার পরিমাণ"),
    ("sub_type", "Sub-type", "উপ-ধরন"),
    ("package_id", "Package", "প্যাকেজ"),
    ("bill_number", "Bill number", "বিল নম্বর"),
    ("month", "Month", "মাস"),
    ("ref_id", "Reference ID", "রেফারেন্স আইডি"),
    ("trx_id", "Transaction ID", "লেনদেন আইডি"),
    ("request_id", "Request ID", "অনুরোধ আইডি"),
    ("pin", "PIN", "পিন"),
    ("price", "Package price", "প্যাকেজের দাম"),
    ("total", "Total payable", "মোট দেয়"),
    ("expiresIn", "Lifetime (seconds)", "মেয়াদ (সেকেন্ড)"),
    ("intentKey", "The intent key", "ইনটেন্ট কী"),
    (
        "intentKeyPrevious",
        "The previous intent key",
        "আগের ইনটেন্ট কী",
    ),
    ("", "The request", "অনুরোধটি"),
];

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
    pub fn new(field: &str, code: Code) -> FieldError {
        FieldError::with_args(field, code, &[])
    }

    /// As [`FieldError::new`], with `{min}`, `{max}` or `{options}` filled in.
    pub fn with_args(field: &str, code: Code, args: &[(&str, &str)]) -> FieldError {
        let (en, bn) = LABELS
            .iter()
            .find(|l| l.0 == field)
            .map_or((field, field), |l| (l.1, l.2));
        FieldError::labelled(field, en, bn, code, args)
    }

    /// An error on a field whose label comes from elsewhere (a biller's schema).
    pub fn labelled(
        field: &str,
        label: &str,
        label_bn: &str,
        code: Code,
        args: &[(&str, &str)],
    ) -> FieldError {
        let (en, bn) = code
            .row()
            .map_or(("{label} is invalid.", "{label} সঠিক নয়।"), |r| (r.2, r.3));
        FieldError {
            field: field.to_owned(),
            code,
            message: fill(en, label, args, false),
            message_bn: fill(bn, label_bn, args, true),
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

fn fill(template: &str, label: &str, args: &[(&str, &str)], bengali: bool) -> String {
    let mut out = template.replace("{label}", label);
    for (name, value) in args {
        let value = if bengali {
            bengali_digits(value)
        } else {
            (*value).to_owned()
        };
        out = out.replace(&["{", name, "}"].concat(), &value);
    }
    out
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
        (
            "errors",
            Value::Array(errors.iter().map(FieldError::to_json).collect()),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_distinct_wording() {
        let mut codes: Vec<&str> = MESSAGES.iter().map(|r| r.1).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), MESSAGES.len());
        for (_, code, en, bn) in MESSAGES {
            assert!(!en.is_empty() && !bn.is_empty(), "{code}");
            assert!(
                bn.chars().any(|c| ('\u{0980}'..='\u{09FF}').contains(&c)),
                "{code} Bangla"
            );
        }
    }

    #[test]
    fn every_code_is_in_the_typescript_union() {
        let dts = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/pkg-template/index.d.ts"
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
        assert_eq!(
            unreadable("", parse(big.as_bytes()).unwrap_err()).message,
            "The request is too large."
        );
    }

    #[test]
    fn fills_labels_and_bengali_digits() {
        let e = FieldError::with_args("amount", Code::AmountTooSmall, &[("min", "10.00")]);
        assert_eq!(e.code.as_str(), "amount_too_small");
        assert_eq!(e.message, "Amount must be at least ৳10.00.");
        assert_eq!(e.message_bn, "টাকার পরিমাণ কমপক্ষে ৳১০.০০ হতে হবে।");
        let e = FieldError::new("phone", Code::Required);
        assert_eq!(
            (e.message.as_str(), e.message_bn.as_str()),
            ("Phone number is required.", "ফোন নম্বর দিতে হবে।")
        );
    }
}
