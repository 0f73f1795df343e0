// The README tables that are generated, not written: "What runs where" (lib/README.md), from what
// the tests observed each engine do, and "What is tested where" (README.md), from
// test/tested-where.json. Each lives between <!-- NAME:begin --> and <!-- NAME:end --> markers;
// a check fails when the text there differs, and S3KIT_UPDATE_README=1 rewrites it instead.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const ENGINE_COLUMNS = [
  ["ceph", "Ceph RGW"],
  ["s3rver", "s3rver"],
];

/** The observations test/helpers/observed.ts appended, one JSON object a line ({ feature, engine, result }). */
export function readObservations(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
}

/**
 * "What runs where": one row per feature, one column per engine ("–" where no test ran it); what
 * differs between the engines first, then what both do, by name within each (test order varies).
 */
export function observedTable(records) {
  const cell = (feature, engine) => records.find((r) => r.feature === feature && r.engine === engine)?.result ?? "–";
  const differs = (feature) => cell(feature, "ceph") !== cell(feature, "s3rver");
  const features = [...new Set(records.map((r) => r.feature))].sort((a, b) => Number(differs(b)) - Number(differs(a)) || a.localeCompare(b));
  return [
    `| feature | ${ENGINE_COLUMNS.map(([, label]) => label).join(" | ")} |`,
    `|---|${ENGINE_COLUMNS.map(() => "---|").join("")}`,
    ...features.map((feature) => `| ${feature} | ${ENGINE_COLUMNS.map(([engine]) => cell(feature, engine)).join(" | ")} |`),
  ].join("\n");
}

/** "What is tested where": one row per guarantee of test/tested-where.json. */
export function testedWhereTable(entries) {
  return [
    "| guarantee | stated in | checked by |",
    "|---|---|---|",
    ...entries.map(({ guarantee, doc, file, check }) => `| ${guarantee} | ${doc} | \`${file}\`: ${check} |`),
  ].join("\n");
}

/** Whitespace-insensitive: README lines wrap anywhere. */
const flat = (text) => text.replace(/\s+/g, " ");

/**
 * What is wrong with the entries of test/tested-where.json: each quotes its document word for word
 * (`quote`, the guarantee as the reader reads it), and names a file of the repository that holds
 * `check` as a quoted string (a test's name, or the label a bench prints).
 */
export function testedWhereProblems(entries, root) {
  const problems = [];
  const docs = new Map();
  for (const [index, entry] of entries.entries()) {
    const { guarantee, quote, doc, file, check } = entry;
    const where = `entry ${index + 1} (${guarantee ?? "no guarantee"})`;
    if (![guarantee, quote, doc, file, check].every((field) => typeof field === "string" && field.trim())) {
      problems.push(`${where}: needs guarantee, quote, doc, file and check`);
      continue;
    }
    const docFile = path.join(root, doc);
    if (!docs.has(doc)) docs.set(doc, existsSync(docFile) ? flat(readFileSync(docFile, "utf8")) : undefined);
    if (docs.get(doc) === undefined) problems.push(`${where}: ${doc} does not exist`);
    else if (!docs.get(doc).includes(flat(quote))) problems.push(`${where}: ${doc} no longer says ${JSON.stringify(quote)}`);
    const source = path.join(root, file);
    if (!existsSync(source)) {
      problems.push(`${where}: ${file} does not exist`);
      continue;
    }
    const text = readFileSync(source, "utf8");
    if (![`"${check}"`, `\`${check}\``, `'${check}'`].some((quoted) => text.includes(quoted))) {
      problems.push(`${where}: ${file} has no test or label ${JSON.stringify(check)}`);
    }
  }
  return problems;
}

/** `text` with the table between NAME's markers replaced by `table`; undefined when it has no such markers. */
export function withTable(text, name, table) {
  const markers = new RegExp(`(<!-- ${name}:begin -->\\n)[^]*?(<!-- ${name}:end -->)`);
  if (!markers.test(text)) return undefined;
  return text.replace(markers, (_, begin, end) => `${begin}${table}\n${end}`);
}

/**
 * Checks the table NAME in `file` against `table`; with `update`, rewrites it instead.
 * Resolves to { ok, message }.
 */
export function checkTable(file, name, table, { update = false } = {}) {
  const text = readFileSync(file, "utf8");
  const updated = withTable(text, name, table);
  const shown = path.basename(path.dirname(file)) === "lib" ? "lib/README.md" : path.basename(file);
  if (updated === undefined) return { ok: false, message: `${shown} has no <!-- ${name}:begin --> … <!-- ${name}:end --> markers` };
  if (updated === text) return { ok: true, message: `${shown}: the ${name} table is as generated` };
  if (update) {
    writeFileSync(file, updated);
    return { ok: true, message: `${shown}: rewrote the ${name} table` };
  }
  return { ok: false, message: `${shown}: the ${name} table differs from what is generated (S3KIT_UPDATE_README=1 rewrites it):\n${table}` };
}
