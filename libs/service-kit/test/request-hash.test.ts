import { describe, expect, it } from 'vitest';
import { requestHash } from '../src/request-hash';

// The hashes below were computed by the grants copy of requestHash before it moved into the
// chassis. ClientToken rows already stored by grants and reporting hold such hashes, so a retry
// sent after an upgrade must still hash to the same value or it would be refused as a conflict.
describe('requestHash', () => {
  it('gives the hash stored before the move for a CreateGrant request', () => {
    const createGrant = {
      ClientToken: 'abc',
      GrantName: 'g',
      LicenseArn: 'arn:aws:license-manager::111122223333:license:l-1',
      Principals: ['arn:aws:iam::444455556666:root'],
      HomeRegion: 'us-east-1',
      AllowedOperations: ['CheckoutLicense', 'ListPurchasedLicenses'],
    };
    expect(requestHash(createGrant)).toBe('874f213a56c901e0998a70143a5d0f2b9a40e418ae2fb08881afc5289d59364a');
  });

  it('ignores key order, undefined members and the ClientToken itself', () => {
    const expected = '75dd0c9062196c52a44a3fa1aee513aa20a77f867475ad296db3daf0632fcf10';
    expect(
      requestHash({
        ClientToken: 't-1',
        Name: 'n',
        Tags: [
          { Key: 'b', Value: '2' },
          { Key: 'a', Value: '1' },
        ],
        Opt: undefined,
        Nested: { z: 1, a: [{ y: 2, x: 1 }] },
      } as { ClientToken: string }),
    ).toBe(expected);
    expect(
      requestHash({
        Nested: { a: [{ x: 1, y: 2 }], z: 1 },
        ClientToken: 'other',
        Tags: [
          { Value: '2', Key: 'b' },
          { Value: '1', Key: 'a' },
        ],
        Name: 'n',
      } as { ClientToken: string }),
    ).toBe(expected);
  });

  it('keeps array order, since a reordered list is a different request', () => {
    expect(requestHash({ ClientToken: 'x', Principals: ['a', 'b'] } as { ClientToken: string })).not.toBe(
      requestHash({ ClientToken: 'x', Principals: ['b', 'a'] } as { ClientToken: string }),
    );
  });

  it('hashes a request with nothing but its ClientToken to the empty object', () => {
    expect(requestHash({ ClientToken: 't' })).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});
