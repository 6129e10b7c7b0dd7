"""Executes convlab's notebooks headlessly with nbclient; used by notebooks/run.sh.

usage: execute.py KERNEL_NAME NOTEBOOK...

Each notebook runs in a fresh kernel with its own folder as the working directory. A notebook whose cells all run
is written back in place (outputs included, so it reads well where it is hosted); one with a failing cell is left
untouched and its partly executed copy goes to target/notebooks/failed/ instead. Prints one line per notebook and
exits 1 if any failed.
"""

import atexit
import os
import re
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


def run(kernel, path, failed_dir, log_dir):
    """Returns (None, None) on success, else (error text, path of the executed copy)."""
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
        with open(path, "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
            # nbformat writes no final newline; add one so the files end like every other text file.
            f.write("\n")
        return None, None


def failed(nb, error, path, failed_dir):
    os.makedirs(failed_dir, exist_ok=True)
    clean(nb)
    copy = os.path.join(failed_dir, os.path.basename(path))
    nbformat.write(nb, copy)
    return error, copy


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    kernel, paths = argv[1], argv[2:]
    failed_dir = os.path.join(os.getcwd(), "target", "notebooks", "failed")
    log_dir = os.path.join(os.getcwd(), "target", "notebooks", "logs")
    failures = 0
    for path in paths:
        start = time.monotonic()
        error, copy = run(kernel, path, failed_dir, log_dir)
        took = time.monotonic() - start
        name = os.path.relpath(path)
        if error is None:
            print(f"OK      {name}  ({took:.1f} s)", flush=True)
        else:
            failures += 1
            print(f"FAILED  {name}  ({took:.1f} s); executed copy: {os.path.relpath(copy)}", flush=True)
            print(indent(error), file=sys.stderr, flush=True)
    if failures:
        print(f"notebooks: {failures} of {len(paths)} FAILED", flush=True)
    else:
        print(f"notebooks: all {len(paths)} ran without errors", flush=True)
    return 1 if failures else 0


def indent(text, limit=60):
    lines = re.sub(r"\x1b\[[0-9;]*m", "", text).strip().splitlines()  # the kernel colours its tracebacks
    if len(lines) > limit:
        lines = lines[:limit] + [f"... ({len(lines) - limit} more lines)"]
    return "\n".join("    " + line for line in lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
