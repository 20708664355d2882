//! The driver: does what the job says next, through a [`GatewayClient`] (so
//! its limiter is shared with every other call) and the caller's [`Host`],
//! which saves the job and may supply payment intents and show progress.

use crate::prelude::*;

use std::cell::RefCell;
use std::future::Future;

use bdpay_core::json::Value;

use super::job::{Job, RowState, Step, Stop};
use crate::client::{GatewayClient, Transport};
use crate::error::ApiError;

/// What a run needs from its caller.
pub trait Host {
    /// Keeps the job's state (its JSON text) where a later run finds it.
    /// A row is sent only after the save that marks it `sending` succeeded.
    fn save(&self, state: &str) -> impl Future<Output = Result<(), ApiError>>;
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
const LOOK_MS: u64 = 500;

/// Runs `job` until it is finished or paused. An error is a save that
/// failed: nothing is sent after it, and the job can be run again.
pub async fn run<T: Transport, H: Host>(
    job: &RefCell<Job>,
    client: &GatewayClient<T>,
    host: &H,
) -> Result<Ended, ApiError> {
    let t = client.transport();
    let poll_ms = client.config().poll_interval_ms;
    with(job, |j| j.begin_run(t.now_ms()));
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
                let finished = with(job, |j| j.finished()).unwrap_or(false);
                tell(job, host, None, t.now_ms());
                return Ok(if finished {
                    Ended::Finished
                } else {
                    Ended::Paused
                });
            }
            Step::Wait(ms) => t.sleep(ms.min(LOOK_MS)).await,
            Step::Submit(i) => submit(job, client, host, i, poll_ms).await?,
            Step::Settle(i) | Step::Poll(i) => {
                let was = state_of(job, i);
                let Some(query) = with(job, |j| j.status_query(i)).flatten() else {
                    return Ok(Ended::Paused);
                };
                let answer = client.status(&query).await;
                let now = t.now_ms();
                with(job, |j| j.record_status(i, answer, now, poll_ms));
                if state_of(job, i) != was {
                    save(job, host).await?;
                }
                tell(job, host, Some(i), t.now_ms());
            }
        }
    }
}

async fn submit<T: Transport, H: Host>(
    job: &RefCell<Job>,
    client: &GatewayClient<T>,
    host: &H,
    i: usize,
    poll_ms: u64,
) -> Result<(), ApiError> {
    let t = client.transport();
    let (view, intent) = match with(job, |j| {
        j.rows.get(i).map(|r| (j.row_json(r), r.intent.clone()))
    })
    .flatten()
    {
        Some(v) => v,
        None => return Ok(()),
    };
    let intent = match intent {
        Some(i) => Some(i),
        None => match host.intent(&view).await {
            Ok(i) => i,
            Err(e) => {
                with(job, |j| {
                    j.halt = Some(super::notes::Issue::of_api(&e));
                    j.set_stop(Some(Stop::Paused));
                });
                save(job, host).await?;
                tell(job, host, Some(i), t.now_ms());
                return Ok(());
            }
        },
    };
    with(job, |j| j.mark_sending(i, intent.clone()));
    if let Err(e) = save(job, host).await {
        // Not saved as sending: not sent.
        with(job, |j| {
            if let Some(r) = j.rows.get_mut(i) {
                r.state = RowState::Queued;
            }
        });
        return Err(e);
    }
    tell(job, host, Some(i), t.now_ms());
    let Some((service, args)) = with(job, |j| {
        j.request_of(i).map(|(req, intent)| {
            let mut body = match req.to_json() {
                Value::Object(fields) => fields,
                _ => Vec::new(),
            };
            if let Some(intent) = intent {
                body.push(("intent".to_owned(), Value::from(intent)));
            }
            (req.service, Value::Object(body))
        })
    })
    .flatten() else {
        return Ok(());
    };
    let sent = client.submit(service, &args).await;
    let now = t.now_ms();
    with(job, |j| j.record_submit(i, sent, now, poll_ms));
    save(job, host).await?;
    tell(job, host, Some(i), t.now_ms());
    Ok(())
}

/// `f` on the job, if it is not borrowed elsewhere (it never is across an await).
fn with<R>(job: &RefCell<Job>, f: impl FnOnce(&mut Job) -> R) -> Option<R> {
    job.try_borrow_mut().ok().map(|mut j| f(&mut j))
}

fn state_of(job: &RefCell<Job>, i: usize) -> Option<RowState> {
    job.try_borrow().ok()?.rows.get(i).map(|r| r.state)
}

async fn save<H: Host>(job: &RefCell<Job>, host: &H) -> Result<(), ApiError> {
    let text = with(job, |j| j.to_json().to_json()).unwrap_or_default();
    host.save(&text).await
}

fn tell<H: Host>(job: &RefCell<Job>, host: &H, row: Option<usize>, now: u64) {
    let Ok(j) = job.try_borrow() else { return };
    let view = row.and_then(|i| j.rows.get(i)).map(|r| j.row_json(r));
    host.changed(view.as_ref(), &j.progress(now));
}
