import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, schemaVersion, StoreVersionError, type Migration } from './schema.js';
import { Store } from './store.js';

const dirs: string[] = [];
const dbPath = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tt-node-store-'));
  dirs.push(dir);
  return join(dir, 'node.sqlite');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const input = (index: number) => ({
  index,
  msgSender: '0x' + '11'.repeat(20),
  timestamp: 1_700_000_000 + index,
  blockNumber: 10 + index,
  blockHash: '0x' + 'ab'.repeat(32),
  payload: '0x1234',
});

describe('the versioned node store', () => {
  it('creates a new store at the latest schema version', () => {
    const path = dbPath();
    new Store(path).close();
    const db = new Database(path);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('adopts a store written before versioning (user_version 0) with its data intact', () => {
    const path = dbPath();
    // What an unversioned node left: the version-1 tables, some state, and user_version still 0.
    const old = new Database(path);
    MIGRATIONS[0]!(old);
    old
      .prepare(
        `INSERT INTO inputs(idx, status, msg_sender, timestamp, block_number, block_hash, payload)
         VALUES (0, 'ACCEPTED', '0x${'11'.repeat(20)}', 1, 10, '0x${'ab'.repeat(32)}', '0x')`,
      )
      .run();
    old.prepare("INSERT INTO meta(key, value) VALUES ('scannedBlock', '42')").run();
    expect(schemaVersion(old)).toBe(0);
    old.close();

    const store = new Store(path);
    expect(store.input(0)?.status).toBe('ACCEPTED');
    expect(store.scannedBlock()).toBe(42);
    store.addInputs([input(1)], 43);
    expect(store.nextUnprocessed()?.index).toBe(1);
    store.close();
    const db = new Database(path);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('refuses a store written by a newer node, saying what to do, and leaves it untouched', () => {
    const path = dbPath();
    new Store(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => new Store(path)).toThrow(StoreVersionError);
    expect(() => new Store(path)).toThrow(/newer than this node's .*--fresh/);
    const after = new Database(path);
    expect(schemaVersion(after)).toBe(MIGRATIONS.length + 1);
    after.close();
  });

  it('runs each later migration once, in order, and rolls a failing one back whole', () => {
    const path = dbPath();
    new Store(path).close();
    const db = new Database(path);
    const ran: number[] = [];
    const addColumn: Migration = (d) => {
      ran.push(2);
      d.exec('ALTER TABLE inputs ADD COLUMN note TEXT');
    };
    const failing: Migration = (d) => {
      ran.push(3);
      d.exec('CREATE TABLE half_done (x INTEGER)');
      throw new Error('migration 3 failed');
    };
    expect(() => migrate(db, path, [...MIGRATIONS, addColumn, failing])).toThrow(/migration 3 failed/);
    // version 2 committed, version 3 rolled back with its table
    expect(schemaVersion(db)).toBe(MIGRATIONS.length + 1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    expect(migrate(db, path, [...MIGRATIONS, addColumn])).toBe(MIGRATIONS.length + 1); // nothing left to run
    expect(ran).toEqual([2, 3]);
    db.close();
  });
});
