//! A bulk job as plain state: its rows, what each row's payment is known to
//! have become, and the next step to take. Nothing here sends or waits: the
//! driver ([`super::run`]) does what [`Job::next_step`] says and hands the
//! answer back to [`Job::record_submit`] or [`Job::record_status`].
//!
//! Exactly once: a row is marked `sending` (and the state saved) before its
//! request goes; a row found `sending` or `unknown` is settled by `status`
//! under its `ref_id` before anything else is sent; it is sent again only
//! when the gateway says no payment holds that `ref_id`, and then under the
//! same `ref_id`, which the gateway refuses twice.

use crate::prelude::*;

use bdpay_core::json::{de::from_value, object, Value};
use bdpay_core::messages::Slot;
use bdpay_core::request::ValidRequest;
use bdpay_core::rules::Rules;
use serde::Deserialize;

use super::file::{key_of, write_csv, Sheet};
use super::notes::{issues_json, Issue, Note};
use super::plan::{check_row, duplicates, Totals};
use crate::client::ref_id_conflict;
use crate::error::{ApiError, ErrorKind};
use crate::gateway::{is_unknown_outcome, payment_differences, Balance, Transaction};

/// Where a row stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowState {
    /// Has errors: never sent.
    Invalid,
    /// Left out by the user: never sent.
    Skipped,
    /// To be sent.
    Queued,
    /// Marked before its request went; its outcome is not known yet.
    Sending,
    /// Sent, and the answer was lost: to be settled by `status`.
    Unknown,
    /// The gateway holds it, not final yet.
    Pending,
    Success,
    Failed,
    /// Not sent: the job was cancelled first.
    Cancelled,
}

impl RowState {
    pub fn as_str(self) -> &'static str {
        match self {
            RowState::Invalid => "invalid",
            RowState::Skipped => "skipped",
            RowState::Queued => "queued",
            RowState::Sending => "sending",
            RowState::Unknown => "unknown",
            RowState::Pending => "pending",
            RowState::Success => "success",
            RowState::Failed => "failed",
            RowState::Cancelled => "cancelled",
        }
    }

    /// Before anything was sent: the row may still be changed or skipped.
    pub fn editable(self) -> bool {
        matches!(
            self,
            RowState::Invalid | RowState::Skipped | RowState::Queued
        )
    }

    /// Its request was sent (at least once): it has a payment to report.
    pub fn sent(self) -> bool {
        !matches!(
            self,
            RowState::Invalid | RowState::Skipped | RowState::Queued | RowState::Cancelled
        )
    }

    /// Sent, and not known to be final.
    pub fn in_flight(self) -> bool {
        matches!(
            self,
            RowState::Sending | RowState::Unknown | RowState::Pending
        )
    }
}

/// One row of the file and its payment.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
    #[serde(default)]
    pub extra_cells: bool,
    pub state: RowState,
    pub ref_id: String,
    #[serde(default)]
    pub trx_id: Option<String>,
    #[serde(default)]
    pub trx_status: Option<String>,
    #[serde(default)]
    pub issues: Vec<Issue>,
    #[serde(default)]
    pub warnings: Vec<Issue>,
    /// Why a payment failed, or why the row is not being sent.
    #[serde(default)]
    pub outcome: Option<Issue>,
    /// The payment intent it was or will be sent with (through a proxy).
    #[serde(default)]
    pub intent: Option<String>,
    /// Status checks (or sending attempts) so far, for the backoff.
    #[serde(default)]
    pub checks: u32,
    /// Not before this time (ms).
    #[serde(default)]
    pub due_ms: u64,
    /// The request the cells make, once checked (never saved: rebuilt).
    #[serde(skip)]
    pub request: Option<ValidRequest>,
}

/// A stop the user asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    /// Nothing more is sent until resumed; payments sent are settled first.
    Paused,
    /// Nothing more is ever sent; payments sent are followed to the end.
    Cancelled,
}

impl Stop {
    pub fn as_str(self) -> &'static str {
        match self {
            Stop::Paused => "paused",
            Stop::Cancelled => "cancelled",
        }
    }
}

/// What to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Ask `status` by `ref_id` about the row at this index: was it sent?
    Settle(usize),
    /// Ask `status` about a pending payment.
    Poll(usize),
    /// Send the row at this index.
    Submit(usize),
    /// Nothing is due for this long (ms).
    Wait(u64),
    /// Nothing left to do now: finished, or paused with nothing to settle.
    Idle,
}

/// The saved form's version.
const VERSION: u64 = 1;
/// The longest wait between two looks at a row.
const MAX_BACKOFF_MS: u64 = 60_000;
/// Sending attempts that failed before reaching the gateway, after which
/// the job pauses (the network is down, say) instead of trying on.
const MAX_SEND_ATTEMPTS: u32 = 5;

#[derive(Deserialize)]
struct Saved {
    version: u64,
    id: String,
    columns: Vec<String>,
    rows: Vec<Row>,
    #[serde(default)]
    stop: Option<Stop>,
    #[serde(default)]
    halt: Option<Issue>,
    #[serde(default)]
    allow_duplicates: bool,
}

/// A bulk job: every row of a file and where its payment stands.
#[derive(Clone, Debug)]
pub struct Job {
    pub id: String,
    pub columns: Vec<String>,
    keys: Vec<String>,
    pub rows: Vec<Row>,
    pub stop: Option<Stop>,
    /// Why the job paused itself (no balance, a refused token, no network).
    pub halt: Option<Issue>,
    /// Numbers met twice are a warning, not an error.
    pub allow_duplicates: bool,
    /// When this run began and how many rows had been sent then, for the rate.
    run_start: Option<(u64, usize)>,
}

impl Job {
    /// A new job over `sheet`; `id` names it and starts every row's `ref_id`
    /// (see [`crate::client::fresh_ref_id`]).
    pub fn new(id: &str, sheet: Sheet, rules: &Rules, allow_duplicates: bool) -> Job {
        let rows = sheet
            .rows
            .into_iter()
            .map(|r| Row {
                ref_id: [id, "-", &bdpay_core::text::decimal(r.line)].concat(),
                line: r.line,
                cells: r.cells,
                extra_cells: r.extra_cells,
                state: RowState::Queued,
                trx_id: None,
                trx_status: None,
                issues: Vec::new(),
                warnings: Vec::new(),
                outcome: None,
                intent: None,
                checks: 0,
                due_ms: 0,
                request: None,
            })
            .collect();
        let mut job = Job {
            id: id.to_owned(),
            keys: sheet.columns.iter().map(|c| key_of(c)).collect(),
            columns: sheet.columns,
            rows,
            stop: None,
            halt: None,
            allow_duplicates,
            run_start: None,
        };
        job.recheck(rules);
        job
    }

    /// A job from its saved state ([`Job::to_json`]), checked again.
    pub fn restore(state: &Value, rules: &Rules) -> Result<Job, Issue> {
        let saved: Saved = from_value(state)
            .map_err(|e| Issue::note("", Note::BadState, &[("details", Slot::Code(&e.path()))]))?;
        if saved.version != VERSION
            || saved
                .rows
                .iter()
                .any(|r| r.cells.len() != saved.columns.len())
        {
            return Err(Issue::note(
                "",
                Note::BadState,
                &[("details", Slot::Code("version"))],
            ));
        }
        let mut job = Job {
            keys: saved.columns.iter().map(|c| key_of(c)).collect(),
            id: saved.id,
            columns: saved.columns,
            rows: saved.rows,
            stop: saved.stop,
            halt: saved.halt,
            allow_duplicates: saved.allow_duplicates,
            run_start: None,
        };
        job.recheck(rules);
        Ok(job)
    }

    /// Checks every row again: its request, its errors, numbers met twice.
    /// Rows already sent keep their state; their request is rebuilt so that
    /// an answer can be checked against it.
    pub fn recheck(&mut self, rules: &Rules) {
        for row in &mut self.rows {
            let checked = check_row(&self.keys, &row.cells, row.extra_cells, rules);
            row.request = checked.request.map(|mut r| {
                r.ref_id = Some(row.ref_id.clone());
                r
            });
            if row.state.editable() {
                row.issues = checked.issues;
                row.warnings = checked.warnings;
                if row.state != RowState::Skipped {
                    row.state = if row.request.is_some() {
                        RowState::Queued
                    } else {
                        RowState::Invalid
                    };
                }
            }
        }
        let keyed: Vec<(u64, Option<&ValidRequest>)> = self
            .rows
            .iter()
            .map(|r| {
                let counted = r.state != RowState::Skipped && r.state != RowState::Cancelled;
                (r.line, r.request.as_ref().filter(|_| counted))
            })
            .collect();
        let twice = duplicates(&keyed);
        for (row, other) in self.rows.iter_mut().zip(twice) {
            let Some(line) = other else { continue };
            if !row.state.editable() || row.state == RowState::Skipped {
                continue;
            }
            let note = Issue::note(
                "phone",
                Note::DuplicateNumber,
                &[("line", Slot::Count(line))],
            );
            if self.allow_duplicates {
                row.warnings.push(note);
            } else {
                row.issues.push(note);
                row.state = RowState::Invalid;
            }
        }
    }

    fn index_of(&self, line: u64) -> Result<usize, Issue> {
        self.rows
            .iter()
            .position(|r| r.line == line)
            .ok_or_else(|| Issue::note("", Note::NoSuchLine, &[("line", Slot::Count(line))]))
    }

    fn editable(&self, line: u64) -> Result<usize, Issue> {
        let i = self.index_of(line)?;
        match self.rows.get(i) {
            Some(r) if r.state.editable() => Ok(i),
            _ => Err(Issue::note(
                "",
                Note::NotEditable,
                &[("line", Slot::Count(line))],
            )),
        }
    }

    /// Changes cells of a row not sent yet: `{ column: text }`, by column name.
    pub fn edit(&mut self, line: u64, cells: &Value, rules: &Rules) -> Result<(), Issue> {
        let i = self.editable(line)?;
        let keys = self.keys.clone();
        if let Some(row) = self.rows.get_mut(i) {
            for (k, v) in cells.as_object().unwrap_or(&[]) {
                let at = keys.iter().position(|c| *c == key_of(k));
                let text = match v {
                    Value::String(s) => s.trim().to_owned(),
                    Value::Number(n) => n.clone(),
                    _ => String::new(),
                };
                if let Some(cell) = at.and_then(|at| row.cells.get_mut(at)) {
                    *cell = text;
                }
            }
            row.extra_cells = false;
        }
        self.recheck(rules);
        Ok(())
    }

    /// Leaves rows out (or takes them back in) before they are sent: all of
    /// `lines`, or none when one of them cannot be. The rows are checked again
    /// once, whatever the number of lines ("skip every row with errors" on a
    /// large file is one pass, not one per row).
    pub fn skip(&mut self, lines: &[u64], skip: bool, rules: &Rules) -> Result<(), Issue> {
        let at = lines
            .iter()
            .map(|&line| self.editable(line))
            .collect::<Result<Vec<usize>, Issue>>()?;
        for i in at {
            if let Some(row) = self.rows.get_mut(i) {
                row.state = if skip {
                    RowState::Skipped
                } else {
                    RowState::Queued
                };
            }
        }
        self.recheck(rules);
        Ok(())
    }

    /// Pause or cancel. Cancelling marks every row not yet sent `cancelled`.
    pub fn set_stop(&mut self, stop: Option<Stop>) {
        if self.stop == Some(Stop::Cancelled) {
            return;
        }
        self.stop = stop;
        if stop.is_none() {
            self.halt = None;
        }
        if stop == Some(Stop::Cancelled) {
            for row in &mut self.rows {
                if row.state == RowState::Queued {
                    row.state = RowState::Cancelled;
                    row.outcome = Some(Issue::note("", Note::Cancelled, &[]));
                }
            }
        }
    }

    /// Marks the start of a run, for the rate in [`Job::progress`].
    pub fn begin_run(&mut self, now: u64) {
        let sent = self.count(RowState::sent);
        self.run_start = Some((now, sent));
    }

    fn count(&self, f: impl Fn(RowState) -> bool) -> usize {
        self.rows.iter().filter(|r| f(r.state)).count()
    }

    /// No row is waiting to be sent or followed.
    pub fn finished(&self) -> bool {
        !self
            .rows
            .iter()
            .any(|r| r.state == RowState::Queued || r.state.in_flight())
    }

    /// What to do at `now`. Rows whose outcome is unknown come first, then
    /// pending payments, then the next row to send (unless stopped).
    pub fn next_step(&self, now: u64) -> Step {
        let due = |s: &dyn Fn(RowState) -> bool| {
            self.rows.iter().position(|r| s(r.state) && r.due_ms <= now)
        };
        if let Some(i) = due(&|s| matches!(s, RowState::Sending | RowState::Unknown)) {
            return Step::Settle(i);
        }
        let paused = self.stop == Some(Stop::Paused);
        if !paused {
            if let Some(i) = due(&|s| s == RowState::Pending) {
                return Step::Poll(i);
            }
            if self.stop.is_none() {
                if let Some(i) = due(&|s| s == RowState::Queued) {
                    return Step::Submit(i);
                }
            }
        }
        let waiting = self
            .rows
            .iter()
            .filter(|r| match r.state {
                RowState::Sending | RowState::Unknown => true,
                RowState::Pending => !paused,
                RowState::Queued => self.stop.is_none(),
                _ => false,
            })
            .map(|r| r.due_ms.saturating_sub(now))
            .min();
        match waiting {
            Some(ms) => Step::Wait(ms.max(1)),
            None => Step::Idle,
        }
    }

    /// The body of the row's `/request` (with its `ref_id`), and its intent.
    pub fn request_of(&self, i: usize) -> Option<(&ValidRequest, Option<&str>)> {
        let row = self.rows.get(i)?;
        Some((row.request.as_ref()?, row.intent.as_deref()))
    }

    /// `{ ref_id }` (or `{ trx_id }` for a payment the gateway confirmed),
    /// with the row's intent, for `status`.
    pub fn status_query(&self, i: usize) -> Option<Value> {
        let row = self.rows.get(i)?;
        let by_trx = row.state == RowState::Pending && row.trx_id.is_some();
        let (k, v) = match (&row.trx_id, by_trx) {
            (Some(t), true) => ("trx_id", t.as_str()),
            _ => ("ref_id", row.ref_id.as_str()),
        };
        let mut q = vec![(k.to_owned(), Value::from(v))];
        if let Some(intent) = &row.intent {
            q.push(("intent".to_owned(), Value::from(intent.as_str())));
        }
        Some(Value::Object(q))
    }

    /// The row is about to be sent with `intent` (save the job before sending).
    pub fn mark_sending(&mut self, i: usize, intent: Option<String>) {
        if let Some(row) = self.rows.get_mut(i) {
            row.state = RowState::Sending;
            row.intent = intent;
            row.due_ms = 0;
        }
    }

    /// What sending the row's request gave.
    pub fn record_submit(
        &mut self,
        i: usize,
        sent: Result<Transaction, ApiError>,
        now: u64,
        poll_ms: u64,
    ) {
        let Some(row) = self.rows.get_mut(i) else {
            return;
        };
        let e = match sent {
            Ok(t) => return took(row, &t, now, poll_ms),
            Err(e) => e,
        };
        match e.kind {
            ErrorKind::RefIdConflict => fail(row, Issue::of_api(&e)),
            // Answer lost, or the ref_id taken and not yet confirmed ours.
            ErrorKind::Duplicate => unknown(row, now),
            _ if is_unknown_outcome(&e) && !e.not_committed => unknown(row, now),
            ErrorKind::RateLimited => {
                row.state = RowState::Queued;
                row.due_ms = now.saturating_add(e.retry_after_ms.unwrap_or(5_000));
            }
            ErrorKind::Forbidden if e.code == "intent_expired" && row.checks < 3 => {
                row.state = RowState::Queued;
                row.intent = None;
                row.checks += 1;
            }
            // Not this row's fault: every row would get the same answer
            // (no balance, a refused token, a wrong URL).
            ErrorKind::InsufficientBalance
            | ErrorKind::Unauthorized
            | ErrorKind::Forbidden
            | ErrorKind::NotFound => {
                row.state = RowState::Queued;
                row.intent = None;
                self.halt = Some(Issue::of_api(&e));
                self.stop = Some(Stop::Paused);
            }
            // Known not sent (connection refused, 5xx before anything).
            _ if is_unknown_outcome(&e) => {
                row.state = RowState::Queued;
                row.checks += 1;
                row.due_ms = now.saturating_add(backoff(row.checks, 1_000));
                if row.checks >= MAX_SEND_ATTEMPTS {
                    row.checks = 0;
                    self.halt = Some(Issue::of_api(&e));
                    self.stop = Some(Stop::Paused);
                }
            }
            _ => fail(row, Issue::of_api(&e)),
        }
    }

    /// What `status` said about the row (a [`Step::Settle`] or [`Step::Poll`]).
    pub fn record_status(
        &mut self,
        i: usize,
        answer: Result<Transaction, ApiError>,
        now: u64,
        poll_ms: u64,
    ) {
        let Some(row) = self.rows.get_mut(i) else {
            return;
        };
        let settling = matches!(row.state, RowState::Sending | RowState::Unknown);
        match answer {
            Ok(t) => {
                if settling {
                    let differ = row
                        .request
                        .as_ref()
                        .map(|r| payment_differences(&t, r))
                        .unwrap_or_default();
                    if !differ.is_empty() {
                        let e = ref_id_conflict(&row.ref_id, &differ, 200);
                        return fail(row, Issue::of_api(&e));
                    }
                }
                took(row, &t, now, poll_ms);
            }
            // No payment holds the ref_id: the request never arrived. Send it
            // again, under the same ref_id.
            Err(e) if settling && e.kind == ErrorKind::NotFound => {
                row.state = RowState::Queued;
                row.due_ms = now;
                row.checks = 0;
            }
            Err(e) => {
                if e.kind == ErrorKind::Forbidden && e.code == "intent_expired" {
                    row.intent = None;
                }
                row.checks += 1;
                row.due_ms = now.saturating_add(backoff(row.checks, 1_000));
            }
        }
    }

    /// The rows still to pay, against what `/balance` holds.
    pub fn shortfalls(&self, balance: &Balance) -> Vec<Issue> {
        let totals = self.totals();
        totals
            .balances
            .iter()
            .filter_map(|&(name, need)| {
                let have = match name {
                    "flexiload_balance" => balance.flexiload_balance,
                    "drive_balance" => balance.drive_balance,
                    _ => balance.bank_balance,
                };
                (need > have).then(|| {
                    Issue::note(
                        "",
                        Note::ShortOfBalance,
                        &[
                            ("need", Slot::Taka(need)),
                            ("have", Slot::Taka(have)),
                            ("balance", Slot::Code(name)),
                        ],
                    )
                })
            })
            .collect()
    }

    /// The rows still to send, per operator and balance.
    pub fn totals(&self) -> Totals {
        Totals::of(
            self.rows
                .iter()
                .filter(|r| r.state == RowState::Queued)
                .filter_map(|r| r.request.as_ref()),
        )
    }

    /// Counts per state, the sending rate of this run and the time left.
    pub fn progress(&self, now: u64) -> Value {
        let n = |s: RowState| Value::from(self.count(|x| x == s) as u64);
        let queued = self.count(|s| s == RowState::Queued);
        let sent_now = self.count(RowState::sent);
        let (rate, eta) = match self.run_start {
            // Over less than a few seconds one row would make a wild rate.
            Some((t0, sent0)) if now >= t0.saturating_add(5_000) && sent_now > sent0 => {
                let per_min = (sent_now - sent0) as u64 * 60_000 / (now - t0);
                let eta = (queued as u64).saturating_mul(now - t0) / (sent_now - sent0) as u64;
                (Value::from(per_min), Value::from(eta))
            }
            _ => (Value::Null, Value::Null),
        };
        object([
            ("total", Value::from(self.rows.len() as u64)),
            ("invalid", n(RowState::Invalid)),
            ("skipped", n(RowState::Skipped)),
            ("queued", n(RowState::Queued)),
            (
                "sending",
                Value::from(
                    self.count(|s| matches!(s, RowState::Sending | RowState::Unknown)) as u64,
                ),
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

    /// One row as the caller sees it (and as it is saved).
    pub fn row_json(&self, row: &Row) -> Value {
        let cells = Value::Object(
            self.columns
                .iter()
                .zip(&row.cells)
                .map(|(c, v)| (c.clone(), Value::from(v.as_str())))
                .collect(),
        );
        let req = row.request.as_ref();
        let text = |v: Option<&str>| Value::from(v);
        let sent = row.state.sent();
        Value::Object(vec![
            ("line".to_owned(), Value::from(row.line)),
            (
                "cells".to_owned(),
                Value::Array(row.cells.iter().map(|c| Value::from(c.as_str())).collect()),
            ),
            ("values".to_owned(), cells),
            ("extra_cells".to_owned(), Value::Bool(row.extra_cells)),
            ("state".to_owned(), Value::from(row.state.as_str())),
            ("ref_id".to_owned(), Value::from(row.ref_id.as_str())),
            ("sent".to_owned(), Value::Bool(sent)),
            ("trx_id".to_owned(), text(row.trx_id.as_deref())),
            ("trx_status".to_owned(), text(row.trx_status.as_deref())),
            ("type".to_owned(), text(req.map(|r| r.service.as_str()))),
            (
                "operator_code".to_owned(),
                text(req.map(|r| r.operator_code.as_str())),
            ),
            (
                "phone".to_owned(),
                text(req.and_then(|r| r.phone.as_deref())),
            ),
            (
                "amount".to_owned(),
                Value::from(req.and_then(|r| r.amount).map(|a| a.to_decimal_string())),
            ),
            (
                "sub_type".to_owned(),
                text(req.and_then(|r| r.sub_type.as_deref())),
            ),
            (
                "package_id".to_owned(),
                Value::from(req.and_then(|r| r.package_id).map(u64::from)),
            ),
            ("issues".to_owned(), issues_json(&row.issues)),
            ("warnings".to_owned(), issues_json(&row.warnings)),
            (
                "outcome".to_owned(),
                row.outcome.as_ref().map_or(Value::Null, Issue::to_json),
            ),
            ("intent".to_owned(), text(row.intent.as_deref())),
            ("checks".to_owned(), Value::from(u64::from(row.checks))),
            ("due_ms".to_owned(), Value::from(row.due_ms)),
        ])
    }

    /// The job as saved by a store; [`Job::restore`] reads it back.
    pub fn to_json(&self) -> Value {
        object([
            ("version", Value::from(VERSION)),
            ("id", Value::from(self.id.as_str())),
            (
                "columns",
                Value::Array(
                    self.columns
                        .iter()
                        .map(|c| Value::from(c.as_str()))
                        .collect(),
                ),
            ),
            (
                "rows",
                Value::Array(self.rows.iter().map(saved_row).collect()),
            ),
            ("stop", Value::from(self.stop.map(Stop::as_str))),
            (
                "halt",
                self.halt.as_ref().map_or(Value::Null, Issue::to_json),
            ),
            ("allow_duplicates", Value::Bool(self.allow_duplicates)),
        ])
    }

    /// The results file: the input's columns, then `ref_id`, `trx_id`,
    /// `status`, `message` and `message_bn` (a row never sent has no `ref_id`).
    pub fn results_csv(&self) -> String {
        let mut header: Vec<&str> = self.columns.iter().map(String::as_str).collect();
        header.extend(["ref_id", "trx_id", "status", "message", "message_bn"]);
        write_csv(
            &header,
            self.rows.iter().map(|r| {
                let sent = r.state.sent();
                let skipped =
                    (r.state == RowState::Skipped).then(|| Issue::note("", Note::Skipped, &[]));
                let said: Vec<&Issue> = skipped.iter().chain(&r.outcome).chain(&r.issues).collect();
                let words =
                    |f: fn(&Issue) -> &str| said.iter().map(|i| f(i)).collect::<Vec<_>>().join(" ");
                let mut cells = r.cells.clone();
                cells.extend([
                    if sent {
                        r.ref_id.clone()
                    } else {
                        String::new()
                    },
                    r.trx_id.clone().unwrap_or_default(),
                    r.state.as_str().to_owned(),
                    words(|i| &i.message),
                    words(|i| &i.message_bn),
                ]);
                cells
            }),
        )
    }
}

/// A row as saved: what cannot be worked out again from its cells (its
/// request, issues and warnings are, by [`Job::recheck`]), so that a save
/// after every step stays small.
fn saved_row(row: &Row) -> Value {
    let text = |v: Option<&str>| Value::from(v);
    let mut fields = vec![
        ("line".to_owned(), Value::from(row.line)),
        (
            "cells".to_owned(),
            Value::Array(row.cells.iter().map(|c| Value::from(c.as_str())).collect()),
        ),
        ("state".to_owned(), Value::from(row.state.as_str())),
        ("ref_id".to_owned(), Value::from(row.ref_id.as_str())),
    ];
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            fields.push((k.to_owned(), v));
        }
    };
    put("extra_cells", Value::from(row.extra_cells.then_some(true)));
    put("trx_id", text(row.trx_id.as_deref()));
    put("trx_status", text(row.trx_status.as_deref()));
    put(
        "outcome",
        row.outcome.as_ref().map_or(Value::Null, Issue::to_json),
    );
    put("intent", text(row.intent.as_deref()));
    put(
        "checks",
        Value::from((row.checks > 0).then_some(u64::from(row.checks))),
    );
    put(
        "due_ms",
        Value::from((row.due_ms > 0).then_some(row.due_ms)),
    );
    Value::Object(fields)
}

/// The backoff after `checks` looks: doubling from `base`, at most a minute.
fn backoff(checks: u32, base: u64) -> u64 {
    base.saturating_mul(1 << checks.min(16)).min(MAX_BACKOFF_MS)
}

fn unknown(row: &mut Row, now: u64) {
    row.state = RowState::Unknown;
    row.checks = 0;
    row.due_ms = now.saturating_add(1_000);
}

fn fail(row: &mut Row, why: Issue) {
    row.state = RowState::Failed;
    row.outcome = Some(why);
}

/// The gateway holds the row's payment as `t`.
fn took(row: &mut Row, t: &Transaction, now: u64, poll_ms: u64) {
    row.trx_id = Some(t.trx_id.clone());
    row.trx_status = Some(t.trx_status.clone());
    if !t.is_final() {
        if row.state != RowState::Pending {
            row.checks = 0;
        }
        row.state = RowState::Pending;
        row.due_ms = now.saturating_add(backoff(row.checks, poll_ms));
        row.checks += 1;
        return;
    }
    if t.trx_status.eq_ignore_ascii_case("success") {
        row.state = RowState::Success;
        row.outcome = None;
        return;
    }
    let status = t.trx_status.as_str();
    let why = match t.message.as_deref().filter(|m| !m.trim().is_empty()) {
        Some(reason) => Issue::note(
            "",
            Note::PaymentFailedSaying,
            &[
                ("status", Slot::Code(status)),
                ("reason", Slot::Code(reason)),
            ],
        ),
        None => Issue::note("", Note::PaymentFailed, &[("status", Slot::Code(status))]),
    };
    fail(row, why);
}
