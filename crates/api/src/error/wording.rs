//! What an [`ApiError`](super::ApiError) says, in English and Bangla: one row
//! per message with a stable code and named slots. The sentences of both
//! APIs this library knows are rows too, their English as the API writes it.
//! No message is built anywhere else.

use crate::prelude::*;

use bdpay_core::messages::{fill, Lang};

/// Every message of an `ApiError` the library writes itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Say {
    // With no message from the server, one per kind.
    Unauthorized,
    Forbidden,
    NotFound,
    Refused,
    InsufficientBalance,
    Duplicate,
    RateLimited,
    Timeout,
    Network,
    ServerFailed,
    BadResponse,
    ReferenceTaken,
    OutcomeUnknown,
    Repeat,
    // The client's own.
    Pending,
    UnexpectedResponse,
    Redirect,
    AnswerTooLarge,
    RefIdConflict,
    RequestIdConflict,
    RepeatPayment,
    ValidatorConfig,
    ProxyConfig,
    NotSigned,
    StoreFailed,
    NoIntent,
    // A server's sentence this library does not know, quoted.
    ServerRefusedSaying,
    ServerFailedSaying,
    // Sentences of the gateway and the wallet.
    Unauthenticated,
    TooManyAttempts,
    TransactionNotFound,
    OperatorNotActive,
    ServiceNotAvailable,
    AccountInactive,
    ApiAccessDisabled,
    WalletAccountInactive,
    PinMismatch,
    RequestIdInvalid,
    PackageIdInvalid,
    BillerIdInvalid,
    RequestIdRequired,
    PinRequired,
    PinNotANumber,
    BillerIdRequired,
    BillNotFound,
    WalletFailed,
    DataInvalid,
    RouteNotFound,
    ServerError,
    BodyNotObject,
}

/// One row per saying: `(say, code, English, Bangla)`. Codes are public API
/// (`err.code`). The rows become [`Say::row`], a `match` a caller can
/// evaluate in a `const` so that a build saying one thing carries only that
/// row's words (the `bdpay` entry's validator config error), and [`SAYINGS`],
/// every saying, for [`Say::known`] and the tests.
macro_rules! sayings {
    ($(($say:path, $code:literal, $en:literal, $bn:literal),)*) => {
        /// Every saying, in the order of its rows.
        pub(crate) const SAYINGS: &[Say] = &[$($say),*];

        impl Say {
            /// `(code, English, Bangla)`.
            pub const fn row(self) -> (&'static str, &'static str, &'static str) {
                match self {
                    $($say => ($code, $en, $bn),)*
                }
            }
        }
    };
}

#[rustfmt::skip]
sayings! {
    (Say::Unauthorized, "unauthorized",
        "Missing or invalid API token.",
        "এপিআই টোকেন নেই, বা টোকেনটি সঠিক নয়।"),
    (Say::Forbidden, "forbidden",
        "The account is inactive or has no API access.",
        "অ্যাকাউন্টটি সক্রিয় নয়, বা এতে এপিআই ব্যবহারের অনুমতি নেই।"),
    (Say::NotFound, "not_found", "Not found.", "পাওয়া যায়নি।"),
    (Say::Refused, "refused",
        "The request was refused.",
        "সার্ভার অনুরোধটি গ্রহণ করেনি।"),
    (Say::InsufficientBalance, "insufficient_balance",
        "Insufficient balance.",
        "ব্যালেন্স যথেষ্ট নয়।"),
    (Say::Duplicate, "duplicate",
        "Duplicate transaction.",
        "একই লেনদেন আগেই পাঠানো হয়েছে।"),
    (Say::RateLimited, "rate_limited",
        "Too many requests; slow down.",
        "খুব বেশি অনুরোধ পাঠানো হয়েছে; একটু থেমে আবার চেষ্টা করুন।"),
    (Say::Timeout, "timeout",
        "The request timed out.",
        "সার্ভার সময়মতো উত্তর দেয়নি।"),
    (Say::Network, "network",
        "Network error: the server could not be reached.",
        "নেটওয়ার্কের সমস্যায় সার্ভারের সাথে যোগাযোগ করা যায়নি।"),
    (Say::ServerFailed, "server",
        "The server failed.",
        "সার্ভারে সমস্যা হয়েছে।"),
    (Say::BadResponse, "bad_response",
        "Unexpected response.",
        "সার্ভারের উত্তর বোঝা যায়নি।"),
    (Say::ReferenceTaken, "reference_taken",
        "A different payment already holds this reference.",
        "এই রেফারেন্স আগেই অন্য একটি পেমেন্টে ব্যবহার হয়েছে।"),
    (Say::OutcomeUnknown, "outcome_unknown",
        "The payment was sent, and whether it went through is not known yet. Do not pay again: its status will tell.",
        "পেমেন্টটি পাঠানো হয়েছে, তবে তা সম্পন্ন হয়েছে কি না এখনো জানা যায়নি। আবার পেমেন্ট করবেন না: স্ট্যাটাস দেখে জানা যাবে।"),
    (Say::Repeat, "repeat",
        "The same payment was sent a few minutes ago. Nothing was sent now.",
        "একই পেমেন্ট কয়েক মিনিট আগে পাঠানো হয়েছে। এখন কিছু পাঠানো হয়নি।"),
    (Say::Pending, "pending",
        "The transaction is still pending.",
        "লেনদেনটি এখনো প্রক্রিয়াধীন।"),
    (Say::UnexpectedResponse, "unexpected_response",
        "Unexpected response: {what}",
        "সার্ভারের উত্তর বোঝা যায়নি ({what})।"),
    (Say::Redirect, "redirect",
        "Unexpected response: a redirect (not followed)",
        "সার্ভার উত্তর না দিয়ে অন্য ঠিকানায় যেতে বলেছে; সেখানে যাওয়া হয়নি।"),
    (Say::AnswerTooLarge, "answer_too_large",
        "Unexpected response: a body over 1 MiB",
        "সার্ভারের উত্তর ১ মেগাবাইটের বেশি বড়, তাই পড়া হয়নি।"),
    (Say::RefIdConflict, "ref_id_conflict",
        "The gateway holds a different payment under ref_id {ref_id} (differing in {fields}), so this payment is not confirmed; a new payment needs a new ref_id.",
        "গেটওয়েতে রেফারেন্স আইডি {ref_id} দিয়ে অন্য একটি পেমেন্ট রাখা আছে (যেখানে আলাদা: {fields}), তাই এই পেমেন্টটি নিশ্চিত নয়; নতুন পেমেন্টের জন্য নতুন রেফারেন্স আইডি লাগবে।"),
    (Say::RequestIdConflict, "request_id_conflict",
        "The wallet's history of request_id {request_id} shows another amount than its summary, so this payment is not confirmed.",
        "ওয়ালেটের ইতিহাসে অনুরোধ আইডি {request_id} দিয়ে যে পেমেন্ট আছে, তার টাকার পরিমাণ সারসংক্ষেপের সাথে মেলে না; তাই এই পেমেন্টটি নিশ্চিত নয়।"),
    (Say::RepeatPayment, "repeat_payment",
        "{amount} to {to} was sent {minutes} min ago. Nothing was sent now: confirm to pay it again.",
        "{to} নম্বরে {amount} {minutes} মিনিট আগে পাঠানো হয়েছে। এখন কিছু পাঠানো হয়নি: আবার পেমেন্ট করতে চাইলে নিশ্চিত করুন।"),
    (Say::ValidatorConfig, "invalid_validator_config",
        "Invalid validator config: {details}",
        "ভ্যালিডেটরের সেটিং সঠিক নয়: {details}"),
    (Say::ProxyConfig, "invalid_proxy_config",
        "Invalid proxy config: {details}",
        "প্রক্সির সেটিং সঠিক নয়: {details}"),
    (Say::NotSigned, "not_signed",
        "The payment could not be signed.",
        "পেমেন্টটি সই করা যায়নি।"),
    (Say::StoreFailed, "store_failed",
        "The bulk job's state could not be saved ({what}), so nothing more was sent.",
        "বাল্ক কাজের অবস্থা সংরক্ষণ করা যায়নি ({what}), তাই আর কিছু পাঠানো হয়নি।"),
    (Say::NoIntent, "intent_unavailable",
        "The merchant's server gave no payment intent for line {line} ({what}), so the job paused.",
        "মার্চেন্টের সার্ভার {line} নম্বর লাইনের জন্য পেমেন্ট ইনটেন্ট দেয়নি ({what}), তাই কাজটি থেমে আছে।"),
    (Say::ServerRefusedSaying, "server_refused",
        "{server}",
        "সার্ভার অনুরোধটি গ্রহণ করেনি। সার্ভারের বার্তা: {server}"),
    (Say::ServerFailedSaying, "server_failed",
        "{server}",
        "সার্ভারে সমস্যা হয়েছে। সার্ভারের বার্তা: {server}"),
    (Say::Unauthenticated, "unauthenticated",
        "Unauthenticated.",
        "পরিচয় যাচাই হয়নি: এপিআই টোকেন নেই, বা টোকেনটি সঠিক নয়।"),
    (Say::TooManyAttempts, "too_many_attempts",
        "Too Many Attempts.",
        "অনেকবার চেষ্টা করা হয়েছে। একটু পরে আবার চেষ্টা করুন।"),
    (Say::TransactionNotFound, "transaction_not_found",
        "Transaction not found.",
        "লেনদেনটি পাওয়া যায়নি।"),
    (Say::OperatorNotActive, "operator_not_active",
        "Operator not found or not active.",
        "অপারেটরটি পাওয়া যায়নি, বা এটি এখন সক্রিয় নয়।"),
    (Say::ServiceNotAvailable, "service_not_available",
        "Service not available.",
        "এই সেবাটি এখন পাওয়া যাচ্ছে না।"),
    (Say::AccountInactive, "account_inactive",
        "Account inactive.",
        "অ্যাকাউন্টটি সক্রিয় নয়।"),
    (Say::ApiAccessDisabled, "api_access_disabled",
        "Account inactive or API access not enabled.",
        "অ্যাকাউন্টটি সক্রিয় নয়, বা এতে এপিআই ব্যবহারের অনুমতি চালু নেই।"),
    (Say::WalletAccountInactive, "wallet_account_inactive",
        "Your account is not active.",
        "আপনার অ্যাকাউন্ট সক্রিয় নয়।"),
    (Say::PinMismatch, "pin_mismatch",
        "Sorry! PIN does not match.",
        "দুঃখিত, পিন মেলেনি।"),
    (Say::RequestIdInvalid, "request_id_invalid",
        "The selected request id is invalid.",
        "এই অনুরোধ আইডিটি সঠিক নয়।"),
    (Say::PackageIdInvalid, "package_id_invalid",
        "The selected package id is invalid.",
        "এই প্যাকেজ আইডিটি সঠিক নয়।"),
    (Say::BillerIdInvalid, "biller_id_invalid",
        "The selected biller id is invalid.",
        "এই বিল প্রতিষ্ঠানের আইডিটি সঠিক নয়।"),
    (Say::RequestIdRequired, "request_id_required",
        "The request id field is required.",
        "অনুরোধ আইডি দিতে হবে।"),
    (Say::PinRequired, "pin_required",
        "The pin field is required.",
        "পিন দিতে হবে।"),
    (Say::PinNotANumber, "pin_not_a_number",
        "The pin must be a number.",
        "পিন একটি সংখ্যা হতে হবে।"),
    (Say::BillerIdRequired, "biller_id_required",
        "The biller id field is required.",
        "বিল প্রতিষ্ঠানের আইডি দিতে হবে।"),
    (Say::BillNotFound, "bill_not_found",
        "Bill not found.",
        "বিলটি পাওয়া যায়নি।"),
    (Say::WalletFailed, "wallet_failed",
        "Sorry! Something went wrong. Please try again later.",
        "দুঃখিত, একটি সমস্যা হয়েছে। পরে আবার চেষ্টা করুন।"),
    (Say::DataInvalid, "data_invalid",
        "The given data was invalid.",
        "দেওয়া তথ্য সঠিক নয়।"),
    (Say::RouteNotFound, "route_not_found",
        "The route could not be found.",
        "অনুরোধের ঠিকানাটি সার্ভারে পাওয়া যায়নি।"),
    (Say::ServerError, "server_error",
        "Server Error",
        "সার্ভারে সমস্যা হয়েছে।"),
    (Say::BodyNotObject, "body_not_object",
        "The request body must be a {json} object.",
        "অনুরোধটি একটি {json} অবজেক্ট হতে হবে।"),
}

impl Say {
    /// The row whose English is a server's sentence, if this library knows
    /// it: compared without case or a final full stop, as the two APIs
    /// write the same sentence both ways ("Insufficient balance" and
    /// "Insufficient balance.").
    pub fn known(text: &str) -> Option<Say> {
        let bare = |t: &str| {
            let t = t.trim();
            t.strip_suffix('.').unwrap_or(t).trim_end().to_owned()
        };
        let said = bare(text);
        SAYINGS
            .iter()
            .copied()
            .find(|say| bare(&fill(say.row().1, Lang::En, &[])).eq_ignore_ascii_case(&said))
    }
}

#[cfg(test)]
pub(crate) fn all() -> impl Iterator<Item = Say> {
    SAYINGS.iter().copied()
}

/// Sentences of the two APIs, as they write them (the sandbox says each).
#[cfg(test)]
pub(crate) fn known_texts() -> impl Iterator<Item = &'static str> {
    [
        "Unauthenticated.",
        "Too Many Attempts.",
        "Insufficient balance",
        "Insufficient balance.",
        "Transaction not found.",
        "Duplicate transaction",
        "Operator not found or not active",
        "Service not available",
        "Account inactive",
        "Account inactive or API access not enabled.",
        "Your account is not active.",
        "Sorry! PIN does not match.",
        "The selected request id is invalid.",
        "The selected package id is invalid.",
        "The selected biller id is invalid.",
        "The request id field is required.",
        "The pin field is required.",
        "The pin must be a number.",
        "The biller id field is required.",
        "Bill not found.",
        "Sorry! Something went wrong. Please try again later.",
        "The given data was invalid.",
        "The route could not be found.",
        "Server Error",
        "The request body must be a JSON object.",
    ]
    .into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bdpay_core::messages::check::{has_bengali, has_latin, slots, without_slots};

    #[test]
    fn every_saying_has_a_code_and_the_same_slots_in_both_languages() {
        let mut codes: Vec<&str> = SAYINGS.iter().map(|say| say.row().0).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), SAYINGS.len(), "a code used twice");
        for (code, en, bn) in SAYINGS.iter().map(|say| say.row()) {
            assert!(!en.is_empty(), "{code}");
            assert_eq!(slots(en), slots(bn), "{code}");
            assert!(has_bengali(bn), "{code}: no Bangla");
            assert!(
                !has_latin(&without_slots(bn)),
                "{code}: Latin letters outside slots in {bn}"
            );
        }
    }

    #[test]
    fn every_known_sentence_is_said_by_a_row_that_says_it() {
        for text in known_texts() {
            let say = Say::known(text).unwrap_or_else(|| panic!("{text}"));
            let (code, en, _) = say.row();
            let en = fill(en, Lang::En, &[]);
            assert!(
                en.trim_end_matches('.') == text.trim_end_matches('.'),
                "{code}: {en} for {text}"
            );
            // As the servers write them: a full stop or not, any case.
            assert_eq!(
                Say::known(&[text.trim_end_matches('.'), "."].concat()),
                Some(say)
            );
            assert_eq!(Say::known(&text.to_uppercase()), Some(say));
        }
        assert_eq!(Say::known("Bill not found, really."), None);
    }

    #[test]
    fn every_code_is_in_the_typescript_union() {
        let dts = include_str!("../../../../pkg-template/index.d.ts");
        let union = &dts[dts.find("export type ApiErrorCode =").unwrap()..];
        let union = &union[..union.find(';').unwrap()];
        // The proxy's refusals are checked against the same union in its crate.
        let sayings = SAYINGS.iter().map(|say| say.row().0);
        for code in sayings.chain(["validation"]) {
            assert!(
                union.contains(&["'", code, "'"].concat()),
                "{code} missing from ApiErrorCode in index.d.ts"
            );
        }
    }
}
