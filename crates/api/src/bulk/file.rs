//! A bulk file in and a results file out, as spreadsheets write and read
//! them: bytes decoded (UTF-8 with or without its BOM, UTF-16 with its BOM;
//! anything else refused, saying what was found), the delimiter found (comma,
//! semicolon or tab), then CSV through the `csv` crate (quotes, embedded
//! newlines, `\r\n`), or rows given as objects. Never a panic, whatever the bytes.

use crate::prelude::*;

use alloc::boxed::Box;
use std::borrow::Cow;

use bdpay_core::json::Value;
use bdpay_core::messages::Slot;

use super::notes::{Issue, Note};

/// The most rows one job takes.
pub const MAX_ROWS: usize = 100_000;

/// The delimiters a file may use, the most usual first.
pub const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// A file's header and rows, every row as many cells as the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    /// The header as written.
    pub columns: Vec<String>,
    pub rows: Vec<SheetRow>,
    /// The delimiter found (`,` for rows given as objects).
    pub delimiter: u8,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetRow {
    /// The row's line in the file (the header is line 1), or its position
    /// from 2 on for rows given as objects.
    pub line: u64,
    pub cells: Cells,
    /// Cells past the header's last column were dropped.
    pub extra_cells: bool,
}

/// A row's cells, trimmed, in one piece of text: a file holds up to 100,000
/// rows, and a `Vec<String>` a row would be four allocations where this is
/// two. Read with [`Cells::get`] and [`Cells::iter`] (or `cells[i]`, `""`
/// past the end).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(from = "Vec<String>")]
pub struct Cells {
    text: Box<str>,
    /// Where each cell ends in `text`.
    ends: Box<[u32]>,
}

impl Cells {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = match i.checked_sub(1) {
            Some(before) => *self.ends.get(before)? as usize,
            None => 0,
        };
        self.text.get(start..end)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or(""))
    }

    /// The cells with the one at `at` replaced (none when `at` is past the end).
    pub fn with(&self, at: usize, text: &str) -> Cells {
        self.iter()
            .enumerate()
            .map(|(i, c)| if i == at { text } else { c })
            .collect()
    }
}

impl<'a> FromIterator<&'a str> for Cells {
    fn from_iter<I: IntoIterator<Item = &'a str>>(cells: I) -> Cells {
        let mut text = String::new();
        let mut ends = Vec::new();
        for c in cells {
            text.push_str(c);
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        Cells {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }
}

impl From<Vec<String>> for Cells {
    fn from(cells: Vec<String>) -> Cells {
        cells.iter().map(String::as_str).collect()
    }
}

impl core::ops::Index<usize> for Cells {
    type Output = str;
    fn index(&self, i: usize) -> &str {
        self.get(i).unwrap_or("")
    }
}

/// Other names a header may give a request column (after [`key_of`]): what
/// spreadsheets and people call them, in English and Bangla.
const ALIASES: &[(&str, &[&str])] = &[
    (
        "phone",
        &[
            "phone_number",
            "phone_no",
            "mobile",
            "mobile_number",
            "mobile_no",
            "msisdn",
            "ফোন",
            "ফোন_নম্বর",
            "মোবাইল",
            "মোবাইল_নম্বর",
        ],
    ),
    (
        "amount",
        &[
            "amount_bdt",
            "amount_tk",
            "taka",
            "টাকা",
            "পরিমাণ",
            "টাকার_পরিমাণ",
        ],
    ),
    ("operator_code", &["operator", "অপারেটর"]),
    ("type", &["service"]),
];

/// A column's name as written, normalised: `" Operator Code"` is `operator_code`.
pub fn key_of(column: &str) -> String {
    column
        .trim()
        .chars()
        .filter(|c| *c != '.')
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The column a header names, as the job looks it up: [`key_of`], then the
/// request column it is another name for (`Phone Number` is `phone`).
pub fn column_key(column: &str) -> String {
    let key = key_of(column);
    ALIASES
        .iter()
        .find(|(_, other)| other.contains(&key.as_str()))
        .map_or(key, |(name, _)| (*name).to_owned())
}

/// The encodings a file's bytes are read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// UTF-8 that starts with its byte-order mark, as Excel's "CSV UTF-8" does.
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8 (bom)",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
        }
    }
}

/// What a file that is not text looks like, by its first bytes: `(start,
/// English, Bangla)`. Anything else with a NUL byte is "binary data".
const NOT_TEXT: &[(&[u8], &str, &str)] = &[
    (b"\x89PNG", "it is a PNG image", "এটি একটি PNG ছবি"),
    (
        b"PK\x03\x04",
        "it is a zip file, such as an Excel workbook (.xlsx)",
        "এটি একটি জিপ ফাইল, যেমন এক্সেল ওয়ার্কবুক (.xlsx)",
    ),
    (
        b"\xD0\xCF\x11\xE0",
        "it is an old Excel workbook (.xls) or another Office file",
        "এটি পুরোনো এক্সেল ওয়ার্কবুক (.xls) বা অন্য কোনো অফিস ফাইল",
    ),
    (b"%PDF", "it is a PDF document", "এটি একটি PDF নথি"),
    (
        b"",
        "it holds binary data, not text",
        "এতে লেখা নয়, বাইনারি ডেটা আছে",
    ),
];

/// The text of a file's bytes and the encoding it was read in: UTF-8 (its
/// BOM dropped), or UTF-16 with its BOM (little- or big-endian). A file with
/// a NUL byte is not text; bytes that are not UTF-8 (Windows-1252, say) are
/// refused with the line and the byte where reading stopped, never guessed.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Encoding), Issue> {
    let utf16 = match bytes {
        [0xFF, 0xFE, rest @ ..] => Some((rest, Encoding::Utf16Le)),
        [0xFE, 0xFF, rest @ ..] => Some((rest, Encoding::Utf16Be)),
        _ => None,
    };
    if let Some((rest, encoding)) = utf16 {
        let units = rest.chunks(2).map(|pair| match (pair, encoding) {
            ([a, b], Encoding::Utf16Le) => Ok(u16::from_le_bytes([*a, *b])),
            ([a, b], _) => Ok(u16::from_be_bytes([*a, *b])),
            _ => Err(()),
        });
        let mut text = String::with_capacity(rest.len() / 2);
        for c in char::decode_utf16(units.map_while(Result::ok)) {
            match c {
                Ok(c) => text.push(c),
                Err(_) => return Err(bad_utf16(&text)),
            }
        }
        if rest.len() % 2 == 1 {
            return Err(bad_utf16(&text));
        }
        return Ok((Cow::Owned(text), encoding));
    }
    if bytes.contains(&0) {
        let (_, en, bn) = NOT_TEXT
            .iter()
            .find(|(start, _, _)| bytes.starts_with(start))
            .copied()
            .unwrap_or((b"", "", ""));
        return Err(Issue::note(
            "",
            Note::NotText,
            &[("what", Slot::Text(en, bn))],
        ));
    }
    let (body, encoding) = match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => (rest, Encoding::Utf8Bom),
        _ => (bytes, Encoding::Utf8),
    };
    match std::str::from_utf8(body) {
        Ok(text) => Ok((Cow::Borrowed(text), encoding)),
        Err(e) => {
            let at = e.valid_up_to();
            let read = body.get(..at).unwrap_or(&[]);
            let line = read.iter().filter(|b| **b == b'\n').count() as u64 + 1;
            let byte = body.get(at).copied().unwrap_or(0);
            let hex = alloc::format!("0x{byte:02X}");
            Err(Issue::note(
                "",
                Note::NotUtf8,
                &[("line", Slot::Count(line)), ("byte", Slot::Code(&hex))],
            ))
        }
    }
}

fn bad_utf16(read: &str) -> Issue {
    let line = read.chars().filter(|c| *c == '\n').count() as u64 + 1;
    Issue::note("", Note::BadUtf16, &[("line", Slot::Count(line))])
}

/// Reads a file's bytes ([`decode`], then [`read_csv`]); the encoding read.
pub fn read_bytes(bytes: &[u8]) -> Result<(Sheet, Encoding), Issue> {
    let (text, encoding) = decode(bytes)?;
    Ok((read_csv(&text)?, encoding))
}

/// The first row with a cell in it, split at `delimiter`.
fn first_row(text: &str, delimiter: u8) -> Vec<String> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
        .records()
        .map_while(Result::ok)
        .map(|r| r.iter().map(|c| c.trim().to_owned()).collect::<Vec<_>>())
        .find(|cells| cells.iter().any(|c| !c.is_empty()))
        .unwrap_or_default()
}

/// The delimiter of a CSV text: of comma, semicolon and tab, the one that
/// splits the header into a `phone` column, then into the most columns of
/// the job's own, then into the most columns (a comma when none splits it).
pub fn delimiter_of(text: &str) -> u8 {
    let score = |header: &[String]| {
        let keys: Vec<String> = header.iter().map(|c| column_key(c)).collect();
        let known = keys
            .iter()
            .filter(|k| super::plan::REQUEST_COLUMNS.contains(&k.as_str()))
            .count();
        (keys.iter().any(|k| k == "phone"), known, header.len())
    };
    let mut best = (b',', score(&first_row(text, b',')));
    for d in DELIMITERS.into_iter().skip(1) {
        let s = score(&first_row(text, d));
        if s > best.1 {
            best = (d, s);
        }
    }
    best.0
}

/// Reads CSV text with a header row, its delimiter found by
/// [`delimiter_of`]. Blank rows are left out.
pub fn read_csv(text: &str) -> Result<Sheet, Issue> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Issue::note("", Note::EmptyFile, &[]));
    }
    let delimiter = delimiter_of(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    // A record's line, from its byte offset: the line ends before it,
    // counted once as the reader moves on (csv's own count goes astray on
    // `\r\n`).
    let mut lines = Lines {
        text: text.as_bytes(),
        at: 0,
        line: 1,
    };
    let mut columns: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = lines.of(e.position().map(csv::Position::byte));
                return Err(Issue::note(
                    "",
                    Note::Unreadable,
                    &[("line", Slot::Count(line))],
                ));
            }
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = lines.of(record.position().map(csv::Position::byte));
        match &columns {
            None => columns = Some(record.iter().map(|c| c.trim().to_owned()).collect()),
            Some(header) => {
                if rows.len() == MAX_ROWS {
                    return Err(too_many_rows());
                }
                rows.push(fit(line, record.iter().map(str::trim), header.len()));
            }
        }
    }
    let columns = columns.ok_or_else(|| Issue::note("", Note::EmptyFile, &[]))?;
    sheet(columns, rows, delimiter)
}

/// Line numbers of byte offsets met in order.
struct Lines<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
}

impl Lines<'_> {
    fn of(&mut self, byte: Option<u64>) -> u64 {
        let mut to = byte.map_or(self.at, |b| usize::try_from(b).unwrap_or(usize::MAX));
        // After a `\r\n`, csv starts the next record at its `\n`.
        if self.text.get(to) == Some(&b'\n') {
            to += 1;
        }
        // A line ends at `\n`, or at a `\r` alone (as csv reads it): two
        // records never share a line.
        let text = self.text;
        let ends = (self.at..to.min(text.len())).filter(|&i| match text.get(i) {
            Some(b'\n') => true,
            Some(b'\r') => text.get(i + 1) != Some(&b'\n'),
            _ => false,
        });
        self.line += ends.count() as u64;
        self.at = self.at.max(to.min(text.len()));
        self.line
    }
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
            out.push(fit(
                i as u64 + 2,
                cells.iter().map(String::as_str),
                columns.len(),
            ));
        }
    }
    sheet(columns, out, b',')
}

fn too_many_rows() -> Issue {
    Issue::note(
        "",
        Note::TooManyRows,
        &[("max", Slot::Count(MAX_ROWS as u64))],
    )
}

/// A row of `width` cells: padded with empty ones, or cut (`extra_cells`
/// when a cell cut off held something).
fn fit<'a>(line: u64, cells: impl Iterator<Item = &'a str> + Clone, width: usize) -> SheetRow {
    let extra_cells = cells.clone().skip(width).any(|c| !c.is_empty());
    SheetRow {
        line,
        cells: cells.chain(core::iter::repeat("")).take(width).collect(),
        extra_cells,
    }
}

/// The header as a list for a sentence: its first columns, quoted.
fn header_list(columns: &[String]) -> String {
    let mut out = columns
        .iter()
        .take(12)
        .map(|c| {
            let short: String = c.chars().take(40).collect();
            ["“", &short, "”"].concat()
        })
        .collect::<Vec<_>>()
        .join(", ");
    if columns.len() > 12 {
        out.push_str(", …");
    }
    out
}

fn sheet(columns: Vec<String>, rows: Vec<SheetRow>, delimiter: u8) -> Result<Sheet, Issue> {
    let keys: Vec<String> = columns.iter().map(|c| column_key(c)).collect();
    if !keys.iter().any(|k| k == "phone") {
        return Err(Issue::note(
            "phone",
            Note::MissingColumn,
            &[
                ("column", Slot::Code("phone")),
                ("found", Slot::Code(&header_list(&columns))),
            ],
        ));
    }
    // Two columns of one meaning: which one would be sent is a guess.
    for (i, key) in keys.iter().enumerate() {
        if !super::plan::REQUEST_COLUMNS.contains(&key.as_str()) {
            continue;
        }
        let other = keys.iter().skip(i + 1).position(|k| k == key);
        if let Some(j) = other.map(|o| i + 1 + o) {
            let name = |at: usize| columns.get(at).map_or("", String::as_str);
            return Err(Issue::note(
                key,
                Note::DuplicateColumn,
                &[
                    ("first", Slot::Code(name(i))),
                    ("second", Slot::Code(name(j))),
                    ("column", Slot::Code(key)),
                ],
            ));
        }
    }
    if rows.is_empty() {
        return Err(Issue::note("", Note::NoRows, &[]));
    }
    Ok(Sheet {
        columns,
        rows,
        delimiter,
    })
}

/// A CSV file written a row at a time, with `\r\n` as spreadsheets write it.
/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is
/// written with a `'` before it when it is not a number or a phone number:
/// results carry a server's words.
pub struct CsvOut {
    w: csv::Writer<Vec<u8>>,
}

impl Default for CsvOut {
    fn default() -> CsvOut {
        CsvOut::with_capacity(0)
    }
}

impl CsvOut {
    /// A writer whose bytes start with room for `bytes`.
    pub fn with_capacity(bytes: usize) -> CsvOut {
        CsvOut::starting_with(&[], bytes)
    }

    /// A writer whose bytes start with `head` (a BOM), and room for `bytes` more.
    pub fn starting_with(head: &[u8], bytes: usize) -> CsvOut {
        let mut out = Vec::with_capacity(bytes.saturating_add(head.len()));
        out.extend_from_slice(head);
        CsvOut {
            w: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(out),
        }
    }

    /// One row (every row as many cells as the first).
    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) {
        // Writing to a Vec cannot fail; a failed cell is left out rather than panic.
        for cell in cells {
            let _ = self.w.write_field(inert(cell).as_bytes());
        }
        let _ = self.w.write_record(None::<&[u8]>);
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.w.into_inner().unwrap_or_default()
    }
}

/// CSV text of a header and rows, as [`CsvOut`] writes them.
pub fn write_csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = CsvOut::default();
    out.row(header.iter().copied());
    for row in rows {
        out.row(row.iter().map(String::as_str));
    }
    String::from_utf8(out.into_bytes()).unwrap_or_default()
}

fn inert(cell: &str) -> Cow<'_, str> {
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
