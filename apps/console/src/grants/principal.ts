/**
 * The guide's grant recipient: an AWS account ID, or an AWS Organizations organization or OU ARN. The
 * API takes ARNs only: an account ID becomes the account's root ARN; anything else goes as typed, for
 * the API to check.
 */
export function principalOf(recipient: string): string {
  const text = recipient.trim();
  return /^\d{12}$/.test(text) ? `arn:aws:iam::${text}:root` : text;
}

/** A grantee principal ARN in words: "Account 222222222222", "Organization o-…", "OU ou-…". */
export function describePrincipal(arn: string): string {
  const account = /^arn:aws:iam::(\d{12}):root$/.exec(arn);
  if (account) return `Account ${account[1]}`;
  const organization = /^arn:aws:organizations::\d{12}:organization\/(o-[a-z0-9]+)$/.exec(arn);
  if (organization) return `Organization ${organization[1]}`;
  const unit = /^arn:aws:organizations::\d{12}:ou\/o-[a-z0-9]+\/(ou-[a-z0-9-]+)$/.exec(arn);
  if (unit) return `OU ${unit[1]}`;
  return arn;
}
