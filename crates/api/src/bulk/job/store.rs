//! What a store keeps of a job, as text: a header line naming the job, its
//! plan (a line per row of the file), written once, then one record per
//! change (a JSON line holding what changed), appended. Written here and
//! read back here; never sent anywhere, never holding a token.
//!
//! A record is applied as it says (a field left out did not change, `null`
//! clears it), so replaying records already folded into a compacted text
//! ends in the same place, and a last record cut short by a kill is left out.

use crate::prelude::*;

use alloc::boxed::Box;

use bdpay_core::json::{de::from_value, parse, parse_str, write_str};
use bdpay_core::messages::Slot;
use bdpay_core::rules::Rules;
use bdpay_core::text::decimal;
use serde::{Deserialize, Deserializer};

use super::{Job, Row, RowState, Stop};
use crate::bulk::file::Cells;
use crate::bulk::notes::{Issue, Note};

/// The first line's key: what says the text is a job's, and its version.
const FORMAT: &str = "bdpay_bulk_job";
const VERSION: u64 = 2;

/// The first line of a job's text.
#[derive(Deserialize)]
struct Header {
    bdpay_bulk_job: u64,
    id: String,
    columns: Vec<String>,
    rows: usize,
    #[serde(default)]
    allow_duplicates: bool,
    #[serde(default)]
    delimiter: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
}

/// A row of the plan: the file's cells.
#[derive(Deserialize)]
struct PlanRow {
    line: u64,
    cells: Cells,
    #[serde(default)]
    extra_cells: bool,
}

/// A record: what changed in a row (`line`) or in the job. A field left
/// out did not change; `null` clears it.
#[derive(Deserialize)]
struct Record {
    #[serde(default)]
    line: Option<u64>,
    #[serde(default)]
    state: Option<RowState>,
    #[serde(default, deserialize_with = "given")]
    trx_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "given")]
    trx_status: Option<Option<String>>,
    #[serde(default, deserialize_with = "given")]
    outcome: Option<Option<Issue>>,
    #[serde(default, deserialize_with = "given")]
    intent: Option<Option<String>>,
    #[serde(default)]
    cells: Option<Cells>,
    #[serde(default, deserialize_with = "given")]
    stop: Option<Option<Stop>>,
    #[serde(default, deserialize_with = "given")]
    halt: Option<Option<Issue>>,
}

/// A field that is there, `null` or not: `Some(None)` for `null`.
fn given<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// The whole-state form of version 1, which replaced itself on every step.
#[derive(Deserialize)]
struct SavedV1 {
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

/// The gateway's status a row's state says, as the gateway writes it.
fn said_by(state: RowState) -> Option<&'static str> {
    match state {
        RowState::Pending => Some("Pending"),
        RowState::Success => Some("Success"),
        RowState::Failed => Some("Failed"),
        _ => None,
    }
}

/// What a store keeps of a row, as it was before a change.
pub(super) struct Kept {
    pub(super) state: RowState,
    trx_id: Option<String>,
    trx_status: Option<String>,
    outcome: Option<Box<Issue>>,
    intent: Option<String>,
}

impl Kept {
    pub(super) fn of(row: &Row) -> Kept {
        Kept {
            state: row.state,
            trx_id: row.trx_id.clone(),
            trx_status: row.trx_status.clone(),
            outcome: row.outcome.clone(),
            intent: row.intent.clone(),
        }
    }

    pub(super) fn same(&self, row: &Row) -> bool {
        self.state == row.state
            && self.trx_id == row.trx_id
            && self.trx_status == row.trx_status
            && self.outcome == row.outcome
            && self.intent == row.intent
    }
}

/// `["a","b"]` into `out`.
pub(super) fn write_strings<'a>(out: &mut String, items: impl IntoIterator<Item = &'a str>) {
    out.push('[');
    for (k, s) in items.into_iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        write_str(out, s);
    }
    out.push(']');
}

/// A row's record into `out`: its state, then each kept field that differs
/// from `before` (`null` when cleared), or, with no `before`, each that is set.
pub(super) fn write_record(out: &mut String, before: Option<&Kept>, row: &Row) {
    fn text(out: &mut String, key: &str, before: Option<&Option<String>>, now: &Option<String>) {
        if before.map_or(now.is_none(), |b| b == now) {
            return;
        }
        out.push_str(",\"");
        out.push_str(key);
        out.push_str("\":");
        match now {
            Some(s) => write_str(out, s),
            None => out.push_str("null"),
        }
    }
    out.push_str("{\"line\":");
    out.push_str(&decimal(row.line));
    out.push_str(",\"state\":\"");
    out.push_str(row.state.as_str());
    out.push('"');
    text(out, "trx_id", before.map(|b| &b.trx_id), &row.trx_id);
    // The gateway's status is left out when it is what the state says
    // (`Pending`, `Success`, `Failed`): a third of a row's records.
    let said = |state: RowState, status: &Option<String>| {
        status
            .clone()
            .filter(|s| Some(s.as_str()) != said_by(state))
    };
    text(
        out,
        "trx_status",
        before.map(|b| said(b.state, &b.trx_status)).as_ref(),
        &said(row.state, &row.trx_status),
    );
    if before.map_or(row.outcome.is_some(), |b| b.outcome != row.outcome) {
        out.push_str(",\"outcome\":");
        match &row.outcome {
            Some(o) => o.to_json().write_json(out),
            None => out.push_str("null"),
        }
    }
    text(out, "intent", before.map(|b| &b.intent), &row.intent);
    out.push_str("}\n");
}

impl Job {
    /// A job from its text ([`Job::state_text`] and the records appended
    /// since), or from version 1's whole state; checked again. A last line
    /// cut short (a write the process was killed in) is left out, and the
    /// text must then be written again whole ([`Job::rewrite_needed`]).
    pub fn restore(text: &str, rules: &Rules) -> Result<Job, Issue> {
        let bad =
            |details: &str| Issue::note("", Note::BadState, &[("details", Slot::Code(details))]);
        let mut lines = text.split('\n');
        let first = lines.next().unwrap_or("");
        let head = match parse_str(first) {
            Ok(head) if head.get("version").is_none() => head,
            // Version 1: one JSON document, on one line or more.
            _ => return Job::restore_v1(text, rules),
        };
        let head: Header = from_value(&head).map_err(|e| bad(&e.path()))?;
        if head.bdpay_bulk_job != VERSION || head.columns.is_empty() {
            return Err(bad("version"));
        }
        let mut rows = Vec::with_capacity(head.rows.min(crate::bulk::file::MAX_ROWS));
        for n in 0..head.rows {
            let at = || ["line ", &decimal(n as u64 + 2)].concat();
            let plan: PlanRow = lines
                .next()
                .and_then(|l| parse_str(l).ok())
                .and_then(|v| from_value(&v).ok())
                .ok_or_else(|| bad(&at()))?;
            let after = rows.last().is_none_or(|r: &Row| r.line < plan.line);
            if plan.cells.len() != head.columns.len() || !after {
                return Err(bad(&at()));
            }
            rows.push(Row::fresh(plan.line, plan.cells, plan.extra_cells));
        }
        let mut job = Job::of(head.id, head.columns, rows, head.allow_duplicates);
        job.delimiter = head
            .delimiter
            .and_then(|d| d.bytes().next())
            .unwrap_or(b',');
        job.encoding = head.encoding;
        job.recheck(rules);
        let mut dirty = false;
        let records = lines.enumerate().filter(|(_, l)| !l.trim().is_empty());
        let mut records = records.peekable();
        while let Some((k, line)) = records.next() {
            let at = || ["line ", &decimal((head.rows + k) as u64 + 2)].concat();
            let record = parse_str(line)
                .ok()
                .and_then(|v| from_value::<Record>(&v).ok());
            let Some(record) = record else {
                // Cut short by a kill mid-write: the last line, with no newline.
                if records.peek().is_none() && !text.ends_with('\n') {
                    job.rewrite = true;
                    break;
                }
                return Err(bad(&at()));
            };
            if let Some(line) = record.line {
                let i = job.index_of(line).map_err(|_| bad(&at()))?;
                let row = job.rows.get_mut(i).ok_or_else(|| bad(&at()))?;
                if let Some(cells) = record.cells {
                    if cells.len() != row.cells.len() {
                        return Err(bad(&at()));
                    }
                    row.cells = cells;
                    row.extra_cells = false;
                    dirty = true;
                }
                if let Some(state) = record.state {
                    dirty |= state.editable() || row.state.editable();
                    row.state = state;
                }
                if let Some(v) = record.trx_id {
                    row.trx_id = v;
                }
                if let Some(v) = record.trx_status {
                    row.trx_status = v;
                }
                if let Some(v) = record.outcome {
                    row.outcome = v.map(Box::new);
                }
                if let Some(v) = record.intent {
                    row.intent = v;
                }
                continue;
            }
            if let Some(halt) = record.halt {
                job.halt = halt;
            }
            if let Some(stop) = record.stop {
                // Cancelling marks the rows still to send: which ones they
                // are must be known first.
                if dirty {
                    job.recheck(rules);
                    dirty = false;
                } else {
                    job.reindex();
                }
                let halt = job.halt.take();
                job.set_stop_quietly(stop);
                job.halt = if stop.is_some() { halt } else { None };
            }
        }
        // A status left out is the one its state says.
        for row in &mut job.rows {
            if row.trx_id.is_some() && row.trx_status.is_none() {
                row.trx_status = said_by(row.state).map(str::to_owned);
            }
        }
        if dirty {
            job.recheck(rules);
        } else {
            job.reindex();
        }
        // Anything appended now would run on from a line with no end.
        if !text.ends_with('\n') {
            job.rewrite = true;
        }
        Ok(job)
    }

    /// Version 1's whole state (one JSON document), read once: the store
    /// then holds it again in this version's text.
    fn restore_v1(text: &str, rules: &Rules) -> Result<Job, Issue> {
        let bad =
            |details: &str| Issue::note("", Note::BadState, &[("details", Slot::Code(details))]);
        let state = parse(text.as_bytes()).map_err(|e| bad(e.code()))?;
        let saved: SavedV1 = from_value(&state).map_err(|e| bad(&e.path()))?;
        if saved.version != 1
            || saved
                .rows
                .iter()
                .any(|r| r.cells.len() != saved.columns.len())
        {
            return Err(bad("version"));
        }
        let mut job = Job::of(saved.id, saved.columns, saved.rows, saved.allow_duplicates);
        for row in &mut job.rows {
            row.checks = 0;
            row.due_ms = 0;
        }
        job.stop = saved.stop;
        job.halt = saved.halt;
        job.rewrite = true;
        job.recheck(rules);
        Ok(job)
    }

    /// The records written since the last call, for the store to append
    /// (whole JSON lines, or nothing).
    pub fn take_journal(&mut self) -> String {
        core::mem::take(&mut self.journal)
    }

    /// Whether the store must be given [`Job::state_text`] whole before
    /// anything is appended (the text it held was version 1's, or ended in a
    /// line cut short; or an append failed).
    pub fn rewrite_needed(&self) -> bool {
        self.rewrite
    }

    /// An append failed: what the store holds is behind; the next save
    /// writes the whole text.
    pub fn set_rewrite(&mut self, rewrite: bool) {
        self.rewrite = rewrite;
        if rewrite {
            self.journal.clear();
        }
    }

    /// The job as a store keeps it, compacted: a header line, the plan (a
    /// line per row of the file), then a record per row that moved on, and
    /// the job's stop. [`Job::restore`] reads it back, with any records
    /// appended after it.
    pub fn state_text(&self) -> String {
        let mut out = String::with_capacity(self.rows.len() * 64 + 256);
        out.push_str("{\"");
        out.push_str(FORMAT);
        out.push_str("\":");
        out.push_str(&decimal(VERSION));
        out.push_str(",\"id\":");
        write_str(&mut out, &self.id);
        out.push_str(",\"columns\":");
        write_strings(&mut out, self.columns.iter().map(String::as_str));
        out.push_str(",\"rows\":");
        out.push_str(&decimal(self.rows.len() as u64));
        out.push_str(",\"allow_duplicates\":");
        out.push_str(if self.allow_duplicates {
            "true"
        } else {
            "false"
        });
        out.push_str(",\"delimiter\":");
        let mut d = [0u8; 4];
        write_str(&mut out, char::from(self.delimiter).encode_utf8(&mut d));
        if let Some(e) = &self.encoding {
            out.push_str(",\"encoding\":");
            write_str(&mut out, e);
        }
        out.push_str("}\n");
        for row in &self.rows {
            out.push_str("{\"line\":");
            out.push_str(&decimal(row.line));
            out.push_str(",\"cells\":");
            write_strings(&mut out, row.cells.iter());
            if row.extra_cells {
                out.push_str(",\"extra_cells\":true");
            }
            out.push_str("}\n");
        }
        for row in &self.rows {
            let moved = !matches!(row.state, RowState::Queued | RowState::Invalid)
                || row.trx_id.is_some()
                || row.trx_status.is_some()
                || row.outcome.is_some()
                || row.intent.is_some();
            if moved && row.state != RowState::Cancelled {
                write_record(&mut out, None, row);
            }
        }
        if self.stop.is_some() || self.halt.is_some() {
            out.push_str("{\"stop\":");
            match self.stop {
                Some(s) => write_str(&mut out, s.as_str()),
                None => out.push_str("null"),
            }
            out.push_str(",\"halt\":");
            match &self.halt {
                Some(h) => h.to_json().write_json(&mut out),
                None => out.push_str("null"),
            }
            out.push_str("}\n");
        }
        out
    }
}
