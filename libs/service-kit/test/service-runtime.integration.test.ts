import 'reflect-metadata';
import { Inject, Injectable } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { defineService } from '../src/define-service';
import { DATABASE } from '../src/tokens';

const SCHEMA = 'chassis_test';

/** A promise and the function that resolves it (Node 20 has no Promise.withResolvers). */
function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** A sweep that, once started, waits for the test to let it finish, then still needs the database. */
@Injectable()
class HeldSweep {
  static started = signal();
  static release = signal();
  static counted: number | undefined;

  constructor(@Inject(DATABASE) private readonly db: Kysely<any>) {}

  async sweep(): Promise<void> {
    HeldSweep.started.resolve();
    await HeldSweep.release.promise;
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${SCHEMA}.things`)}`.execute(
      this.db,
    );
    HeldSweep.counted = rows[0].n;
  }
}

const ConversionModule = defineService({
  name: 'conversion',
  schema: SCHEMA,
  migrations: {
    '001-things': {
      async up(db) {
        await db.schema
          .createTable('things')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .execute();
      },
    },
  },
  schedules: [{ task: HeldSweep, intervalMs: () => 60_000 }],
});

describe('a service on the chassis, on PostgreSQL and NATS', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('lm_chassis');
    process.env.CONVERSION_DATABASE_URL = database.url;
  });
  afterAll(async () => {
    delete process.env.CONVERSION_DATABASE_URL;
    await database?.drop();
  });

  it('migrates its views with a ledger, and at shutdown waits for the running sweep before closing the pool', async () => {
    const app = await NestFactory.createApplicationContext(ConversionModule, { logger: false });
    await app.init();
    const db = app.get<Kysely<any>>(DATABASE);
    const ledger = await sql<{ name: string }>`select name from ${sql.table(`${SCHEMA}.kysely_migration`)}`.execute(db);
    expect(ledger.rows.map((row) => row.name)).toEqual(['001-things']);

    await HeldSweep.started.promise;
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(closed).toBe(false); // the sweep in progress holds the shutdown

    HeldSweep.release.resolve();
    await closing;
    expect(HeldSweep.counted).toBe(0); // the sweep's last query ran: the pool was still open
    await expect(sql`select 1`.execute(db)).rejects.toThrow(); // and then it was destroyed
  });
});
