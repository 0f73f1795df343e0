import { explain, requestContextOf, s3Url } from "../errors";
import { show } from "./notebook";
import { escapeHtml } from "./table";

/**
 * Shows what went wrong as the one sentence `explain()` makes of it, never a stack trace, and
 * returns undefined, so `await client.send(...).catch(showError)` reads as "or show the error".
 */
export function showError(error: unknown): undefined {
  const sentence = explain(error).message;
  show({ html: `<div class="s3kit-error" style="color:#b00020">✗ ${escapeHtml(sentence)}</div>` }, `✗ ${sentence}`);
  return undefined;
}

/** An error as a notebook cell or the REPL shows it: a name, a one-line value, a few lines. */
export interface ErrorReport {
  ename: string;
  evalue: string;
  lines: string[];
}

interface SdkError {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

/** The AWS SDK error behind `error`: itself, or the one an s3kit error wraps. */
function sdkErrorOf(error: unknown): SdkError | undefined {
  const candidate = error as SdkError | null;
  if (candidate && typeof candidate === "object" && "$metadata" in candidate) return candidate;
  return candidate?.cause ? sdkErrorOf(candidate.cause) : undefined;
}

/** The hint under every short error: where the full error is when the short one is not enough. */
export const FULL_ERROR_HINT = "(full error with stack: lastError(); or set S3KIT_FULL_ERRORS=1)";

/**
 * A short block instead of a stack trace: the S3 error code, HTTP status, operation and s3://
 * location on one line, then the kit's one-sentence explanation of what to do. Errors that did
 * not come from S3 show their name and message.
 */
export function errorReport(error: unknown): ErrorReport {
  const sdk = sdkErrorOf(error);
  const context = requestContextOf(error);
  if (!sdk && !context) {
    const name = error instanceof Error ? error.name : "Error";
    const message = error instanceof Error ? error.message : String(error);
    return { ename: name, evalue: message, lines: [`${name}: ${message}`, FULL_ERROR_HINT] };
  }
  const code = sdk?.Code ?? (sdk?.name && sdk.name !== "Error" ? sdk.name : undefined) ?? (error as Error).name;
  const status = sdk?.$metadata?.httpStatusCode;
  const where = context?.bucket ? s3Url(context.bucket, context.key) : context?.endpoint;
  const headline = [code, status && `HTTP ${status}`, context?.operation, where].filter(Boolean).join(" · ");
  const sentence = explain(error).message;
  return { ename: code, evalue: sentence, lines: [headline, sentence, FULL_ERROR_HINT] };
}

let lastShown: unknown;

/** Remembers the error a short report was made of, for lastError(). */
export function rememberError(error: unknown): void {
  lastShown = error;
}

/**
 * The last error a notebook cell or the REPL showed in short, as thrown: its last expression
 * shows it in full, with its stack and every field the SDK put on it.
 */
export function lastError(): unknown {
  return lastShown;
}

/** S3KIT_FULL_ERRORS=1 (in the environment, or `process.env` in a cell) shows errors unabridged. */
export function fullErrorsWanted(): boolean {
  return process.env.S3KIT_FULL_ERRORS === "1";
}
