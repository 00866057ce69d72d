import { Module } from '@nestjs/common';
import { base64Key, InvalidSettingError, requiredInProduction, setting, type ConfigOf } from '../config/settings';
import { CONFIG } from '../tokens';
import { MasterKey } from './master-key';

/**
 * The development master key: public, so that `npm start` works out of the box, and therefore
 * refused in production, where LM_MASTER_KEY (32 bytes, base64) must be set.
 */
export const DEVELOPMENT_MASTER_KEY = 'bGljZW5zZS1tYW5hZ2VyLWRldmVsb3BtZW50LWtleSE=';

const configuredKey = base64Key('LM_MASTER_KEY', 32);

/** LM_MASTER_KEY; the public development key when unset, except in production (NODE_ENV), which refuses both. */
export const masterKeySettings = {
  masterKey: requiredInProduction(
    setting('LM_MASTER_KEY', (raw, env) => {
      if (env.NODE_ENV === 'production' && raw === DEVELOPMENT_MASTER_KEY)
        throw new InvalidSettingError('LM_MASTER_KEY is the public development key; production needs its own');
      return new MasterKey(configuredKey.read(env) ?? Buffer.from(DEVELOPMENT_MASTER_KEY, 'base64'));
    }),
    '32 random bytes, base64; the development key is public',
  ),
};

/**
 * The master key, for the slices that seal secrets with it (grants' signing keys and tokens,
 * user-subscriptions' secrets): a service that imports it puts `masterKeySettings` in its config.
 */
@Module({
  providers: [
    {
      provide: MasterKey,
      useFactory: (config: ConfigOf<typeof masterKeySettings>) => config.masterKey,
      inject: [CONFIG],
    },
  ],
  exports: [MasterKey],
})
export class MasterKeyModule {}
