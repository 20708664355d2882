// `BulkJob` of `bdpay/bulk`: a file of numbers paid one row at a time through a GatewayClient
// (sharing its limiter), each row exactly once, its state kept in a store so
// that a reloaded page or a rerun command resumes it. The job itself (the
// file read, checks, ref_ids, what to do next, what an answer means, the
// text a store keeps) is the Rust job in the bulk wasm; this file adds the
// stores and events.
//
// A store keeps one job as text: its plan (the file's rows), written once,
// then one small record (a JSON line) per change, appended; the whole text
// is written again, compacted, when a run ends. So a step costs the same at
// row 50,000 as at row 1.

import { plain } from './plain.js';

/**
 * A store keeps one job's text: `load()` gives it back (or `null`),
 * `save(text)` replaces it whole and at once (a new job, and the records
 * compacted when a run ends), `append(records)` adds lines to it,
 * `clear()` forgets it. Each may return a Promise. A store without `append`
 * still works, given the whole text after every step (slow on large files).
 */
export function memoryStore() {
  let parts = null;
  return {
    load: () => {
      if (parts === null) return null;
      parts = [parts.join('')];
      return parts[0];
    },
    save: (text) => {
      parts = [text];
    },
    append: (records) => {
      if (parts === null) throw new Error('no job to append to');
      parts.push(records);
    },
    clear: () => {
      parts = null;
    },
  };
}

/**
 * A store in the browser's IndexedDB, under `key` (one key per job): the
 * text in the object store `jobs`, the records appended since in `records`.
 */
export function indexedDbStore(key, { database = 'bdpay-bulk', indexedDB = globalThis.indexedDB } = {}) {
  if (!indexedDB) throw new TypeError('indexedDbStore needs IndexedDB');
  let opened;
  const db = () => {
    opened ??= new Promise((resolve, reject) => {
      // Version 1 had `jobs` alone, each job's whole state replaced on every step.
      const req = indexedDB.open(database, 2);
      req.onupgradeneeded = () => {
        const d = req.result;
        if (!d.objectStoreNames.contains('jobs')) d.createObjectStore('jobs');
        if (!d.objectStoreNames.contains('records')) d.createObjectStore('records', { autoIncrement: true }).createIndex('job', 'job');
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return opened;
  };
  // `act(tx, done)` asks; `done(value)` says what the call resolves with
  // once the transaction has committed (a write counts then, not before).
  const call = async (mode, act) => {
    const d = await db();
    return new Promise((resolve, reject) => {
      const tx = d.transaction(['jobs', 'records'], mode);
      let out;
      act(tx, (value) => {
        out = value;
      });
      tx.oncomplete = () => resolve(out);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('aborted'));
    });
  };
  const forget = (tx) => {
    const cursor = tx.objectStore('records').index('job').openKeyCursor(key);
    cursor.onsuccess = () => {
      const c = cursor.result;
      if (!c) return;
      tx.objectStore('records').delete(c.primaryKey);
      c.continue();
    };
  };
  return {
    load: () =>
      call('readonly', (tx, done) => {
        const text = tx.objectStore('jobs').get(key);
        // Requests complete in order: the text is there when the records are.
        const records = tx.objectStore('records').index('job').getAll(key);
        records.onsuccess = () => done(text.result == null ? null : text.result + records.result.map((r) => r.text).join(''));
      }),
    save: (text) =>
      call('readwrite', (tx) => {
        tx.objectStore('jobs').put(text, key);
        forget(tx);
      }),
    append: (records) => call('readwrite', (tx) => tx.objectStore('records').add({ job: key, text: records })),
    clear: () =>
      call('readwrite', (tx) => {
        tx.objectStore('jobs').delete(key);
        forget(tx);
      }),
  };
}

const ENCODINGS = new Set(['utf-8', 'windows-1252']);

/**
 * What the wasm job reads: a file's bytes (decoded there: UTF-8 or UTF-16),
 * or, with `encoding: 'windows-1252'`, the text they make in Windows-1252;
 * text as it is; rows as plain objects.
 */
function inputOf({ csv, rows, encoding }) {
  if (encoding !== undefined && !ENCODINGS.has(encoding)) {
    throw new TypeError(`encoding must be 'utf-8' or 'windows-1252', not ${JSON.stringify(encoding)}`);
  }
  if (csv instanceof ArrayBuffer || ArrayBuffer.isView(csv)) {
    const bytes = csv instanceof Uint8Array ? csv : ArrayBuffer.isView(csv) ? new Uint8Array(csv.buffer, csv.byteOffset, csv.byteLength) : new Uint8Array(csv);
    return encoding === 'windows-1252' ? new TextDecoder('windows-1252').decode(bytes) : bytes;
  }
  return typeof csv === 'string' ? csv : plain(rows ?? []);
}

export function bindBulk(glue, gate, wasmOf, apiError) {
  const wrap = (call) => {
    try {
      return call();
    } catch (thrown) {
      throw apiError(thrown);
    }
  };

  /**
   * A bulk job. `BulkJob.open({ client, csv | rows, store, ... })` resumes the
   * job the store holds, or starts one from the file (and saves it at once).
   */
  class BulkJob {
    #wasm;
    #store;
    #intent;
    #listeners = new Set();
    #running = null;
    #resumed;

    constructor(wasm, store, intent, resumed) {
      this.#wasm = wasm;
      this.#store = store;
      this.#intent = intent;
      this.#resumed = resumed;
    }

    /** Hands the records written outside a run (an edit, a skip, a cancel) to the store. */
    async #flush() {
      const records = this.#wasm.takeJournal();
      if (!records || this.#store === null) return;
      if (typeof this.#store.append === 'function') await this.#store.append(records);
      else await this.#store.save(this.#wasm.state());
    }

    /**
     * `client`: a GatewayClient (its limits and its proxy or token serve the job).
     * `csv` (the file's bytes, or its text) or `rows` (objects): the file; left alone when `store` holds a job.
     * `encoding`: `'windows-1252'` to read bytes that are not UTF-8 as Windows-1252 (a guess the caller makes).
     * `store`: where the job lives (`memoryStore()`, `indexedDbStore(key)`, `fileStore(path)`), or null for a job only checked (a dry run: kept nowhere, never started).
     * `intent(row)`: a payment intent for a row, when paying through a proxy.
     * `allowDuplicates`: a number met twice is a warning, not an error.
     * `id`: the job's id (every row's `ref_id` starts with it); generated when left out.
     */
    static async open({ client, csv, rows, store, intent, allowDuplicates, id, encoding } = {}) {
      gate.need();
      const wasmClient = wasmOf.get(client);
      if (!wasmClient) throw new TypeError('BulkJob.open needs a GatewayClient as `client`');
      // `store: null`: a job only checked (a dry run), kept nowhere, never started.
      if (store !== null && (!store || typeof store.load !== 'function' || typeof store.save !== 'function')) {
        throw new TypeError('BulkJob.open needs a `store` with load() and save(), or null for a job only checked');
      }
      const saved = store === null ? null : await store.load();
      const resumed = typeof saved === 'string';
      const input = resumed ? undefined : inputOf({ csv, rows, encoding });
      const options = plain({
        state: resumed ? saved : undefined,
        allowDuplicates: allowDuplicates === true,
        id,
        // Said back by `encoding` when the text was decoded here.
        encoding: encoding === 'windows-1252' && typeof csv !== 'string' ? encoding : undefined,
      });
      const wasm = wrap(() => new glue.WasmBulkJob(wasmClient, input, options));
      const job = new BulkJob(wasm, store, typeof intent === 'function' ? intent : undefined, resumed);
      // A new job's plan, written once; or a stored text to write again whole.
      if (store !== null && (!resumed || wasm.rewrite)) {
        await store.save(wasm.state());
        wasm.rewritten();
      }
      return job;
    }

    /** Whether `open` found the job in its store (and resumed it) rather than starting it from the file. */
    get resumed() {
      return this.#resumed;
    }

    /** The encoding the file was read in (`utf-8`, `utf-8 (bom)`, `utf-16le`, `utf-16be`, `windows-1252`), or null. */
    get encoding() {
      return this.#wasm.encoding ?? null;
    }

    /** The file's delimiter: `,`, `;` or a tab. */
    get delimiter() {
      return this.#wasm.delimiter;
    }

    /** Whether `csv` (bytes or text, read as `open` reads it) is the file this job was made of. */
    matches(csv, { encoding } = {}) {
      return this.#wasm.matches(inputOf({ csv, encoding }));
    }

    get id() {
      return this.#wasm.id;
    }

    get columns() {
      return this.#wasm.columns;
    }

    /** Every row: `{ line, values, state, ref_id, trx_id, phone, operator_code, amount, issues, warnings, outcome, ... }`. */
    rows() {
      return this.#wasm.rows();
    }

    /** Counts per state, `rate_per_minute`, `eta_ms`, `stopped`, `halt` and `finished`. */
    progress() {
      return this.#wasm.progress();
    }

    /**
     * What may still be sent: `{ rows, amount, unsettled, operators, balances, notes }`
     * (`unsettled`: rows sent before with no answer, sent again only if the
     * gateway holds nothing under their ref_id; `notes`: the sentences).
     */
    totals() {
      return this.#wasm.totals();
    }

    /** What checking the file found, short: `{ rows, invalid, errors (the first `limit`), warnings (one per kind) }`. */
    summary(limit = 100) {
      return this.#wasm.summary(Math.max(0, Math.min(limit >>> 0, 1_000_000)));
    }

    /** Reads `/balance`: what the rows still to send lack (empty when enough). */
    checkBalance() {
      return this.#wasm.checkBalance().catch((e) => {
        throw apiError(e);
      });
    }

    /** Changes a row not sent yet (`{ phone: '017…' }`) and saves the job. */
    async edit(line, values) {
      wrap(() => this.#wasm.edit(line >>> 0, plain(values ?? {})));
      await this.#flush();
    }

    /**
     * Leaves a row, or a list of rows, out (or takes them back in) before they
     * are sent, and saves the job once. All the lines or, when one of them
     * cannot be, none.
     */
    async skip(lines, skip = true) {
      const list = Uint32Array.from(Array.isArray(lines) ? lines : [lines], (line) => line >>> 0);
      wrap(() => this.#wasm.skip(list, skip === true));
      await this.#flush();
    }

    /** `listener(row, progress)` after every step (`row` null when none changed). Returns a remover. */
    onChange(listener) {
      this.#listeners.add(listener);
      return () => this.#listeners.delete(listener);
    }

    /**
     * Runs (or resumes) the job: rows whose outcome is unknown are settled by
     * `status` first, then rows are sent one by one and followed to their end.
     * Resolves `'finished'` or `'paused'` (see `progress().halt` for why the
     * job paused itself).
     */
    start() {
      if (this.#running) return this.#running;
      const store = this.#store;
      if (store === null) return Promise.reject(new TypeError('a job opened with no store is only checked: it cannot be started'));
      const host = {
        append: typeof store.append === 'function' ? (records) => store.append(records) : () => store.save(this.#wasm.state()),
        replace: (text) => store.save(text),
        intent: this.#intent,
        changed: (row, progress) => {
          for (const l of this.#listeners) {
            try {
              l(row, progress);
            } catch {
              // A listener's error is its own.
            }
          }
        },
      };
      this.#running = this.#wasm
        .run(host)
        .catch((e) => {
          throw apiError(e);
        })
        .finally(() => {
          this.#running = null;
        });
      return this.#running;
    }

    /** Sends nothing more until `start()` again; payments already sent are settled first. */
    pause() {
      this.#wasm.pause();
    }

    /** Sends nothing more, ever; rows already sent are followed to their end. */
    cancel() {
      this.#wasm.cancel();
      if (!this.#running) return this.#flush();
      return undefined;
    }

    /** The results file (CSV): input columns, `ref_id`, `trx_id`, `status`, `message`, `message_bn`. */
    resultsCsv() {
      return this.#wasm.resultsCsv();
    }

    /**
     * The same file as UTF-8 bytes, a part at a time (for a large file): each
     * part is a view of one buffer, good until the next part is asked for.
     */
    *resultsCsvParts(rows = 500) {
      const total = this.#wasm.progress().total;
      let buffer = new Uint8Array(256 * 1024);
      let step = Math.max(1, rows >>> 0);
      for (let from = 0; from === 0 || from < total; ) {
        const n = this.#wasm.resultsInto(from, step, buffer);
        if (n === 0) {
          // Did not fit: fewer rows, or, for one row, more room.
          if (step > 1) step = Math.ceil(step / 2);
          else buffer = new Uint8Array(buffer.length * 2);
          continue;
        }
        yield buffer.subarray(0, n);
        from += step;
      }
    }

    toString() {
      return '[object BulkJob]';
    }
  }

  BulkJob.memoryStore = memoryStore;
  BulkJob.indexedDbStore = indexedDbStore;
  return { BulkJob };
}
