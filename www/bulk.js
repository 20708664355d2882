// The Bulk tab: a CSV file of numbers recharged one row at a time with
// BulkJob (bdpay/bulk). Every row is checked before anything is sent, and
// the rows with errors are shown (per field, in the page's language) to be
// skipped; then the job runs, each row once, with its state saved in
// IndexedDB after every step. A reloaded page opens the saved job again and
// offers to resume it (it does not start paying by itself): rows already
// sent are settled by `status` before anything new is sent.
//
// In customer mode each row is paid through the proxy with an intent the
// shop signs for exactly that row (its ref_id included), and the client
// keeps under the proxy's per-client limits, which the shop's config.json
// gives. The page holds no token.

import { h, replace, bind } from './dom.js';
import { operatorName } from './fields.js';
import { digits, message, t, taka } from './i18n.js';
import { shopClient } from './shop.js';

// Rows sent whose outcome is not final yet.
const LIVE = new Set(['sending', 'unknown', 'pending']);

/**
 * The client's limits for the proxy's `paymentsPerMinute` and
 * `readsPerMinute`, spread evenly: one payment every 60/N seconds (and the
 * reads in the same window) rather than N at once and then a minute's wait.
 * At most one in any 60000/N ms is at most N in any minute.
 */
export function paced({ paymentsPerMinute = 10, readsPerMinute = 60 }) {
  const periodMs = Math.ceil(60_000 / paymentsPerMinute);
  return { requestPerMinute: 1, perMinute: Math.max(1, Math.floor((readsPerMinute * periodMs) / 60_000)), periodMs };
}

/** `config`: `{ baseUrl, token? }` of the API (the proxy, in customer mode); `shop`: the shop's config.json, or null. */
export async function bulkTab(panel, { config, shop }) {
  const loading = h('p', { role: 'status', class: 'loading' }, () => t('bulkLoading'));
  panel.append(h('h2', {}, () => t('heading.bulk')), h('p', { class: 'hint' }, () => t('bulkIntro')), loading);

  let bdpay;
  try {
    bdpay = await import('/pkg/bulk-browser.js');
    await bdpay.ready;
  } catch (e) {
    console.error(e);
    replace(loading, () => t('bulkLoadFailed'));
    loading.classList.add('failed');
    return;
  }
  loading.remove();

  // One client for the whole job: its limiter paces every request and
  // status read. Through the proxy, that is the proxy's limits per client.
  const client = new bdpay.GatewayClient({ ...config, pollIntervalMs: 750, rateLimit: shop ? paced(shop) : true });
  const signer = shop ? shopClient(bdpay.BdpayError, shop) : null;
  // The shop signs the row's own request, with the row's ref_id: the same
  // payment on every run of the job, so a reload cannot make a second one.
  const intent = signer
    ? (row) =>
        signer.intent({
          type: row.type,
          operator_code: row.operator_code,
          phone: row.phone,
          amount: row.amount,
          sub_type: row.values.sub_type || undefined,
          package_id: row.values.package_id || undefined,
          ref_id: row.ref_id,
        })
    : undefined;
  const store = bdpay.indexedDbStore(`bdpay-demo-bulk:${shop ? 'shop' : 'sandbox'}`);

  const body = h('div', { class: 'bulk' });
  panel.append(body);

  const open = (csv) => bdpay.BulkJob.open({ client, csv, store, intent });

  // A job saved by an earlier visit is opened again, not started.
  let saved = null;
  try {
    saved = await store.load();
  } catch (e) {
    console.error(e);
  }
  if (saved) {
    try {
      showJob(await open(undefined), { resumed: true });
      return;
    } catch (e) {
      console.error(e);
    }
  }
  showInput();

  /** The file: chosen or pasted, then checked. */
  function showInput() {
    const alert = h('div', { role: 'alert', class: 'alert', hidden: true });
    const file = h('input', { type: 'file', id: 'bulk-file', accept: '.csv,text/csv,text/plain' });
    const text = h('textarea', { id: 'bulk-csv', rows: 8, spellcheck: 'false', 'aria-describedby': 'bulk-csv-hint' });
    const check = h('button', { type: 'submit', class: 'primary' }, () => t('bulkCheck'));
    const say = (title, detail) => {
      replace(alert, h('strong', {}, title), detail ? h('span', {}, detail) : null);
      alert.hidden = false;
    };
    const start = async (csv) => {
      if (!csv.trim()) return say(t('bulkEmpty'));
      check.disabled = true;
      try {
        showJob(await open(csv), { resumed: false });
      } catch (e) {
        check.disabled = false;
        if (!(e instanceof bdpay.BdpayError)) console.error(e);
        // A file the job cannot read (no phone column, too many rows…), said in the page's language.
        say(t('bulkFileProblem'), message(e));
      }
    };
    file.addEventListener('change', async () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      text.value = await chosen.text();
      await start(text.value);
    });
    const form = h(
      'form',
      {
        class: 'pay-form',
        novalidate: true,
        onsubmit: (ev) => {
          ev.preventDefault();
          start(text.value);
        },
      },
      h('div', { class: 'field' }, h('label', { for: file.id }, () => t('bulkFile')), file),
      h(
        'div',
        { class: 'field' },
        h('label', { for: text.id }, () => t('bulkPaste')),
        text,
        h('p', { id: 'bulk-csv-hint', class: 'hint' }, () => t('bulkPasteHint')),
      ),
      alert,
      h('div', { class: 'actions' }, check),
    );
    replace(body, form);
  }

  /** A job: its rows and problems, totals, controls and progress. */
  function showJob(job, { resumed }) {
    let running = null; // the promise of start(), while the job runs
    let pausing = false;
    let failure = null; // an error of start() (a save that failed)
    const rows = new Map(job.rows().map((r) => [r.line, r]));
    const trs = new Map();

    const notice = resumed ? h('p', { class: 'notice' }, () => t('bulkResumed')) : null;
    const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'current' });
    const progressBar = h('progress', { 'aria-label': () => t('bulkProgress'), max: 1, value: 0 });
    const alert = h('div', { role: 'alert', class: 'alert', hidden: true });
    const controls = h('div', { class: 'actions' });
    const totals = h('div', { class: 'totals' });
    const tbody = h('tbody');
    // Each cell names its column (`data-label`): on a phone the rows stack,
    // a cell a line, its column's name before it (style.css).
    const COLUMNS = ['bulkLine', 'phone', 'operator', 'amount', 'bulkStatus', 'bulkProblems', 'bulkAction'];
    const table = h(
      'table',
      { class: 'rows' },
      h('caption', {}, () => t('bulkRowsCaption')),
      h('thead', {}, h('tr', {}, COLUMNS.map((k) => h('th', { scope: 'col' }, () => t(k))))),
      tbody,
    );
    const scroller = h('div', { class: 'scroll', role: 'region', tabindex: 0, 'aria-label': () => t('bulkRowsCaption') }, table);
    replace(body, notice, status, progressBar, alert, controls, totals, scroller);

    // Results as a file: made again on every click, so it is never stale.
    let url = null;
    const results = () => {
      if (url) URL.revokeObjectURL(url);
      // The text starts with a BOM (U+FEFF), written as UTF-8 like the rest:
      // a spreadsheet then reads the Bangla as UTF-8, not as its own code page.
      url = URL.createObjectURL(new Blob([job.resultsCsv()], { type: 'text/csv;charset=utf-8' }));
      return url;
    };
    const download = h('a', {
      class: 'secondary button',
      download: `bdpay-bulk-${job.id}.csv`,
      onclick: () => download.setAttribute('href', results()),
    });
    bind(download, (n) => (n.textContent = t('bulkDownload')));

    const everSent = () => [...rows.values()].some((r) => r.sent);
    const act = (key, onclick, cls = 'secondary') => {
      const b = h('button', { type: 'button', class: cls, onclick });
      bind(b, (n) => (n.textContent = typeof key === 'function' ? key() : t(key)));
      return b;
    };
    const skipBad = act('bulkSkipBad', async () => {
      await job.skip(
        [...rows.values()].filter((r) => r.state === 'invalid').map((r) => r.line),
        true,
      );
      reload();
    });
    const goLabel = () => t(everSent() ? 'bulkResume' : 'bulkStart');
    const go = act(goLabel, () => run(), 'primary');
    const pause = act('bulkPause', () => {
      pausing = true;
      job.pause();
      schedule();
    });
    const cancel = act('bulkCancel', async () => {
      await job.cancel();
      reload();
    });
    const fresh = act('bulkNew', async () => {
      await store.clear();
      if (url) URL.revokeObjectURL(url);
      showInput();
    });


    async function run() {
      if (running) return;
      failure = null;
      pausing = false;
      running = job.start();
      schedule();
      try {
        await running;
      } catch (e) {
        failure = e;
      } finally {
        running = null;
        pausing = false;
        reload();
      }
    }

    /** Everything again from the job (after a skip, a cancel, a run's end). */
    function reload() {
      for (const r of job.rows()) rows.set(r.line, r);
      for (const line of rows.keys()) dirty.add(line);
      schedule();
    }

    // Changes are drawn once a frame: a fast job moves many times a second.
    const dirty = new Set();
    let frame = 0;
    function schedule() {
      if (!frame) frame = requestAnimationFrame(draw);
    }
    job.onChange((row) => {
      if (row) {
        rows.set(row.line, row);
        dirty.add(row.line);
      }
      schedule();
    });

    function draw() {
      frame = 0;
      const p = job.progress();
      drawStatus(p);
      drawControls(p);
      drawTotals();
      for (const line of dirty) drawRow(rows.get(line));
      dirty.clear();
    }

    function drawStatus(p) {
      const toSend = p.total - p.invalid - p.skipped;
      const done = p.success + p.failed + p.cancelled;
      const pending = p.sending + p.pending;
      progressBar.max = Math.max(toSend, 1);
      progressBar.value = done;
      const counts = t('bulkSummary', {
        total: digits(p.total),
        ready: digits(toSend),
        invalid: digits(p.invalid),
        skipped: digits(p.skipped),
      });
      const moving = t('bulkProgressText', {
        done: digits(done),
        total: digits(toSend),
        success: digits(p.success),
        failed: digits(p.failed),
        pending: digits(pending),
      });
      let state = '';
      if (p.stopped === 'cancelled') state = t('bulkCancelled');
      else if (p.finished) state = t('bulkFinished');
      else if (running && pausing) state = t('bulkPausing');
      else if (running) state = t('bulkRunning');
      else if (everSent()) state = t('bulkPaused');
      // The rate is the client's pacing until enough rows were sent to
      // measure it, and never faster than the pacing (the job says so).
      const eta =
        running && !pausing && p.queued > 0 && p.eta_ms !== null && p.rate_per_minute
          ? t('bulkEta', { mins: digits(Math.max(1, Math.ceil(p.eta_ms / 60_000))), rate: digits(Math.round(p.rate_per_minute)) })
          : '';
      const now = [state, counts, moving, eta].filter(Boolean).join(' ');
      if (status.textContent !== now) status.textContent = now;

      const halt = p.halt ?? (failure ? { message: failure.message, message_bn: failure.messageBn } : null);
      if (halt) {
        replace(alert, h('strong', {}, t('bulkHalted')), h('span', {}, message(halt)));
        alert.hidden = false;
      } else if (p.invalid > 0 && !everSent()) {
        replace(alert, h('span', {}, t('bulkFixFirst')));
        alert.hidden = false;
      } else {
        replace(alert);
        alert.hidden = true;
      }
    }

    function drawControls(p) {
      const over = p.finished || p.stopped === 'cancelled';
      const left = p.queued + p.sending + p.pending > 0;
      // A job over (run to its end, or cancelled) has no row to take back in or leave out.
      const closed = p.stopped === 'cancelled' || (p.finished && everSent());
      skipBad.disabled = p.invalid === 0 || closed;
      go.disabled = Boolean(running) || over || !left || p.invalid > 0;
      go.textContent = goLabel();
      pause.disabled = !running || pausing;
      cancel.disabled = over || (!left && !running);
      // A job with payments sent and not settled is not forgotten: a new
      // file would carry new ref_ids, and could pay those numbers again.
      fresh.disabled = Boolean(running) || [...rows.values()].some((r) => LIVE.has(r.state));
      if (!download.hasAttribute('href')) download.setAttribute('href', results());
      replace(
        controls,
        p.invalid > 0 && !closed ? skipBad : null,
        over ? null : running ? pause : go,
        over ? null : cancel,
        everSent() ? download : null,
        fresh,
      );
    }

    function drawTotals() {
      const sum = job.totals();
      if (!sum.rows) {
        replace(totals, h('p', { class: 'hint' }, t('bulkNothingLeft')));
        return;
      }
      replace(
        totals,
        h(
          'table',
          { class: 'sums' },
          h('caption', {}, t('bulkTotalsCaption')),
          h('thead', {}, h('tr', {}, [t('operator'), t('bulkRows'), t('amount')].map((x) => h('th', { scope: 'col' }, x)))),
          h(
            'tbody',
            {},
            sum.operators.map((o) =>
              h('tr', {}, h('th', { scope: 'row' }, operatorName(o.operator_code)), h('td', {}, digits(o.rows)), h('td', {}, taka(o.amount))),
            ),
          ),
          h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, t('bulkAll')), h('td', {}, digits(sum.rows)), h('td', {}, taka(sum.amount)))),
        ),
      );
    }

    function drawRow(r) {
      if (!r) return;
      let tr = trs.get(r.line);
      if (!tr) {
        tr = h('tr');
        trs.set(r.line, tr);
        // Rows keep the file's order.
        const after = [...trs.keys()].filter((l) => l > r.line).sort((a, b) => a - b)[0];
        tbody.insertBefore(tr, after === undefined ? null : trs.get(after));
      }
      tr.className = `row ${r.state}`;
      const line = digits(r.line);
      const phone = r.phone ?? r.values.phone ?? '';
      const operator = r.operator_code ? operatorName(r.operator_code) : (r.values.operator_code ?? '');
      const amount = r.amount ? taka(r.amount) : digits(r.values.amount ?? '');
      const said = (issue, cls) => h('li', { class: cls }, `${t(`field.${issue.field}`)}: ${message(issue)}`);
      // A row left out says why (its errors inside that sentence); a failed
      // or cancelled one, what became of it.
      const problems =
        r.state === 'skipped' && r.outcome
          ? [h('li', { class: 'skipped' }, message(r.outcome))]
          : r.issues.map((i) => said(i, 'error'));
      problems.push(...r.warnings.map((w) => said(w, 'warning')));
      if (r.outcome && (r.state === 'failed' || r.state === 'cancelled')) problems.push(h('li', { class: 'error' }, message(r.outcome)));
      let action = null;
      // Only a row not sent, in a job not over: a finished job's rows stay as they ended.
      if (r.editable) {
        const skipping = r.state !== 'skipped';
        action = h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            // Short on screen, and named with its line for a screen reader.
            'aria-label': t(skipping ? 'bulkSkip' : 'bulkInclude', { line }),
            onclick: async () => {
              await job.skip(r.line, skipping);
              reload();
            },
          },
          t(skipping ? 'bulkSkipShort' : 'bulkIncludeShort'),
        );
      }
      const label = (i) => ({ 'data-label': t(COLUMNS[i]) });
      replace(
        tr,
        h('td', label(0), line),
        h('td', { ...label(1), class: 'code' }, digits(phone)),
        h('td', label(2), operator),
        h('td', { ...label(3), class: 'num' }, amount),
        h(
          'td',
          { ...label(4), class: `state ${r.state}` },
          t(`state.${r.state}`),
          r.trx_id ? h('span', { class: 'code trx' }, t('bulkTrx', { id: r.trx_id })) : null,
          LIVE.has(r.state) ? h('span', { class: 'hint' }, '…') : null,
        ),
        h('td', label(5), problems.length ? h('ul', { class: 'issues' }, problems) : null),
        h('td', label(6), action),
      );
    }

    // A change of language draws everything again.
    bind(body, () => {
      for (const line of rows.keys()) dirty.add(line);
      if (trs.size || dirty.size) schedule();
    });
    reload();
  }
}
