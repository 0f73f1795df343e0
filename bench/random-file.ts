import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";

/** A file of `size` random bytes (incompressible, as real data to transfer often is), written 8 MiB at a time. */
export function writeRandomFile(file: string, size: number): void {
  const step = 8 * 1024 * 1024;
  for (let written = 0; written < size; written += step) writeFileSync(file, randomBytes(Math.min(step, size - written)), { flag: "a" });
}
