//! What a job says about itself: its totals and the check of its file, short
//! (typed, with their sentences in both languages), its progress, a row as
//! the caller sees it, and the results file. Reads the job, changes nothing.

use crate::prelude::*;

use bdpay_core::json::Value;
use bdpay_core::messages::Slot;
use serde::Serialize;

use super::{Job, Row, RowState, Stop};
use crate::bulk::file::{CsvOut, Sheet};
use crate::bulk::notes::{issues_json, Issue, Note};
use crate::bulk::plan::Request;

impl Job {
    /// [`Job::totals`] as the caller reads it, with its sentences.
    pub fn totals_view(&self) -> TotalsView {
        let t = self.totals();
        let unsettled = self.count(RowState::Sending) + self.count(RowState::Unknown);
        let mut notes = vec![Issue::note(
            "",
            Note::ToSend,
            &[
                ("rows", Slot::Count(t.rows)),
                ("amount", Slot::Taka(t.amount)),
            ],
        )];
        if unsettled > 0 {
            notes.push(Issue::note(
                "",
                Note::ToSettleFirst,
                &[("rows", Slot::Count(unsettled as u64))],
            ));
        }
        let invalid = self.count(RowState::Invalid);
        if invalid > 0 {
            notes.push(Issue::note(
                "",
                Note::WithErrors,
                &[("rows", Slot::Count(invalid as u64))],
            ));
        }
        TotalsView {
            rows: t.rows,
            amount: t.amount.to_decimal_string(),
            unsettled: unsettled as u64,
            operators: t
                .operators
                .iter()
                .map(|(code, rows, amount)| {
                    let said = Issue::note(
                        "",
                        Note::OperatorTotal,
                        &[
                            ("operator", Slot::Code(code)),
                            ("rows", Slot::Count(*rows)),
                            ("amount", Slot::Taka(*amount)),
                        ],
                    );
                    OperatorTotal {
                        operator_code: code.clone(),
                        rows: *rows,
                        amount: amount.to_decimal_string(),
                        message: said.message,
                        message_bn: said.message_bn,
                    }
                })
                .collect(),
            balances: t
                .balances
                .iter()
                .map(|(name, amount)| BalanceNeed {
                    balance: name,
                    amount: amount.to_decimal_string(),
                })
                .collect(),
            notes,
        }
    }

    /// The checks of the file, short: the first `limit` errors with their
    /// lines, and one line per kind of warning with its count (every row's
    /// own words are in [`Job::results_csv`]).
    pub fn summary(&self, limit: usize) -> Summary {
        let mut errors = Vec::new();
        let mut kinds: Vec<(String, u64, u64, &Issue)> = Vec::new();
        for row in &self.rows {
            if row.state == RowState::Invalid {
                for i in &row.issues {
                    if errors.len() < limit {
                        errors.push(LineIssue {
                            line: row.line,
                            field: i.field.clone(),
                            code: i.code.clone(),
                            message: i.message.clone(),
                            message_bn: i.message_bn.clone(),
                        });
                    }
                }
            }
            if matches!(
                row.state,
                RowState::Invalid | RowState::Skipped | RowState::Cancelled
            ) {
                continue;
            }
            for w in &row.warnings {
                match kinds.iter_mut().find(|k| k.0 == w.code) {
                    Some(k) => k.1 += 1,
                    None => kinds.push((w.code.clone(), 1, row.line, w)),
                }
            }
        }
        let warnings = kinds
            .into_iter()
            .map(|(code, rows, line, first)| {
                let said = Issue::note(
                    "",
                    Note::WarningSummary,
                    &[
                        ("code", Slot::Code(&code)),
                        ("rows", Slot::Count(rows)),
                        ("line", Slot::Count(line)),
                        ("message", Slot::Text(&first.message, &first.message_bn)),
                    ],
                );
                WarningKind {
                    code,
                    rows,
                    line,
                    message: said.message,
                    message_bn: said.message_bn,
                }
            })
            .collect();
        Summary {
            rows: self.rows.len() as u64,
            invalid: self.count(RowState::Invalid) as u64,
            errors,
            warnings,
        }
    }

    /// Counts per state, the sending rate of this run and the time left.
    /// The rate is measured once enough rows went to measure it
    /// ([`MEASURED_ROWS`] over at least 5 s), and never said faster than the
    /// client's pacing lets rows go ([`Job::begin_run`]); before that, it is
    /// the pacing itself. A job with no pacing says nothing until measured.
    pub fn progress(&self, now: u64) -> Value {
        let n = |s: RowState| Value::from(self.count(s) as u64);
        let queued = self.count(RowState::Queued) as u64;
        let sent_now = self.count_where(RowState::sent);
        let measured = match self.run_start {
            // Over less than a few seconds, or a few rows, a burst the limiter
            // lets out at the start would make a wild rate.
            Some((t0, sent0))
                if now >= t0.saturating_add(5_000)
                    && sent_now >= sent0.saturating_add(MEASURED_ROWS) =>
            {
                Some(((sent_now - sent0) as u64, now - t0))
            }
            _ => None,
        };
        // `(rows, ms)`: rows sent in that time; the slower of the two.
        let pace = self.run_start.and(self.pace);
        let per = match (measured, pace) {
            (Some((rows, ms)), Some((prows, pms))) => {
                // rows/ms < prows/pms, without division.
                if u128::from(rows) * u128::from(pms) < u128::from(prows) * u128::from(ms) {
                    Some((rows, ms))
                } else {
                    Some((prows, pms))
                }
            }
            (m, p) => m.or(p),
        };
        let (rate, eta) = match per {
            Some((rows, ms)) if rows > 0 && ms > 0 => {
                let per_min = rows.saturating_mul(60_000).saturating_add(ms / 2) / ms;
                let eta = queued.saturating_mul(ms) / rows;
                (Value::from(per_min), Value::from(eta))
            }
            _ => (Value::Null, Value::Null),
        };
        bdpay_core::json::object([
            ("total", Value::from(self.rows.len() as u64)),
            ("invalid", n(RowState::Invalid)),
            ("skipped", n(RowState::Skipped)),
            ("queued", n(RowState::Queued)),
            (
                "sending",
                Value::from((self.count(RowState::Sending) + self.count(RowState::Unknown)) as u64),
            ),
            ("pending", n(RowState::Pending)),
            ("success", n(RowState::Success)),
            ("failed", n(RowState::Failed)),
            ("cancelled", n(RowState::Cancelled)),
            ("rate_per_minute", rate),
            ("eta_ms", eta),
            ("stopped", Value::from(self.stop.map(Stop::as_str))),
            (
                "halt",
                self.halt.as_ref().map_or(Value::Null, Issue::to_json),
            ),
            ("finished", Value::Bool(self.finished())),
        ])
    }

    /// One row as the caller sees it.
    pub fn row_json(&self, row: &Row) -> Value {
        let cells = Value::Object(
            self.columns
                .iter()
                .zip(row.cells.iter())
                .map(|(c, v)| (c.clone(), Value::from(v)))
                .collect(),
        );
        let req = row.request.as_ref();
        let text = |v: Option<&str>| Value::from(v);
        let sent = row.state.sent();
        Value::Object(vec![
            ("line".to_owned(), Value::from(row.line)),
            (
                "cells".to_owned(),
                Value::Array(row.cells.iter().map(Value::from).collect()),
            ),
            ("values".to_owned(), cells),
            ("extra_cells".to_owned(), Value::Bool(row.extra_cells)),
            ("state".to_owned(), Value::from(row.state.as_str())),
            ("ref_id".to_owned(), Value::String(self.ref_id(row.line))),
            ("sent".to_owned(), Value::Bool(sent)),
            (
                "editable".to_owned(),
                Value::Bool(row.state.editable() && !self.closed()),
            ),
            ("trx_id".to_owned(), text(row.trx_id.as_deref())),
            ("trx_status".to_owned(), text(row.trx_status.as_deref())),
            ("type".to_owned(), text(req.map(|r| r.service.as_str()))),
            (
                "operator_code".to_owned(),
                text(req.map(|r| &*r.operator_code)),
            ),
            (
                "phone".to_owned(),
                text(req.and_then(|r| r.phone.as_deref())),
            ),
            (
                "amount".to_owned(),
                Value::from(req.and_then(|r| r.amount).map(|a| a.to_decimal_string())),
            ),
            ("sub_type".to_owned(), text(req.and_then(Request::sub_type))),
            (
                "package_id".to_owned(),
                Value::from(req.and_then(|r| r.package_id).map(u64::from)),
            ),
            (
                "issues".to_owned(),
                issues_json(row.issues.iter().map(|i| &**i)),
            ),
            (
                "warnings".to_owned(),
                issues_json(row.warnings.iter().map(|i| &**i)),
            ),
            (
                "outcome".to_owned(),
                match (row.state, row.outcome.as_deref()) {
                    (RowState::Skipped, _) => skipped_note(row).to_json(),
                    (_, Some(o)) => o.to_json(),
                    (_, None) => Value::Null,
                },
            ),
            ("intent".to_owned(), text(row.intent.as_deref())),
            ("checks".to_owned(), Value::from(u64::from(row.checks))),
            ("due_ms".to_owned(), Value::from(row.due_ms)),
        ])
    }

    /// Whether `sheet` is the file this job was made of (its columns, and
    /// every row's line and cells).
    pub fn matches(&self, sheet: &Sheet) -> bool {
        self.columns == sheet.columns
            && self.rows.len() == sheet.rows.len()
            && self.rows.iter().zip(&sheet.rows).all(|(a, b)| {
                a.line == b.line && a.cells == b.cells && a.extra_cells == b.extra_cells
            })
    }

    /// The results file: the input's columns, then `ref_id`, `trx_id`,
    /// `status`, `message` and `message_bn` (a row never sent has no
    /// `ref_id`); the message holds why a row failed or was not sent (a row
    /// left out: with its errors), its errors, then its warnings. It starts
    /// with a UTF-8 BOM, so that a spreadsheet reads its Bangla as UTF-8
    /// (this crate's reader drops it again).
    pub fn results_csv(&self) -> String {
        String::from_utf8(self.results_bytes(0, usize::MAX)).unwrap_or_default()
    }

    /// [`Job::results_csv`]'s `count` rows from the `from`th, as UTF-8
    /// bytes, the BOM and the header first when `from` is 0: a file of
    /// 50,000 rows written a part at a time.
    pub fn results_bytes(&self, from: usize, count: usize) -> Vec<u8> {
        let rows = self.rows.len().saturating_sub(from).min(count);
        let head = if from == 0 { BOM } else { &[] };
        let mut out = CsvOut::starting_with(head, rows.saturating_mul(160));
        if from == 0 {
            let extra = ["ref_id", "trx_id", "status", "message", "message_bn"];
            out.row(self.columns.iter().map(String::as_str).chain(extra));
        }
        let mut en = String::new();
        let mut bn = String::new();
        for r in self.rows.iter().skip(from).take(count) {
            let ref_id = if r.state.sent() {
                self.ref_id(r.line)
            } else {
                String::new()
            };
            en.clear();
            bn.clear();
            // A row left out says why, its errors inside that sentence.
            let skipped = (r.state == RowState::Skipped).then(|| skipped_note(r));
            let errors = r.issues.iter().map(|i| &**i).filter(|_| skipped.is_none());
            let said = skipped
                .iter()
                .chain(r.outcome.as_deref())
                .chain(errors)
                .chain(r.warnings.iter().map(|i| &**i));
            for i in said {
                for (text, out) in [(&i.message, &mut en), (&i.message_bn, &mut bn)] {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(text);
                }
            }
            let trx = r.trx_id.as_deref().unwrap_or("");
            let tail = [ref_id.as_str(), trx, r.state.as_str(), &en, &bn];
            out.row(r.cells.iter().chain(tail));
        }
        out.into_bytes()
    }
}

/// The UTF-8 byte order mark a results file starts with.
pub const BOM: &[u8] = "\u{feff}".as_bytes();

/// Rows sent in a run before its rate is measured rather than taken from
/// the client's pacing.
pub const MEASURED_ROWS: usize = 5;

/// Why a row left out is not sent: its errors when it has some (in both
/// languages), else that it was left out.
fn skipped_note(row: &Row) -> Issue {
    if row.issues.is_empty() {
        return Issue::note("", Note::Skipped, &[]);
    }
    let join = |f: fn(&Issue) -> &str| {
        row.issues
            .iter()
            .map(|i| f(i))
            .collect::<Vec<&str>>()
            .join(" ")
    };
    let (en, bn) = (join(|i| &i.message), join(|i| &i.message_bn));
    Issue::note("", Note::SkippedFor, &[("reason", Slot::Text(&en, &bn))])
}

/// [`Job::totals`] as the caller reads it: amounts as exact decimal text,
/// and its sentences (`notes`: what is to send, what is settled first, what
/// has errors).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TotalsView {
    pub rows: u64,
    pub amount: String,
    /// Of `rows`, those sent before with no answer.
    pub unsettled: u64,
    pub operators: Vec<OperatorTotal>,
    pub balances: Vec<BalanceNeed>,
    pub notes: Vec<Issue>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OperatorTotal {
    pub operator_code: String,
    pub rows: u64,
    pub amount: String,
    pub message: String,
    pub message_bn: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BalanceNeed {
    pub balance: &'static str,
    pub amount: String,
}

/// [`Job::summary`]: what checking the file found, short.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub rows: u64,
    /// Rows with errors (never sent).
    pub invalid: u64,
    /// The first errors, each with its row's line.
    pub errors: Vec<LineIssue>,
    /// One per kind of warning, in order of first appearance.
    pub warnings: Vec<WarningKind>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineIssue {
    pub line: u64,
    pub field: String,
    pub code: String,
    pub message: String,
    pub message_bn: String,
}

/// A kind of warning: its code, how many rows have it, the first of them,
/// and a sentence that sums it up (with that row's own words).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WarningKind {
    pub code: String,
    pub rows: u64,
    pub line: u64,
    pub message: String,
    pub message_bn: String,
}
