#!/usr/bin/env python3
"""Expands the `generate` steps of upstream validation cases into plain objects.

tests/lint/cases/*.yaml hold upstream's create-validation test tables as facts (see the
comment at the top of each file). Huge inputs (129 devices, a 10 KiB expression) are written
there as `generate` steps; this script applies them once and writes *.expanded.json next to
each file, which the C++ test reads (so the test needs no YAML editing of its own).

  python3 tests/lint/expand_cases.py        # rewrite every *.expanded.json
"""
import json
import pathlib
import re

import yaml

HERE = pathlib.Path(__file__).parent / "cases"


def tokens(path):
    out = []
    for part in re.findall(r"[^.\[\]]+|\[[^\]]*\]", path):
        if part.startswith("["):
            inner = part[1:-1]
            out.append(int(inner) if inner.isdigit() else inner)
        else:
            out.append(part)
    return out


def walk(obj, path, leaf):
    """The container at `path` (created when missing; `leaf` makes the last one)."""
    toks = tokens(path)
    cur = obj
    for i, t in enumerate(toks):
        last = i + 1 == len(toks)
        if isinstance(t, int):
            cur = cur[t]
            continue
        if cur.get(t) is None:
            cur[t] = leaf() if last else ([] if isinstance(toks[i + 1], int) else {})
        cur = cur[t]
    return cur


def apply(obj, steps):
    for step in steps:
        if "append" in step:
            items = walk(obj, step["append"], list)
            start = step.get("start", 0)
            for i in range(step["count"]):
                items.append(yaml.safe_load(step["item"].replace("%d", str(start + i))))
        elif "add_entries" in step:
            entries = walk(obj, step["add_entries"], dict)
            start = step.get("start", 0)
            for i in range(step["count"]):
                key = step["key"].replace("%d", str(start + i))
                entries[key] = yaml.safe_load(step["value"].replace("%d", str(start + i)))
        elif "fill_string" in step:
            toks = tokens(step["fill_string"])
            parent = obj
            for i, t in enumerate(toks[:-1]):
                if isinstance(t, int):
                    parent = parent[t]
                    continue
                if parent.get(t) is None:
                    parent[t] = [] if isinstance(toks[i + 1], int) else {}
                parent = parent[t]
            prefix, suffix = step.get("prefix", ""), step.get("suffix", "")
            parent[toks[-1]] = prefix + step["char"] * (step["length"] - len(prefix) - len(suffix)) + suffix
        elif "raw_json" in step:
            return False  # bytes no YAML or JSON client can send
        else:
            raise ValueError(f"unknown step {step}")
    return True


def main():
    for source in sorted(HERE.glob("*.yaml")):
        cases = yaml.safe_load(source.read_text())
        out = []
        for case in cases:
            if case.get("name") == "_skipped" or "skip" in case:
                continue
            obj = yaml.safe_load(case["object"])
            if "generate" in case and not apply(obj, case["generate"]):
                continue
            errors = case.get("server_errors", case.get("errors", []))
            out.append({"name": case["name"], "object": obj, "errors": errors})
        target = source.with_suffix(".expanded.json")
        target.write_text(json.dumps(out, indent=1, sort_keys=False) + "\n")
        print(f"{target.name}: {len(out)} cases")


if __name__ == "__main__":
    main()
