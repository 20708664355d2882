//! What a bulk job says about a file, a row or itself, in English and Bangla:
//! one row per saying, as in [`crate::error::wording`], and one shape for
//! every problem shown beside a row ([`Issue`]).

use crate::prelude::*;

use bdpay_core::json::{object, Value};
use bdpay_core::messages::{fill, FieldError, Lang, Slot};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// Every saying of a bulk job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Note {
    EmptyFile,
    NotText,
    NotUtf8,
    BadUtf16,
    MissingColumn,
    DuplicateColumn,
    Unreadable,
    NoRows,
    TooManyRows,
    ExtraCells,
    DuplicateNumber,
    MaybePorted,
    ShortOfBalance,
    Skipped,
    SkippedFor,
    Cancelled,
    NotEditable,
    JobClosed,
    NoSuchLine,
    BadState,
    PaymentFailed,
    PaymentFailedSaying,
    ExponentAmount,
    LookAlike,
    ToSend,
    ToSettleFirst,
    OperatorTotal,
    WithErrors,
    WarningSummary,
    NoAnswer,
}

/// `(note, code, English, Bangla)`. Codes are public API.
#[rustfmt::skip]
const NOTES: &[(Note, &str, &str, &str)] = &[
    (Note::EmptyFile, "empty_file",
        "The file is empty.",
        "ফাইলটি খালি।"),
    (Note::NotText, "not_text",
        "This is not a CSV file: {what}. Open it in the spreadsheet and save it as “CSV UTF-8”.",
        "এটি CSV ফাইল নয়: {what}। ফাইলটি স্প্রেডশিটে খুলে “CSV UTF-8” হিসেবে সেভ করুন।"),
    (Note::NotUtf8, "not_utf8",
        "The file is not UTF-8 text: line {line} holds the byte {byte}, which UTF-8 does not allow there. Save it from the spreadsheet as “CSV UTF-8” and try again.",
        "ফাইলটি UTF-8 লেখা নয়: {line} নম্বর লাইনে {byte} বাইটটি আছে, যা UTF-8-এ ওখানে থাকতে পারে না। স্প্রেডশিট থেকে ফাইলটি “CSV UTF-8” হিসেবে সেভ করে আবার চেষ্টা করুন।"),
    (Note::BadUtf16, "bad_utf16",
        "The file starts as UTF-16 text but breaks off at line {line}. Save it from the spreadsheet as “CSV UTF-8” and try again.",
        "ফাইলটি UTF-16 লেখা হিসেবে শুরু হয়েছে, কিন্তু {line} নম্বর লাইনে ভেঙে গেছে। স্প্রেডশিট থেকে ফাইলটি “CSV UTF-8” হিসেবে সেভ করে আবার চেষ্টা করুন।"),
    (Note::MissingColumn, "missing_column",
        "The file has no {column} column; the header row has: {found}.",
        "ফাইলে {column} কলাম নেই; হেডারের সারিতে আছে: {found}।"),
    (Note::DuplicateColumn, "duplicate_column",
        "The columns “{first}” and “{second}” both give the {column}: keep one of them.",
        "“{first}” আর “{second}” দুটি কলামই {column} দেয়: একটি রাখুন।"),
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
    (Note::SkippedFor, "skipped",
        "Skipped, not sent: {reason}",
        "বাদ দেওয়া হয়েছে, পাঠানো হয়নি: {reason}"),
    (Note::Cancelled, "cancelled",
        "Cancelled before it was sent.",
        "পাঠানোর আগেই বাতিল করা হয়েছে।"),
    (Note::NotEditable, "not_editable",
        "Line {line} has been sent: it can no longer be changed or skipped.",
        "{line} নম্বর লাইনটি পাঠানো হয়ে গেছে: এটি আর বদলানো বা বাদ দেওয়া যাবে না।"),
    (Note::JobClosed, "job_closed",
        "The job has ended: line {line} can no longer be changed, skipped or taken back in.",
        "কাজটি শেষ হয়ে গেছে: {line} নম্বর লাইনটি আর বদলানো, বাদ দেওয়া বা আবার যোগ করা যাবে না।"),
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
    (Note::ExponentAmount, "invalid_amount",
        "Write the amount out in full, like 1000: “{value}” is a spreadsheet's exponent notation.",
        "টাকার পরিমাণ পুরোটা লিখুন, যেমন ১০০০: “{value}” স্প্রেডশিটের সূচক আকারে লেখা।"),
    (Note::LookAlike, "look_alike",
        "The number holds “{char}” ({code}), which may look like a digit, space or hyphen but is none: type the number again.",
        "নম্বরে “{char}” ({code}) আছে, যা দেখতে অঙ্ক, ফাঁকা বা হাইফেনের মতো হলেও তা নয়: নম্বরটি আবার টাইপ করুন।"),
    (Note::ToSend, "to_send",
        "Rows to send: {rows}, {amount} in all.",
        "পাঠানোর সারি: {rows}টি, মোট {amount}।"),
    (Note::ToSettleFirst, "to_settle_first",
        "Of these, sent before with no answer: {rows}. Each is looked up by its ref_id first, and sent again only if the gateway holds nothing under it.",
        "এর মধ্যে আগে পাঠানো হয়েছিল, কিন্তু উত্তর আসেনি: {rows}টি। প্রতিটি আগে তার রেফারেন্স আইডি দিয়ে খোঁজা হবে, আর গেটওয়েতে কিছু না থাকলেই আবার পাঠানো হবে।"),
    (Note::OperatorTotal, "operator_total",
        "{operator}: {amount}; rows: {rows}",
        "{operator}: {amount}; সারি: {rows}টি"),
    (Note::WithErrors, "rows_with_errors",
        "Rows with errors, never sent: {rows}.",
        "ভুলসহ সারি, যা কখনো পাঠানো হবে না: {rows}টি।"),
    (Note::WarningSummary, "warnings",
        "Rows to check ({code}): {rows}, like line {line}: {message}",
        "যাচাই করার সারি ({code}): {rows}টি, যেমন {line} নম্বর লাইন: {message}"),
    (Note::NoAnswer, "gateway_failing",
        "{calls} calls in a row to the gateway failed ({reason}), so the job paused: check the network and the gateway's address, then run it again.",
        "গেটওয়েতে পরপর {calls}টি অনুরোধ ব্যর্থ হয়েছে ({reason}), তাই কাজটি থেমে আছে: নেটওয়ার্ক আর গেটওয়ের ঠিকানা দেখে আবার চালান।"),
];

/// The gateway's own words (a transaction's `trx_status` and `message`,
/// written in English only) that have a Bangla, as the checkout page says
/// them: a reason said in a Bangla sentence is said in Bangla.
const GATEWAY_BN: &[(&str, &str)] = &[
    ("Success", "সফল"),
    ("Failed", "ব্যর্থ"),
    ("Pending", "প্রক্রিয়াধীন"),
    ("Request accepted", "অনুরোধ গ্রহণ করা হয়েছে"),
    ("Successful", "সফল হয়েছে"),
    ("Recipient not reachable", "প্রাপকের নম্বরে পৌঁছানো যায়নি"),
];

/// The gateway's `text` in Bangla when it is a known one, else as written.
pub fn gateway_bn(text: &str) -> &str {
    let key = text.trim();
    GATEWAY_BN
        .iter()
        .find(|(en, _)| en.eq_ignore_ascii_case(key))
        .map_or(text, |(_, bn)| bn)
}

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
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
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
pub fn issues_json<'a>(issues: impl IntoIterator<Item = &'a Issue>) -> Value {
    Value::Array(issues.into_iter().map(Issue::to_json).collect())
}
