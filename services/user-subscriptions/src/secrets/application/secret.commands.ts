import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { SecretsManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, EVENT_STORE, type Clock } from '@lm/service-kit';
import type { SecretCommand, SecretTarget } from '../domain/commands';
import { secretDecider, secretStream } from '../domain/decide';
import { invalidParameter, secretNotFound } from '../domain/errors';
import { checkOneValue } from '../domain/rules';
import { AWSCURRENT, type Secret, type SecretState } from '../domain/secret';
import { newSecretArn } from '../domain/secret-arn';
import { SecretSealing, type SecretValueInput } from './secret-sealing';
import { SecretQueries, type SecretOwner } from './secret.queries';

/** The value a request carries, if any (checkOneValue has refused both). */
const valueOf = (input: { SecretString?: string; SecretBinary?: string }): SecretValueInput | undefined =>
  input.SecretString !== undefined
    ? { SecretString: input.SecretString }
    : input.SecretBinary !== undefined
      ? { SecretBinary: input.SecretBinary }
      : undefined;

/** The secret after a command: present, since every command but the deletions keeps it. */
function presentSecret(state: SecretState): Secret {
  if (state.status !== 'present') throw new Error('the secret is gone after a command that keeps it');
  return state.secret;
}

/** The Secrets Manager operations that change secrets, always on the caller's own account's secrets in its Region. */
@Injectable()
export class SecretCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly sealing: SecretSealing,
    private readonly queries: SecretQueries,
  ) {}

  /** CreateSecret: its first version (AWSCURRENT) when a value is given; a retry of the same version and value answers as the first call. */
  async create(
    caller: Caller,
    input: SecretsManager.CreateSecretRequest,
  ): Promise<SecretsManager.CreateSecretResponse> {
    if (input.AddReplicaRegions !== undefined || input.ForceOverwriteReplicaSecret !== undefined)
      throw invalidParameter('Replication to other Regions is not supported: secrets live in this deployment only.');
    if (input.KmsKeyId !== undefined)
      throw invalidParameter("KmsKeyId is not supported: values are sealed with the deployment's master key.");
    if (input.Type !== undefined) throw invalidParameter('Type is not supported: secrets here are generic secrets.');
    checkOneValue(input, false);
    const owner = ownerOf(caller);
    const value = valueOf(input);
    const versionId = input.ClientRequestToken ?? randomUUID();
    const { state } = await this.decide(owner, input.Name, {
      type: 'CreateSecret',
      secret: {
        arn: newSecretArn(owner.region, owner.accountId, input.Name),
        name: input.Name,
        accountId: owner.accountId,
        region: owner.region,
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        tags: input.Tags?.map((tag) => ({ Key: tag.Key ?? '', Value: tag.Value ?? '' })) ?? [],
        createdAt: this.clock.now().toISOString(),
      },
      ...(value ? { value: this.sealing.seal(versionId, value) } : {}),
    });
    const secret = presentSecret(state);
    return { ARN: secret.arn, Name: secret.name, ...(value ? { VersionId: versionId } : {}) };
  }

  /** PutSecretValue: a new version that takes AWSCURRENT (or the labels given); the former current one becomes AWSPREVIOUS. */
  async putValue(
    caller: Caller,
    input: SecretsManager.PutSecretValueRequest,
  ): Promise<SecretsManager.PutSecretValueResponse> {
    if (input.RotationToken !== undefined) throw invalidParameter('Rotation is not supported.');
    checkOneValue(input, true);
    const versionId = input.ClientRequestToken ?? randomUUID();
    const { state } = await this.on(caller, input.SecretId, (target) => ({
      type: 'PutSecretValue',
      target,
      value: this.sealing.seal(versionId, valueOf(input)!),
      stages: input.VersionStages ?? [AWSCURRENT],
      now: this.clock.now(),
    }));
    const secret = presentSecret(state);
    const version = secret.versions.find((candidate) => candidate.versionId === versionId);
    return { ARN: secret.arn, Name: secret.name, VersionId: versionId, VersionStages: version?.stages ?? [] };
  }

  async tag(caller: Caller, input: SecretsManager.TagResourceRequest): Promise<Record<string, never>> {
    const tags = input.Tags.map((tag) => ({ Key: tag.Key ?? '', Value: tag.Value ?? '' }));
    if (tags.some((tag) => tag.Key === '')) throw invalidParameter('Every tag needs a Key.');
    await this.on(caller, input.SecretId, (target) => ({ type: 'TagSecret', target, tags, now: this.clock.now() }));
    return {};
  }

  async untag(caller: Caller, input: SecretsManager.UntagResourceRequest): Promise<Record<string, never>> {
    await this.on(caller, input.SecretId, (target) => ({
      type: 'UntagSecret',
      target,
      tagKeys: input.TagKeys,
      now: this.clock.now(),
    }));
    return {};
  }

  /** DeleteSecret: scheduled after the recovery window (7 to 30 days, 30 by default), or at once without recovery. */
  async delete(
    caller: Caller,
    input: SecretsManager.DeleteSecretRequest,
  ): Promise<SecretsManager.DeleteSecretResponse> {
    const now = this.clock.now();
    const { secret, newEvents } = await this.on(caller, input.SecretId, (target) => ({
      type: 'DeleteSecret',
      target,
      // Validated 7 to 30 days: never a bigint.
      recoveryWindowInDays: input.RecoveryWindowInDays === undefined ? undefined : Number(input.RecoveryWindowInDays),
      forceDeleteWithoutRecovery: input.ForceDeleteWithoutRecovery,
      now,
    }));
    const [event] = newEvents;
    const deletionDate = event?.type === 'SecretDeletionScheduled' ? event.data.deletionDate : now.toISOString();
    return { ARN: secret.arn, Name: secret.name, DeletionDate: Date.parse(deletionDate) / 1000 };
  }

  /** A command on the secret a SecretId names, as the caller's account sees it. */
  private async on(caller: Caller, secretId: string, command: (target: SecretTarget) => SecretCommand) {
    const owner = ownerOf(caller);
    const secret = await this.queries.find(owner, secretId);
    if (!secret) throw secretNotFound();
    return { secret, ...(await this.decide(owner, secret.name, command({ arn: secret.arn }))) };
  }

  private decide(owner: SecretOwner, name: string, command: SecretCommand) {
    return handleCommand(this.store, secretStream(owner.accountId, owner.region, name), secretDecider, command);
  }
}

const ownerOf = (caller: Caller): SecretOwner => ({ accountId: caller.accountId, region: caller.region });
