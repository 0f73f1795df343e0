/**
 * readCsv's worker thread: downloads the CSV from a presigned URL and parses it into typed columns,
 * while the main thread loads danfo. The columns travel back packed (see transfer.ts).
 * It loads neither the AWS SDK nor danfo, so it starts in a few milliseconds.
 */
import http from "node:http";
import https from "node:https";
import { parentPort, workerData } from "node:worker_threads";
import { S3KitError } from "../errors";
import { decodeText } from "./decode";
import type { ParseAnswer, ParseRequest } from "./parse-in-worker";
import { csvTables, type CsvTable } from "./table";
import { movableBuffers, packColumn } from "./transfer";

function get(url: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => (url.startsWith("https:") ? https : http).get(url, resolve).once("error", reject));
}

async function parse({ presignedUrl, url, key, options }: ParseRequest): Promise<ParseAnswer> {
  const response = await get(presignedUrl);
  if (response.statusCode !== 200) {
    response.resume();
    return { status: response.statusCode };
  }
  const warnings: string[] = [];
  let table: CsvTable | undefined;
  try {
    for await (const batch of csvTables(decodeText(response, url, key, options), url, options, Infinity, (m) => warnings.push(m))) table = batch;
  } finally {
    response.destroy();
  }
  if (!table) return { warnings };
  const { names, rows, columns } = table.columns();
  return { warnings, table: { names, rows, columns: columns.map(packColumn) } };
}

parse(workerData as ParseRequest).then(
  (answer) => parentPort!.postMessage(answer, movableBuffers(answer.table?.columns ?? [])),
  (error: Error) => parentPort!.postMessage({ error: { message: error.message, code: error instanceof S3KitError ? error.code : undefined } } satisfies ParseAnswer),
);
