import { readFileSync, renameSync, writeFileSync } from "node:fs";

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/** Written aside and renamed, so a kill never leaves half a file; `secret` files are 0600. */
export function writeJson(file: string, value: unknown, secret = false): void {
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, JSON.stringify(value, null, 2) + "\n", { mode: secret ? 0o600 : 0o644 });
  renameSync(aside, file);
}
