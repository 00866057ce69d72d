import { Module } from '@nestjs/common';
import { MasterKeyModule } from '@lm/service-kit';
import { KeyStoreSigningKeys } from './application/key-store-signing-keys';
import { ManagedSigningKey } from './application/managed-signing-key';
import { SigningKeyMaterial } from './application/signing-key-material';
import { SigningKeyCommands } from './application/signing-key.commands';
import { SigningKeyQueries } from './application/signing-key.queries';
import { SigningKeys } from './application/signing-keys';
import { KmsController } from './infra/kms.controller';

/**
 * The KMS subset: signing keys (the accounts' own and the managed one), their private halves sealed
 * with the master key; licences sign through SigningKeys.
 */
@Module({
  imports: [MasterKeyModule],
  controllers: [KmsController],
  providers: [
    SigningKeyMaterial,
    SigningKeyQueries,
    SigningKeyCommands,
    ManagedSigningKey,
    KeyStoreSigningKeys,
    { provide: SigningKeys, useExisting: KeyStoreSigningKeys },
  ],
  exports: [SigningKeys],
})
export class SigningKeysModule {}
