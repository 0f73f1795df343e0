import path from "node:path";
import { Worker } from "node:worker_threads";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { explain, S3KitError, type S3KitErrorCode } from "../errors";
import type { ResolvedLocation } from "./location";
import type { ReadCsvOptions } from "./read";
import type { CsvColumns } from "./table";
import { unpackColumn, type TransferredColumn } from "./transfer";

/** What readCsv sends its worker: a URL it can GET without the SDK, and the options minus the client. */
export interface ParseRequest {
  presignedUrl: string;
  url: string;
  key: string;
  options: Omit<ReadCsvOptions, "client">;
}

/** The worker's answer: the packed columns, or an HTTP status other than 200, or an error. */
export interface ParseAnswer {
  table?: { names: string[]; rows: number; columns: TransferredColumn[] };
  warnings?: string[];
  status?: number;
  error?: { message: string; code?: S3KitErrorCode };
}

/**
 * The worker's young generation, where parsed fields live and die: a worker's default is a few MB,
 * which makes the parse collect garbage so often that it runs at half speed (measured: 2.2 s for
 * 50 MB by default, 1.1 s with 32 to 96 MB).
 */
const YOUNG_GENERATION_MB = 48;

/**
 * Starts a worker thread that downloads and parses the CSV, and resolves with its typed columns.
 * The worker fetches a presigned URL, so that any client (credentials, endpoint) works there; an
 * answer other than 200 is asked again through the client, which turns it into the kit's error.
 */
export async function parseInWorker(where: ResolvedLocation, options: ReadCsvOptions): Promise<CsvColumns | undefined> {
  const command = new GetObjectCommand({ Bucket: where.bucket, Key: where.key });
  const presignedUrl = await getSignedUrl(where.client, command, { expiresIn: 3600 }).catch((error: unknown) => {
    throw explain(error);
  });
  const { client: _client, ...plainOptions } = options;
  const request: ParseRequest = { presignedUrl, url: where.url, key: where.key, options: plainOptions };
  const worker = new Worker(path.join(__dirname, "parse-worker.js"), { workerData: request, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  const answer = await new Promise<ParseAnswer>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new S3KitError(`The CSV parser's worker thread stopped (exit code ${code}) before answering.`, "Failed")));
  });
  void worker.terminate();
  if (answer.error) throw new S3KitError(answer.error.message, answer.error.code ?? "Failed");
  if (answer.status !== undefined) {
    await where.client.send(command).catch((error: unknown) => {
      throw explain(error);
    });
    throw new S3KitError(`${where.url} answered HTTP ${answer.status} to its presigned URL: check the endpoint and the credentials.`, "Failed");
  }
  for (const warning of answer.warnings ?? []) console.warn(warning);
  const table = answer.table;
  return table && { ...table, columns: table.columns.map(unpackColumn) };
}
