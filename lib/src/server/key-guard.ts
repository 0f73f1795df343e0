/**
 * Which S3 keys s3rver cannot store safely. S3 keys are opaque strings of up to 1,024 bytes, but
 * s3rver turns a key into a file path, one folder per `/`-separated segment, with its own suffix
 * (`._S3rver_metadata.json`, ...) on the last one. So `..` climbs out of the bucket's folder, `.`,
 * an empty segment or a leading `/` land on another key's file, and a long last segment does not
 * fit in a file name. The kit's s3rver process refuses such keys (a 400 the kit explains) instead.
 */
import type http from "node:http";
import { errorXml, escapeXml, reply } from "./multipart-extras";

/** The longest file name Linux file systems (ext4, xfs, tmpfs, btrfs) accept, in bytes. */
const NAME_MAX = 255;
/** s3rver marks its own files with this; its longest suffix is `._S3rver_metadata.json`. */
export const S3RVER_MARK = "._S3rver_";
const LONGEST_SUFFIX = `${S3RVER_MARK}metadata.json`;
/** The longest last segment s3rver can store: the file name minus s3rver's suffix. */
export const MAX_LAST_SEGMENT_BYTES = NAME_MAX - LONGEST_SUFFIX.length;

/** S3's error body for a refused key (the kit's explain() turns it into one sentence). */
export function unsupportedKeyMessage(key: string, reason: string): string {
  return `The key "${key}" ${reason}, so the kit's s3rver refuses it.`;
}

/** Why s3rver cannot store `key`, as the end of a sentence starting with the key; undefined if it can. */
export function unstorableKeyReason(key: string): string | undefined {
  if (key.startsWith("/")) return `starts with "/", which s3rver would store as the key without it`;
  const segments = key.split("/");
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (segment === "..") return `has a ".." segment, which s3rver would map outside its bucket folder`;
    if (segment === ".") return `has a "." segment, which s3rver would store as the key without it`;
    // An empty last segment is a "folder/" marker, which s3rver stores as a file inside the folder.
    if (segment === "" && !last) return `has an empty segment ("//"), which s3rver would store as the key with one "/"`;
    if (segment.includes("\0")) return "contains a NUL character, which no file name can hold";
    if (segment.includes(S3RVER_MARK)) return `contains "${S3RVER_MARK}", which s3rver reserves for its own files`;
    const bytes = Buffer.byteLength(segment);
    const limit = last ? MAX_LAST_SEGMENT_BYTES : NAME_MAX;
    if (bytes > limit) {
      return `has a ${last ? "last " : ""}segment of ${bytes} bytes, longer than the ${limit} bytes s3rver can store as a file name`;
    }
  }
  return undefined;
}

/** A bucket name s3rver would resolve to a folder other than its own. */
export function isUnsafeBucketName(bucket: string): boolean {
  return bucket === "" || bucket === "." || bucket === ".." || /[/\\\0]/.test(bucket);
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * Refuses a request whose URL path holds an unstorable key before s3rver sees it: s3rver's
 * router does not even route keys with an empty segment (`a//b`, `/lead`) and answers 404.
 * Keys that arrive elsewhere (copy source, DeleteObjects, POST forms) meet the same check in
 * SafeFilesystemStore.
 */
export function withKeyGuard(s3rver: Handler): Handler {
  return (req, res) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      // A malformed %-escape would throw in every handler that decodes the path: refuse it here, once.
      req.resume();
      return reply(res, 400, errorXml("InvalidURI", "Couldn't parse the specified URI."));
    }
    const slash = pathname.indexOf("/", 1);
    const key = slash === -1 ? "" : pathname.slice(slash + 1);
    const reason = key === "" ? undefined : unstorableKeyReason(key);
    if (!reason) return s3rver(req, res);
    // The body is not read: drop it rather than leave the client waiting to send it.
    req.resume();
    reply(res, 400, errorXml("UnsupportedKey", escapeXml(unsupportedKeyMessage(key, reason)), { Key: escapeXml(key) }));
  };
}
