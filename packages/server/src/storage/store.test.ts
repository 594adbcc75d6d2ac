import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { SqlStore } from './store';
import type { RoomRecord, UserRecord } from '../domain/ports';

/**
 * The storage contract: every implementation of the Store port must pass these. PGlite always runs;
 * Postgres runs when DATABASE_URL is set (CI sets it), each run in a fresh schema-less database.
 */
const targets: { name: string; open: () => Promise<{ store: SqlStore; drop: () => Promise<void> }> }[] = [
  {
    name: 'pglite',
    open: async () => ({ store: await SqlStore.open({ dataDir: 'memory://' }), drop: async () => {} }),
  },
];
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  targets.push({
    name: 'postgres',
    open: async () => {
      // A database of its own per run, so parallel runs and earlier runs never interfere.
      const name = `parley_contract_${randomUUID().replaceAll('-', '')}`;
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(databaseUrl);
      url.pathname = `/${name}`;
      const store = await SqlStore.open({ databaseUrl: url.toString(), dataDir: 'unused' });
      return {
        store,
        drop: async () => {
          const again = new pg.Client({ connectionString: databaseUrl });
          await again.connect();
          await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await again.end();
        },
      };
    },
  });
}

const at = (iso: string) => new Date(iso);

describe.each(targets)('storage contract: $name', ({ open }) => {
  let store: SqlStore;
  let drop: () => Promise<void>;
  const host: UserRecord = { id: 'user-host-0001', displayName: 'Ada', kind: 'guest', createdAt: at('2026-01-01T10:00:00Z') };

  beforeAll(async () => {
    ({ store, drop } = await open());
    await store.users.create(host);
  });
  afterAll(async () => {
    await store.close();
    await drop();
  });

  it('users.get() returns what users.create() stored, and null for an unknown id', async () => {
    expect(await store.users.get(host.id)).toEqual(host);
    expect(await store.users.get('user-unknown-01')).toBeNull();
  });

  it('users.create() refuses a duplicate id', async () => {
    await expect(store.users.create(host)).rejects.toThrow();
  });

  it('sessions.findUser() finds the user of a live session only', async () => {
    await store.sessions.create({ tokenHash: 'hash-live', userId: host.id, createdAt: at('2026-01-01T10:00:00Z'), expiresAt: at('2026-02-01T10:00:00Z') });
    await store.sessions.create({ tokenHash: 'hash-old', userId: host.id, createdAt: at('2025-01-01T10:00:00Z'), expiresAt: at('2025-02-01T10:00:00Z') });
    const now = at('2026-01-15T00:00:00Z');
    expect((await store.sessions.findUser('hash-live', now))?.id).toBe(host.id);
    expect(await store.sessions.findUser('hash-old', now)).toBeNull();
    expect(await store.sessions.findUser('hash-none', now)).toBeNull();
  });

  it('sessions.delete() and deleteExpired() remove sessions', async () => {
    const now = at('2026-01-15T00:00:00Z');
    expect(await store.sessions.deleteExpired(now)).toBe(1);
    await store.sessions.delete('hash-live');
    expect(await store.sessions.findUser('hash-live', now)).toBeNull();
  });

  it('rooms.create(), get() and listByStatus() round-trip with the host name, newest first', async () => {
    const first: RoomRecord = { id: 'room-aaaa-0001', title: 'Morning', type: 'open', status: 'live', hostId: host.id, createdAt: at('2026-01-01T08:00:00Z'), endedAt: null };
    const second: RoomRecord = { ...first, id: 'room-aaaa-0002', title: 'Evening', createdAt: at('2026-01-01T20:00:00Z') };
    await store.rooms.create(first);
    await store.rooms.create(second);
    expect(await store.rooms.get(first.id)).toEqual({ ...first, hostName: 'Ada' });
    expect(await store.rooms.get('room-none-0001')).toBeNull();
    const live = await store.rooms.listByStatus('live', 10);
    expect(live.map((r) => r.id)).toEqual([second.id, first.id]);
    expect(await store.rooms.listByStatus('live', 1)).toHaveLength(1);
  });

  it('rooms.end() ends a live room once', async () => {
    const endedAt = at('2026-01-01T21:00:00Z');
    expect(await store.rooms.end('room-aaaa-0001', endedAt)).toBe(true);
    expect(await store.rooms.end('room-aaaa-0001', endedAt)).toBe(false);
    expect(await store.rooms.get('room-aaaa-0001')).toMatchObject({ status: 'ended', endedAt });
    expect((await store.rooms.listByStatus('live', 10)).map((r) => r.id)).toEqual(['room-aaaa-0002']);
  });
});
