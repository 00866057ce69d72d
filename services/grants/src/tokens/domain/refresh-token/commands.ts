import type { TokenCreatedData } from './events';

export type RefreshTokenCommand =
  | {
      type: 'CreateToken';
      /** The token to record, its hash taken from the JWT the handler signed. */
      token: TokenCreatedData;
      /** The most live tokens the account may hold for one licence. */
      limitPerLicense: number;
      now: Date;
    }
  | { type: 'DeleteToken'; tokenId: string; accountId: string; now: Date };
