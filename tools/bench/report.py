#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Tables (Markdown) from the results of tools/bench/run.sh.

  report.py RESULTS

RESULTS: one measurement a line, tab-separated: tool (stream, iperf3,
conn), method, round, metric, value. Every figure printed is a median over
the rounds; every ratio is the median of the ratios within each round
(paired: both sides measured minutes apart in the same boot), so drift of
the host between rounds cancels out.
"""
import statistics
import sys
from collections import defaultdict

TOOLS = {
    "stream": "Bulk throughput, ktls_bench (one connection, every byte checked)",
    "iperf3": "Bulk throughput, iperf3 (for comparison; iperf3 has no kTLS)",
}


def load(path):
    data = defaultdict(dict)  # (tool, method, metric) -> {round: value}
    order = defaultdict(list)  # tool -> methods, in first-seen order
    with open(path) as f:
        for line in f:
            tool, method, rnd, metric, value = line.rstrip("\n").split("\t")
            data[tool, method, metric][int(rnd)] = float(value)
            if method not in order[tool]:
                order[tool].append(method)
    return data, order


def median(values):
    return statistics.median(values) if values else None


def paired_ratio(data, tool, metric, num, den):
    """median over rounds of num/den, both measured in that round"""
    a = data.get((tool, num, metric), {})
    b = data.get((tool, den, metric), {})
    return median([a[r] / b[r] for r in a if r in b and b[r]])


def fmt(v, digits=2):
    return "n/a" if v is None else f"{v:.{digits}f}"


def runs_text(data, tool, method, metric, digits=0):
    """the value of each round, in order; FAILED for a failed round"""
    runs = data.get((tool, method, metric), {})
    bad = data.get((tool, method, "failed"), {})
    return " / ".join("FAILED" if r in bad else fmt(runs.get(r), digits)
                      for r in sorted(set(runs) | set(bad)))


def med(data, tool, method, metric):
    return median(list(data.get((tool, method, metric), {}).values()))


def sort_methods(methods):
    rank = ["plain", "plain+ko", "tcpcrypt", "ktls", "esp", "wireguard"]
    return sorted(methods, key=lambda m: (rank.index(m.split("-")[0]), m))


def tcpcrypt_peer(method, methods):
    """the tcpcrypt variant a method compares with: same AEAD if any"""
    aead = {"wireguard": "chacha20poly1305"}.get(method)
    if method.startswith(("ktls-", "esp-")):
        aead = method.split("-", 1)[1]
    want = f"tcpcrypt-{aead or 'aes128gcm'}"
    if want in methods:
        return want
    return next((m for m in methods if m.startswith("tcpcrypt-")), None)


def bulk_table(data, order, tool):
    methods = sort_methods(order[tool])
    print(f"### {TOOLS[tool]}")
    print()
    print("| method | Mbit/s | runs (Mbit/s) | CPU s/GiB | ÷ plain TCP "
          "| tcpcrypt ÷ method (same AEAD) |")
    print("|---|---:|---|---:|---:|---|")
    for m in methods:
        vs_plain = paired_ratio(data, tool, "mbit_s", m, "plain")
        peer = None if m.startswith("tcpcrypt-") else tcpcrypt_peer(m, methods)
        if peer:
            r = paired_ratio(data, tool, "mbit_s", peer, m)
            vs = f"{fmt(r, 3)} ({peer.split('-', 1)[1]})"
        else:
            vs = "—"
        print(f"| {m} | {fmt(med(data, tool, m, 'mbit_s'), 1)} "
              f"| {runs_text(data, tool, m, 'mbit_s')} "
              f"| {fmt(med(data, tool, m, 'cpu_s_per_gib'), 2)} "
              f"| {fmt(vs_plain, 3)} | {vs} |")
    print()


def conn_table(data, order):
    methods = sort_methods(order["conn"])
    print("### Short connections (conn_bench: connect, 64-byte request, "
          "echo, close; one after another)")
    print()
    print("| method | connections/s | runs (conn/s) | median latency (ms) "
          "| p90 (ms) | rate ÷ plain TCP | median latency − plain (ms) |")
    print("|---|---:|---|---:|---:|---:|---:|")
    base = data.get(("conn", "plain", "lat_median_us"), {})
    for m in methods:
        lat = data.get(("conn", m, "lat_median_us"), {})
        extra = median([(lat[r] - base[r]) / 1e3 for r in lat if r in base])
        lat_ms = med(data, "conn", m, "lat_median_us")
        p90_ms = med(data, "conn", m, "lat_p90_us")
        print(f"| {m} | {fmt(med(data, 'conn', m, 'conn_s'), 1)} "
              f"| {runs_text(data, 'conn', m, 'conn_s', 1)} "
              f"| {fmt(lat_ms and lat_ms / 1e3, 2)} "
              f"| {fmt(p90_ms and p90_ms / 1e3, 2)} "
              f"| {fmt(paired_ratio(data, 'conn', 'conn_s', m, 'plain'), 3)} "
              f"| {fmt(extra, 2)} |")
    print()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    data, order = load(sys.argv[1])
    for tool in ("stream", "iperf3"):
        if order[tool]:
            bulk_table(data, order, tool)
    if order["conn"]:
        conn_table(data, order)


if __name__ == "__main__":
    main()
