// Can the notebook checks fail? Wrong answers are planted in copies of the committed notebooks
// (a count or size, a hash, a stack frame, a signature), and the runner (scripts/run_notebooks.py
// --committed, what `npm test` runs on the committed outputs) must fail each copy on the cell
// where the fault was planted. The committed notebooks are only read.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a plain ES module of the kit's scripts, without types
import { python } from "../scripts/setup.mjs";
import { root } from "./helpers/kit";
import { tempDir } from "./helpers/server";

type Text = string | string[];
interface Output {
  output_type: string;
  text?: Text;
  data?: Record<string, unknown>;
}
interface Cell {
  cell_type: string;
  metadata: { s3kit?: { expect?: unknown[] } };
  outputs?: Output[];
}
interface Notebook {
  cells: Cell[];
}

const NOTEBOOKS = path.join(root, "notebooks");
const names = readdirSync(NOTEBOOKS).filter((name) => name.endsWith(".ipynb")).sort();
const read = (name: string) => JSON.parse(readFileSync(path.join(NOTEBOOKS, name), "utf8")) as Notebook;
const joined = (text: Text) => (Array.isArray(text) ? text.join("") : text);

/** Applies `edit` to every text of every output of `cell` (streams and text/* data). */
function editTexts(cell: Cell, edit: (text: string) => string): void {
  for (const output of cell.outputs ?? []) {
    if (output.text !== undefined) output.text = edit(joined(output.text));
    for (const [mime, value] of Object.entries(output.data ?? {})) {
      if (mime.startsWith("text/") && (typeof value === "string" || Array.isArray(value))) output.data![mime] = edit(joined(value as Text));
    }
  }
}

/** `line` with one value changed, for each value in it: a character of a hex run of 8+ (a hash), else a number's first digit. */
function wrongValues(line: string): { kind: "hash" | "count"; line: string }[] {
  const hashes = [...line.matchAll(/[0-9a-f]{8,}/g)].map((match) => ({ kind: "hash" as const, at: match.index! + 3, end: match.index! + match[0].length }));
  const numbers = [...line.matchAll(/\d+/g)]
    .filter((match) => !hashes.some((hash) => match.index! >= hash.at - 3 && match.index! < hash.end))
    .map((match) => ({ kind: "count" as const, at: match.index! }));
  return [...hashes, ...numbers].map(({ kind, at }) => {
    const changed = line[at] === "0" ? "1" : line[at] === "f" ? "e" : /\d/.test(line[at]!) ? "0" : "a";
    return { kind, line: line.slice(0, at) + changed + line.slice(at + 1) };
  });
}

interface Plant {
  file: string;
  notebook: string;
  cell: number;
  kind: "count" | "hash" | "stack frame" | "signature";
  /** Planted in the line this {"regex"} expectation matches (a regex may rightly accept other values: a time). */
  regex?: string;
  what: string;
}

/**
 * Copies of every committed notebook: one as committed, and one per planted fault: every string
 * expectation holding a value has that value changed in the output line it names; a stack frame
 * and a signature are added to the first output.
 */
function plantFaults(): { folder: string; pristine: string[]; plants: Plant[]; unplantable: string[] } {
  const folder = tempDir("s3kit-planted-");
  const pristine: string[] = [];
  const plants: Plant[] = [];
  const unplantable: string[] = [];
  const write = (notebook: Notebook, file: string) => writeFileSync(path.join(folder, file), JSON.stringify(notebook));
  for (const name of names) {
    const base = name.replace(/\.ipynb$/, "");
    write(read(name), name);
    pristine.push(name);
    read(name).cells.forEach((cell, index) => {
      if (cell.cell_type !== "code") return;
      for (const expected of cell.metadata.s3kit?.expect ?? []) {
        const regex = typeof expected === "object" && expected !== null && "regex" in expected ? String(expected.regex) : undefined;
        if (typeof expected !== "string" && regex === undefined) continue;
        // A string names its line; a regex, the first output line it matches whole.
        const line =
          typeof expected === "string"
            ? new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[ \\t]*$`, "gm")
            : new RegExp(`^(?:${regex})[ \\t]*$`, "gm");
        // One copy per value of the line (a string fails on any change: one is enough).
        for (let which = 0; which < (regex === undefined ? 1 : 8); which++) {
          let wrong: { kind: "hash" | "count"; line: string } | undefined;
          const copy = read(name);
          editTexts(copy.cells[index]!, (text) =>
            text.replace(line, (shown) => {
              wrong ??= wrongValues(shown.trimEnd())[which];
              return wrong?.line ?? shown;
            }),
          );
          if (!wrong) {
            if (which === 0 && typeof expected === "string" && /\d/.test(expected)) unplantable.push(`${name} cell ${index}: ${JSON.stringify(expected)} (not one line of one output)`);
            break;
          }
          const file = `${base}.${plants.length}.${wrong.kind}.ipynb`;
          write(copy, file);
          const what = `${JSON.stringify(expected)} → ${JSON.stringify(wrong.line)}`;
          plants.push({ file, notebook: name, cell: index, kind: wrong.kind, ...(regex !== undefined && { regex }), what });
        }
      }
    });
    const first = read(name).cells.findIndex((cell) => cell.outputs?.some((output) => output.output_type === "stream"));
    if (first < 0) continue;
    for (const [kind, planted] of [
      ["stack frame", "    at async Object.<anonymous> (<anonymous>)"],
      ["signature", "https://127.0.0.1:4568/s3kit-data/a.csv?X-Amz-Signature=3f1c0a9b"],
    ] as const) {
      const copy = read(name);
      const stream = copy.cells[first]!.outputs!.find((output) => output.output_type === "stream")!;
      stream.text = `${joined(stream.text ?? "")}${planted}\n`;
      const file = `${base}.${plants.length}.${kind.replace(" ", "-")}.ipynb`;
      write(copy, file);
      plants.push({ file, notebook: name, cell: first, kind, what: planted });
    }
  }
  return { folder, pristine, plants, unplantable };
}

/** The runner's problems per file, from one `--committed` run over all of them. */
function runnerProblems(folder: string, files: string[]): Map<string, string[]> {
  const run = spawnSync(python, [path.join(root, "scripts", "run_notebooks.py"), "--committed", ...files.map((file) => path.join(folder, file))], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(run.stderr, "", "the runner itself ran without an error");
  const problems = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of run.stdout.split("\n")) {
    const header = /^(ok|not ok) +(\S+)/.exec(line);
    if (header) problems.set(path.basename(header[2]!), (current = []));
    else if (/^ {4}\S/.test(line) && !line.startsWith("      |")) current.push(line.trim().replace(/^\S*?\/([^/ ]+\.ipynb) /, "$1 "));
  }
  assert.equal(problems.size, files.length, `the runner reported every file:\n${run.stdout.slice(-2000)}`);
  return problems;
}

describe("faults planted in copies of the committed notebooks", { timeout: 120_000 }, () => {
  const { folder, pristine, plants, unplantable } = plantFaults();
  const problems = runnerProblems(folder, [...pristine, ...plants.map((plant) => plant.file)]);

  test("the committed notebooks, as copied, pass the runner's checks", () => {
    const failing = pristine.filter((name) => problems.get(name)!.length).map((name) => `${name}:\n  ${problems.get(name)!.join("\n  ")}`);
    assert.deepEqual(failing, []);
  });

  test("every expectation holding a value names one whole output line (so that a fault can be planted in it)", () => {
    assert.deepEqual(unplantable, []);
  });

  test("faults of each kind were planted: wrong counts or sizes, wrong hashes, stack frames, signatures", () => {
    const kinds = Object.fromEntries(["count", "hash", "stack frame", "signature"].map((kind) => [kind, plants.filter((plant) => plant.kind === kind).length]));
    for (const [kind, count] of Object.entries(kinds)) assert.ok(count > 0, `no ${kind} planted (${JSON.stringify(kinds)}): no committed expectation holds one`);
  });

  const caught = (plant: Plant) => {
    const before = new Set(problems.get(plant.notebook));
    const added = problems.get(plant.file)!.filter((problem) => !before.has(problem.replace(plant.file, plant.notebook)));
    return added.some((problem) => problem.includes(` cell ${plant.cell} (`));
  };
  const described = (plant: Plant) => `${plant.notebook} cell ${plant.cell}, ${plant.kind}: ${plant.what}`;

  test("the runner fails every copy with a fault planted in a string expectation's line, a frame or a signature, on that cell", (t) => {
    t.diagnostic(`${plants.length} faults planted in copies of ${names.length} notebooks`);
    assert.deepEqual(plants.filter((plant) => plant.regex === undefined && !caught(plant)).map(described), []);
  });

  test("every regex expectation on a line with values pins at least one of them: a change to it fails the runner", (t) => {
    const byRegex = new Map<string, Plant[]>();
    for (const plant of plants.filter((plant) => plant.regex !== undefined)) {
      const expectation = `${plant.notebook} cell ${plant.cell} /${plant.regex}/`;
      byRegex.set(expectation, [...(byRegex.get(expectation) ?? []), plant]);
    }
    for (const [expectation, planted] of byRegex) {
      t.diagnostic(`${expectation}: ${planted.filter(caught).length} of ${planted.length} changed values caught`);
    }
    assert.deepEqual([...byRegex].filter(([, planted]) => !planted.some(caught)).map(([expectation, planted]) => `${expectation} accepts ${planted.map((plant) => plant.what).join(", ")}`), []);
  });
});
