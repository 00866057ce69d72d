/**
 * The port through which identity providers read the value of their directory's credentials
 * secret: the secrets slice's SecretValues (an account's secret by name or ARN, in this Region).
 * `read` rejects when the secret cannot give a value (missing, scheduled for deletion, binary),
 * with a message that names the secret and never a value.
 */
export interface SecretValueReader {
  read(accountId: string, secretIdOrArn: string): Promise<string>;
}

export const SECRET_VALUE_READER = Symbol('SecretValueReader');
