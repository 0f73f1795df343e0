import { appendFileSync } from "node:fs";
import { testEngine } from "./server";

/**
 * Records what a test saw the engine do (called once its assertions have passed), for the README's
 * "What runs where" table, which scripts/test.mjs builds from these records and checks.
 */
export function observe(feature: string, result = "✓"): void {
  const file = process.env.S3KIT_TEST_OBSERVATIONS;
  if (file) appendFileSync(file, JSON.stringify({ feature, engine: testEngine(), result }) + "\n");
}
