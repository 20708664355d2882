//! Bulk jobs against the scripted gateway of [`crate::testing`]: the file,
//! the checks, and exactly once through faults, crashes, pauses and cancels.

use crate::prelude::*;

use std::cell::{Cell, RefCell};

use bdpay_core::json::{parse, Value};
use bdpay_core::messages::check::{assert_bilingual, samples};
use bdpay_core::rules::Rules;
use proptest::prelude::*;

use super::file::{read_csv, read_rows, write_csv};
use super::job::{Job, RowState, Stop};
use super::notes::{Issue, Note};
use super::run::{run, Ended, Host};
use crate::client::{Config, GatewayClient};
use crate::error::ApiError;
use crate::testing::{block_on, FakeGateway, Fault};

fn client(gw: &FakeGateway) -> GatewayClient<&FakeGateway> {
    let config = r#"{"baseUrl":"http://127.0.0.1:9","token":"tok","pollIntervalMs":1000}"#;
    GatewayClient::new(
        gw,
        Config::from_json(&parse(config.as_bytes()).unwrap()).unwrap(),
    )
}

/// Saves into memory; `fail_at` makes the save of that number fail, as a
/// process killed there would leave the last save before it on disk.
#[derive(Default)]
struct Memory {
    saved: RefCell<Vec<String>>,
    fail_at: Cell<Option<usize>>,
    stop: Cell<Option<(usize, Stop)>>,
    events: Cell<usize>,
    intents: Cell<bool>,
}

impl Host for Memory {
    async fn save(&self, state: &str) -> Result<(), ApiError> {
        if self.fail_at.get() == Some(self.saved.borrow().len()) {
            self.fail_at.set(None);
            return Err(ApiError::of_kind(crate::error::ErrorKind::Network, 0));
        }
        self.saved.borrow_mut().push(state.to_owned());
        Ok(())
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
    job.rows.iter().map(|r| r.state).collect()
}

/// Runs until finished, resuming after each failed save from the last save.
fn run_to_end(gw: &FakeGateway, mut job: Job, host: &Memory) -> Job {
    let c = client(gw);
    let fresh = job.clone();
    for _ in 0..50 {
        let cell = RefCell::new(job);
        let out = block_on(run(&cell, &c, host));
        job = cell.into_inner();
        match out {
            Ok(Ended::Finished) => return job,
            Ok(Ended::Paused) => job.set_stop(None),
            Err(_) => {
                // Nothing saved yet: the job starts again from its file.
                job = match host.saved.borrow().last() {
                    Some(last) => {
                        Job::restore(&parse(last.as_bytes()).unwrap(), &Rules::default()).unwrap()
                    }
                    None => fresh.clone(),
                };
            }
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
    assert_eq!(sheet.rows[0].cells[3], "Rahim, shop");
    assert_eq!(sheet.rows[1].cells[3], "two\nlines");
    assert_eq!(
        sheet.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 3, 6]
    );
    assert!(sheet.rows[2].extra_cells);

    let job = Job::new("bk-1", sheet, &Rules::default(), false);
    let r = &job.rows[0].request.as_ref().unwrap();
    assert_eq!(
        (r.phone.as_deref(), r.operator_code.as_str()),
        (Some("01712345678"), "GP")
    );
    let r = &job.rows[1].request.as_ref().unwrap();
    assert_eq!(
        (r.phone.as_deref(), r.amount.map(|a| a.paisa())),
        (Some("01812345678"), Some(5000))
    );
    assert_eq!(job.rows[2].state, RowState::Invalid);
    assert_eq!(job.rows[2].issues[0].code, "extra_cells");
    assert_eq!(job.rows[0].ref_id, "bk-1-2");

    let e = read_csv("number,amount\n01712345678,10\n").unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.code.as_str()),
        ("phone", "missing_column")
    );
    assert_eq!(read_csv("phone,amount\n").unwrap_err().code, "no_rows");
    assert_eq!(read_csv("").unwrap_err().code, "no_rows");
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
    assert_eq!(job.rows[0].line, 2);
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
        .rows
        .iter()
        .map(|r| r.issues.iter().map(|i| i.code.as_str()).collect())
        .collect();
    assert_eq!(codes[3], ["invalid_phone"]);
    assert_eq!(codes[4], ["invalid_amount"]);
    assert_eq!(codes[5], ["invalid_phone"]);
    assert_eq!(codes[6], ["too_many_decimals"]);
    assert!(codes[7].is_empty(), "015 is Teletalk: {:?}", codes[7]);
    assert_eq!(codes[8], ["required"]);
    assert_eq!(job.rows[8].issues[0].field, "operator_code");
    assert_eq!(codes[9], ["unknown_operator"]);
    for row in &job.rows {
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
        .rows
        .iter()
        .filter(|r| r.request.is_some() && r.issues.is_empty())
        .map(|r| r.ref_id.clone())
        .collect();
    expected.sort();
    assert_eq!(expected.len(), 4);
    assert_eq!(committed_refs(&gw), expected);
    assert_eq!(
        job.rows
            .iter()
            .filter(|r| r.state == RowState::Invalid)
            .count(),
        6
    );
}

#[test]
fn a_shared_prefix_is_a_guess_to_check_and_a_number_twice_is_flagged() {
    let text = "phone,amount\n01312345678,10\n01612345678,10\n01712345678,10\n01712345678,20\n";
    let job = job_of(text);
    let warned: Vec<&str> = job
        .rows
        .iter()
        .map(|r| r.warnings.first().map_or("", |w| w.code.as_str()))
        .collect();
    assert_eq!(warned, ["check_operator", "check_operator", "", ""]);
    assert_eq!(job.rows[0].request.as_ref().unwrap().operator_code, "GP");
    assert_eq!(states(&job)[2..], [RowState::Invalid, RowState::Invalid]);
    assert!(
        job.rows[2].issues[0].message.contains("line 5"),
        "{:?}",
        job.rows[2].issues
    );
    assert!(
        job.rows[3].issues[0].message_bn.contains('৪'),
        "{:?}",
        job.rows[3].issues
    );

    // Skipping one of the two lets the other go.
    let mut job = job;
    job.skip(&[5], true, &Rules::default()).unwrap();
    assert_eq!(states(&job)[2..], [RowState::Queued, RowState::Skipped]);
    let results = job.results_csv();
    assert!(
        results
            .ends_with("01712345678,20,,,skipped,Skipped: not sent.,বাদ দেওয়া হয়েছে: পাঠানো হয়নি।\r\n"),
        "{results}"
    );
    // Or the caller allows them.
    let sheet = read_csv(text).unwrap();
    let job = Job::new("bk-2", sheet, &Rules::default(), true);
    assert_eq!(states(&job)[2..], [RowState::Queued, RowState::Queued]);
    assert_eq!(job.rows[3].warnings[0].code, "duplicate_number");
}

#[test]
fn a_bad_row_can_be_fixed_before_it_is_sent_but_not_after() {
    let mut job = job_of("phone,amount\n0171234567,10\n01812345678,10\n");
    assert_eq!(job.rows[0].state, RowState::Invalid);
    let fix = parse(br#"{"phone":"01712345670"}"#).unwrap();
    job.edit(2, &fix, &Rules::default()).unwrap();
    assert_eq!(job.rows[0].state, RowState::Queued);
    assert_eq!(job.rows[0].cells[0], "01712345670");
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
        .rows
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
    assert!(job.rows.iter().all(|r| r.trx_id.is_some()));
    let results = job.results_csv();
    let mut lines = results.lines();
    assert_eq!(
        lines.next(),
        Some("phone,amount,note,ref_id,trx_id,status,message,message_bn")
    );
    assert!(lines
        .next()
        .unwrap()
        .starts_with("01711000000,10.50,row 0,bk-1-ab-2,TRX"));
    // A saved state is readable and ends in the same place.
    let last = host.saved.borrow().last().cloned().unwrap();
    let again = Job::restore(&parse(last.as_bytes()).unwrap(), &Rules::default()).unwrap();
    assert_eq!(states(&again), states(&job));
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
    let saves = clean.saved.borrow().len();
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
        .rows
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
    assert_eq!(job.rows[9].outcome.as_ref().unwrap().code, "cancelled");
}

#[test]
fn intents_from_the_host_go_with_each_payment() {
    let gw = FakeGateway::default();
    let host = Memory::default();
    host.intents.set(true);
    let job = run_to_end(&gw, job_of(&csv(2, &[])), &host);
    assert_eq!(job.rows[0].intent.as_deref(), Some("i.2"));
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
            &["code-1", "CSV"],
        );
    }
}

proptest! {
    #[test]
    fn any_text_is_read_or_refused_without_a_panic(text in "\\PC{0,300}") {
        if let Ok(sheet) = read_csv(&text) {
            let job = Job::new("bk-1", sheet, &Rules::default(), false);
            let _ = job.results_csv();
        }
    }

    #[test]
    fn any_saved_state_is_restored_or_refused_without_a_panic(text in "\\PC{0,300}") {
        if let Ok(v) = parse(text.as_bytes()) {
            let _ = Job::restore(&v, &Rules::default());
        }
    }
}
