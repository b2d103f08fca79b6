#!/usr/bin/env python3
"""Check that include/uapi/linux/tcpcrypt.h matches the YAML netlink spec.

Every enum of the spec (definitions, attribute sets, operations) must appear
in the header with the same names and values; the header may not define
extra entries in those enums. Exit 1 and list each mismatch otherwise.
"""
import re
import sys
from pathlib import Path

import yaml

TOP = Path(__file__).resolve().parent.parent
SPEC = TOP / "Documentation/netlink/specs/tcpcrypt.yaml"
HDR = TOP / "include/uapi/linux/tcpcrypt.h"


def cname(prefix, name):
    return (prefix + name).upper().replace("-", "_")


def header_enums(text):
    """Map each enumerator of the header to its value."""
    values = {}
    for body in re.findall(r"enum\s*\w*\s*\{(.*?)\};", text, re.S):
        body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
        nxt = 0
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            m = re.match(r"(\w+)\s*(?:=\s*(.+))?$", item, re.S)
            if not m:
                continue
            name, expr = m.group(1), m.group(2)
            if expr is not None:
                expr = expr.strip()
                val = values.get(expr)
                if val is None:
                    m2 = re.match(r"(\w+)\s*-\s*1$", expr)
                    val = values[m2.group(1)] - 1 if m2 else int(expr, 0)
                nxt = val
            values[name] = nxt
            nxt += 1
    return values


def expected(spec):
    exp = {}
    for d in spec.get("definitions", []):
        if d.get("type") != "enum":
            continue
        val = 0
        for e in d["entries"]:
            if isinstance(e, dict):
                val = e.get("value", val)
                name = e["name"]
            else:
                name = e
            exp[cname(d["name-prefix"], name)] = val
            val += 1
    for s in spec["attribute-sets"]:
        val = 0
        for a in s["attributes"]:
            val = a.get("value", val)
            exp[cname(s["name-prefix"], a["name"])] = val
            val += 1
    ops = spec["operations"]
    val = 0
    for o in ops["list"]:
        val = o.get("value", val)
        exp[cname(ops["name-prefix"], o["name"])] = val
        val += 1
    return exp


def main():
    spec = yaml.safe_load(SPEC.read_text())
    hdr = header_enums(HDR.read_text())
    errors = []
    exp = expected(spec)
    for name, val in exp.items():
        if name not in hdr:
            errors.append(f"{name}: in the spec, missing from the header")
        elif hdr[name] != val:
            errors.append(f"{name}: spec {val:#x}, header {hdr[name]:#x}")
    prefixes = tuple({n.rsplit("_", 1)[0] + "_" for n in exp})
    for name in hdr:
        if name.startswith("__") or name.endswith("_MAX"):
            continue
        if name not in exp and name.startswith(prefixes):
            errors.append(f"{name}: in the header, missing from the spec")
    for e in errors:
        print("check-uapi:", e)
    if errors:
        return 1
    print(f"check-uapi: header matches the spec ({len(exp)} names)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
