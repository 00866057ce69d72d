import type { Caller } from '@lm/contracts';
import { describe, expect, it } from 'vitest';
import { mayCall } from '../../src/identity/restricted-caller';

const caller: Caller = {
  accountId: '111111111111',
  principalArn: 'arn:aws:iam::111111111111:root',
  accessKeyId: 'AKID',
  region: 'us-east-1',
};
const restricted: Caller = { ...caller, restrictedToLicenseArn: 'arn:aws:license-manager::999999999999:license:l-1' };

describe('mayCall', () => {
  it('lets a caller with long-term credentials call anything', () => {
    expect(mayCall(caller, 'license-manager', 'DeleteLicense')).toBe(true);
    expect(mayCall(caller, 'kms', 'CreateKey')).toBe(true);
  });

  it.each([
    'CheckoutLicense',
    'CheckoutBorrowLicense',
    'CheckInLicense',
    'ExtendLicenseConsumption',
    'GetLicense',
    'GetLicenseUsage',
  ])('lets temporary credentials limited to a licence call license-manager %s', (operation) =>
    expect(mayCall(restricted, 'license-manager', operation)).toBe(true),
  );

  it.each([
    ['license-manager', 'ListLicenses'],
    ['license-manager', 'CreateToken'],
    ['license-manager', 'GetAccessToken'],
    ['license-manager', 'CreateLicenseConfiguration'],
    ['kms', 'GetPublicKey'],
    ['license-manager-extensions', 'AuthorizeLaunch'],
    ['license-manager-user-subscriptions', 'ListProductSubscriptions'],
  ] as const)('refuses them %s %s', (api, operation) => expect(mayCall(restricted, api, operation)).toBe(false));
});
