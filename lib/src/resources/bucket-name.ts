import { S3KitError } from "../errors";

const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/**
 * Why `name` cannot be a general purpose bucket's name (AWS's naming rules), or undefined when it
 * can. Checked before CreateBucket is sent, so a bad name fails at once with the rule it breaks
 * rather than with the server's terse InvalidBucketName.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `it has ${name.length} characters; use 3 to 63`;
  const bad = name.match(/[^a-z0-9.-]/);
  if (bad) return `it contains "${bad[0]}"; use only lowercase letters, digits, dots and hyphens`;
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return "it must start and end with a lowercase letter or a digit";
  if (name.includes("..")) return "it has two dots in a row";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "it looks like an IP address";
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `names starting with "${prefix}" are reserved`;
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `names ending with "${suffix}" are reserved`;
  return undefined;
}

/** Throws an InvalidName S3KitError naming the rule `name` breaks. */
export function validateBucketName(name: string): void {
  const problem = bucketNameProblem(name);
  if (problem) throw new S3KitError(`"${name}" is not a valid bucket name: ${problem}.`, "InvalidName");
}
