//! A bulk job as plain state: its rows, what each row's payment is known to
//! have become, and the next step to take. Nothing here sends, waits or
//! writes: the driver ([`super::run`]) does what [`Job::next_step`] says and
//! hands the answer back to [`Job::record_submit`] or [`Job::record_status`];
//! a store keeps the job as text ([`Job::state_text`]: its plan, written
//! once, then one record per change, [`Job::take_journal`], appended), and
//! [`Job::restore`] reads that text back.
//!
//! Exactly once: a row is marked `sending` (and that record stored) before
//! its request goes; a row found `sending` or `unknown` is settled by `status`
//! under its `ref_id` before it can be sent again; it is sent again only when
//! the gateway says no payment holds that `ref_id`, and then under the same
//! `ref_id`, which the gateway refuses twice.
//!
//! Every step costs the same at row 50,000 as at row 1: the count of rows
//! per state and the rows due by time are kept as rows change (never counted
//! again), and a record holds only what changed.

use crate::prelude::*;

use alloc::boxed::Box;
use alloc::collections::BinaryHeap;
use alloc::rc::Rc;
use core::cmp::Reverse;

use bdpay_core::json::{write_str, Value};
use bdpay_core::messages::Slot;
use bdpay_core::request::ValidRequest;
use bdpay_core::rules::Rules;
use bdpay_core::text::decimal;
use serde::Deserialize;

use super::file::{column_key, Cells, Sheet};
use super::notes::{gateway_bn, Issue, Note};
use super::plan::{check_row, duplicates, Request, Totals};
use crate::client::ref_id_conflict;
use crate::error::{ApiError, ErrorKind};
use crate::gateway::{payment_differences, Balance, Transaction};

mod report;
mod store;

pub use report::{BalanceNeed, LineIssue, OperatorTotal, Summary, TotalsView, WarningKind};
use store::{write_record, write_strings, Kept};

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

/// How many states there are (the counts are kept per state).
const STATES: usize = 9;

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

    /// Which queue of rows due by time holds a row in this state.
    fn queue(self) -> Option<usize> {
        match self {
            RowState::Sending | RowState::Unknown => Some(SETTLE),
            RowState::Pending => Some(POLL),
            RowState::Queued => Some(SEND),
            _ => None,
        }
    }
}

/// The queues of rows due by time: to settle by `status`, to poll, to send.
const SETTLE: usize = 0;
const POLL: usize = 1;
const SEND: usize = 2;

/// One row of the file and its payment.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Row {
    pub line: u64,
    pub cells: Cells,
    #[serde(default)]
    pub extra_cells: bool,
    pub state: RowState,
    #[serde(default)]
    pub trx_id: Option<String>,
    #[serde(default)]
    pub trx_status: Option<String>,
    /// Why the row is not sent, and what is worth a look: worked out from
    /// its cells ([`Job::recheck`]), never stored. Shared between rows that
    /// say the same (13,000 rows of a file on a shared prefix hold one
    /// "check the operator" sentence, not 13,000).
    #[serde(skip)]
    pub issues: Vec<Rc<Issue>>,
    #[serde(skip)]
    pub warnings: Vec<Rc<Issue>>,
    /// Why a payment failed, or why the row is not being sent (boxed: most
    /// rows have none, and a row's size counts 50,000 times).
    #[serde(default)]
    pub outcome: Option<Box<Issue>>,
    /// The payment intent it was or will be sent with (through a proxy).
    #[serde(default)]
    pub intent: Option<String>,
    /// Status checks (or sending attempts) so far, for the backoff (not kept by a store).
    #[serde(default)]
    pub checks: u32,
    /// Not before this time (ms; not kept by a store).
    #[serde(default)]
    pub due_ms: u64,
    /// The request the cells make, once checked (never stored: rebuilt),
    /// without its `ref_id` ([`Job::ref_id`]).
    #[serde(skip)]
    pub request: Option<Request>,
}

impl Row {
    fn fresh(line: u64, cells: Cells, extra_cells: bool) -> Row {
        Row {
            line,
            cells,
            extra_cells,
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
        }
    }
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
    /// Nothing left to do now: finished, paused with nothing to settle, or
    /// paused by the job itself (see [`Job::halt`]).
    Idle,
}

/// The longest wait between two looks at a row.
const MAX_BACKOFF_MS: u64 = 60_000;
/// Calls in a row the gateway gave no answer to (no network, a wrong
/// address) after which the job pauses: two are enough when they took the
/// client's timeout between them.
const MAX_UNANSWERED: u32 = 3;
/// Calls in a row that failed in any way (an answer that is a 5xx or cannot
/// be read included) after which the job pauses.
const MAX_FAILED: u32 = 10;

/// A bulk job: every row of a file and where its payment stands.
#[derive(Clone, Debug)]
pub struct Job {
    pub id: String,
    pub columns: Vec<String>,
    keys: Vec<String>,
    rows: Vec<Row>,
    stop: Option<Stop>,
    /// Why the job paused itself (no balance, a refused token, no network).
    halt: Option<Issue>,
    /// Numbers met twice are a warning, not an error.
    pub allow_duplicates: bool,
    /// The file's delimiter and encoding, as read (said, never used again).
    pub delimiter: u8,
    pub encoding: Option<String>,
    /// When this run began and how many rows had been sent then, for the rate.
    run_start: Option<(u64, usize)>,
    /// The client's pacing of payments in this run, `(requests, period_ms)`:
    /// the rate said before one can be measured, and the fastest one said.
    pace: Option<(u64, u64)>,
    counts: [usize; STATES],
    /// `(due_ms, index)` of the rows to settle, poll and send, soonest
    /// first. A row that moved on leaves its entry behind, dropped when it
    /// comes first ([`Job::first`]): no search to take it out.
    queues: [BinaryHeap<Reverse<(u64, usize)>>; 3],
    /// Records not yet handed to the store: JSON lines.
    journal: String,
    /// The store's text must be written again whole (an append failed, or
    /// the text read ended in a line cut short).
    rewrite: bool,
    /// Calls in a row with no answer (and when the first of them began),
    /// and failed calls in a row.
    unanswered: u32,
    unanswered_since: u64,
    failed: u32,
    /// The client's timeout (ms), for the pause after calls with no answer.
    timeout_ms: u64,
}

impl Job {
    /// A new job over `sheet`; `id` names it and starts every row's `ref_id`
    /// (see [`crate::client::fresh_ref_id`]).
    pub fn new(id: &str, sheet: Sheet, rules: &Rules, allow_duplicates: bool) -> Job {
        let rows = sheet
            .rows
            .into_iter()
            .map(|r| Row::fresh(r.line, r.cells, r.extra_cells))
            .collect();
        let mut job = Job::of(id.to_owned(), sheet.columns, rows, allow_duplicates);
        job.delimiter = sheet.delimiter;
        job.recheck(rules);
        job
    }

    fn of(id: String, columns: Vec<String>, rows: Vec<Row>, allow_duplicates: bool) -> Job {
        Job {
            id,
            keys: columns.iter().map(|c| column_key(c)).collect(),
            columns,
            rows,
            stop: None,
            halt: None,
            allow_duplicates,
            delimiter: b',',
            encoding: None,
            run_start: None,
            pace: None,
            counts: [0; STATES],
            queues: Default::default(),
            journal: String::new(),
            rewrite: false,
            unanswered: 0,
            unanswered_since: 0,
            failed: 0,
            timeout_ms: 30_000,
        }
    }

    /// Every row, in the file's order.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The `ref_id` of the row at `line`: the job's id and the line, the
    /// same on every run of the job.
    pub fn ref_id(&self, line: u64) -> String {
        [self.id.as_str(), "-", &decimal(line)].concat()
    }

    pub fn stop(&self) -> Option<Stop> {
        self.stop
    }

    /// Why the job paused itself (no balance, a refused token, no network).
    pub fn halt(&self) -> Option<&Issue> {
        self.halt.as_ref()
    }

    /// How many rows are in `state`.
    pub fn count(&self, state: RowState) -> usize {
        self.counts.get(state as usize).copied().unwrap_or(0)
    }

    fn count_where(&self, f: impl Fn(RowState) -> bool) -> usize {
        ALL_STATES
            .iter()
            .filter(|s| f(**s))
            .map(|s| self.count(*s))
            .sum()
    }

    /// Checks every row again: its request, its errors, numbers met twice.
    /// Rows already sent keep their state; their request is rebuilt so that
    /// an answer can be checked against it.
    pub fn recheck(&mut self, rules: &Rules) {
        let mut said = Said::default();
        for row in &mut self.rows {
            let checked = check_row(&self.keys, &row.cells, row.extra_cells, rules);
            row.request = checked.request.map(Request::of);
            if row.state.editable() {
                row.issues = checked.issues.into_iter().map(|i| said.shared(i)).collect();
                row.warnings = checked
                    .warnings
                    .into_iter()
                    .map(|i| said.shared(i))
                    .collect();
                if row.state != RowState::Skipped {
                    row.state = if row.request.is_some() {
                        RowState::Queued
                    } else {
                        RowState::Invalid
                    };
                }
            }
        }
        let rows = &self.rows;
        // The row kept of a number met twice: one already sent, else one to
        // send, else one left out; the first in the file among equals.
        let twice = duplicates(rows.len(), |i| {
            rows.get(i).map_or((0, None, 0), |r| {
                let rank = match r.state {
                    s if s.sent() => 0,
                    RowState::Skipped => 2,
                    _ => 1,
                };
                let counted = r.state != RowState::Cancelled;
                (r.line, r.request.as_ref().filter(|_| counted), rank)
            })
        });
        for (row, kept) in self.rows.iter_mut().zip(twice) {
            let Some(line) = kept else { continue };
            if !row.state.editable() {
                continue;
            }
            let note = Rc::new(Issue::note(
                "phone",
                Note::DuplicateNumber,
                &[("line", Slot::Count(line))],
            ));
            if self.allow_duplicates {
                row.warnings.push(note);
            } else {
                // A row left out keeps it as the reason it is not sent.
                row.issues.push(note);
                if row.state != RowState::Skipped {
                    row.state = RowState::Invalid;
                }
            }
        }
        self.reindex();
    }

    /// The counts per state and the queues, from the rows.
    fn reindex(&mut self) {
        self.counts = [0; STATES];
        let mut queues: [Vec<Reverse<(u64, usize)>>; 3] = Default::default();
        for (i, row) in self.rows.iter().enumerate() {
            if let Some(n) = self.counts.get_mut(row.state as usize) {
                *n += 1;
            }
            if let Some(q) = row.state.queue().and_then(|q| queues.get_mut(q)) {
                q.push(Reverse((row.due_ms, i)));
            }
        }
        self.queues = queues.map(BinaryHeap::from);
    }

    /// The soonest `(due_ms, index)` of queue `q` whose row is still there
    /// (in a state of that queue, due then); the entries of rows that moved
    /// on are dropped on the way.
    fn first(&mut self, q: usize) -> Option<(u64, usize)> {
        let heap = self.queues.get_mut(q)?;
        while let Some(&Reverse((due, i))) = heap.peek() {
            let live = self
                .rows
                .get(i)
                .is_some_and(|r| r.state.queue() == Some(q) && r.due_ms == due);
            if live {
                return Some((due, i));
            }
            heap.pop();
        }
        None
    }

    /// Changes row `i` by `f`, keeping the counts and queues, and writes a
    /// record of what a store keeps that changed.
    fn change(&mut self, i: usize, f: impl FnOnce(&mut Row)) {
        let Some(row) = self.rows.get_mut(i) else {
            return;
        };
        let before = Kept::of(row);
        let due = row.due_ms;
        f(row);
        let moved = (before.state, due) != (row.state, row.due_ms);
        if !before.same(row) {
            write_record(&mut self.journal, Some(&before), row);
        }
        let (state, due_now) = (row.state, row.due_ms);
        if moved {
            self.recount(before.state, state);
            if let Some(q) = state.queue().and_then(|q| self.queues.get_mut(q)) {
                q.push(Reverse((due_now, i)));
            }
        }
    }

    /// A row went from state `from` to `to`.
    fn recount(&mut self, from: RowState, to: RowState) {
        if let Some(n) = self.counts.get_mut(from as usize) {
            *n = n.saturating_sub(1);
        }
        if let Some(n) = self.counts.get_mut(to as usize) {
            *n += 1;
        }
    }

    fn index_of(&self, line: u64) -> Result<usize, Issue> {
        self.rows
            .binary_search_by_key(&line, |r| r.line)
            .map_err(|_| Issue::note("", Note::NoSuchLine, &[("line", Slot::Count(line))]))
    }

    /// The index of the row at `line`, if it may still be changed: not
    /// sent, in a job not over ([`Job::closed`]).
    fn editable(&self, line: u64) -> Result<usize, Issue> {
        let i = self.index_of(line)?;
        let note = match self.rows.get(i) {
            Some(r) if r.state.editable() && !self.closed() => return Ok(i),
            Some(r) if r.state.editable() => Note::JobClosed,
            _ => Note::NotEditable,
        };
        Err(Issue::note("", note, &[("line", Slot::Count(line))]))
    }

    /// Changes cells of a row not sent yet: `{ column: text }`, by column name.
    pub fn edit(&mut self, line: u64, cells: &Value, rules: &Rules) -> Result<(), Issue> {
        let i = self.editable(line)?;
        let Some(row) = self.rows.get_mut(i) else {
            return Ok(());
        };
        for (k, v) in cells.as_object().unwrap_or(&[]) {
            let key = column_key(k);
            let at = self.keys.iter().position(|c| *c == key);
            let text = match v {
                Value::String(s) => s.trim().to_owned(),
                Value::Number(n) => n.clone(),
                _ => String::new(),
            };
            if let Some(at) = at {
                row.cells = row.cells.with(at, &text);
            }
        }
        row.extra_cells = false;
        let out = &mut self.journal;
        out.push_str("{\"line\":");
        out.push_str(&decimal(line));
        out.push_str(",\"cells\":");
        write_strings(out, row.cells.iter());
        out.push_str("}\n");
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
        let state = if skip {
            RowState::Skipped
        } else {
            RowState::Queued
        };
        for i in at {
            self.change(i, |row| row.state = state);
        }
        self.recheck(rules);
        Ok(())
    }

    /// Pause or cancel (or neither: the pause, and why the job paused
    /// itself, are forgotten). Cancelling marks every row not yet sent
    /// `cancelled`, for good.
    pub fn set_stop(&mut self, stop: Option<Stop>) {
        if self.stop == Some(Stop::Cancelled) || (self.stop == stop && self.halt.is_none()) {
            return;
        }
        self.set_stop_quietly(stop);
        let out = &mut self.journal;
        out.push_str("{\"stop\":");
        match stop {
            Some(s) => write_str(out, s.as_str()),
            None => out.push_str("null"),
        }
        out.push_str(",\"halt\":null}\n");
    }

    fn set_stop_quietly(&mut self, stop: Option<Stop>) {
        if self.stop == Some(Stop::Cancelled) {
            return;
        }
        self.stop = stop;
        self.halt = None;
        if stop == Some(Stop::Cancelled) {
            for row in &mut self.rows {
                if row.state == RowState::Queued {
                    row.state = RowState::Cancelled;
                    row.outcome = Some(Box::new(Issue::note("", Note::Cancelled, &[])));
                }
            }
            self.reindex();
        }
    }

    /// Pauses the job by its own decision, saying why (the same for every
    /// row: no balance, a refused token, no network).
    pub fn halt_with(&mut self, why: Issue) {
        if self.stop == Some(Stop::Cancelled) {
            return;
        }
        self.stop = Some(Stop::Paused);
        let out = &mut self.journal;
        out.push_str("{\"stop\":\"paused\",\"halt\":");
        why.to_json().write_json(out);
        out.push_str("}\n");
        self.halt = Some(why);
    }

    /// Marks the start of a run, for the rate in [`Job::progress`] (with
    /// `pace`, the client's pacing of payments: at most `requests` in any
    /// `period_ms`, or `None` when it has none) and the pause after calls
    /// with no answer (the client's `timeout_ms`).
    pub fn begin_run(&mut self, now: u64, timeout_ms: u64, pace: Option<(u64, u64)>) {
        self.run_start = Some((now, self.count_where(RowState::sent)));
        self.pace = pace.filter(|&(requests, period)| requests > 0 && period > 0);
        self.timeout_ms = timeout_ms;
        self.unanswered = 0;
        self.failed = 0;
    }

    /// No row is waiting to be sent or followed.
    pub fn finished(&self) -> bool {
        self.count(RowState::Queued) == 0 && self.count_where(RowState::in_flight) == 0
    }

    /// The job is over: cancelled, or run to its end (rows were sent, and
    /// none is left to send or follow). Its rows can no longer be changed,
    /// left out or taken back in: a row taken back in after the end would
    /// turn a finished job's row into one with errors, or pay it later.
    pub fn closed(&self) -> bool {
        self.stop == Some(Stop::Cancelled)
            || (self.finished() && self.count_where(RowState::sent) > 0)
    }

    /// What to do at `now`. Rows whose outcome is unknown come first, then
    /// pending payments, then the next row to send (unless stopped). A job
    /// that paused itself does nothing more in this run.
    pub fn next_step(&mut self, now: u64) -> Step {
        if self.halt.is_some() {
            return Step::Idle;
        }
        let paused = self.stop == Some(Stop::Paused);
        let open = [true, !paused, self.stop.is_none()];
        let mut waiting: Option<u64> = None;
        for (q, step) in [
            (SETTLE, Step::Settle as fn(usize) -> Step),
            (POLL, Step::Poll),
            (SEND, Step::Submit),
        ] {
            if open.get(q) != Some(&true) {
                continue;
            }
            match self.first(q) {
                Some((due, i)) if due <= now => return step(i),
                Some((due, _)) => waiting = Some(waiting.map_or(due, |w| w.min(due))),
                None => {}
            }
        }
        match waiting {
            Some(due) => Step::Wait(due.saturating_sub(now).max(1)),
            None => Step::Idle,
        }
    }

    /// The body of the row's `/request`, with its `ref_id`, and its intent.
    pub fn request_of(&self, i: usize) -> Option<(ValidRequest, Option<&str>)> {
        let row = self.rows.get(i)?;
        let req = row.request.as_ref()?.to_valid(Some(self.ref_id(row.line)));
        Some((req, row.intent.as_deref()))
    }

    /// `{ ref_id }` (or `{ trx_id }` for a payment the gateway confirmed),
    /// with the row's intent, for `status`.
    pub fn status_query(&self, i: usize) -> Option<Value> {
        let row = self.rows.get(i)?;
        let by_trx = row.state == RowState::Pending && row.trx_id.is_some();
        let (k, v) = match (&row.trx_id, by_trx) {
            (Some(t), true) => ("trx_id", t.clone()),
            _ => ("ref_id", self.ref_id(row.line)),
        };
        let mut q = vec![(k.to_owned(), Value::String(v))];
        if let Some(intent) = &row.intent {
            q.push(("intent".to_owned(), Value::from(intent.as_str())));
        }
        Some(Value::Object(q))
    }

    /// The row is about to be sent with `intent` (store the record before sending).
    pub fn mark_sending(&mut self, i: usize, intent: Option<String>) {
        self.change(i, |row| {
            row.state = RowState::Sending;
            row.intent = intent;
            row.due_ms = 0;
        });
    }

    /// The row marked `sending` was not sent after all (a stop asked, the
    /// store failed): to send.
    pub fn unmark_sending(&mut self, i: usize) {
        let cancelled = self.stop == Some(Stop::Cancelled);
        self.change(i, |row| {
            if row.state == RowState::Sending {
                back_to_queue(row, cancelled, 0);
            }
        });
    }

    /// A call that began at `started` ended at `now` in `failure` (none when
    /// the gateway answered): calls that keep failing pause the job.
    fn count_call(&mut self, failure: Option<&ApiError>, started: u64, now: u64) {
        let Some(e) = failure.filter(|e| crate::gateway::is_unknown_outcome(e)) else {
            self.unanswered = 0;
            // "Nothing holds that ref_id" is an answer, but no progress: a
            // gateway that fails every payment before taking it, and says
            // so when asked, still pauses the job.
            if failure.is_none_or(|e| e.kind != ErrorKind::NotFound) {
                self.failed = 0;
            }
            return;
        };
        self.failed += 1;
        let no_answer = matches!(e.kind, ErrorKind::Timeout | ErrorKind::Network);
        if !no_answer {
            self.unanswered = 0;
        } else {
            if self.unanswered == 0 {
                self.unanswered_since = started;
            }
            self.unanswered += 1;
        }
        let long = now.saturating_sub(self.unanswered_since) >= self.timeout_ms;
        let stuck = self.unanswered >= MAX_UNANSWERED
            || (self.unanswered >= 2 && long)
            || self.failed >= MAX_FAILED;
        if stuck {
            let calls = if no_answer {
                self.unanswered
            } else {
                self.failed
            };
            let why = Issue::note(
                "",
                Note::NoAnswer,
                &[
                    ("calls", Slot::Count(u64::from(calls))),
                    ("reason", Slot::Text(&e.message, &e.message_bn)),
                ],
            );
            self.halt_with(why);
        }
    }

    /// What sending the row's request once (no status asked after it) gave:
    /// the call began at `started` and ended at `now`.
    pub fn record_submit(
        &mut self,
        i: usize,
        sent: Result<Transaction, ApiError>,
        started: u64,
        now: u64,
        poll_ms: u64,
    ) {
        self.count_call(sent.as_ref().err(), started, now);
        let e = match sent {
            Ok(t) => return self.change(i, |row| took(row, &t, now, poll_ms)),
            Err(e) => e,
        };
        let cancelled = self.stop == Some(Stop::Cancelled);
        match e.kind {
            ErrorKind::RefIdConflict => self.change(i, |row| fail(row, Issue::of_api(&e))),
            // The ref_id is taken: by this payment (its answer lost before), or
            // by another one. `status` tells which.
            ErrorKind::Duplicate => self.change(i, |row| unknown(row, now)),
            _ if crate::gateway::is_unknown_outcome(&e) => self.change(i, |row| unknown(row, now)),
            ErrorKind::RateLimited => {
                let due = now.saturating_add(e.retry_after_ms.unwrap_or(5_000));
                self.change(i, |row| back_to_queue(row, cancelled, due));
            }
            ErrorKind::Forbidden
                if e.code == "intent_expired" && self.rows.get(i).is_some_and(|r| r.checks < 3) =>
            {
                self.change(i, |row| {
                    back_to_queue(row, cancelled, 0);
                    row.intent = None;
                    row.checks += 1;
                });
            }
            // Not this row's fault: every row would get the same answer
            // (no balance, a refused token, a wrong URL).
            ErrorKind::InsufficientBalance
            | ErrorKind::Unauthorized
            | ErrorKind::Forbidden
            | ErrorKind::NotFound => {
                self.change(i, |row| {
                    back_to_queue(row, cancelled, 0);
                    row.intent = None;
                });
                self.halt_with(Issue::of_api(&e));
            }
            _ => self.change(i, |row| fail(row, Issue::of_api(&e))),
        }
    }

    /// What `status` said about the row (a [`Step::Settle`] or
    /// [`Step::Poll`]), asked at `started`, answered at `now`.
    pub fn record_status(
        &mut self,
        i: usize,
        answer: Result<Transaction, ApiError>,
        started: u64,
        now: u64,
        poll_ms: u64,
    ) {
        self.count_call(answer.as_ref().err(), started, now);
        let cancelled = self.stop == Some(Stop::Cancelled);
        let Some(row) = self.rows.get(i) else {
            return;
        };
        let settling = matches!(row.state, RowState::Sending | RowState::Unknown);
        match answer {
            Ok(t) => {
                if settling {
                    let ref_id = self.ref_id(row.line);
                    let differ = self
                        .request_of(i)
                        .map(|(r, _)| payment_differences(&t, &r))
                        .unwrap_or_default();
                    if !differ.is_empty() {
                        let e = ref_id_conflict(&ref_id, &differ, 200);
                        return self.change(i, |row| fail(row, Issue::of_api(&e)));
                    }
                }
                self.change(i, |row| took(row, &t, now, poll_ms));
            }
            // No payment holds the ref_id: the request never arrived. Send it
            // again, under the same ref_id (unless the job was cancelled).
            Err(e) if settling && e.kind == ErrorKind::NotFound => {
                self.change(i, |row| {
                    back_to_queue(row, cancelled, now);
                    row.checks = 0;
                });
            }
            Err(e) => self.change(i, |row| {
                if e.kind == ErrorKind::Forbidden && e.code == "intent_expired" {
                    row.intent = None;
                }
                row.checks += 1;
                row.due_ms = now.saturating_add(backoff(row.checks, 1_000));
            }),
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

    /// What may still be sent, per operator and balance: the rows to send,
    /// and the rows sent before with no answer (sent again only if the
    /// gateway holds nothing under their `ref_id`).
    pub fn totals(&self) -> Totals {
        Totals::of(
            self.rows
                .iter()
                .filter(|r| {
                    matches!(
                        r.state,
                        RowState::Queued | RowState::Sending | RowState::Unknown
                    )
                })
                .filter_map(|r| r.request.as_ref()),
        )
    }
}

/// The sentences rows share: the last few different ones said, each made
/// once and handed out again to every row that says the same.
#[derive(Default)]
struct Said {
    recent: Vec<Rc<Issue>>,
}

impl Said {
    const KEPT: usize = 16;

    fn shared(&mut self, issue: Issue) -> Rc<Issue> {
        if let Some(same) = self.recent.iter().find(|r| ***r == issue) {
            return Rc::clone(same);
        }
        let made = Rc::new(issue);
        if self.recent.len() == Self::KEPT {
            self.recent.remove(0);
        }
        self.recent.push(Rc::clone(&made));
        made
    }
}

const ALL_STATES: [RowState; STATES] = [
    RowState::Invalid,
    RowState::Skipped,
    RowState::Queued,
    RowState::Sending,
    RowState::Unknown,
    RowState::Pending,
    RowState::Success,
    RowState::Failed,
    RowState::Cancelled,
];

/// The backoff after `checks` looks: doubling from `base`, at most a minute.
fn backoff(checks: u32, base: u64) -> u64 {
    base.saturating_mul(1 << checks.min(16)).min(MAX_BACKOFF_MS)
}

fn unknown(row: &mut Row, now: u64) {
    row.state = RowState::Unknown;
    row.checks = 0;
    row.due_ms = now.saturating_add(1_000);
}

/// Not sent (or known never to have arrived): to send at `due`, or, in a
/// cancelled job, never.
fn back_to_queue(row: &mut Row, cancelled: bool, due: u64) {
    if cancelled {
        row.state = RowState::Cancelled;
        row.outcome = Some(Box::new(Issue::note("", Note::Cancelled, &[])));
    } else {
        row.state = RowState::Queued;
        row.due_ms = due;
    }
}

fn fail(row: &mut Row, why: Issue) {
    row.state = RowState::Failed;
    row.outcome = Some(Box::new(why));
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
    // The gateway's words, in Bangla in the Bangla sentence when known.
    let status = t.trx_status.as_str();
    let status = Slot::Text(status, gateway_bn(status));
    let why = match t.message.as_deref().filter(|m| !m.trim().is_empty()) {
        Some(reason) => Issue::note(
            "",
            Note::PaymentFailedSaying,
            &[
                ("status", status),
                ("reason", Slot::Text(reason, gateway_bn(reason))),
            ],
        ),
        None => Issue::note("", Note::PaymentFailed, &[("status", status)]),
    };
    fail(row, why);
}
