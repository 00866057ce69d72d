import { ListLicenseConfigurationsCommand } from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountingAgent, licenseManager } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

/**
 * A gateway stopped while clients keep their connections alive (as every SDK does) answers the
 * requests in flight and exits, without waiting for those clients to close their connections or
 * for them to idle out (LM_KEEP_ALIVE_TIMEOUT_MS, a minute).
 */
describe('the gateway stopping under kept-alive connections', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('answers the requests in flight and exits within seconds, the connections still open on the client side', async () => {
    const agent = new CountingAgent();
    const sdk = licenseManager(system, accounts.management, agent);
    // The connections exist and are idle, kept alive, before the stop...
    await Promise.all(Array.from({ length: 8 }, () => sdk.send(new ListLicenseConfigurationsCommand({}))));
    // ...and more requests are in flight when it comes.
    const calls = Array.from({ length: 20 }, () =>
      sdk.send(new ListLicenseConfigurationsCommand({})).then(
        (answer) => answer.$metadata.httpStatusCode,
        (error: Error) => error.name,
      ),
    );
    await Promise.race(calls);
    const signalled = performance.now();
    await system.kill('gateway', 'SIGTERM');
    const stoppedInMs = performance.now() - signalled;
    const answers = await Promise.all(calls);
    expect(answers.filter((answer) => answer === 200).length).toBeGreaterThan(0);
    expect(stoppedInMs).toBeLessThan(10_000);
    // The client never closed its side: the gateway did.
    agent.destroy();
  }, 60_000);
});
