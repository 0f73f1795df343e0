import type { S3Client } from "@aws-sdk/client-s3";
import { explain, explained, isNotFound, S3KitError } from "../errors";

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
  /** The action that last dropped the loaded attributes, for the NotLoaded message. */
  protected clearedBy: string | undefined;

  protected constructor(client: S3Client, identifiers: Identifiers, data?: Data) {
    this.meta = { client, identifiers: Object.freeze({ ...identifiers }), data };
  }

  /** How messages name this resource, e.g. `Object s3://bucket/key`. */
  protected abstract describe(): string;

  /** The loaded data; throws NotLoaded rather than silently sending a request as boto3 would. */
  protected loaded(): Data {
    if (this.meta.data === undefined) {
      const dropped = this.clearedBy ? ` (\`${this.clearedBy}()\` changed it, so the attributes loaded before were dropped)` : "";
      throw new S3KitError(`${this.describe()} has no attributes yet: ${this.howToLoad()}${dropped}.`, "NotLoaded");
    }
    return this.meta.data;
  }

  /** What the NotLoaded message tells the reader to do. */
  protected howToLoad(): string {
    return "call `await resource.load()` first, then read them";
  }

  /** The factories of the resources this one leads to, e.g. `["acl", "bucket", ...]` for an Object (boto3's `get_available_subresources()`). */
  getAvailableSubresources(): string[] {
    return [...((this.constructor as { subresources?: string[] }).subresources ?? [])];
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

/**
 * A resource whose attributes one request fills in: `await r.load()` (boto3's `load()`/`reload()`).
 *
 * Like boto3, every action (put, delete, copyFrom, ...) forgets the loaded attributes: they
 * described the resource before the action changed it. Reading one afterwards throws NotLoaded,
 * naming the action, rather than answering with an old value.
 */
export abstract class LoadableResource<Identifiers extends object, Data extends object> extends Resource<Identifiers, Data> {
  /** Sends the resource's load request and keeps the answer in `meta.data`. */
  abstract load(): Promise<void>;

  /** The same request again, for fresh attributes (boto3's `reload()`). */
  reload(): Promise<void> {
    return this.load();
  }

  /** Keeps `data` as the loaded attributes. */
  protected keepData(data: Data): void {
    this.meta.data = data;
    this.clearedBy = undefined;
  }

  /**
   * Awaits an action's request (explained on failure); once it has succeeded, forgets the loaded
   * attributes, as boto3 does after every action.
   */
  protected async act<T>(action: string, request: Promise<T>): Promise<T> {
    const result = await explained(request);
    if (this.meta.data !== undefined) this.clearedBy = action;
    this.meta.data = undefined;
    return result;
  }
}

/** boto3's WaiterConfig: `{ delay, maxAttempts }`, seconds between attempts and how many. */
export interface WaitOptions {
  /** Seconds between attempts (boto3's `Delay`; default 5). */
  delay?: number;
  /** Attempts before giving up (boto3's `MaxAttempts`; default 20). */
  maxAttempts?: number;
}

/** boto3's S3 waiters: every 5 s, 20 times. */
export const DEFAULT_WAIT: Required<WaitOptions> = { delay: 5, maxAttempts: 20 };

/**
 * Polls `check` at boto3's fixed cadence until it answers `wanted`: attempt, wait `delay` s,
 * attempt again, at most `maxAttempts` times; then throws `timeoutMessage(seconds)` as a Timeout.
 * (The SDK's waiters jitter their delays and crowd attempts before their deadline, so s3kit polls
 * itself, with the same requests.)
 */
export async function pollUntil(
  check: () => Promise<boolean>,
  wanted: boolean,
  options: WaitOptions,
  timeoutMessage: (seconds: number) => string,
): Promise<void> {
  const { delay, maxAttempts } = { ...DEFAULT_WAIT, ...options };
  if (!(delay >= 0) || !Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new S3KitError(`The waiter's options are { delay: ${delay}, maxAttempts: ${maxAttempts} }: give delay ≥ 0 seconds and a whole maxAttempts ≥ 1.`, "InvalidArgument");
  }
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if ((await check()) === wanted) return;
    if (attempt < maxAttempts) await new Promise((resolve) => setTimeout(resolve, delay * 1000));
  }
  throw new S3KitError(`${timeoutMessage(delay * (maxAttempts - 1))} (${maxAttempts} attempts, ${delay} s apart): check the name, or wait longer with { delay, maxAttempts }.`, "Timeout");
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
