// The store's schema, versioned with SQLite's `PRAGMA user_version`: each migration brings a store from version i to
// i + 1 in one transaction (the version is written in the same transaction, so a crash leaves either the old version
// or the new one, never half). A store written by a newer node is refused rather than misread.
import type Database from 'better-sqlite3';

export type Migration = (db: Database.Database) => void;

export const MIGRATIONS: readonly Migration[] = [
  // 1: the first schema. `IF NOT EXISTS`, because stores written before the store was versioned (user_version 0)
  // already have these tables: for them this step only records the version.
  (db) =>
    db.exec(`
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS inputs (
  idx INTEGER PRIMARY KEY, status TEXT NOT NULL, msg_sender TEXT NOT NULL, timestamp INTEGER NOT NULL,
  block_number INTEGER NOT NULL, block_hash TEXT NOT NULL, payload TEXT NOT NULL, epoch INTEGER,
  exception_payload TEXT, processed_at INTEGER
);
CREATE INDEX IF NOT EXISTS inputs_status ON inputs(status);
CREATE TABLE IF NOT EXISTS vouchers (
  input_idx INTEGER NOT NULL, idx INTEGER NOT NULL, destination TEXT NOT NULL, payload TEXT NOT NULL, proof TEXT,
  PRIMARY KEY (input_idx, idx)
);
CREATE TABLE IF NOT EXISTS notices (
  input_idx INTEGER NOT NULL, idx INTEGER NOT NULL, payload TEXT NOT NULL, proof TEXT, PRIMARY KEY (input_idx, idx)
);
CREATE TABLE IF NOT EXISTS reports (
  input_idx INTEGER NOT NULL, idx INTEGER NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (input_idx, idx)
);
CREATE TABLE IF NOT EXISTS epochs (
  idx INTEGER PRIMARY KEY, first_input INTEGER NOT NULL, last_input INTEGER NOT NULL, vouchers_root TEXT NOT NULL,
  notices_root TEXT NOT NULL, machine_state_hash TEXT NOT NULL, epoch_hash TEXT NOT NULL, claim_tx TEXT, claimed INTEGER NOT NULL DEFAULT 0
);
`),
  // 2: machine mode: each input's machine root hash after it (the claim's machineStateHash is the last one of its
  // epoch) and the cycles it took; NULL for inputs processed in host mode
  (db) =>
    db.exec('ALTER TABLE inputs ADD COLUMN machine_hash TEXT; ALTER TABLE inputs ADD COLUMN cycles INTEGER;'),
];

/** The store was written by a newer version of the node, whose schema this one does not know. */
export class StoreVersionError extends Error {
  readonly code = 'store-too-new';
  constructor(
    readonly path: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `the node store ${path} has schema version ${found}, newer than this node's ${known}: run the newer version, ` +
        'or start over with --fresh (the node rebuilds its state from the chain)',
    );
    this.name = 'StoreVersionError';
  }
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the store to the last version of `migrations`; returns the version it was at. */
export function migrate(
  db: Database.Database,
  path: string,
  migrations: readonly Migration[] = MIGRATIONS,
): number {
  const found = schemaVersion(db);
  if (found > migrations.length) throw new StoreVersionError(path, found, migrations.length);
  for (let version = found; version < migrations.length; version++) {
    db.transaction(() => {
      migrations[version]!(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return found;
}
