#!/usr/bin/env python3
"""explain_after_load.py: what `kubectl dra explain` adds to loading its dump (issue #5).

    bench/explain_after_load.py BIN DUMP NAMESPACE/CLAIM [RUNS [-o json]]

Runs `BIN explain claim NAMESPACE/CLAIM -f DUMP` RUNS times (default 15) under
`perf trace`, which records the main thread's system calls with their times, and reads
two stretches off each run:

- load: from opening the dump to unmapping it (the loader maps the file and unmaps it once
  it has built the model);
- after load: from unmapping the dump to exit_group, i.e. everything the command does once
  the cluster is loaded (the control plane's passes, the explanation, rendering, writing
  the output). The kernel's teardown of the address space after exit_group is not counted.

Prints one JSON object per run, then a summary line with the medians:
    {"what":"explain.after_load","runs":N,"load_ms":L,"after_load_ms":A,"within_100ms":K}

Needs perf (linux-perf) with permission to trace system calls (root, or
kernel.perf_event_paranoid <= 1 and access to tracefs).
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile


def one_run(binary, dump, claim, extra, trace_file):
    subprocess.run(
        ["perf", "trace", "-e", "openat,munmap,exit_group", "--no-inherit", "-o", trace_file,
         binary, "explain", "claim", claim, "-f", dump] + extra,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    size = os.path.getsize(dump)
    opened = unmapped = ended = None
    with open(trace_file) as f:
        for line in f:
            fields = line.split()
            if not fields:
                continue
            try:
                t = float(fields[0])
            except ValueError:
                continue
            if "openat(" in line and opened is None:
                opened = t  # the binary is static: the dump is the first file it opens
            elif "munmap(" in line and f"len: {size})" in line and unmapped is None:
                unmapped = t
            elif "exit_group(" in line:
                ended = t
    if None in (opened, unmapped, ended):
        sys.exit(f"explain_after_load: no open/unmap of {dump} or no exit_group in the trace")
    return unmapped - opened, ended - unmapped


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    binary, dump, claim = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 15
    extra = sys.argv[5:]
    loads, afters = [], []
    with tempfile.NamedTemporaryFile(suffix=".trace") as tf:
        for _ in range(runs):
            load, after = one_run(binary, dump, claim, extra, tf.name)
            loads.append(load)
            afters.append(after)
            print(json.dumps({"what": "explain.run", "load_ms": round(load, 1),
                              "after_load_ms": round(after, 1)}))
    print(json.dumps({"what": "explain.after_load", "runs": runs,
                      "load_ms": round(statistics.median(loads), 1),
                      "after_load_ms": round(statistics.median(afters), 1),
                      "within_100ms": sum(a <= 100 for a in afters)}))


if __name__ == "__main__":
    main()
