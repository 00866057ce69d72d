import { apiModels } from '@lm/api-model';
import { describe, expect, it } from 'vitest';
import { modeledErrorName } from '../../src/protocol/aws-error-response';

const licenseManager = apiModels['license-manager'];

describe('modeledErrorName', () => {
  it("keeps a service's error where the operation models it", () => {
    expect(modeledErrorName(licenseManager, 'CreateLicense', 'InvalidParameterValueException')).toBe(
      'InvalidParameterValueException',
    );
    expect(modeledErrorName(licenseManager, 'CreateLicenseVersion', 'ResourceNotFoundException')).toBe(
      'ResourceNotFoundException',
    );
  });

  it('answers a bad parameter as the validation error of an operation without InvalidParameterValueException (CreateLicenseVersion and its SignKey)', () => {
    expect(licenseManager.operations.CreateLicenseVersion.errors).not.toContain('InvalidParameterValueException');
    expect(modeledErrorName(licenseManager, 'CreateLicenseVersion', 'InvalidParameterValueException')).toBe(
      'ValidationException',
    );
  });

  it('answers a missing resource as the bad-parameter error the operation models', () => {
    expect(modeledErrorName(licenseManager, 'GetLicense', 'ResourceNotFoundException')).toBe(
      'InvalidParameterValueException',
    );
  });
});
