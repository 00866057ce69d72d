import { AwsError } from '@lm/service-kit';

/**
 * Some operations of the API model have no ResourceNotFoundException (GetLicenseUsage and the tag
 * operations): there, as in the licensing service, a resource the caller cannot see is an
 * InvalidParameterValueException, so that clients only ever meet the errors the model lists.
 */
export async function notFoundAsInvalidParameter<T>(answer: () => Promise<T>): Promise<T> {
  try {
    return await answer();
  } catch (error) {
    if (error instanceof AwsError && error.code === 'ResourceNotFoundException') {
      throw new AwsError('InvalidParameterValueException', error.message, error.fields);
    }
    throw error;
  }
}
