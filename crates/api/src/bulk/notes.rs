//! What a bulk job says about a file, a row or itself, in English and Bangla:
//! one row per saying, as in [`crate::error::wording`], and one shape for
//! every problem shown beside a row ([`Issue`]).

use crate::prelude::*;

use bdpay_core::json::{object, Value};
use bdpay_core::messages::{fill, FieldError, Lang, Slot};
use serde::Deserialize;

use crate::error::ApiError;

/// Every saying of a bulk job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Note {
    MissingColumn,
    Unreadable,
    NoRows,
    TooManyRows,
    ExtraCells,
    DuplicateNumber,
    MaybePorted,
    ShortOfBalance,
    Skipped,
    Cancelled,
    NotEditable,
    NoSuchLine,
    BadState,
    PaymentFailed,
    PaymentFailedSaying,
}

/// `(note, code, English, Bangla)`. Codes are public API.
#[rustfmt::skip]
const NOTES: &[(Note, &str, &str, &str)] = &[
    (Note::MissingColumn, "missing_column",
        "The file has no {column} column.",
        "ফাইলে {column} কলাম নেই।"),
    (Note::Unreadable, "unreadable_csv",
        "Line {line} of the file cannot be read as CSV.",
        "ফাইলের {line} নম্বর লাইনটি CSV হিসেবে পড়া যায়নি।"),
    (Note::NoRows, "no_rows",
        "The file has a header but no rows.",
        "ফাইলে হেডার আছে, কিন্তু কোনো সারি নেই।"),
    (Note::TooManyRows, "too_many_rows",
        "A file may have at most {max} rows.",
        "একটি ফাইলে সর্বোচ্চ {max}টি সারি থাকতে পারে।"),
    (Note::ExtraCells, "extra_cells",
        "This row has more cells than the header has columns.",
        "এই সারিতে হেডারের কলামের চেয়ে বেশি ঘর আছে।"),
    (Note::DuplicateNumber, "duplicate_number",
        "The same number is on line {line} too.",
        "একই নম্বর {line} নম্বর লাইনেও আছে।"),
    (Note::MaybePorted, "check_operator",
        "Check the operator: {operator} is a guess from the prefix {prefix}, which more than one operator uses, and the number may be ported.",
        "অপারেটর যাচাই করুন: {operator} শুধু {prefix} দিয়ে শুরু দেখে অনুমান করা; এই শুরু একাধিক অপারেটরের, আর নম্বরটি পোর্ট করা হতে পারে।"),
    (Note::ShortOfBalance, "short_of_balance",
        "The file needs {need} from the {balance} balance, which holds {have}.",
        "ফাইলের জন্য {balance} ব্যালেন্স থেকে {need} লাগবে, কিন্তু আছে {have}।"),
    (Note::Skipped, "skipped",
        "Skipped: not sent.",
        "বাদ দেওয়া হয়েছে: পাঠানো হয়নি।"),
    (Note::Cancelled, "cancelled",
        "Cancelled before it was sent.",
        "পাঠানোর আগেই বাতিল করা হয়েছে।"),
    (Note::NotEditable, "not_editable",
        "Line {line} has been sent: it can no longer be changed or skipped.",
        "{line} নম্বর লাইনটি পাঠানো হয়ে গেছে: এটি আর বদলানো বা বাদ দেওয়া যাবে না।"),
    (Note::NoSuchLine, "no_such_line",
        "The file has no line {line}.",
        "ফাইলে {line} নম্বর লাইন নেই।"),
    (Note::BadState, "invalid_job_state",
        "The saved job cannot be read ({details}); it was not resumed.",
        "সংরক্ষিত কাজটি পড়া যায়নি ({details}); তাই আবার শুরু করা হয়নি।"),
    (Note::PaymentFailed, "payment_failed",
        "The gateway marked the payment {status}.",
        "গেটওয়ে পেমেন্টটিকে {status} দেখিয়েছে।"),
    (Note::PaymentFailedSaying, "payment_failed",
        "The gateway marked the payment {status}: “{reason}”",
        "গেটওয়ে পেমেন্টটিকে {status} দেখিয়েছে: “{reason}”"),
];

impl Note {
    fn row(self) -> (&'static str, &'static str, &'static str) {
        NOTES
            .iter()
            .find(|r| r.0 == self)
            .map_or(("invalid", "", ""), |r| (r.1, r.2, r.3))
    }

    pub fn code(self) -> &'static str {
        self.row().0
    }

    /// Every note, for the tests.
    #[cfg(test)]
    pub(crate) fn all() -> impl Iterator<Item = (Note, &'static str, &'static str)> {
        NOTES.iter().map(|r| (r.0, r.2, r.3))
    }
}

/// One problem with the file, a row or a payment: which field (`""` for the
/// whole row or file), a stable code and the sentence in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Issue {
    pub field: String,
    pub code: String,
    pub message: String,
    pub message_bn: String,
}

impl Issue {
    pub fn note(field: &str, note: Note, args: &[(&str, Slot<'_>)]) -> Issue {
        let (code, en, bn) = note.row();
        Issue {
            field: field.to_owned(),
            code: code.to_owned(),
            message: fill(en, Lang::En, args),
            message_bn: fill(bn, Lang::Bn, args),
        }
    }

    pub fn of_field(e: &FieldError) -> Issue {
        Issue {
            field: e.field.clone(),
            code: e.code.as_str().to_owned(),
            message: e.message.clone(),
            message_bn: e.message_bn.clone(),
        }
    }

    /// A payment's error: its code and sentences (the server's own words
    /// stay in the error, not in a results file).
    pub fn of_api(e: &ApiError) -> Issue {
        Issue {
            field: String::new(),
            code: e.code.clone(),
            message: e.message.clone(),
            message_bn: e.message_bn.clone(),
        }
    }

    pub fn to_json(&self) -> Value {
        object([
            ("field", self.field.as_str().into()),
            ("code", self.code.as_str().into()),
            ("message", self.message.as_str().into()),
            ("message_bn", self.message_bn.as_str().into()),
        ])
    }
}

/// `issues` as a JSON array.
pub fn issues_json(issues: &[Issue]) -> Value {
    Value::Array(issues.iter().map(Issue::to_json).collect())
}
