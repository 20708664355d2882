//! The driver: does what the job says next, through a [`GatewayClient`] (so
//! its limiter is shared with every other call) and the caller's [`Host`],
//! which stores the job's records and may supply payment intents and show
//! progress.
//!
//! Stopping is always prompt: the limiter's pacing is waited out here, a
//! little at a time with a look at the caller's stop between, never inside
//! the client; and after a row's `sending` record is stored, a stop asked
//! meanwhile still keeps it from going.

use crate::prelude::*;

use std::cell::RefCell;
use std::future::Future;

use bdpay_core::json::Value;

use super::job::{Job, Step, Stop};
use crate::client::{Clock, GatewayClient, Random, Transport};
use crate::error::ApiError;

/// What a run needs from its caller.
pub trait Host {
    /// Adds records (whole lines of text) to the job's stored text. A row is
    /// sent only after the append that marks it `sending` succeeded.
    fn append(&self, records: &str) -> impl Future<Output = Result<(), ApiError>>;
    /// Replaces the job's stored text whole, at once ([`Job::state_text`]):
    /// when a run ends (the records compacted), and after an append failed.
    fn replace(&self, state: &str) -> impl Future<Output = Result<(), ApiError>>;
    /// The payment intent for a row (its view, [`Job::row_json`]), when
    /// payments go through a proxy that wants one; `None` without one.
    fn intent(&self, row: &Value) -> impl Future<Output = Result<Option<String>, ApiError>>;
    /// A row changed (`Some`) and the job's progress now.
    fn changed(&self, row: Option<&Value>, progress: &Value);
    /// A pause or cancel asked for since the last look, if any.
    fn stop_asked(&self) -> Option<Stop>;
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// Every row is final (or was never sent).
    Finished,
    /// Paused (by the caller or by the job itself: see `halt`).
    Paused,
}

/// The longest sleep between two looks at the caller's pause and cancel.
const LOOK_MS: u64 = 250;

/// Runs `job` until it is finished or paused. An error is a store that
/// failed: nothing is sent after it, and the job can be run again.
pub async fn run<T: Transport + Clock + Random, H: Host>(
    job: &RefCell<Job>,
    client: &GatewayClient<T>,
    host: &H,
) -> Result<Ended, ApiError> {
    let t = client.transport();
    let poll_ms = client.config().poll_interval_ms;
    let timeout_ms = client.config().timeout_ms;
    let pace = client
        .config()
        .rate_limit
        .map(|l| (u64::from(l.requests), l.period_ms));
    with(job, |j| j.begin_run(t.now_ms(), timeout_ms, pace));
    save(job, host).await?;
    loop {
        if let Some(stop) = host.stop_asked() {
            with(job, |j| j.set_stop(Some(stop)));
            save(job, host).await?;
        }
        let now = t.now_ms();
        let step = with(job, |j| j.next_step(now)).unwrap_or(Step::Idle);
        match step {
            Step::Idle => {
                save(job, host).await?;
                // The records folded into one text. The journal already
                // holds everything: a failure here loses nothing.
                if let Some(whole) = with(job, |j| j.state_text()) {
                    let _ = host.replace(&whole).await;
                }
                let finished = with(job, |j| j.finished()).unwrap_or(false);
                tell(job, host, None, t.now_ms());
                return Ok(if finished {
                    Ended::Finished
                } else {
                    Ended::Paused
                });
            }
            Step::Wait(ms) => t.sleep(ms.min(LOOK_MS)).await,
            Step::Submit(i) => match client.submit_wait_ms() {
                0 => submit(job, client, host, i, poll_ms).await?,
                wait => t.sleep(wait.min(LOOK_MS)).await,
            },
            Step::Settle(i) | Step::Poll(i) => {
                let Some(query) = with(job, |j| j.status_query(i)).flatten() else {
                    return Ok(Ended::Paused);
                };
                let started = t.now_ms();
                let answer = client.status(&query).await;
                with(job, |j| {
                    j.record_status(i, answer, started, t.now_ms(), poll_ms)
                });
                save(job, host).await?;
                tell(job, host, Some(i), t.now_ms());
            }
        }
    }
}

async fn submit<T: Transport + Clock + Random, H: Host>(
    job: &RefCell<Job>,
    client: &GatewayClient<T>,
    host: &H,
    i: usize,
    poll_ms: u64,
) -> Result<(), ApiError> {
    let t = client.transport();
    let Some((view, intent)) = with(job, |j| {
        j.rows().get(i).map(|r| (j.row_json(r), r.intent.clone()))
    })
    .flatten() else {
        return Ok(());
    };
    let intent = match intent {
        Some(i) => Some(i),
        None => match host.intent(&view).await {
            Ok(i) => i,
            Err(e) => {
                with(job, |j| j.halt_with(super::notes::Issue::of_api(&e)));
                save(job, host).await?;
                tell(job, host, Some(i), t.now_ms());
                return Ok(());
            }
        },
    };
    with(job, |j| j.mark_sending(i, intent));
    if let Err(e) = save(job, host).await {
        // Not stored as sending: not sent.
        with(job, |j| j.unmark_sending(i));
        return Err(e);
    }
    // A stop asked while the intent came or the record was stored, or the
    // limiter's window taken meanwhile by another call: not sent.
    let stop = host.stop_asked();
    if stop.is_some() || client.submit_wait_ms() > 0 {
        with(job, |j| {
            j.unmark_sending(i);
            if stop.is_some() {
                j.set_stop(stop);
            }
        });
        return save(job, host).await;
    }
    tell(job, host, Some(i), t.now_ms());
    let Some((req, intent)) = with(job, |j| {
        j.request_of(i)
            .map(|(req, intent)| (req.clone(), intent.map(str::to_owned)))
    })
    .flatten() else {
        return Ok(());
    };
    let started = t.now_ms();
    let sent = client.submit_once(&req, intent.as_deref()).await;
    with(job, |j| {
        j.record_submit(i, sent, started, t.now_ms(), poll_ms)
    });
    save(job, host).await?;
    tell(job, host, Some(i), t.now_ms());
    Ok(())
}

/// `f` on the job, if it is not borrowed elsewhere (it never is across an await).
fn with<R>(job: &RefCell<Job>, f: impl FnOnce(&mut Job) -> R) -> Option<R> {
    job.try_borrow_mut().ok().map(|mut j| f(&mut j))
}

/// Hands the job's new records to the store: appended, or, when what the
/// store holds is behind (an append failed before), the whole text.
async fn save<H: Host>(job: &RefCell<Job>, host: &H) -> Result<(), ApiError> {
    let Some((rewrite, text)) = with(job, |j| {
        if j.rewrite_needed() {
            j.take_journal();
            (true, j.state_text())
        } else {
            (false, j.take_journal())
        }
    }) else {
        return Ok(());
    };
    let stored = match (rewrite, text.is_empty()) {
        (true, _) => host.replace(&text).await,
        (false, true) => return Ok(()),
        (false, false) => host.append(&text).await,
    };
    with(job, |j| j.set_rewrite(stored.is_err()));
    stored
}

fn tell<H: Host>(job: &RefCell<Job>, host: &H, row: Option<usize>, now: u64) {
    let Ok(j) = job.try_borrow() else { return };
    let view = row.and_then(|i| j.rows().get(i)).map(|r| j.row_json(r));
    host.changed(view.as_ref(), &j.progress(now));
}
