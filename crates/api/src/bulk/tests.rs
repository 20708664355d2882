//! Bulk jobs against the scripted gateway of [`crate::testing`]: the file,
//! the checks, and exactly once through faults, crashes, pauses and cancels.

use crate::prelude::*;

use std::cell::{Cell, RefCell};

use bdpay_core::json::{parse, Value};
use bdpay_core::messages::check::{assert_bilingual, samples};
use bdpay_core::rules::Rules;
use proptest::prelude::*;

use super::file::{read_bytes, read_csv, read_rows, write_csv};
use super::job::{Job, RowState, Stop};
use super::notes::{gateway_bn, Issue, Note};
use super::run::{run, Ended, Host};
use crate::client::{Config, GatewayClient};
use crate::error::ApiError;
use crate::testing::{block_on, FakeGateway, Fault};
use bdpay_core::text::bengali_digits;

fn client(gw: &FakeGateway) -> GatewayClient<&FakeGateway> {
    client_with(gw, "")
}

/// A client with more settings (`"key":value,` pairs, each with its comma).
fn client_with<'a>(gw: &'a FakeGateway, more: &str) -> GatewayClient<&'a FakeGateway> {
    let config = [
        r#"{"#,
        more,
        r#""baseUrl":"http://127.0.0.1:9","token":"tok","pollIntervalMs":1000}"#,
    ]
    .concat();
    GatewayClient::new(
        gw,
        Config::from_json(&parse(config.as_bytes()).unwrap()).unwrap(),
    )
}

/// A store in memory: the job's text, appended to. `fail_at` makes that
/// store call (counting appends and replaces from 0) fail, as a process
/// killed there would leave the text as it was before it.
#[derive(Default)]
struct Memory {
    text: RefCell<String>,
    calls: Cell<usize>,
    /// The size of every append, in bytes, and all they held.
    appends: RefCell<Vec<usize>>,
    appended: RefCell<String>,
    fail_at: Cell<Option<usize>>,
    /// `(call, bytes)`: that append stores only its first bytes, then fails
    /// (a process killed in the middle of the write).
    cut: Cell<Option<(usize, usize)>>,
    /// A pause is asked as soon as a `sending` record is stored.
    pause_on_sending: Cell<bool>,
    stop: Cell<Option<(usize, Stop)>>,
    events: Cell<usize>,
    intents: Cell<bool>,
}

impl Memory {
    fn store(&self, f: impl FnOnce(&mut String)) -> Result<(), ApiError> {
        let n = self.calls.get();
        self.calls.set(n + 1);
        if self.fail_at.get() == Some(n) {
            self.fail_at.set(None);
            return Err(ApiError::of_kind(crate::error::ErrorKind::Network, 0));
        }
        f(&mut self.text.borrow_mut());
        Ok(())
    }

    fn restored(&self) -> Job {
        Job::restore(&self.text.borrow(), &Rules::default()).unwrap()
    }

    /// The records appended since the plan: the lines after it.
    fn records(&self) -> Vec<String> {
        let text = self.text.borrow();
        let rows = text.lines().count();
        let plan = 1 + self.restored().rows().len();
        text.lines()
            .skip(plan.min(rows))
            .map(str::to_owned)
            .collect()
    }
}

impl Host for Memory {
    async fn append(&self, records: &str) -> Result<(), ApiError> {
        self.appends.borrow_mut().push(records.len());
        if let Some((call, bytes)) = self.cut.get() {
            if call == self.calls.get() {
                self.cut.set(None);
                self.calls.set(call + 1);
                let kept = records.get(..bytes.min(records.len())).unwrap_or("");
                self.text.borrow_mut().push_str(kept);
                return Err(ApiError::of_kind(crate::error::ErrorKind::Network, 0));
            }
        }
        self.store(|t| t.push_str(records))?;
        self.appended.borrow_mut().push_str(records);
        if self.pause_on_sending.get() && records.contains(r#""state":"sending""#) {
            self.stop.set(Some((0, Stop::Paused)));
        }
        Ok(())
    }
    async fn replace(&self, state: &str) -> Result<(), ApiError> {
        self.store(|t| state.clone_into(t))
    }
    async fn intent(&self, row: &Value) -> Result<Option<String>, ApiError> {
        Ok(self
            .intents
            .get()
            .then(|| format!("i.{}", row.get("line").and_then(Value::as_u64).unwrap_or(0))))
    }
    fn changed(&self, _row: Option<&Value>, _progress: &Value) {
        self.events.set(self.events.get() + 1);
    }
    fn stop_asked(&self) -> Option<Stop> {
        match self.stop.get() {
            Some((0, stop)) => {
                self.stop.set(None);
                Some(stop)
            }
            Some((n, stop)) => {
                self.stop.set(Some((n - 1, stop)));
                None
            }
            None => None,
        }
    }
}

/// `n` good rows (distinct numbers, 10 Taka + line) and the bad ones given.
fn csv(n: usize, bad: &[&str]) -> String {
    let mut out = String::from("phone,amount,note\n");
    for i in 0..n {
        out.push_str(&format!("0171{:07},{}.50,row {i}\n", 1_000_000 + i, 10 + i));
    }
    for b in bad {
        out.push_str(b);
        out.push('\n');
    }
    out
}

fn job_of(text: &str) -> Job {
    Job::new("bk-1-ab", read_csv(text).unwrap(), &Rules::default(), false)
}

fn states(job: &Job) -> Vec<RowState> {
    job.rows().iter().map(|r| r.state).collect()
}

/// Runs until finished, resuming after each failed store call from what
/// the store holds, as a process killed there and run again would.
fn run_to_end(gw: &FakeGateway, mut job: Job, host: &Memory) -> Job {
    let c = client(gw);
    if host.text.borrow().is_empty() {
        *host.text.borrow_mut() = job.state_text();
    }
    for _ in 0..50 {
        let cell = RefCell::new(job);
        let out = block_on(run(&cell, &c, host));
        job = cell.into_inner();
        match out {
            Ok(Ended::Finished) => return job,
            Ok(Ended::Paused) => job.set_stop(None),
            Err(_) => job = host.restored(),
        }
    }
    panic!("the job never finished");
}

fn committed_refs(gw: &FakeGateway) -> Vec<String> {
    let mut refs: Vec<String> = gw.committed.borrow().iter().map(|c| c.0.clone()).collect();
    refs.sort();
    refs
}

#[test]
fn a_spreadsheet_file_is_read_as_written() {
    let text = "\u{feff}Phone, Amount ,Operator Code,Note\r\n\
                +880 1712-345678,100,,\"Rahim, shop\"\r\n\
                ০১৮১২৩৪৫৬৭৮,৫০,RB,\"two\nlines\"\r\n\
                ,,,\r\n\
                01912345678,20,,x,extra\r\n";
    let sheet = read_csv(text).unwrap();
    assert_eq!(sheet.columns, ["Phone", "Amount", "Operator Code", "Note"]);
    assert_eq!(sheet.rows.len(), 3, "the blank row is left out");
    assert_eq!(&sheet.rows[0].cells[3], "Rahim, shop");
    assert_eq!(&sheet.rows[1].cells[3], "two\nlines");
    assert_eq!(
        sheet.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 3, 6]
    );
    assert!(sheet.rows[2].extra_cells);

    let job = Job::new("bk-1", sheet, &Rules::default(), false);
    let r = &job.rows()[0].request.as_ref().unwrap();
    assert_eq!(
        (r.phone.as_deref(), &*r.operator_code),
        (Some("01712345678"), "GP")
    );
    let r = &job.rows()[1].request.as_ref().unwrap();
    assert_eq!(
        (r.phone.as_deref(), r.amount.map(|a| a.paisa())),
        (Some("01812345678"), Some(5000))
    );
    assert_eq!(job.rows()[2].state, RowState::Invalid);
    assert_eq!(job.rows()[2].issues[0].code, "extra_cells");
    assert_eq!(job.ref_id(job.rows()[0].line), "bk-1-2");

    // A lone `\r` (old Mac files) ends a line as csv reads it: two rows
    // never share a line, so never a `ref_id`, and the job restores.
    let sheet =
        read_csv("phone,amount\r01712345678,10\r\n01812345678,20\r01912345678,30\n").unwrap();
    let lines: Vec<u64> = sheet.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3, 4]);
    let job = Job::new("bk-cr", sheet, &Rules::default(), false);
    let back = Job::restore(&job.state_text(), &Rules::default()).unwrap();
    assert_eq!(back.rows().len(), 3);

    let e = read_csv("number,amount\n01712345678,10\n").unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.code.as_str()),
        ("phone", "missing_column")
    );
    assert_eq!(read_csv("phone,amount\n").unwrap_err().code, "no_rows");
    assert_eq!(read_csv("").unwrap_err().code, "empty_file");
}

#[test]
fn rows_given_as_objects_keep_their_amounts_exact() {
    let rows = parse(br#"[{"phone":"01712345678","amount":100.1},{"phone":"01812345678","amount":"99.90","note":"n"}]"#).unwrap();
    let sheet = read_rows(&rows).unwrap();
    assert_eq!(sheet.columns, ["phone", "amount", "note"]);
    let job = Job::new("bk-1", sheet, &Rules::default(), false);
    let totals = job.totals();
    assert_eq!(totals.amount.paisa(), 20_000);
    assert_eq!(totals.rows, 2);
    assert_eq!(job.rows()[0].line, 2);
}

#[test]
fn every_bad_row_says_why_per_field_in_both_languages_and_is_never_sent() {
    let text = csv(
        3,
        &[
            "0171234567,100,short",
            "01712345678,abc,bad amount",
            "01112345678,100,dead prefix",
            "01712345678,1.005,decimals",
            "01512345678,100,",
        ],
    );
    let mut text = text.replace("phone,amount,note", "phone,amount,note,type,operator_code");
    text.push_str("01812345678,100,mfs no operator,mfs,\n01612345678,30,,recharge,XX\n");
    let job = job_of(&text);
    let codes: Vec<Vec<&str>> = job
        .rows()
        .iter()
        .map(|r| r.issues.iter().map(|i| i.code.as_str()).collect())
        .collect();
    assert_eq!(codes[3], ["invalid_phone"]);
    assert_eq!(codes[4], ["invalid_amount"]);
    assert_eq!(codes[5], ["invalid_phone"]);
    assert_eq!(codes[6], ["too_many_decimals"]);
    assert!(codes[7].is_empty(), "015 is Teletalk: {:?}", codes[7]);
    assert_eq!(codes[8], ["required"]);
    assert_eq!(job.rows()[8].issues[0].field, "operator_code");
    assert_eq!(codes[9], ["unknown_operator"]);
    for row in job.rows() {
        for i in row.issues.iter().chain(&row.warnings) {
            assert_bilingual(
                "row issue",
                &i.code,
                (&i.message, &i.message_bn),
                &[],
                &[&i.field, "XX"],
            );
        }
    }

    let gw = FakeGateway::default();
    let job = run_to_end(&gw, job, &Memory::default());
    let mut expected: Vec<String> = job
        .rows()
        .iter()
        .filter(|r| r.request.is_some() && r.issues.is_empty())
        .map(|r| job.ref_id(r.line))
        .collect();
    expected.sort();
    assert_eq!(expected.len(), 4);
    assert_eq!(committed_refs(&gw), expected);
    assert_eq!(
        job.rows()
            .iter()
            .filter(|r| r.state == RowState::Invalid)
            .count(),
        6
    );
}

#[test]
fn a_shared_prefix_is_a_guess_to_check_and_a_number_twice_is_flagged_on_its_later_line() {
    let text = "phone,amount\n01312345678,10\n01612345678,10\n01712345678,10\n01712345678,20\n";
    let job = job_of(text);
    let warned: Vec<&str> = job
        .rows()
        .iter()
        .map(|r| r.warnings.first().map_or("", |w| w.code.as_str()))
        .collect();
    assert_eq!(warned, ["check_operator", "check_operator", "", ""]);
    assert_eq!(
        &*job.rows()[0].request.as_ref().unwrap().operator_code,
        "GP"
    );
    // The first line stays good; the later one names it.
    assert_eq!(states(&job)[2..], [RowState::Queued, RowState::Invalid]);
    assert!(
        job.rows()[2].issues.is_empty(),
        "{:?}",
        job.rows()[2].issues
    );
    assert_eq!(
        job.rows()[3].issues[0].message,
        "The same number is on line 4 too."
    );
    assert!(
        job.rows()[3].issues[0].message_bn.contains("৪ নম্বর লাইনেও"),
        "{:?}",
        job.rows()[3].issues
    );

    // Skipping every row with errors leaves the first line to pay, and the
    // later one says why it was left out.
    let mut job = job;
    job.skip(&[5], true, &Rules::default()).unwrap();
    assert_eq!(states(&job)[2..], [RowState::Queued, RowState::Skipped]);
    let results = job.results_csv();
    assert!(
        results.ends_with(
            "01712345678,20,,,skipped,\"Skipped, not sent: The same number is on line 4 too.\",\
             \"বাদ দেওয়া হয়েছে, পাঠানো হয়নি: একই নম্বর ৪ নম্বর লাইনেও আছে।\"\r\n"
        ),
        "{results}"
    );
    // Or the caller allows them: a warning on the later line only.
    let sheet = read_csv(text).unwrap();
    let job = Job::new("bk-2", sheet, &Rules::default(), true);
    assert_eq!(states(&job)[2..], [RowState::Queued, RowState::Queued]);
    assert!(job.rows()[2].warnings.is_empty());
    assert_eq!(job.rows()[3].warnings[0].code, "duplicate_number");
}

#[test]
fn of_a_number_met_three_times_the_first_line_is_paid_and_the_later_ones_name_it() {
    let text = "phone,amount\n01712345678,10\n01812345678,10\n01712345678,20\n01712345678,30\n";
    let mut job = job_of(text);
    assert_eq!(
        states(&job),
        [
            RowState::Queued,
            RowState::Queued,
            RowState::Invalid,
            RowState::Invalid
        ]
    );
    for row in &job.rows()[2..] {
        assert_eq!(row.issues[0].message, "The same number is on line 2 too.");
    }
    // "Skip every row with errors" keeps the legitimate line.
    job.skip(&[4, 5], true, &Rules::default()).unwrap();
    assert_eq!(
        states(&job),
        [
            RowState::Queued,
            RowState::Queued,
            RowState::Skipped,
            RowState::Skipped
        ]
    );
    assert_eq!(job.totals().rows, 2);
    // Leaving the first line out instead lets the next one go.
    job.skip(&[4, 5], false, &Rules::default()).unwrap();
    job.skip(&[2], true, &Rules::default()).unwrap();
    assert_eq!(
        states(&job),
        [
            RowState::Skipped,
            RowState::Queued,
            RowState::Queued,
            RowState::Invalid
        ]
    );
    assert_eq!(
        job.rows()[3].issues[0].message,
        "The same number is on line 4 too."
    );
}

#[test]
fn the_row_kept_of_a_number_met_twice_is_the_one_sent_then_the_one_to_send_then_the_first() {
    let job =
        job_of("phone,amount\n01712345678,10\n01712345678,10\n01712345678,10\n01812345678,10\n");
    let request = |i: usize| job.rows()[i].request.as_ref();
    // `(ranks of lines 2 to 5)` → the line each names, `None` for the one kept.
    let cases: [([u8; 4], [Option<u64>; 4]); 4] = [
        ([1, 1, 1, 1], [None, Some(2), Some(2), None]),
        ([2, 1, 1, 1], [Some(3), None, Some(3), None]),
        ([1, 1, 0, 1], [Some(4), Some(4), None, None]),
        ([2, 2, 2, 1], [None, Some(2), Some(2), None]),
    ];
    for (ranks, want) in cases {
        let got = super::plan::duplicates(4, |i| (i as u64 + 2, request(i), ranks[i]));
        assert_eq!(got, want, "ranks {ranks:?}");
    }
}

#[test]
fn a_row_left_out_says_why_in_its_view_and_in_the_results() {
    let text = "phone,amount\n0171234,10\n01812345678,10\n01912345678,5\n";
    let mut job = job_of(text);
    job.skip(&[2, 3, 4], true, &Rules::default()).unwrap();
    let outcome = |i: usize| {
        let view = job.row_json(&job.rows()[i]);
        let o = view.get("outcome").unwrap();
        (
            o.get("message").unwrap().as_str().unwrap().to_owned(),
            o.get("message_bn").unwrap().as_str().unwrap().to_owned(),
        )
    };
    let error = &job.rows()[0].issues[0];
    assert_eq!(error.field, "phone");
    assert_eq!(
        outcome(0),
        (
            "Skipped, not sent: Enter an 11-digit Bangladeshi mobile number, like 01712345678."
                .to_owned(),
            format!("বাদ দেওয়া হয়েছে, পাঠানো হয়নি: {}", error.message_bn)
        )
    );
    // Left out with nothing wrong: no reason to give but that.
    assert_eq!(outcome(1).0, "Skipped: not sent.");
    assert!(outcome(2)
        .0
        .starts_with("Skipped, not sent: Amount must be at least"));
    assert!(outcome(2)
        .1
        .starts_with("বাদ দেওয়া হয়েছে, পাঠানো হয়নি: টাকার পরিমাণ"));
    let results = job.results_csv();
    let lines: Vec<&str> = results.lines().collect();
    assert!(
        lines[1].ends_with(&format!(
            ",skipped,\"{}\",\"{}\"",
            outcome(0).0,
            outcome(0).1
        )),
        "{}",
        lines[1]
    );
    assert!(lines[2].ends_with(",skipped,Skipped: not sent.,বাদ দেওয়া হয়েছে: পাঠানো হয়নি।"));
    // The reason is said once, not again after it.
    assert_eq!(results.matches("Enter an 11-digit").count(), 1);
}

#[test]
fn the_results_file_starts_with_a_bom_and_reads_back_as_a_file() {
    let gw = FakeGateway::default();
    let job = run_to_end(
        &gw,
        job_of(&csv(3, &["0171234,10,বাজে"])),
        &Memory::default(),
    );
    let results = job.results_csv();
    assert!(
        results.starts_with("\u{feff}phone,amount,note,ref_id"),
        "{results}"
    );
    let bytes = job.results_bytes(0, 2);
    assert_eq!(bytes[..3], [0xEF, 0xBB, 0xBF]);
    // A later part has none: the parts make one file.
    assert!(job.results_bytes(2, 10).starts_with(b"01711000002,"));
    let mut whole = job.results_bytes(0, 2);
    whole.extend(job.results_bytes(2, 10));
    assert_eq!(whole, results.as_bytes());
    // Read back (by bytes or text) it is the file it holds, the BOM dropped.
    let (sheet, encoding) = read_bytes(results.as_bytes()).unwrap();
    assert_eq!(encoding.as_str(), "utf-8 (bom)");
    assert_eq!(
        sheet.columns,
        [
            "phone",
            "amount",
            "note",
            "ref_id",
            "trx_id",
            "status",
            "message",
            "message_bn"
        ]
    );
    assert_eq!(read_csv(&results).unwrap().columns, sheet.columns);
    let again = Job::new("bk-2", sheet, &Rules::default(), false);
    assert_eq!(
        states(&again),
        [
            RowState::Queued,
            RowState::Queued,
            RowState::Queued,
            RowState::Invalid
        ]
    );
    assert_eq!(&again.rows()[3].cells[2], "বাজে");
}

#[test]
fn the_rate_and_time_left_follow_the_pacing_until_enough_rows_measure_them() {
    let rate = |job: &Job, now: u64| {
        let p = job.progress(now);
        (
            p.get("rate_per_minute").cloned().unwrap(),
            p.get("eta_ms").cloned().unwrap(),
        )
    };
    let mut job = job_of(&csv(30, &[]));
    // Paced at one payment every 6 s: 10 a minute, 30 rows in 3 minutes.
    job.begin_run(0, 30_000, Some((1, 6_000)));
    assert_eq!(rate(&job, 0), (Value::from(10u64), Value::from(180_000u64)));
    // A burst at the start (3 rows in 6 s) is no measure yet: the pacing holds.
    for i in 0..3 {
        job.mark_sending(i, None);
    }
    assert_eq!(
        rate(&job, 6_000),
        (Value::from(10u64), Value::from(162_000u64))
    );
    // Faster than the pacing lets rows go is never said.
    for i in 3..10 {
        job.mark_sending(i, None);
    }
    assert_eq!(
        rate(&job, 12_000),
        (Value::from(10u64), Value::from(120_000u64))
    );
    // Slower than the pacing (the gateway's answers take their time): measured.
    assert_eq!(
        rate(&job, 120_000),
        (Value::from(5u64), Value::from(240_000u64))
    );
    // No pacing: nothing said until measured, then the measure.
    let mut job = job_of(&csv(30, &[]));
    job.begin_run(0, 30_000, None);
    assert_eq!(rate(&job, 0), (Value::Null, Value::Null));
    for i in 0..10 {
        job.mark_sending(i, None);
    }
    assert_eq!(
        rate(&job, 6_000),
        (Value::from(100u64), Value::from(12_000u64))
    );
}

#[test]
fn a_run_says_the_rate_of_the_clients_pacing() {
    let gw = FakeGateway::default();
    let c = client_with(
        &gw,
        r#""rateLimit":{"requestPerMinute":1,"periodMs":6000},"#,
    );
    let cell = RefCell::new(job_of(&csv(3, &[])));
    let host = Memory::default();
    *host.text.borrow_mut() = cell.borrow().state_text();
    host.stop.set(Some((1, Stop::Paused)));
    let _ = block_on(run(&cell, &c, &host));
    let job = cell.into_inner();
    let p = job.progress(gw.now.get());
    assert_eq!(p.get("rate_per_minute"), Some(&Value::from(10u64)));
}

#[test]
fn a_finished_job_s_rows_cannot_be_taken_back_in_or_changed() {
    let text = "phone,amount\n0171234,10\n01812345678,10\n01912345678,10\n";
    let mut job = job_of(text);
    job.skip(&[2, 4], true, &Rules::default()).unwrap();
    // Before the run, a row left out can still be taken back in.
    job.skip(&[4], false, &Rules::default()).unwrap();
    job.skip(&[4], true, &Rules::default()).unwrap();
    let gw = FakeGateway::default();
    let mut job = run_to_end(&gw, job, &Memory::default());
    assert!(job.closed());
    for line in [2, 4] {
        let refused = job.skip(&[line], false, &Rules::default()).unwrap_err();
        assert_eq!(refused.code, "job_closed");
        assert!(refused
            .message_bn
            .contains(&bengali_digits(&line.to_string())));
    }
    let fix = parse(br#"{"phone":"01712345670"}"#).unwrap();
    assert_eq!(
        job.edit(2, &fix, &Rules::default()).unwrap_err().code,
        "job_closed"
    );
    assert_eq!(
        states(&job),
        [RowState::Skipped, RowState::Success, RowState::Skipped]
    );
    let view = job.row_json(&job.rows()[0]);
    assert_eq!(view.get("editable"), Some(&Value::Bool(false)));
    // A job with nothing sent yet (every row left out) is not over.
    let mut fresh = job_of(text);
    fresh.skip(&[2, 3, 4], true, &Rules::default()).unwrap();
    assert!(fresh.finished() && !fresh.closed());
    assert_eq!(
        fresh.row_json(&fresh.rows()[1]).get("editable"),
        Some(&Value::Bool(true))
    );
    fresh.skip(&[3], false, &Rules::default()).unwrap();
    // A cancelled one is.
    fresh.set_stop(Some(Stop::Cancelled));
    assert_eq!(
        fresh.skip(&[4], false, &Rules::default()).unwrap_err().code,
        "job_closed"
    );
}

#[test]
fn a_failed_payment_s_known_status_and_reason_are_said_in_bangla() {
    let gw = FakeGateway::default();
    gw.status_answer.replace(Some(
        r#"{"status":true,"trx_id":"TRX0","ref_id":"bk-1-ab-2","type":"recharge","phone":"01711000000","amount":10.50,"payable":10.50,"trx_status":"Failed","message":"Recipient not reachable"}"#
            .to_owned(),
    ));
    let job = run_to_end(&gw, job_of(&csv(1, &[])), &Memory::default());
    let o = job.rows()[0].outcome.as_deref().unwrap();
    assert_eq!(
        o.message,
        "The gateway marked the payment Failed: “Recipient not reachable”"
    );
    assert_eq!(
        o.message_bn,
        "গেটওয়ে পেমেন্টটিকে ব্যর্থ দেখিয়েছে: “প্রাপকের নম্বরে পৌঁছানো যায়নি”"
    );
    assert!(!o.message_bn.contains("Failed"));
    // A reason the page does not know stays as the gateway wrote it.
    assert_eq!(gateway_bn("Operator busy"), "Operator busy");
    assert_eq!(gateway_bn("failed"), "ব্যর্থ");
}

#[test]
fn a_bad_row_can_be_fixed_before_it_is_sent_but_not_after() {
    let mut job = job_of("phone,amount\n0171234567,10\n01812345678,10\n");
    assert_eq!(job.rows()[0].state, RowState::Invalid);
    let fix = parse(br#"{"phone":"01712345670"}"#).unwrap();
    job.edit(2, &fix, &Rules::default()).unwrap();
    assert_eq!(job.rows()[0].state, RowState::Queued);
    assert_eq!(&job.rows()[0].cells[0], "01712345670");
    assert_eq!(
        job.edit(9, &fix, &Rules::default()).unwrap_err().code,
        "no_such_line"
    );
    let gw = FakeGateway::default();
    let job2 = run_to_end(&gw, job, &Memory::default());
    let mut job2 = job2;
    assert_eq!(
        job2.edit(2, &fix, &Rules::default()).unwrap_err().code,
        "not_editable"
    );
    assert_eq!(
        job2.skip(&[3], true, &Rules::default()).unwrap_err().code,
        "not_editable"
    );
}

#[test]
fn many_rows_are_skipped_in_one_pass_or_none_is() {
    let mut job = job_of("phone,amount\n0171234567,10\n01812345678,10\nabc,10\n01912345678,10\n");
    assert_eq!(
        states(&job),
        [
            RowState::Invalid,
            RowState::Queued,
            RowState::Invalid,
            RowState::Queued
        ]
    );
    // A line that is not there refuses the whole call: nothing changes.
    assert_eq!(
        job.skip(&[2, 9], true, &Rules::default()).unwrap_err().code,
        "no_such_line"
    );
    assert_eq!(states(&job)[0], RowState::Invalid);
    // Every row with errors at once.
    let bad: Vec<u64> = job
        .rows()
        .iter()
        .filter(|r| r.state == RowState::Invalid)
        .map(|r| r.line)
        .collect();
    assert_eq!(bad, [2, 4]);
    job.skip(&bad, true, &Rules::default()).unwrap();
    assert_eq!(
        states(&job),
        [
            RowState::Skipped,
            RowState::Queued,
            RowState::Skipped,
            RowState::Queued
        ]
    );
    assert_eq!(job.progress(0).get("skipped"), Some(&Value::from(2u64)));
    // Taken back in, they are checked again: still invalid.
    job.skip(&bad, false, &Rules::default()).unwrap();
    assert_eq!(states(&job)[0], RowState::Invalid);
    assert_eq!(states(&job)[2], RowState::Invalid);
    assert!(job.skip(&[], true, &Rules::default()).is_ok());
}

#[test]
fn totals_per_operator_are_exact_and_checked_against_the_balance() {
    let job = job_of("phone,amount\n01712345678,100.10\n01812345678,20.20\n01712345679,99.90\n");
    let t = job.totals();
    assert_eq!(t.amount.paisa(), 22_020);
    assert_eq!(
        t.operators,
        vec![
            (
                "GP".to_owned(),
                2,
                bdpay_core::money::Amount::from_paisa(20_000)
            ),
            (
                "RB".to_owned(),
                1,
                bdpay_core::money::Amount::from_paisa(2_020)
            )
        ]
    );
    let balance = crate::gateway::Balance {
        flexiload_balance: bdpay_core::money::Amount::from_taka(150),
        drive_balance: Default::default(),
        bank_balance: Default::default(),
    };
    let short = job.shortfalls(&balance);
    assert_eq!(short.len(), 1);
    assert_eq!(
        short[0].message,
        "The file needs ৳220.20 from the flexiload_balance balance, which holds ৳150.00."
    );
    assert!(
        short[0].message_bn.contains("৳২২০.২০"),
        "{}",
        short[0].message_bn
    );
}

#[test]
fn each_good_row_is_paid_once_and_followed_to_its_end() {
    let gw = FakeGateway::default();
    gw.pending_polls.set(3);
    let host = Memory::default();
    let job = run_to_end(&gw, job_of(&csv(12, &[])), &host);
    assert_eq!(committed_refs(&gw).len(), 12);
    assert!(
        states(&job).iter().all(|s| *s == RowState::Success),
        "{:?}",
        states(&job)
    );
    assert!(job.rows().iter().all(|r| r.trx_id.is_some()));
    let results = job.results_csv();
    let mut lines = results.lines();
    assert_eq!(
        lines.next(),
        Some("\u{feff}phone,amount,note,ref_id,trx_id,status,message,message_bn")
    );
    assert!(lines
        .next()
        .unwrap()
        .starts_with("01711000000,10.50,row 0,bk-1-ab-2,TRX"));
    // What the store holds reads back to the same place.
    assert_eq!(states(&host.restored()), states(&job));
}

#[test]
fn faults_at_send_never_make_a_second_payment() {
    let faults = [
        Fault::DropAfterCommit,
        Fault::ResetBefore,
        Fault::TimeoutAfterCommit,
        Fault::ServerErrorBefore,
        Fault::ServerErrorAfter,
        Fault::GarbledAfter,
        Fault::RateLimited,
    ];
    let gw = FakeGateway::default();
    gw.faults
        .borrow_mut()
        .extend(faults.iter().chain(&faults).copied());
    gw.status_faults.borrow_mut().extend([
        Fault::ResetBefore,
        Fault::RateLimited,
        Fault::ResetBefore,
    ]);
    let job = run_to_end(&gw, job_of(&csv(20, &[])), &Memory::default());
    let refs = committed_refs(&gw);
    let mut unique = refs.clone();
    unique.dedup();
    assert_eq!((refs.len(), unique.len()), (20, 20));
    assert!(
        states(&job).iter().all(|s| *s == RowState::Success),
        "{:?}",
        states(&job)
    );
}

#[test]
fn killed_at_any_save_and_rerun_it_still_pays_each_row_once() {
    // How many saves a clean run makes.
    let clean = Memory::default();
    run_to_end(&FakeGateway::default(), job_of(&csv(4, &["x,1"])), &clean);
    let saves = clean.calls.get();
    assert!(saves > 8);
    for k in 0..saves {
        for fault in [None, Some(Fault::DropAfterCommit)] {
            let gw = FakeGateway::default();
            gw.faults.borrow_mut().extend(fault);
            let host = Memory::default();
            host.fail_at.set(Some(k));
            let job = run_to_end(&gw, job_of(&csv(4, &["x,1"])), &host);
            let refs = committed_refs(&gw);
            assert_eq!(
                refs,
                ["bk-1-ab-2", "bk-1-ab-3", "bk-1-ab-4", "bk-1-ab-5"],
                "killed at save {k}"
            );
            assert_eq!(
                states(&job)
                    .iter()
                    .filter(|s| **s == RowState::Success)
                    .count(),
                4,
                "save {k}"
            );
        }
    }
}

#[test]
fn pause_stops_sending_and_cancel_follows_only_what_was_sent() {
    let gw = FakeGateway::default();
    let c = client(&gw);
    let host = Memory::default();
    host.stop.set(Some((3, Stop::Paused)));
    let cell = RefCell::new(job_of(&csv(10, &[])));
    assert_eq!(block_on(run(&cell, &c, &host)).unwrap(), Ended::Paused);
    let sent = committed_refs(&gw).len();
    assert!((1..10).contains(&sent), "{sent}");
    assert!(cell
        .borrow()
        .rows()
        .iter()
        .all(|r| r.state != RowState::Sending && r.state != RowState::Unknown));

    // Resumed, then cancelled: no new payment after the cancel.
    cell.borrow_mut().set_stop(None);
    host.stop.set(Some((2, Stop::Cancelled)));
    assert_eq!(block_on(run(&cell, &c, &host)).unwrap(), Ended::Finished);
    let after = committed_refs(&gw).len();
    assert!(after > sent && after < 10, "{sent} {after}");
    let job = cell.into_inner();
    let cancelled = states(&job)
        .iter()
        .filter(|s| **s == RowState::Cancelled)
        .count();
    assert_eq!(cancelled + after, 10);
    assert!(states(&job)
        .iter()
        .all(|s| matches!(s, RowState::Success | RowState::Cancelled)));
    assert_eq!(job.rows()[9].outcome.as_ref().unwrap().code, "cancelled");
}

#[test]
fn intents_from_the_host_go_with_each_payment() {
    let gw = FakeGateway::default();
    let host = Memory::default();
    host.intents.set(true);
    let job = run_to_end(&gw, job_of(&csv(2, &[])), &host);
    assert_eq!(job.rows()[0].intent.as_deref(), Some("i.2"));
    assert_eq!(committed_refs(&gw).len(), 2);
}

#[test]
fn a_results_file_never_hands_a_spreadsheet_a_formula() {
    let out = write_csv(
        &["a", "b"],
        [
            vec!["=HYPERLINK(\"x\")".to_owned(), "+8801712345678".to_owned()],
            vec!["-5".to_owned(), "@x".to_owned()],
        ]
        .into_iter(),
    );
    assert_eq!(
        out,
        "a,b\r\n\"'=HYPERLINK(\"\"x\"\")\",+8801712345678\r\n-5,'@x\r\n"
    );
}

#[test]
fn every_note_is_written_in_both_languages() {
    for (note, en, _) in Note::all() {
        let i = Issue::note("", note, &samples(en));
        assert_bilingual(
            note.code(),
            &i.code,
            (&i.message, &i.message_bn),
            &[],
            // Names of formats, the same in both languages.
            &["code-1", "CSV", "UTF-8", "UTF-16"],
        );
    }
}

/// The file of the tests below, as bytes in an encoding.
fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

#[test]
fn a_file_is_read_in_utf8_or_utf16_and_anything_else_is_refused_saying_what_was_found() {
    let text = "phone,amount,note\r\n01712345678,10,José Núñez\r\n01812345678,20,রহিম\r\n";
    let bom = [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat();
    for (bytes, encoding) in [
        (text.as_bytes().to_vec(), "utf-8"),
        (bom, "utf-8 (bom)"),
        (utf16(text, false), "utf-16le"),
        (utf16(text, true), "utf-16be"),
    ] {
        let (sheet, read) = read_bytes(&bytes).unwrap();
        assert_eq!(read.as_str(), encoding);
        assert_eq!(sheet.columns, ["phone", "amount", "note"], "{encoding}");
        assert_eq!(&sheet.rows[0].cells[2], "José Núñez", "{encoding}");
        assert_eq!(&sheet.rows[1].cells[2], "রহিম", "{encoding}");
    }
    // Windows-1252 (Excel's "CSV" on Windows): é is 0xE9, never guessed.
    let ansi = b"phone,amount,note\r\n01712345678,10,Jos\xe9 N\xfa\xf1ez\r\n";
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    let xlsx = b"PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0";
    let odd = [&utf16("phone\n017", false)[..], &[0x31]].concat();
    let broken = [&utf16("phone\n0", false)[..], &[0x00, 0xD8, 0x41, 0x00]].concat();
    for (bytes, code, says) in [
        (&ansi[..], "not_utf8", "line 2 holds the byte 0xE9"),
        (&png[..], "not_text", "it is a PNG image"),
        (&xlsx[..], "not_text", "Excel workbook (.xlsx)"),
        (&b"phone\0amount"[..], "not_text", "binary data"),
        (&odd[..], "bad_utf16", "breaks off at line 2"),
        (&broken[..], "bad_utf16", "breaks off at line 2"),
        (&b""[..], "empty_file", "The file is empty."),
        (
            &b"\xEF\xBB\xBF \r\n\r\n"[..],
            "empty_file",
            "The file is empty.",
        ),
    ] {
        let e = read_bytes(bytes).unwrap_err();
        assert_eq!(e.code, code, "{}", e.message);
        assert!(e.message.contains(says), "{}", e.message);
        assert_bilingual(
            code,
            &e.code,
            (&e.message, &e.message_bn),
            &[],
            &["CSV", "UTF-8", "UTF-16", "PNG", ".xlsx", "0xE9"],
        );
    }
}

#[test]
fn a_semicolon_or_tab_file_is_read_and_a_file_with_no_phone_column_lists_its_header() {
    for text in [
        "phone;amount;note\n01712345678;10;a, b\n",
        "phone\tamount\tnote\n01712345678\t10\ta, b\n",
        "phone,amount,note\n01712345678,10,\"a, b\"\n",
    ] {
        let sheet = read_csv(text).unwrap();
        assert_eq!(sheet.columns, ["phone", "amount", "note"], "{text:?}");
        assert_eq!(
            sheet.rows[0].cells.iter().collect::<Vec<_>>(),
            ["01712345678", "10", "a, b"],
            "{text:?}"
        );
    }
    let e = read_csv("name;number;taka\nRahim;01712345678;10\n").unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.field.as_str()),
        ("missing_column", "phone")
    );
    assert!(
        e.message.contains("“name”, “number”, “taka”"),
        "{}",
        e.message
    );
    assert!(
        e.message_bn.contains("“name”, “number”, “taka”"),
        "{}",
        e.message_bn
    );
}

#[test]
fn other_names_of_a_column_are_read_and_two_columns_of_one_meaning_are_refused() {
    for header in [
        "Phone Number,Amount",
        "Mobile No.,Taka",
        "মোবাইল নম্বর,টাকা",
        "MSISDN,amount",
    ] {
        let job = job_of(&[header, "\n01712345678,10\n"].concat());
        assert_eq!(states(&job), [RowState::Queued], "{header}");
        assert_eq!(
            job.rows()[0].request.as_ref().unwrap().phone.as_deref(),
            Some("01712345678")
        );
    }
    let e = read_csv("phone,Phone Number,amount\n01712345678,01812345678,10\n").unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.field.as_str()),
        ("duplicate_column", "phone")
    );
    assert!(
        e.message.contains("“phone” and “Phone Number”"),
        "{}",
        e.message
    );
    assert_bilingual(
        "duplicate_column",
        &e.code,
        (&e.message, &e.message_bn),
        &[],
        &["phone", "Phone Number"],
    );
    // A column of the caller's own may be there twice: it is never sent.
    assert!(read_csv("phone,amount,note,note\n01712345678,10,a,b\n").is_ok());
}

#[test]
fn an_amount_in_exponent_notation_is_refused() {
    let job = job_of("phone,amount\n01712345678,1e3\n01812345678,1.5E2\n01912345678,100\n");
    assert_eq!(
        states(&job),
        [RowState::Invalid, RowState::Invalid, RowState::Queued]
    );
    let i = &job.rows()[0].issues[0];
    assert_eq!(
        (i.field.as_str(), i.code.as_str()),
        ("amount", "invalid_amount")
    );
    assert!(i.message.contains("“1e3”"), "{}", i.message);
    assert_bilingual(
        "exponent",
        &i.code,
        (&i.message, &i.message_bn),
        &[],
        &["1e3"],
    );
    assert_eq!(job.totals().rows, 1);
}

#[test]
fn a_phone_refused_for_a_look_alike_character_says_which() {
    let job = job_of("phone,amount\n017\u{2013}12345678,10\n01712\u{a0}345678,10\n০১৭১২৩৪৫৬৭৯,10\n0171234567,10\n");
    let said = |i: usize| -> Vec<String> {
        job.rows()[i]
            .issues
            .iter()
            .map(|x| x.message.clone())
            .collect()
    };
    assert_eq!(job.rows()[0].issues[1].code, "look_alike");
    assert!(said(0)[1].contains("“\u{2013}” (U+2013)"), "{:?}", said(0));
    assert!(said(1)[1].contains("U+00A0"), "{:?}", said(1));
    assert_eq!(
        job.rows()[2].state,
        RowState::Queued,
        "Bengali digits are digits"
    );
    assert_eq!(said(3).len(), 1, "a short number has no character to blame");
    let i = &job.rows()[0].issues[1];
    assert_bilingual(
        "look_alike",
        &i.code,
        (&i.message, &i.message_bn),
        &[],
        &["U+2013"],
    );
}

#[test]
fn warnings_are_summed_up_one_line_per_kind_and_kept_per_row_in_the_results() {
    let mut text = String::from("phone,amount\n");
    for i in 0..40 {
        text.push_str(&format!("013{:08},10\n", 10_000_000 + i));
    }
    text.push_str("0171234,10\n0181234,10\n0191234,10\n");
    let job = job_of(&text);
    let s = job.summary(2);
    assert_eq!((s.rows, s.invalid), (43, 3));
    assert_eq!(s.errors.len(), 2, "the first errors only");
    assert_eq!(s.errors[0].line, 42);
    assert_eq!(s.warnings.len(), 1);
    let w = &s.warnings[0];
    assert_eq!((w.code.as_str(), w.rows, w.line), ("check_operator", 40, 2));
    assert!(
        w.message
            .starts_with("Rows to check (check_operator): 40, like line 2: Check the operator"),
        "{}",
        w.message
    );
    assert!(
        w.message_bn.contains("৪০টি, যেমন ২ নম্বর লাইন"),
        "{}",
        w.message_bn
    );
    let results = job.results_csv();
    assert_eq!(results.matches("Check the operator").count(), 40);
}

/// A clean run of `rows` rows through `host`; the fake gateway.
fn clean_run(rows: usize, host: &Memory) -> (FakeGateway, Job) {
    let gw = FakeGateway::default();
    gw.pending_polls.set(u32::MAX);
    let mut job = job_of(&csv(rows, &[]));
    *host.text.borrow_mut() = job.state_text();
    let c = client_with(&gw, r#""rateLimit":false,"#);
    // Half the rows: the payments stay pending, then they settle.
    let cell = RefCell::new(job);
    host.stop.set(Some((rows, Stop::Paused)));
    assert_eq!(block_on(run(&cell, &c, host)).unwrap(), Ended::Paused);
    job = cell.into_inner();
    gw.pending_polls.set(0);
    job.set_stop(None);
    let cell = RefCell::new(job);
    assert_eq!(block_on(run(&cell, &c, host)).unwrap(), Ended::Finished);
    (gw, cell.into_inner())
}

#[test]
fn the_store_gets_small_records_appended_and_the_whole_text_only_when_a_run_ends() {
    let host = Memory::default();
    let (gw, job) = clean_run(400, &host);
    assert_eq!(committed_refs(&gw).len(), 400);
    let appends = host.appends.borrow();
    let biggest = appends.iter().max().copied().unwrap_or(0);
    assert!(
        biggest < 400,
        "every append is a step's records, never the job: {biggest} bytes"
    );
    let per_row = appends.iter().sum::<usize>() / 400;
    assert!(per_row <= 200, "{per_row} bytes of records a row");
    // Two replaces: each run's end, the records compacted into one per row.
    assert_eq!(host.calls.get(), appends.len() + 2);
    assert_eq!(*host.text.borrow(), job.state_text());
    let records = host.records();
    assert_eq!(records.len(), 400);
    assert!(
        records[0].starts_with(r#"{"line":2,"state":"success","trx_id":"TRX0""#),
        "{}",
        records[0]
    );
    assert_eq!(states(&host.restored()), states(&job));
    // The gateway's status is left out where the state says it, and read back.
    assert!(!host.text.borrow().contains("trx_status"));
    let again = host.restored();
    assert_eq!(again.rows()[0].trx_status.as_deref(), Some("Success"));
}

#[test]
fn killed_in_the_middle_of_any_append_it_still_pays_each_row_once() {
    let clean = Memory::default();
    run_to_end(&FakeGateway::default(), job_of(&csv(3, &["x,1"])), &clean);
    let calls = clean.calls.get();
    for k in 0..calls {
        for bytes in [0, 1, 9, 20, 33] {
            let gw = FakeGateway::default();
            let host = Memory::default();
            host.cut.set(Some((k, bytes)));
            let job = run_to_end(&gw, job_of(&csv(3, &["x,1"])), &host);
            assert_eq!(
                committed_refs(&gw),
                ["bk-1-ab-2", "bk-1-ab-3", "bk-1-ab-4"],
                "cut at call {k}, byte {bytes}"
            );
            assert_eq!(
                states(&job)[..3],
                [RowState::Success; 3],
                "cut at call {k}, byte {bytes}"
            );
        }
    }
    // A text that ends in a line cut short reads back without it, and must be written again whole.
    let host = Memory::default();
    clean_run(2, &host);
    let text = host.text.borrow().clone();
    let cut = &text[..text.len() - 5];
    let job = Job::restore(cut, &Rules::default()).unwrap();
    assert!(job.rewrite_needed());
    assert!(!Job::restore(&text, &Rules::default())
        .unwrap()
        .rewrite_needed());
    let middle = cut.replacen(r#""state":"success""#, r#""state":"succ"#, 1);
    assert_eq!(
        Job::restore(&middle, &Rules::default()).unwrap_err().code,
        "invalid_job_state"
    );
}

#[test]
fn a_job_saved_whole_by_version_1_is_resumed_and_written_again_as_plan_and_records() {
    let v1 = r#"{"version":1,"id":"bk-old","columns":["phone","amount"],"rows":[
        {"line":2,"cells":["01712345678","10"],"state":"success","ref_id":"bk-old-2","trx_id":"TRX9"},
        {"line":3,"cells":["01812345678","20"],"state":"sending","ref_id":"bk-old-3"},
        {"line":4,"cells":["01912345678","30"],"state":"queued","ref_id":"bk-old-4","checks":2,"due_ms":99}],
        "stop":"paused","allow_duplicates":false}"#;
    let job = Job::restore(v1, &Rules::default()).unwrap();
    assert!(job.rewrite_needed());
    assert_eq!(
        states(&job),
        [RowState::Success, RowState::Sending, RowState::Queued]
    );
    assert_eq!(job.stop(), Some(Stop::Paused));
    let again = Job::restore(&job.state_text(), &Rules::default()).unwrap();
    assert_eq!(states(&again), states(&job));
    assert_eq!(again.rows()[0].trx_id.as_deref(), Some("TRX9"));
    // What the resume may send counts the row sent with no answer.
    let t = again.totals_view();
    assert_eq!((t.rows, t.unsettled, t.amount.as_str()), (2, 1, "50.00"));
    assert_eq!(t.notes[0].message, "Rows to send: 2, ৳50.00 in all.");
    assert!(
        t.notes[1]
            .message
            .starts_with("Of these, sent before with no answer: 1."),
        "{}",
        t.notes[1].message
    );
    for n in &t.notes {
        assert_bilingual(&n.code, &n.code, (&n.message, &n.message_bn), &[], &[]);
    }
}

#[test]
fn a_gateway_that_never_answers_pauses_the_job_soon_and_says_why() {
    for (fault, ms, most_ms) in [
        (
            crate::client::TransportError::Network("connect ECONNREFUSED".into()),
            1,
            10_000,
        ),
        (
            crate::client::TransportError::Timeout,
            30_000,
            2 * 30_000 + 2_000,
        ),
    ] {
        let gw = FakeGateway::default();
        *gw.down.borrow_mut() = Some((fault, ms));
        let c = client_with(&gw, r#""maxRetries":0,"#);
        let host = Memory::default();
        let cell = RefCell::new(job_of(&csv(5, &[])));
        assert_eq!(block_on(run(&cell, &c, &host)).unwrap(), Ended::Paused);
        let job = cell.into_inner();
        assert!(gw.now.get() <= most_ms, "paused after {} ms", gw.now.get());
        let halt = job.halt().unwrap();
        assert_eq!(halt.code, "gateway_failing");
        assert_bilingual(
            "halt",
            &halt.code,
            (&halt.message, &halt.message_bn),
            &[],
            &[],
        );
        assert!(job.rows().iter().all(|r| r.state != RowState::Success));
        assert!(gw.calls.borrow().len() <= 3, "{:?}", gw.calls.borrow());
    }
}

#[test]
fn a_gateway_that_fails_every_payment_before_taking_it_pauses_the_job() {
    let gw = FakeGateway::default();
    gw.faults
        .borrow_mut()
        .extend([Fault::ServerErrorBefore; 40]);
    let host = Memory::default();
    let cell = RefCell::new(job_of(&csv(30, &[])));
    assert_eq!(
        block_on(run(&cell, &client(&gw), &host)).unwrap(),
        Ended::Paused
    );
    let job = cell.into_inner();
    assert_eq!(job.halt().map(|h| h.code.as_str()), Some("gateway_failing"));
    assert!(committed_refs(&gw).is_empty());
    let submits = gw.times_of("request").len();
    assert!(submits <= 10, "{submits} payments tried");
}

#[test]
fn a_stop_asked_while_the_limiter_paces_sends_nothing_more_and_ends_at_once() {
    let gw = FakeGateway::default();
    let c = client_with(&gw, r#""rateLimit":{"requestPerMinute":2},"#);
    let host = Memory::default();
    // Two rows go at once; the third waits a minute for the window. The
    // stop comes a few looks into that wait.
    host.stop.set(Some((12, Stop::Paused)));
    let cell = RefCell::new(job_of(&csv(5, &[])));
    assert_eq!(block_on(run(&cell, &c, &host)).unwrap(), Ended::Paused);
    assert_eq!(committed_refs(&gw).len(), 2);
    assert!(gw.now.get() < 10_000, "ended {} ms in", gw.now.get());
    let job = cell.into_inner();
    assert_eq!(job.count(RowState::Queued), 3);
    assert_eq!(job.count(RowState::Sending), 0);
}

#[test]
fn a_stop_asked_while_the_sending_record_is_stored_keeps_the_row_from_going() {
    let gw = FakeGateway::default();
    let host = Memory::default();
    host.pause_on_sending.set(true);
    let job = job_of(&csv(3, &[]));
    *host.text.borrow_mut() = job.state_text();
    let cell = RefCell::new(job);
    assert_eq!(
        block_on(run(&cell, &client(&gw), &host)).unwrap(),
        Ended::Paused
    );
    assert!(committed_refs(&gw).is_empty());
    assert_eq!(states(&cell.into_inner()), [RowState::Queued; 3]);
    let appended = host.appended.borrow();
    let records: Vec<&str> = appended.lines().collect();
    assert!(
        records[0].contains(r#""state":"sending""#) && records[1].contains(r#""state":"queued""#),
        "{records:?}"
    );
    assert_eq!(states(&host.restored()), [RowState::Queued; 3]);
}

proptest! {
    #[test]
    fn any_text_is_read_or_refused_without_a_panic(text in "\\PC{0,300}") {
        if let Ok(sheet) = read_csv(&text) {
            let job = Job::new("bk-1", sheet, &Rules::default(), false);
            let _ = job.results_csv();
            let back = Job::restore(&job.state_text(), &Rules::default()).unwrap();
            prop_assert_eq!(states(&back), states(&job));
        }
    }

    #[test]
    fn any_bytes_are_read_or_refused_without_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Ok((sheet, _)) = read_bytes(&bytes) {
            let job = Job::new("bk-1", sheet, &Rules::default(), false);
            let _ = job.results_csv();
        }
    }

    #[test]
    fn any_saved_state_is_restored_or_refused_without_a_panic(text in "\\PC{0,300}") {
        let _ = Job::restore(&text, &Rules::default());
    }
}
