// The Node store of bulk jobs: the job's text in one file (beside the input,
// by the command's choice): its plan, then its records, appended. Every call
// is synchronous, so when it returns the bytes are the kernel's: a process
// killed (or exiting on Ctrl-C) a moment later loses none of them, and there
// is never a write in flight to wait for. A kill in the middle of an append
// can leave its last line cut short; the job reads the text without it and
// writes it again whole. `save` (a new job; the records compacted when a run
// ends) writes `PATH.tmp` and renames it over the file: the file is always
// whole, and a temporary file a kill left behind is removed by the next `load`.
import { closeSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * A store in the file at `path`. `formerly`: where an older version kept the
 * job whole (`FILE.csv.bdpay-job.json`), read when `path` is not there yet
 * and removed once the job is saved at `path`.
 */
export function fileStore(path, { formerly } = {}) {
  const temporary = `${path}.tmp`;
  let fd = null;
  const close = () => {
    if (fd !== null) {
      closeSync(fd);
      fd = null;
    }
  };
  const read = (file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      if (e && e.code === 'ENOENT') return null;
      throw e;
    }
  };
  /** Temporary files of a save a kill cut short: this version's, and the older one's (`FILE.bdpay-job.json.PID.tmp`). */
  const sweep = () => {
    rmSync(temporary, { force: true });
    if (!formerly) return;
    const old = new RegExp(`^${basename(formerly).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\d+\\.tmp$`);
    let names = [];
    try {
      names = readdirSync(dirname(formerly));
    } catch {
      return;
    }
    for (const name of names) if (old.test(name)) rmSync(join(dirname(formerly), name), { force: true });
  };
  return {
    load() {
      sweep();
      return read(path) ?? (formerly ? read(formerly) : null);
    },
    save(text) {
      close();
      writeFileSync(temporary, text, 'utf8');
      renameSync(temporary, path);
      if (formerly) rmSync(formerly, { force: true });
    },
    append(records) {
      fd ??= openSync(path, 'a');
      const bytes = Buffer.from(records, 'utf8');
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    },
    clear() {
      close();
      rmSync(path, { force: true });
      rmSync(temporary, { force: true });
      if (formerly) rmSync(formerly, { force: true });
    },
    /** Closes the file the records go to (it is opened again by the next append). */
    close,
  };
}
