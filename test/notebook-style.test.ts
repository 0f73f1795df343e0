// The kit's Jupyter loads a custom.css of the kit's: markdown tables read left-aligned. The browser
// test (test/e2e) checks the computed alignment on a real page; this checks the mechanism.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a plain ES module of the kit's scripts, without types
import { installNotebookStyle } from "../scripts/notebook-style.mjs";
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a plain ES module of the kit's scripts, without types
import { python } from "../scripts/setup.mjs";
import { tempDir } from "./helpers/server";

describe("the notebook style", () => {
  test("custom.css lands in custom/ of a config folder that Jupyter then uses as its own", () => {
    const configDir = path.join(tempDir("s3kit-style-"), "jupyter-config");
    const env = installNotebookStyle(configDir);
    assert.deepEqual(env, { JUPYTER_CONFIG_DIR: configDir });
    const css = readFileSync(path.join(configDir, "custom", "custom.css"), "utf8");
    assert.match(css, /\.text_cell_render\.rendered_html td\s*\{\s*text-align: left;/);

    // Notebook 6 serves /custom/custom.css from <config dir>/custom: ask Jupyter which folder that is.
    const asked = spawnSync(python, ["-c", "from notebook.notebookapp import NotebookApp; print(NotebookApp().static_custom_path[0])"], {
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    assert.equal(asked.status, 0, asked.stderr);
    assert.equal(asked.stdout.trim(), path.join(configDir, "custom"));
  });

  test("writing it again overwrites an edited copy", () => {
    const configDir = tempDir("s3kit-style-");
    installNotebookStyle(configDir);
    const file = path.join(configDir, "custom", "custom.css");
    writeFileSync(file, "td { color: red }\n");
    installNotebookStyle(configDir);
    assert.doesNotMatch(readFileSync(file, "utf8"), /color: red/);
  });
});
