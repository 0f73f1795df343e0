/**
 * How s3kit names boto3's S3 resource model, and every place it differs, with the reason: the
 * data behind both test/boto3-parity.test.ts and the README's parity table.
 *
 * The rule: boto3's snake_case becomes camelCase (`content_length` → `contentLength`,
 * `wait_until_exists` → `waitUntilExists`); a sub-resource factory starts lowercase
 * (`s3.Bucket(...)` → `s3.bucket(...)`, `obj.Acl()` → `obj.acl()`). Anything else is listed here.
 */

/** One boto3 name as s3kit has it differently: another name, or none (`s3kit` undefined). */
export interface Difference {
  /** `Resource.name` as boto3 spells it, e.g. `Object.upload_fileobj`; `client.x` for the client. */
  boto3: string;
  /** The s3kit name on the same resource (or the kit's export, for `client.x`). */
  s3kit?: string;
  reason: string;
}

export const DIFFERENCES: Difference[] = [
  { boto3: "ServiceResource.BucketLifecycle", reason: "the SDK v3 has no GetBucketLifecycle/PutBucketLifecycle (deprecated by AWS); use `bucketLifecycleConfiguration`" },
  { boto3: "BucketLifecycle.*", reason: "the resource of the deprecated lifecycle operations the SDK v3 dropped; `bucket.lifecycle()` returns the LifecycleConfiguration instead" },
  { boto3: "Bucket.upload_fileobj", s3kit: "uploadData", reason: "takes a Buffer, a string or a Readable: JavaScript has no file objects" },
  { boto3: "Object.upload_fileobj", s3kit: "uploadData", reason: "takes a Buffer, a string or a Readable: JavaScript has no file objects" },
  { boto3: "client.upload_fileobj", s3kit: "uploadData", reason: "takes a Buffer, a string or a Readable: JavaScript has no file objects" },
  { boto3: "client.upload_file", s3kit: "uploadFile", reason: "a function taking the client first: the SDK's client class is not s3kit's to extend" },
  { boto3: "client.download_file", s3kit: "downloadFile", reason: "a function taking the client first" },
  { boto3: "client.download_fileobj", s3kit: "downloadFileobj", reason: "a function taking the client first" },
  { boto3: "client.copy", s3kit: "copyObject", reason: "a function taking the client first; `copy` alone says too little as a top-level name" },
  { boto3: "client.generate_presigned_url", s3kit: "presignedUrl", reason: "a function taking the client first; GET, PUT, HEAD or DELETE" },
  { boto3: "client.generate_presigned_post", s3kit: "presignedPost", reason: "a function taking the client first" },
];

/** snake_case → camelCase, as the rule says. */
export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** A sub-resource factory's name: `BucketAcl` → `bucketAcl`. */
export function factory(name: string): string {
  return name[0].toLowerCase() + name.slice(1);
}

/** The README table: every difference, then how many names follow the rule. */
export function parityTable(counted: { total: number; byRule: number }): string {
  const rows = DIFFERENCES.map(({ boto3, s3kit, reason }) => `| \`${boto3}\` | ${s3kit ? `\`${s3kit}\`` : "—"} | ${reason} |`);
  return [
    `${counted.byRule} of boto3's ${counted.total} S3 resource names (identifiers, attributes, actions, sub-resources, collections, batch actions, waiters, injected methods, \`load\`, \`get_available_subresources\`) have their s3kit form by the naming rule; the others:`,
    "",
    "| boto3 | s3kit | why |",
    "|---|---|---|",
    ...rows,
  ].join("\n");
}
