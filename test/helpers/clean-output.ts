import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { root } from "./kit";

interface ForbiddenEntry {
  what: string;
  pattern: string;
  ignoreCase?: boolean;
  examples: string[];
}

/** scripts/forbidden-output.json: the one list of what no output may hold, read by the notebook runner too. */
export const FORBIDDEN_OUTPUT = JSON.parse(readFileSync(path.join(root, "scripts", "forbidden-output.json"), "utf8")) as {
  patterns: ForbiddenEntry[];
  clean: string[];
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const FORBIDDEN: [string, RegExp][] = [
  ...FORBIDDEN_OUTPUT.patterns.map(({ what, pattern, ignoreCase }): [string, RegExp] => [what, new RegExp(pattern, ignoreCase ? "mi" : "m")]),
  ["a machine path", new RegExp(escapeRegExp(root))],
];

/** What, and which text, of every forbidden thing in `text` (as the notebook runner reports it). */
export function forbiddenIn(text: string): { what: string; found: string }[] {
  return FORBIDDEN.flatMap(([what, pattern]) => {
    const match = pattern.exec(text);
    return match ? [{ what, found: match[0] }] : [];
  });
}

/** Fails when `text`, which a learner sees, holds a warning, a stack frame, a machine path or a secret. */
export function assertCleanOutput(text: string, shownWhere: string): void {
  assert.deepEqual(forbiddenIn(text), [], `${shownWhere} must hold no warning, stack frame, machine path or secret:\n${text}`);
}
