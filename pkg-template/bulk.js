// `BulkJob` of `bdpay/bulk`: a file of numbers paid one row at a time through a GatewayClient
// (sharing its limiter), each row exactly once, its state saved in a store
// after every step so that a reloaded page or a rerun command resumes it.
// The job itself (checks, ref_ids, what to do next, what an answer means) is
// the Rust job in the clients' wasm; this file adds the stores and events.

import { plain } from './plain.js';

/**
 * A store keeps one job's state (its JSON text): `load()` gives it back or
 * `null`, `save(text)` keeps it, `clear()` forgets it. Both may return Promises.
 */
export function memoryStore() {
  let text = null;
  return {
    load: () => text,
    save: (t) => {
      text = t;
    },
    clear: () => {
      text = null;
    },
  };
}

/** A store in the browser's IndexedDB, under `key` (one key per job). */
export function indexedDbStore(key, { database = 'bdpay-bulk', indexedDB = globalThis.indexedDB } = {}) {
  if (!indexedDB) throw new TypeError('indexedDbStore needs IndexedDB');
  let opened;
  const db = () => {
    opened ??= new Promise((resolve, reject) => {
      const req = indexedDB.open(database, 1);
      req.onupgradeneeded = () => req.result.createObjectStore('jobs');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return opened;
  };
  const call = async (mode, act) => {
    const d = await db();
    return new Promise((resolve, reject) => {
      const tx = d.transaction('jobs', mode);
      const req = act(tx.objectStore('jobs'));
      // A write counts once the transaction has committed, not before.
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('aborted'));
    });
  };
  return {
    load: async () => (await call('readonly', (s) => s.get(key))) ?? null,
    save: (text) => call('readwrite', (s) => s.put(text, key)),
    clear: () => call('readwrite', (s) => s.delete(key)),
  };
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

    constructor(wasm, store, intent) {
      this.#wasm = wasm;
      this.#store = store;
      this.#intent = intent;
    }

    /**
     * `client`: a GatewayClient (its limits and its proxy or token serve the job).
     * `csv` (text) or `rows` (objects): the file; left alone when `store` holds a job.
     * `store`: where the state lives (`memoryStore()`, `indexedDbStore(key)`, `fileStore(path)`).
     * `intent(row)`: a payment intent for a row, when paying through a proxy.
     * `allowDuplicates`: a number met twice is a warning, not an error.
     * `id`: the job's id (every row's `ref_id` starts with it); generated when left out.
     */
    static async open({ client, csv, rows, store, intent, allowDuplicates, id } = {}) {
      gate.need();
      const wasmClient = wasmOf.get(client);
      if (!wasmClient) throw new TypeError('BulkJob.open needs a GatewayClient as `client`');
      if (!store || typeof store.load !== 'function' || typeof store.save !== 'function') {
        throw new TypeError('BulkJob.open needs a `store` with load() and save()');
      }
      const saved = await store.load();
      const input = typeof csv === 'string' ? csv : plain(rows ?? []);
      const options = plain({ state: typeof saved === 'string' ? saved : undefined, allowDuplicates: allowDuplicates === true, id });
      const wasm = wrap(() => new glue.WasmBulkJob(wasmClient, input, options));
      const job = new BulkJob(wasm, store, typeof intent === 'function' ? intent : undefined);
      if (typeof saved !== 'string') await store.save(wasm.state());
      return job;
    }

    /** Whether `open` resumed a saved job: see `progress()`. */
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

    /** What the rows still to send need: `{ rows, amount, operators, balances }`. */
    totals() {
      return this.#wasm.totals();
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
      await this.#store.save(this.#wasm.state());
    }

    /**
     * Leaves a row, or a list of rows, out (or takes them back in) before they
     * are sent, and saves the job once. All the lines or, when one of them
     * cannot be, none.
     */
    async skip(lines, skip = true) {
      const list = Uint32Array.from(Array.isArray(lines) ? lines : [lines], (line) => line >>> 0);
      wrap(() => this.#wasm.skip(list, skip === true));
      await this.#store.save(this.#wasm.state());
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
      const host = {
        save: (text) => this.#store.save(text),
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
      if (!this.#running) return this.#store.save(this.#wasm.state());
      return undefined;
    }

    /** The results file (CSV): input columns, `ref_id`, `trx_id`, `status`, `message`, `message_bn`. */
    resultsCsv() {
      return this.#wasm.resultsCsv();
    }

    toString() {
      return '[object BulkJob]';
    }
  }

  BulkJob.memoryStore = memoryStore;
  BulkJob.indexedDbStore = indexedDbStore;
  return { BulkJob };
}
