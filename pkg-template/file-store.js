// The Node store of bulk jobs: the state as a JSON file (beside the input,
// by the command's choice). Each save writes a temporary file and renames it
// over the old one, so a process killed mid-write leaves the previous state
// whole, never half of one.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';

/** A store in the file at `path`. */
export function fileStore(path) {
  const temporary = `${path}.${process.pid}.tmp`;
  return {
    async load() {
      try {
        return await readFile(path, 'utf8');
      } catch (e) {
        if (e && e.code === 'ENOENT') return null;
        throw e;
      }
    },
    async save(text) {
      await writeFile(temporary, text, 'utf8');
      await rename(temporary, path);
    },
    async clear() {
      await rm(path, { force: true });
    },
  };
}
