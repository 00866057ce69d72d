import { Inject, Injectable } from '@nestjs/common';
import { REGION } from '@lm/service-kit';
import { versionOf } from '../domain/secret';
import { SecretSealing } from './secret-sealing';
import { SecretQueries } from './secret.queries';

/** Why a secret gave no value: its message names the secret and the cause, never a value. */
export class SecretUnavailableError extends Error {}

/**
 * The current text value of an account's secret, for the service's own slices (an identity
 * provider's directory credentials), read in process: the account's secret by name or ARN, in this
 * deployment's Region, as GetSecretValue would give it to its owner.
 */
@Injectable()
export class SecretValues {
  constructor(
    @Inject(REGION) private readonly region: string,
    private readonly queries: SecretQueries,
    private readonly sealing: SecretSealing,
  ) {}

  async read(accountId: string, secretIdOrArn: string): Promise<string> {
    const secret = await this.queries.find({ accountId, region: this.region }, secretIdOrArn);
    if (!secret) throw new SecretUnavailableError(`Secret ${secretIdOrArn} does not exist in account ${accountId}.`);
    if (secret.deletionDate !== undefined)
      throw new SecretUnavailableError(`Secret ${secretIdOrArn} is scheduled for deletion.`);
    const version = versionOf(secret);
    if (!version) throw new SecretUnavailableError(`Secret ${secretIdOrArn} has no AWSCURRENT value.`);
    const value = this.sealing.open(version);
    if (!('SecretString' in value)) throw new SecretUnavailableError(`Secret ${secretIdOrArn} holds a binary value.`);
    return value.SecretString;
  }
}
