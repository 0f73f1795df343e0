"""Executes the kit's notebooks headless with Jupyter's own nbclient and the tslab kernel.

    run_notebooks.py [--write | --committed] [--engine ceph|s3rver] [notebook ...]

A notebook runs on the engines its metadata lists ("s3kit": {"engines": ["ceph"]}; every engine
when unset): with --engine, one the list lacks is skipped with one line saying so.

Every cell runs in order in one kernel per notebook, in the notebook's folder. A cell that fails
is reported with its notebook, number, first line and the error the kernel sent (the kernel's
stderr is captured in a file too, for a kernel that dies).

Besides "no cell failed", each notebook is checked for what a learner should see:
- cells whose metadata has "s3kit": {"expect": [...]} must show each expected thing, anchored to
  whole lines of the cell's text output (trailing whitespace ignored): a string must EQUAL one
  line, {"regex": "..."} must match ALL of one line (re.fullmatch); {"mime": "image/png"} wants an
  output of that type, {"outputs": N} exactly N outputs (a progress display updated in place is one);
- every notebook has at least one such expectation;
- no output is a stream to stderr or holds what scripts/forbidden-output.json lists (a warning, a
  stack frame, a machine path, a key, a signature or a token);
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
ENGINES = ("ceph", "s3rver")


def load_forbidden():
    """The shared list of what no output may hold (scripts/forbidden-output.json), plus this folder."""
    with open(os.path.join(ROOT, "scripts", "forbidden-output.json")) as source:
        entries = json.load(source)["patterns"]
    compiled = [
        (entry["what"], re.compile(entry["pattern"], re.MULTILINE | (re.IGNORECASE if entry.get("ignoreCase") else 0)))
        for entry in entries
    ]
    return compiled + [("a machine path", re.compile(re.escape(ROOT)))]


FORBIDDEN = load_forbidden()


def forbidden_in(text):
    """(what, matched text) of every forbidden thing in `text`."""
    return [(what, match.group(0)) for what, pattern in FORBIDDEN for match in [pattern.search(text)] if match]


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


ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def output_lines(outputs):
    """The lines a cell shows, trailing whitespace dropped: consecutive pieces of one stream joined
    (a kernel sends a stream in pieces), every other output (and each of its text types) on lines
    of its own."""
    lines, stream, pending = [], None, ""
    for output in outputs:
        name = output.get("name") if output.get("output_type") == "stream" else None
        if name != stream:
            lines += pending.splitlines()
            pending = ""
        stream = name
        if name:
            pending += output_text(output)
        else:
            lines += output_text(output).splitlines()
    lines += pending.splitlines()
    # As a learner reads them: without the terminal colours of an error's headline.
    return [ANSI_COLOUR.sub("", line).rstrip() for line in lines]


def check_expectations(name, index, cell):
    """Each expectation holds on one whole line: a string equals the line, {"regex": R} matches all
    of it; {"mime": M} and {"outputs": N} are about the outputs themselves."""
    problems = []
    lines = output_lines(cell.outputs)
    mimes = {mime for o in cell.outputs for mime in (o.get("data") or {})}
    for expected in cell.metadata.get("s3kit", {}).get("expect", []):
        if isinstance(expected, str):
            if expected.rstrip() not in lines:
                problems.append(f"no output line is {expected!r}{closest(lines)}")
        elif isinstance(expected, dict) and set(expected) <= {"regex", "mime", "outputs"} and expected:
            if "regex" in expected and not any(re.fullmatch(expected["regex"], line) for line in lines):
                problems.append(f"no output line matches /{expected['regex']}/ whole{closest(lines)}")
            if "mime" in expected and expected["mime"] not in mimes:
                problems.append(f"no {expected['mime']} output (has {sorted(mimes) or 'none'})")
            if "outputs" in expected and len(cell.outputs) != expected["outputs"]:
                problems.append(f"{len(cell.outputs)} outputs, expected {expected['outputs']}")
        else:
            problems.append(f"unknown expectation {expected!r} (a string, or one of regex, mime, outputs)")
    return [f"{name} cell {index} ({first_line(cell)}): {p}" for p in problems]


def closest(lines):
    shown = [line for line in lines if line.strip()][:6]
    return "; the output lines are:\n" + "\n".join("  | " + line[:160] for line in shown) if shown else "; the cell has no text output"


def engines_of(nb):
    """The engines a notebook runs on (notebook metadata s3kit.engines; every engine if unset)."""
    return nb.metadata.get("s3kit", {}).get("engines", list(ENGINES))


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
        for what, found in forbidden_in(output_text(output)):
            problems.append(f"output holds {what}: {found!r}")
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
    executed = not problems  # after a failed cell, what later cells show says nothing
    expectations = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        expectations += len(cell.metadata.get("s3kit", {}).get("expect", []))
        if executed:
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
    parser.add_argument("--engine", choices=ENGINES, help="the engine the server runs: a notebook whose s3kit.engines lacks it is skipped")
    parser.add_argument("--summary", help="also write {passed, failed, skipped} as JSON to this file")
    parser.add_argument("notebooks", nargs="*")
    args = parser.parse_args()
    paths = args.notebooks or sorted(
        os.path.join(NOTEBOOKS, f) for f in os.listdir(NOTEBOOKS) if f.endswith(".ipynb")
    )
    passed = failed = skipped = 0
    for path in paths:
        engines = engines_of(nbformat.read(path, as_version=4))
        unknown = [engine for engine in engines if engine not in ENGINES] if isinstance(engines, list) else [engines]
        if unknown or not engines:
            failed += 1
            print(f"not ok  {os.path.relpath(path, ROOT)}\n    metadata s3kit.engines is {engines!r}: list some of {list(ENGINES)}")
            continue
        if args.engine and args.engine not in engines:
            skipped += 1
            print(f"skip    {os.path.relpath(path, ROOT)}  (runs on {', '.join(engines)} only; this run is on {args.engine})")
            continue
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
    print(f"{'committed notebook outputs' if args.committed else 'notebooks'}: {passed} passed, {failed} failed, {skipped} skipped")
    if args.summary:
        with open(args.summary, "w") as summary:
            json.dump({"passed": passed, "failed": failed, "skipped": skipped}, summary)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
