import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MasterKey } from '@lm/service-kit';

/** The MAC keys of the service's JWTs: one per kind, so that a refresh token never passes for an access token. */
@Injectable()
export class RefreshTokenKeys {
  readonly refreshToken: Buffer;
  readonly accessToken: Buffer;

  constructor(masterKey: MasterKey) {
    this.refreshToken = masterKey.derive('refresh-token');
    this.accessToken = masterKey.derive('access-token');
  }
}

/** How a refresh token is recorded: the hex SHA-256 of its text. */
export const tokenSha256 = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
