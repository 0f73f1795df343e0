"""Executes the kit's notebooks headless with Jupyter's own nbclient and the tslab kernel.

    run_notebooks.py [--write] [notebook ...]

Every cell runs in order in one kernel per notebook, in the notebook's folder. A cell that fails
is reported with its notebook, number, first line and the error the kernel sent (the kernel's
stderr is captured in a file too, for a kernel that dies).

Besides "no cell failed", each notebook is checked for what a learner should see:
- cells whose metadata has "s3kit": {"expect": [...]} must show each expected thing: a string
  the cell's text output contains, {"regex": "..."}, {"mime": "image/png"} for an output of that
  type, or {"outputs": N} for exactly N outputs (a progress display updated in place is one);
- every notebook has at least one such expectation;
- no output is a stream to stderr or holds a warning, a stack frame, a machine path or a secret;
- a cell tagged "raises-exception" (nbclient's own tag: the run goes on after it) must fail, and
  its error, as the notebook shows it, must fit in 8 lines.

With --write the executed notebooks are saved with their outputs (`npm run notebooks`); with
--committed nothing runs, and the outputs saved in the files get the same checks (what a learner
reads on GitHub).
"""
import argparse
import json
import os
import re
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOKS = os.path.join(ROOT, "notebooks")
FORBIDDEN = re.compile(
    r"(Warning|Traceback|    at [\w.<]+ \(|\(node:\d+\)|/tmp/|/root/|/home/|/work/|"
    + re.escape(ROOT)
    + r"|X-Amz-Signature=|X-Amz-Credential=|Authorization:|AKIA[0-9A-Z]{16}|aws_secret|SecretAccessKey)"
)


def output_text(output):
    text = output.get("text", "")
    if isinstance(text, list):
        text = "".join(text)
    if output.get("output_type") == "error":
        text += "\n".join(output.get("traceback", []))
    for mime, value in (output.get("data") or {}).items():
        if mime.startswith("text/") or mime.endswith("json"):
            text += "".join(value) if isinstance(value, list) else json.dumps(value) if not isinstance(value, str) else value
    return text


def first_line(cell):
    lines = [line for line in cell.source.splitlines() if line.strip()]
    return (lines[0][:80] if lines else "(empty cell)")


def check_expectations(name, index, cell):
    problems = []
    text = "".join(output_text(o) for o in cell.outputs)
    mimes = {mime for o in cell.outputs for mime in (o.get("data") or {})}
    for expected in cell.metadata.get("s3kit", {}).get("expect", []):
        if isinstance(expected, str) and expected not in text:
            problems.append(f"output does not contain {expected!r}")
        elif isinstance(expected, dict):
            if "regex" in expected and not re.search(expected["regex"], text):
                problems.append(f"output does not match /{expected['regex']}/")
            if "mime" in expected and expected["mime"] not in mimes:
                problems.append(f"no {expected['mime']} output (has {sorted(mimes) or 'none'})")
            if "outputs" in expected and len(cell.outputs) != expected["outputs"]:
                problems.append(f"{len(cell.outputs)} outputs, expected {expected['outputs']}")
    return [f"{name} cell {index} ({first_line(cell)}): {p}" for p in problems]


ERROR_LINES = 8


def raises(cell):
    return "raises-exception" in cell.metadata.get("tags", [])


def check_error(name, index, cell):
    errors = [o for o in cell.outputs if o.get("output_type") == "error"]
    if not errors:
        return [f"{name} cell {index} ({first_line(cell)}): was expected to fail, and did not"]
    lines = "\n".join("\n".join(e.get("traceback", [])) for e in errors).splitlines()
    if len(lines) > ERROR_LINES:
        return [f"{name} cell {index} ({first_line(cell)}): its error takes {len(lines)} lines (at most {ERROR_LINES})"]
    return []


def check_clean(name, index, cell):
    problems = []
    for output in cell.outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            problems.append(f"writes to stderr: {output_text(output).strip()[:200]!r}")
        if output.get("output_type") == "error" and not raises(cell):
            problems.append("has an error output")
        match = FORBIDDEN.search(output_text(output))
        if match:
            problems.append(f"output contains {match.group(0)!r}")
    return [f"{name} cell {index} ({first_line(cell)}): {p}" for p in problems]


def execute(nb, name, folder):
    """Runs every code cell in one kernel, in the notebook's folder; returns the failure, if any."""
    client = NotebookClient(
        nb,
        kernel_name="s3kit",
        timeout=int(os.environ.get("S3KIT_CELL_TIMEOUT", "300")),
        startup_timeout=60,
        record_timing=False,
        resources={"metadata": {"path": folder}},
    )
    with tempfile.TemporaryFile("w+") as stderr:
        with client.setup_kernel(stderr=stderr, cwd=folder):
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                position = stderr.tell()
                try:
                    client.execute_cell(cell, index)
                except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
                    time.sleep(0.3)  # a kernel that died wrote why to its stderr
                    stderr.seek(position)
                    detail = stderr.read().strip() or str(error).strip()
                    return [f"{name} cell {index} ({first_line(cell)}) failed:\n{indent(detail)}"]
                stderr.seek(0, os.SEEK_END)
    return []


def run_notebook(path, mode):
    """mode: "check" executes and checks, "write" also saves, "committed" checks the saved outputs."""
    name = os.path.relpath(path, ROOT)
    nb = nbformat.read(path, as_version=4)
    problems = [] if mode == "committed" else execute(nb, name, os.path.dirname(path))
    expectations = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        expectations += len(cell.metadata.get("s3kit", {}).get("expect", []))
        if not problems:
            problems += check_expectations(name, index, cell)
            if raises(cell):
                problems += check_error(name, index, cell)
        problems += check_clean(name, index, cell)
    if expectations == 0:
        problems.append(f"{name}: no cell states an expected output (metadata s3kit.expect)")
    if mode == "write" and not problems:
        nbformat.write(nb, path)
    return problems


def indent(text):
    return "\n".join("    " + line for line in text.splitlines()[-25:])


def main():
    parser = argparse.ArgumentParser()
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument("--write", action="store_true", help="save the executed notebooks with their outputs")
    modes.add_argument("--committed", action="store_true", help="check the outputs saved in the files, running nothing")
    parser.add_argument("--summary", help="also write {passed, failed} as JSON to this file")
    parser.add_argument("notebooks", nargs="*")
    args = parser.parse_args()
    paths = args.notebooks or sorted(
        os.path.join(NOTEBOOKS, f) for f in os.listdir(NOTEBOOKS) if f.endswith(".ipynb")
    )
    passed = failed = 0
    for path in paths:
        started = time.time()
        problems = run_notebook(os.path.abspath(path), "write" if args.write else "committed" if args.committed else "check")
        took = time.time() - started
        if problems:
            failed += 1
            print(f"not ok  {os.path.relpath(path, ROOT)}  ({took:.1f} s)")
            for problem in problems:
                print("    " + problem.replace("\n", "\n    "))
        else:
            passed += 1
            print(f"ok      {os.path.relpath(path, ROOT)}  ({took:.1f} s)")
        sys.stdout.flush()
    print(f"{'committed notebook outputs' if args.committed else 'notebooks'}: {passed} passed, {failed} failed")
    if args.summary:
        with open(args.summary, "w") as summary:
            json.dump({"passed": passed, "failed": failed}, summary)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
