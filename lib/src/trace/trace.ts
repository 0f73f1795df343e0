import { AsyncLocalStorage } from "node:async_hooks";
import { inspect } from "node:util";
import type { S3Client } from "@aws-sdk/client-s3";
import { defaultClient } from "../client/connect";
import { formatBytes, formatMs } from "../display/format";
import { show } from "../display/notebook";
import { htmlTable, textTable, type Cell } from "../display/table";

/**
 * One HTTP request an S3 client sent. Only what teaches is kept: no headers, no query string and
 * no URL are recorded at all, so a signature, a credential or a presigned URL cannot leak into a
 * trace's output.
 */
export interface TracedRequest {
  /** The API operation, e.g. "ListObjectsV2" (the command's name without "Command"). */
  operation: string;
  method: string;
  bucket?: string;
  key?: string;
  /** The HTTP status, or undefined when no response came (a network error). */
  status?: number;
  /** From sending the request until its response was parsed; a streamed body (GetObject) is read later. */
  durationMs: number;
  /** Content-Length of the request body, when known. */
  bytesSent?: number;
  /** Content-Length of the response body, when the server said. */
  bytesReceived?: number;
  /** The error's name when the request failed ("NoSuchKey", "ECONNREFUSED"). */
  error?: string;
}

/** An S3 client, or anything holding one the way boto3's resources do (`resource.meta.client`). */
export type Traceable = S3Client | { meta: { client: S3Client } };

/** The requests of the traces currently running in this async context (outer ones too). */
const activeTraces = new AsyncLocalStorage<TracedRequest[][]>();
const tracedClients = new WeakSet<S3Client>();

function clientOf(target: Traceable): S3Client {
  return "meta" in target ? target.meta.client : target;
}

/**
 * Adds, once per client, a middleware in the SDK's "deserialize" step: it runs once per HTTP
 * attempt (retries included), after signing, around sending and parsing.
 */
function instrument(client: S3Client): void {
  if (tracedClients.has(client)) return;
  tracedClients.add(client);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const traces = activeTraces.getStore();
      if (!traces) return next(args);
      const input = args.input as { Bucket?: string; Key?: string };
      const request = args.request as { method?: string; headers?: Record<string, string> };
      const record: TracedRequest = {
        operation: context.commandName?.replace(/Command$/, "") ?? "request",
        method: request.method ?? "?",
        bucket: input.Bucket,
        key: input.Key,
        durationMs: 0,
        bytesSent: contentLength(request.headers),
      };
      const started = performance.now();
      try {
        const result = await next(args);
        const response = result.response as { statusCode?: number; headers?: Record<string, string> };
        record.status = response.statusCode;
        record.bytesReceived = contentLength(response.headers);
        return result;
      } catch (error) {
        const failed = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
        record.status = failed.$metadata?.httpStatusCode;
        record.error = failed.code ?? failed.name;
        throw error;
      } finally {
        record.durationMs = performance.now() - started;
        for (const requests of traces) requests.push(record);
      }
    },
    { step: "deserialize", name: "s3kitTrace", priority: "high" },
  );
}

function contentLength(headers: Record<string, string> | undefined): number | undefined {
  const value = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === "content-length")?.[1];
  return value === undefined ? undefined : Number(value);
}

/** The requests some code caused, and what the code returned. */
export class Trace<T = unknown> {
  constructor(
    readonly result: T,
    readonly requests: TracedRequest[],
  ) {}

  /** Requests per operation, e.g. { ListObjectsV2: 3 }. */
  get counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { operation } of this.requests) counts[operation] = (counts[operation] ?? 0) + 1;
    return counts;
  }

  /** "3 requests (ListObjectsV2 ×3), 41 ms in total" */
  get summary(): string {
    const n = this.requests.length;
    const ops = Object.entries(this.counts).map(([op, count]) => `${op} ×${count}`).join(", ");
    const total = this.requests.reduce((sum, r) => sum + r.durationMs, 0);
    return n === 0 ? "no requests" : `${n} request${n === 1 ? "" : "s"} (${ops}), ${formatMs(total)} in total`;
  }

  html(): string {
    return `<div class="s3kit-trace">${htmlTable(TRACE_COLUMNS, this.rows(), { numeric: TRACE_NUMERIC, caption: this.summary })}</div>`;
  }

  text(): string {
    return this.requests.length ? textTable(TRACE_COLUMNS, this.rows(), { numeric: TRACE_NUMERIC, caption: this.summary }) : this.summary;
  }

  [inspect.custom](): string {
    return this.text();
  }

  /** Long listings keep their first and last requests: the shape of the conversation shows either way. */
  private rows(limit = 20): Cell[][] {
    const row = (r: TracedRequest, i: number): Cell[] => [
      i + 1,
      r.operation,
      r.method,
      r.bucket,
      r.key,
      r.status ?? r.error ?? "no answer",
      formatMs(r.durationMs),
      r.bytesSent ? formatBytes(r.bytesSent) : "",
      r.bytesReceived === undefined ? "" : formatBytes(r.bytesReceived),
    ];
    if (this.requests.length <= limit) return this.requests.map(row);
    const half = Math.floor(limit / 2);
    const skipped = this.requests.length - 2 * half;
    return [
      ...this.requests.slice(0, half).map(row),
      ["…", `${skipped} more`, "", "", "", "", "", "", ""],
      ...this.requests.slice(-half).map((r, i) => row(r, this.requests.length - half + i)),
    ];
  }
}

const TRACE_COLUMNS = ["#", "operation", "method", "bucket", "key", "status", "time", "sent", "received"];
const TRACE_NUMERIC = [true, false, false, false, false, false, true, true, true];

export interface TraceOptions {
  /** The client(s) or resource(s) whose requests to record (default: the client of the latest connect()). */
  client?: Traceable | Traceable[];
}

/**
 * Runs `fn` and returns what it returned together with every S3 request it caused, in order.
 * Only requests made from inside `fn` (its async context) are recorded, so other code using the
 * same client at the same time does not show up.
 */
export async function trace<T>(fn: () => T | Promise<T>, options: TraceOptions = {}): Promise<Trace<T>> {
  const targets = options.client === undefined ? [defaultClient()] : Array.isArray(options.client) ? options.client : [options.client];
  for (const target of targets) instrument(clientOf(target));
  const requests: TracedRequest[] = [];
  const result = await activeTraces.run([...(activeTraces.getStore() ?? []), requests], fn);
  return new Trace(result, requests);
}

/** Shows a trace as a compact table: HTML in a notebook, aligned text elsewhere. */
export function showTrace(traced: Trace): void {
  show({ html: traced.html() }, traced.text());
}
