//! A bulk file in and a results file out, as spreadsheets write and read
//! them: CSV through the `csv` crate (quotes, embedded newlines, a UTF-8 BOM,
//! `\r\n`), or rows given as objects.

use crate::prelude::*;

use bdpay_core::json::Value;
use bdpay_core::messages::Slot;

use super::notes::{Issue, Note};

/// The most rows one job takes.
pub const MAX_ROWS: usize = 100_000;

/// A file's header and rows, every row as many cells as the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    /// The header as written.
    pub columns: Vec<String>,
    pub rows: Vec<SheetRow>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetRow {
    /// The row's line in the file (the header is line 1), or its position
    /// from 2 on for rows given as objects.
    pub line: u64,
    pub cells: Vec<String>,
    /// Cells past the header's last column were dropped.
    pub extra_cells: bool,
}

/// A column's name as the job looks it up: `" Operator Code"` is `operator_code`.
pub fn key_of(column: &str) -> String {
    column
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Reads CSV text with a header row. Blank rows are left out.
pub fn read_csv(text: &str) -> Result<Sheet, Issue> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // csv counts lines by `\n` alone and loses count after a `\r\n`.
    let text = text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut columns: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(1, csv::Position::line);
            Issue::note("", Note::Unreadable, &[("line", Slot::Count(line))])
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        match &columns {
            None => columns = Some(cells),
            Some(header) => {
                if rows.len() == MAX_ROWS {
                    return Err(too_many_rows());
                }
                rows.push(fit(line, cells, header.len()));
            }
        }
    }
    let columns = columns.ok_or_else(|| Issue::note("", Note::NoRows, &[]))?;
    sheet(columns, rows)
}

/// Rows given as objects (`[{ phone, amount }, ...]`): the columns are every
/// key met, in order; a number cell is its JSON text, so amounts stay exact.
pub fn read_rows(rows: &Value) -> Result<Sheet, Issue> {
    let Some(list) = rows.as_array() else {
        return Err(Issue::note("", Note::NoRows, &[]));
    };
    if list.len() > MAX_ROWS {
        return Err(too_many_rows());
    }
    let mut columns: Vec<String> = Vec::new();
    for row in list {
        for (k, _) in row.as_object().unwrap_or(&[]) {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, row) in list.iter().enumerate() {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| match row.get(c) {
                Some(Value::String(s)) => s.trim().to_owned(),
                Some(Value::Number(n)) => n.clone(),
                Some(Value::Bool(b)) => if *b { "true" } else { "false" }.to_owned(),
                _ => String::new(),
            })
            .collect();
        if !cells.iter().all(String::is_empty) {
            out.push(fit(i as u64 + 2, cells, columns.len()));
        }
    }
    sheet(columns, out)
}

fn too_many_rows() -> Issue {
    Issue::note(
        "",
        Note::TooManyRows,
        &[("max", Slot::Count(MAX_ROWS as u64))],
    )
}

fn fit(line: u64, mut cells: Vec<String>, width: usize) -> SheetRow {
    let extra_cells = cells.iter().skip(width).any(|c| !c.is_empty());
    cells.resize(width, String::new());
    SheetRow {
        line,
        cells,
        extra_cells,
    }
}

fn sheet(columns: Vec<String>, rows: Vec<SheetRow>) -> Result<Sheet, Issue> {
    if !columns.iter().any(|c| key_of(c) == "phone") {
        return Err(Issue::note(
            "phone",
            Note::MissingColumn,
            &[("column", Slot::Code("phone"))],
        ));
    }
    if rows.is_empty() {
        return Err(Issue::note("", Note::NoRows, &[]));
    }
    Ok(Sheet { columns, rows })
}

/// CSV text of a header and rows. A cell a spreadsheet would run as a
/// formula (`=`, `+`, `-`, `@` first) is written with a `'` before it when it
/// is not a number or a phone number: results carry a server's words.
pub fn write_csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail; a failed row is left out rather than panic.
    let _ = w.write_record(header.iter().map(|h| inert(h).into_owned()));
    for row in rows {
        let _ = w.write_record(row.iter().map(|c| inert(c).into_owned()));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && !cell
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b' '));
    if risky {
        ["'", cell].concat().into()
    } else {
        cell.into()
    }
}
