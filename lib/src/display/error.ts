import { explain } from "../errors";
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
