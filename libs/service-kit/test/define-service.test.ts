import 'reflect-metadata';
import { Controller, Injectable, Module } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { operationSubject } from '@lm/messaging';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { defineService } from '../src/define-service';
import { declaredByImports } from '../src/module-metadata';
import { DATABASE } from '../src/tokens';

@Controller()
class LicensesController {
  @MessagePattern(operationSubject('grants', 'CreateLicense'))
  create() {}
}

@Controller()
class KeysController {
  @MessagePattern(operationSubject('grants', 'CreateKey'))
  create() {}
}

@Injectable()
class KeySweep {
  async sweep() {}
}

@Injectable()
class LicenseSweep {
  async sweep() {}
}

@Module({ controllers: [KeysController], providers: [KeySweep] })
class KeysModule {}

@Module({ imports: [KeysModule], controllers: [LicensesController] })
class LicensesModule {}

describe('a service made of feature modules', () => {
  it("finds the imported modules' controllers and providers, nested ones too", () => {
    expect(declaredByImports([LicensesModule])).toEqual({
      controllers: [LicensesController, KeysController],
      providers: [KeySweep],
    });
  });

  it("is a global module whose health counts the slices' operations and that provides undeclared workers once", async () => {
    const module = defineService({
      name: 'grants',
      schema: 'grants',
      migrations: {},
      imports: [LicensesModule],
      schedules: [
        { task: KeySweep, intervalMs: () => 1_000 },
        { task: LicenseSweep, intervalMs: () => 1_000 },
        { task: LicenseSweep, intervalMs: () => 5_000 },
      ],
    });
    expect(module.global).toBe(true);
    expect(module.exports).toContain(DATABASE);
    expect(module.providers?.filter((p) => p === LicenseSweep)).toHaveLength(1);
    expect(module.providers).not.toContain(KeySweep);
    const health = module.controllers!.at(-1) as new (db: Kysely<unknown>) => { health(): Promise<unknown> };
    expect(await new health(databaseThatAnswers()).health()).toEqual({
      service: 'grants',
      status: 'ok',
      operations: ['CreateKey', 'CreateLicense'],
    });
  });
});

/** A Kysely whose queries all answer with no rows, without a server. */
function databaseThatAnswers(): Kysely<unknown> {
  return new Kysely({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}
