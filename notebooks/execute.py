"""Executes convlab's notebooks headlessly with nbclient and checks their outputs; used by notebooks/run.sh.

usage: execute.py [--update] KERNEL_NAME NOTEBOOK...

Each notebook runs in a fresh kernel with its own folder as the working directory. The executed copy is written to
target/notebooks/executed/ (one whose cell raised: target/notebooks/failed/); the committed notebook is never
touched. Then every code cell's outputs are compared with the committed ones, ignoring what changes from run to
run anyway (execution counts, cell and output metadata, ids, timings): a difference fails the notebook and names
the cell. With --update, a notebook that ran is instead written back in place (for when its outputs changed on
purpose). Prints one line per notebook and exits 1 if any failed or differed.
"""

import atexit
import os
import re
import shutil
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

CELL_TIMEOUT_S = int(os.environ.get("CONVLAB_NOTEBOOK_CELL_TIMEOUT", "300"))
# rapaio-jupyter-kernel 3.0.1 now and then (1 start in 4 or 5 here) never reads its shell socket, though its control
# socket answers; reconnecting does not help, a new kernel does. A healthy one answers in 1-3 s, so give up on a
# start quickly and try again, more patiently towards the end (for a slow machine).
STARTUP_TIMEOUTS_S = (10, 10, 10, 10, 10, 30, 60)


def clean(nb):
    """Keeps the saved notebook stable from run to run: no timings, no per-run ids, no machine paths.

    A cell tagged `remove-output` (the setup cell: `%jar` prints absolute paths) keeps its code but not its output.
    """
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # nbclient's timing stamps
        if "remove-output" in cell.metadata.get("tags", []):
            cell.outputs = []
        for out in cell.get("outputs", []):
            out.get("metadata", {}).pop("transient", None)


def is_startup_failure(error):
    """jupyter_client's two ways of saying a kernel never got as far as its first reply (kernel_info)."""
    text = str(error)
    return "didn't respond" in text or "died before replying to kernel_info" in text


def run(kernel, path, executed_dir, failed_dir, log_dir):
    """Returns (None, path of the executed copy) on success, else (error text, path of the partly executed copy)."""
    os.makedirs(log_dir, exist_ok=True)
    log_path = os.path.join(log_dir, os.path.basename(path) + ".kernel.log")
    for attempt, startup_timeout in enumerate(STARTUP_TIMEOUTS_S, start=1):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            kernel_name=kernel,
            timeout=CELL_TIMEOUT_S,
            startup_timeout=startup_timeout,
            record_timing=False,
            coalesce_streams=True,  # one stdout text per cell however the kernel chunked it
            allow_errors=False,
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        )
        try:
            with open(log_path, "w", encoding="utf-8") as log:
                # The kernel's own log (and the JVM's stderr) goes to a file, not into the test output.
                client.execute(stderr=log)
        except RuntimeError as e:
            atexit.unregister(client._cleanup_kernel)  # nbclient already shut that kernel down; don't again at exit
            # The kernel never answered, or died, before its first reply (see STARTUP_TIMEOUTS_S): no cell has run
            # yet, so a fresh kernel is safe. Any other failure is the notebook's.
            if is_startup_failure(e) and attempt < len(STARTUP_TIMEOUTS_S):
                print(f"notebooks: {os.path.relpath(path)}: the kernel did not start ({e}; waited up to {startup_timeout} s);"
                      f" starting another (attempt {attempt + 1} of {len(STARTUP_TIMEOUTS_S)})", file=sys.stderr, flush=True)
                continue
            return failed(nb, str(e) + f"\n(kernel log: {os.path.relpath(log_path)})", path, failed_dir)
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
            return failed(nb, str(e) + f"\n(kernel log: {os.path.relpath(log_path)})", path, failed_dir)
        clean(nb)
        return None, write(nb, os.path.join(executed_dir, os.path.basename(path)))


def failed(nb, error, path, failed_dir):
    clean(nb)
    return error, write(nb, os.path.join(failed_dir, os.path.basename(path)))


def write(nb, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
        # nbformat writes no final newline; add one so the files end like every other text file.
        f.write("\n")
    return path


def comparable(output):
    """An output without what differs from run to run by nature: execution count, metadata, transient ids."""
    kind = output.get("output_type")
    if kind == "stream":
        return {"output_type": kind, "name": output.get("name"), "text": "".join(output.get("text", ""))}
    if kind in ("execute_result", "display_data"):
        data = {mime: "".join(v) if isinstance(v, list) else v for mime, v in output.get("data", {}).items()}
        return {"output_type": kind, "data": data}
    if kind == "error":
        return {"output_type": kind, "ename": output.get("ename"), "evalue": output.get("evalue")}
    return {"output_type": kind}


def differences(committed_path, executed_path, limit=5):
    """Where the executed notebook's cell outputs differ from the committed one's: one line per cell, at most `limit`."""
    committed = nbformat.read(committed_path, as_version=4).cells
    executed = nbformat.read(executed_path, as_version=4).cells
    if len(committed) != len(executed):
        return [f"{len(committed)} cells committed, but {len(executed)} executed"]
    found = []
    for index, (a, b) in enumerate(zip(committed, executed), start=1):
        if a.cell_type != "code":
            continue
        was = [comparable(o) for o in a.get("outputs", [])]
        now = [comparable(o) for o in b.get("outputs", [])]
        if was != now:
            found.append(f"cell {index} ({first_line(a.source)}): {describe(was, now)}")
    if len(found) > limit:
        found = found[:limit] + [f"... and {len(found) - limit} more cells"]
    return found


def describe(was, now):
    """What first differs between two lists of comparable outputs, in a few words."""
    if len(was) != len(now):
        return f"{len(was)} outputs committed, {len(now)} now"
    for i, (a, b) in enumerate(zip(was, now), start=1):
        if a == b:
            continue
        if a.get("output_type") != b.get("output_type"):
            return f"output {i} was {a.get('output_type')}, now {b.get('output_type')}"
        if "text" in a:
            return f"output {i}: {first_difference(a['text'], b['text'])}"
        if "data" in a:
            for mime in sorted(set(a["data"]) | set(b["data"])):
                x, y = a["data"].get(mime), b["data"].get(mime)
                if x != y:
                    if isinstance(x, str) and isinstance(y, str) and not mime.startswith("image/"):
                        return f"output {i} {mime}: {first_difference(x, y)}"
                    return f"output {i} {mime} differs ({len(x or '')} characters committed, {len(y or '')} now)"
        return f"output {i}: {a} != {b}"
    return "outputs differ"


def first_difference(was, now):
    was_lines, now_lines = was.splitlines(), now.splitlines()
    for n, (a, b) in enumerate(zip(was_lines, now_lines), start=1):
        if a != b:
            return f"line {n} was {a.strip()[:100]!r}, now {b.strip()[:100]!r}"
    return f"{len(was_lines)} lines committed, {len(now_lines)} now"


def first_line(source):
    line = source.strip().splitlines()[0] if source.strip() else ""
    return line[:60] + ("..." if len(line) > 60 else "")


def main(argv):
    args = argv[1:]
    update = "--update" in args
    args = [a for a in args if a != "--update"]
    if len(args) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    kernel, paths = args[0], args[1:]
    work = os.path.join(os.getcwd(), "target", "notebooks")
    failures = 0
    for path in paths:
        start = time.monotonic()
        error, copy = run(kernel, path, os.path.join(work, "executed"), os.path.join(work, "failed"), os.path.join(work, "logs"))
        took = time.monotonic() - start
        name = os.path.relpath(path)
        if error is not None:
            failures += 1
            print(f"FAILED  {name}  ({took:.1f} s); executed copy: {os.path.relpath(copy)}", flush=True)
            print(indent(error), file=sys.stderr, flush=True)
        elif update:
            shutil.copyfile(copy, path)
            print(f"UPDATED {name}  ({took:.1f} s)", flush=True)
        elif diffs := differences(path, copy):
            failures += 1
            print(f"DIFFERS {name}  ({took:.1f} s); executed copy: {os.path.relpath(copy)}", flush=True)
            print(indent("\n".join(diffs)), file=sys.stderr, flush=True)
        else:
            print(f"OK      {name}  ({took:.1f} s)", flush=True)
    if failures:
        print(f"notebooks: {failures} of {len(paths)} FAILED or differ from their committed outputs"
              f" (if the change is meant: bash notebooks/run.sh --update)", flush=True)
    else:
        what = "ran and were written back" if update else "ran; outputs match the committed ones"
        print(f"notebooks: all {len(paths)} {what}", flush=True)
    return 1 if failures else 0


def indent(text, limit=60):
    lines = re.sub(r"\x1b\[[0-9;]*m", "", text).strip().splitlines()  # the kernel colours its tracebacks
    if len(lines) > limit:
        lines = lines[:limit] + [f"... ({len(lines) - limit} more lines)"]
    return "\n".join("    " + line for line in lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
