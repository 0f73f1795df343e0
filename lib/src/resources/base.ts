import type { S3Client } from "@aws-sdk/client-s3";
import { explain, isNotFound, S3KitError, type S3KitErrorCode } from "../errors";

/**
 * What boto3 keeps in `resource.meta`: the client every request goes through (the escape hatch
 * to the low-level interface), the raw data of the last load (or of the listing the resource
 * came from), and the identifiers that name the resource.
 */
export interface ResourceMeta<Identifiers, Data> {
  readonly client: S3Client;
  data: Data | undefined;
  readonly identifiers: Identifiers;
}

/**
 * The common shape of every resource: identifiers fixed at construction, attributes read from
 * `meta.data`.
 *
 * Lazy loading, made visible. boto3 sends HeadObject the first time you read `obj.content_length`;
 * a TypeScript getter cannot await a request, and a property that secretly does network I/O would
 * hide the one thing a learner should see. So in s3kit every request is behind an `await`:
 * `await obj.load()` sends it, after which the attributes are plain synchronous properties.
 * Reading an attribute before loading throws an S3KitError with code "NotLoaded".
 */
export abstract class Resource<Identifiers extends object, Data extends object> {
  readonly meta: ResourceMeta<Identifiers, Data>;

  protected constructor(client: S3Client, identifiers: Identifiers, data?: Data) {
    this.meta = { client, identifiers: Object.freeze({ ...identifiers }), data };
  }

  /** How messages name this resource, e.g. `Object s3://bucket/key`. */
  protected abstract describe(): string;

  /** The loaded data; throws NotLoaded rather than silently sending a request as boto3 would. */
  protected loaded(): Data {
    if (this.meta.data === undefined) {
      throw new S3KitError(`${this.describe()} has no attributes yet: ${this.howToLoad()}.`, "NotLoaded");
    }
    return this.meta.data;
  }

  /** What the NotLoaded message tells the reader to do. */
  protected howToLoad(): string {
    return "call `await resource.load()` first, then read them";
  }

  /** Two resources are equal when they are the same kind with the same identifiers (boto3's `==`). */
  equals(other: unknown): boolean {
    if (!(other instanceof Resource) || other.constructor !== this.constructor) return false;
    const mine = this.meta.identifiers as Record<string, unknown>;
    const theirs = other.meta.identifiers as Record<string, unknown>;
    const names = Object.keys(mine);
    return names.length === Object.keys(theirs).length && names.every((name) => mine[name] === theirs[name]);
  }

  /** Shows the identifiers, as boto3's repr does: `S3Object { bucketName: "b", key: "k" }`. */
  toString(): string {
    return `${this.constructor.name} ${JSON.stringify(this.meta.identifiers)}`;
  }
}

/** A resource whose attributes one request fills in: `await r.load()` (boto3's `load()`/`reload()`). */
export abstract class LoadableResource<Identifiers extends object, Data extends object> extends Resource<Identifiers, Data> {
  /** Sends the resource's load request and keeps the answer in `meta.data`. */
  abstract load(): Promise<void>;

  /** The same request again, for fresh attributes (boto3's `reload()`). */
  reload(): Promise<void> {
    return this.load();
  }
}

/** How long a waiter polls by default: boto3's S3 waiters poll every 5 s, 20 times. */
export const DEFAULT_WAIT = { maxWaitTime: 100, minDelay: 5 };

export interface WaitOptions {
  /** Give up after this many seconds (default 100, as boto3). */
  maxWaitTime?: number;
  /** Seconds between attempts at first (default 5, as boto3). */
  minDelay?: number;
}

/**
 * Runs one of the SDK's waiters and says in one sentence what did not happen in time. The SDK
 * reports a timeout as an Error named TimeoutError, which `explain` would take for a network
 * timeout, so it is translated here.
 */
export async function waited(waiter: Promise<unknown>, timeoutMessage: string, code: S3KitErrorCode): Promise<void> {
  try {
    await waiter;
  } catch (error) {
    if ((error as { $metadata?: unknown }).$metadata) throw explain(error);
    throw new S3KitError(timeoutMessage, code, { cause: error });
  }
}

/**
 * True when `request` succeeds, false when S3 says the thing is not there (404, NoSuchKey,
 * NoSuchBucket); any other failure is thrown, explained. The `exists()` checks boto3 users write
 * by hand around a 404.
 */
export async function succeeds(request: Promise<unknown>): Promise<boolean> {
  try {
    await request;
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw explain(error);
  }
}
