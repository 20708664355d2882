// The proxy's books in its Durable Object's SQLite storage (a class bound
// under `new_sqlite_classes`): the schema, versioned here, and the shop's
// spends that the ceilings count, so that an eviction or a restart does not
// start the hour and the day again from nothing. A class bound without
// SQLite storage keeps no books: its ceilings live in memory.

const DAY_MS = 24 * 60 * 60 * 1000;

/** The schema, one list of statements per version: never edit a version, add one. */
const MIGRATIONS = [
  // 1: each payment's spend that the ceilings count (decimal text), and when; a day is kept.
  ['CREATE TABLE spends (at_ms INTEGER NOT NULL, spend TEXT NOT NULL)', 'CREATE INDEX spends_at ON spends (at_ms)'],
];

/** The version of the schema `openBooks` leaves. */
export const BOOKS_VERSION = MIGRATIONS.length;

/**
 * The SQL API of a Durable Object's storage, or `undefined` when it has none:
 * a class bound without SQLite storage has `sql`, whose every call throws.
 */
function sqlOf(storage) {
  try {
    const sql = storage?.sql;
    if (!sql || typeof sql.exec !== 'function') return undefined;
    sql.exec('SELECT 1');
    return sql;
  } catch {
    return undefined;
  }
}

/**
 * The books in `storage` (a Durable Object's `ctx.storage`), migrated to
 * BOOKS_VERSION in one transaction; `undefined` without SQLite storage. A
 * migration that fails throws: the object then refuses, and so every
 * payment that needs it, rather than count from nothing.
 */
export function openBooks(storage) {
  const sql = sqlOf(storage);
  if (!sql) return undefined;
  storage.transactionSync(() => {
    sql.exec('CREATE TABLE IF NOT EXISTS bdpay_schema (version INTEGER NOT NULL)');
    const [row] = sql.exec('SELECT version FROM bdpay_schema').toArray();
    if (!row) sql.exec('INSERT INTO bdpay_schema (version) VALUES (0)');
    for (let version = row?.version ?? 0; version < MIGRATIONS.length; version += 1) {
      for (const statement of MIGRATIONS[version]) sql.exec(statement);
      sql.exec('UPDATE bdpay_schema SET version = ?', version + 1);
    }
  });
  return Object.freeze({
    /** The spends of the day before `now`, oldest first: `[{ spend, at }]`. */
    spends: (now) =>
      sql
        .exec('SELECT spend, at_ms FROM spends WHERE at_ms > ? ORDER BY at_ms, rowid', now - DAY_MS)
        .toArray()
        .map((r) => ({ spend: r.spend, at: r.at_ms })),
    /** Records `spend` (decimal text) counted at `now`, and forgets those older than a day. */
    spent: (spend, now) => {
      sql.exec('DELETE FROM spends WHERE at_ms <= ?', now - DAY_MS);
      sql.exec('INSERT INTO spends (at_ms, spend) VALUES (?, ?)', now, spend);
    },
    /** Forgets the newest spend of `spend`: the upstream refused that payment before committing it. */
    givenBack: (spend) =>
      sql.exec('DELETE FROM spends WHERE rowid = (SELECT rowid FROM spends WHERE spend = ? ORDER BY at_ms DESC, rowid DESC LIMIT 1)', spend),
  });
}
