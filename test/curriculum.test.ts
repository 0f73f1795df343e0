// What the lessons 01-08 teach, checked over their text and their committed outputs (issue 15,
// "Wrong or misleading"): a claim that was wrong once fails here if it comes back, and the
// demonstrations that show the right behaviour must be in the outputs a learner reads.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { withDefaults } from "../lib/src/transfers/config";

const NOTEBOOKS = path.join(__dirname, "..", "notebooks");

interface Cell {
  index: number;
  type: "markdown" | "code";
  source: string;
  /** The text a learner sees under the cell: streams and text outputs, line by line. */
  outputLines: string[];
  failed: boolean;
}

interface Notebook {
  name: string;
  cells: Cell[];
}

function joined(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join("") : (value ?? "");
}

function readNotebook(name: string): Notebook {
  const raw = JSON.parse(readFileSync(path.join(NOTEBOOKS, name), "utf8")) as {
    cells: { cell_type: string; source: string | string[]; outputs?: { output_type: string; text?: string | string[]; data?: Record<string, string | string[]> }[] }[];
  };
  const cells = raw.cells.map((cell, index): Cell => {
    const outputs = cell.outputs ?? [];
    const texts = outputs.flatMap((o) => [joined(o.text), ...Object.entries(o.data ?? {}).filter(([mime]) => mime.startsWith("text/")).map(([, v]) => joined(v))]);
    return {
      index,
      type: cell.cell_type as Cell["type"],
      source: joined(cell.source),
      outputLines: texts.join("\n").split("\n").map((line) => line.trimEnd()),
      failed: outputs.some((o) => o.output_type === "error"),
    };
  });
  return { name, cells };
}

/** The lessons this file is about: 01-08 (the newer lessons and the cheat sheet have checks of their own). */
const lessons = readdirSync(NOTEBOOKS)
  .filter((name) => /^0[1-8]-.*\.ipynb$/.test(name))
  .sort()
  .map(readNotebook);

function lesson(prefix: string): Notebook {
  const found = lessons.find((nb) => nb.name.startsWith(prefix));
  assert.ok(found, `notebook ${prefix}-*.ipynb is missing`);
  return found;
}

/** Sentences of prose: markdown cells, code comments and the outputs' text lines. */
function sentences(nb: Notebook): { where: string; text: string }[] {
  const found: { where: string; text: string }[] = [];
  for (const cell of nb.cells) {
    const where = `${nb.name} cell ${cell.index}`;
    const prose = cell.type === "markdown" ? [cell.source] : [...cell.source.split("\n").filter((l) => /^\s*\/\//.test(l)), ...cell.outputLines];
    for (const block of prose) {
      // List items are sentences of their own; a sentence ends at . ! ? : or ; before the next word.
      const items = block.split(/\n\s*[-*] /);
      for (const item of items) {
        for (const text of item.replace(/\s*\n\s*/g, " ").split(/(?<=[.!?:;])\s+(?=[A-Za-z`*(])/)) found.push({ where, text });
      }
    }
  }
  return found;
}

function allSentences(): { where: string; text: string }[] {
  return lessons.flatMap(sentences);
}

/** The code cell whose source matches, and its output lines. */
function codeCell(nb: Notebook, source: RegExp): Cell {
  const found = nb.cells.find((cell) => cell.type === "code" && source.test(cell.source));
  assert.ok(found, `${nb.name}: no code cell matches ${source}`);
  return found;
}

function assertLines(cell: Cell, nb: Notebook, expected: (string | RegExp)[]): void {
  for (const line of expected) {
    const present = cell.outputLines.some((shown) => (typeof line === "string" ? shown === line : line.test(shown)));
    assert.ok(present, `${nb.name} cell ${cell.index}: no output line ${typeof line === "string" ? JSON.stringify(line) : line}; the lines are:\n${cell.outputLines.join("\n")}`);
  }
}

test("there are eight lessons 01-08 to check", () => {
  assert.deepEqual(
    lessons.map((nb) => nb.name.slice(0, 2)),
    ["01", "02", "03", "04", "05", "06", "07", "08"],
  );
});

describe("1 · a presigned URL can be used any number of times until it expires", () => {
  test("no sentence says a presigned URL or link grants one request or one use", () => {
    const oneUse = /\b(one|a single|that one|one single) (request|use|download|upload)\b|\bonly once\b|\bsingle[- ]use\b|\bone[- ]time\b|\bused up\b(?! by)/i;
    const aboutUrls = /presign|\bURL\b|\blink\b/i;
    const claims = allSentences().filter(({ text }) => aboutUrls.test(text) && oneUse.test(text) && !/\bnot used up\b|does not use it up/i.test(text));
    assert.deepEqual(claims, [], "sentences claiming one-time use of a presigned URL");
  });

  test("02 fetches the same presigned URL twice, and both answer 200 with the object", () => {
    const nb = lesson("02");
    const cell = codeCell(nb, /await fetch\(url\)[\s\S]*await fetch\(url\)/);
    assert.ok(!cell.failed);
    assertLines(cell, nb, [
      '200 "Hello from s3kit!\\nThis small text file is seeded into the local S3 server so the notebooks have something to read.\\n"',
      "the same URL again: 200 115 characters",
    ]);
  });

  test("07 uses one GET link three times, each answered 200 with the same body", () => {
    const nb = lesson("07");
    const cell = codeCell(nb, /fetch\(getUrl\)[\s\S]*for \(const use of \[2, 3\]\)[\s\S]*fetch\(getUrl\)/);
    assert.ok(!cell.failed);
    assertLines(cell, nb, ["200 text/csv", "Lisbon,120", "use 2: 200, 31 bytes, the same body: true", "use 3: 200, 31 bytes, the same body: true"]);
  });
});

describe("2 · 05 tells the kit's transfer defaults from boto3's", () => {
  const kit = withDefaults({});
  const MiB = 1024 * 1024;
  const nb = lesson("05");
  const prose = nb.cells.filter((cell) => cell.type === "markdown").map((cell) => cell.source).join("\n");

  test("the defaults table: s3kit's own defaults (from lib/src/transfers/config.ts) next to boto3's, max_concurrency 10", () => {
    const row = (option: string) => {
      const line = prose.split("\n").find((l) => l.startsWith(`| \`${option}\` |`));
      assert.ok(line, `05 has no table row for \`${option}\``);
      return line.split("|").slice(1, -1).map((c) => c.trim());
    };
    assert.deepEqual(row("multipartThreshold"), ["`multipartThreshold`", `${kit.multipartThreshold / MiB} MiB`, "`multipart_threshold`", "8 MiB"]);
    assert.deepEqual(row("partSize"), ["`partSize`", `${kit.partSize / MiB} MiB`, "`multipart_chunksize`", "8 MiB"]);
    assert.deepEqual(row("concurrency"), ["`concurrency`", `${kit.concurrency} parts in flight`, "`max_concurrency`", "10 threads"]);
  });

  test("no paragraph gives boto3's TransferConfig the kit's concurrency", () => {
    const paragraphs = prose.split(/\n\s*\n/);
    const wrong = paragraphs.filter((p) => /boto3|TransferConfig/.test(p) && /`concurrency`/.test(p) && !/`max_concurrency`[^\n]*\b10\b/.test(p));
    assert.deepEqual(wrong, []);
  });
});

describe("3 · a top-level `for await` runs in the kit's kernel", () => {
  test("no sentence says the kernel cannot run `for await` at the top level", () => {
    const denial = /\b(cannot|can't|can not|does not|doesn't|not allowed|unsupported|fails)\b/i;
    const claims = allSentences().filter(({ text }) => /for await/.test(text) && denial.test(text));
    assert.deepEqual(claims, []);
  });

  test("08 sums the sensor log in a `for await` loop at the top level of a cell, and it ran", () => {
    const nb = lesson("08");
    const cell = codeCell(nb, /^for await \(const chunk of readCsvChunks\(/m);
    assert.ok(!/^\s*(async )?function/m.test(cell.source), "no function wraps the loop");
    assert.ok(!cell.failed);
    assertLines(cell, nb, [/^5 chunks, 250000 rows, \d+ readings above 20 °C$/]);
  });
});

describe("8 · the `{ client }` shorthand of an earlier cell's name works in the kernel", () => {
  test("no lesson or README writes the old workaround `client: client` or says the shorthand fails", () => {
    const readmes = ["README.md", path.join("lib", "README.md")].map((file) => ({ where: file, text: readFileSync(path.join(__dirname, "..", file), "utf8") }));
    const code = lessons.flatMap((nb) => nb.cells.map((cell) => ({ where: `${nb.name} cell ${cell.index}`, text: cell.source })));
    const stale = [...readmes, ...code].filter(({ text }) => /\{\s*client: client\b|does not resolve the shorthand|shorthand[^.\n]*(fails|does not work)/.test(text));
    assert.deepEqual(stale.map(({ where }) => where), []);
  });

  test("lessons pass `{ client }` declared in an earlier cell to the SDK's paginators and waiters, and those cells ran", () => {
    const uses: string[] = [];
    for (const nb of lessons) {
      const declaredAt = nb.cells.findIndex((cell) => cell.type === "code" && /const \{ client\b[^}]*\} = await connect\(/.test(cell.source));
      for (const cell of nb.cells.slice(declaredAt + 1)) {
        if (declaredAt < 0 || cell.type !== "code" || !/(paginate\w+|waitUntil\w+)\(\{ client[,} ]/.test(cell.source)) continue;
        assert.ok(!cell.failed && cell.outputLines.some((l) => l.trim()), `${nb.name} cell ${cell.index} ran and showed its output`);
        uses.push(nb.name.slice(0, 2));
      }
    }
    assert.ok(new Set(uses).size >= 2, `the shorthand is used in later cells of at least two lessons (found in ${[...new Set(uses)].join(", ") || "none"})`);
  });
});

describe("7 · 01's AWS region advice says what CreateBucket needs outside us-east-1", () => {
  test("01 names LocationConstraint and the lesson that shows it, next to AWS_REGION", () => {
    const nb = lesson("01");
    const cell = nb.cells.find((c) => c.type === "markdown" && /AWS_REGION=eu-west-1 npm start/.test(c.source));
    assert.ok(cell, "01 tells how to start the kit for AWS");
    assert.match(cell.source, /`CreateBucketConfiguration\.LocationConstraint`/);
    assert.match(cell.source, /\*\*12 · Going to AWS\*\*/);
  });
});

describe("every code line of every notebook fits a 1280 px window", () => {
  test("no code line is longer than 88 characters", () => {
    const notebooks = readdirSync(NOTEBOOKS).filter((name) => name.endsWith(".ipynb")).sort().map(readNotebook);
    assert.ok(notebooks.length >= 14, `only ${notebooks.length} notebooks found`);
    const long = notebooks.flatMap((nb) =>
      nb.cells.filter((cell) => cell.type === "code").flatMap((cell) => cell.source.split("\n").filter((line) => line.length > 88).map((line) => `${nb.name} cell ${cell.index}: ${line.length} characters: ${line.slice(0, 40)}…`)),
    );
    assert.deepEqual(long, []);
  });
});
