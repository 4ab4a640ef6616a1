#!/usr/bin/env python3
"""bench.py: the linker benchmark behind ci/bench and ci/bench-smoke (issue 6).

Links each workload with touchstone-ld, rust-lld (its default, multi-threaded, and with
--threads=1 for information) and wasm-ld-19, interleaved (one run of each linker per round, the
order rotating every round), and records for every run the wall time, the CPU time (user +
system) and the peak RSS, read with wait4() as /usr/bin/time does. Workloads: the real programs
of tests/real_programs.rs (their cached objects and exact link commands, taken from
target/real-programs-report.md), SQLite linked as a side module (`-shared --experimental-pic`
of its PIC objects, the link tests/dynamic_programs.rs checks, taken from
target/dynamic-programs-report.md) and synthetic sets written by ci/benchgen from about 10 MB to
1 GB. Checks that every linker's output exists, that touchstone-ld's output is byte-identical to
rust-lld's, and (for the smaller ones) that the outputs run and return the expected checksum
(not the partial link's object nor the side module: tests/dynamic_programs.rs runs the side
module, with its main module, through the oracle's loader).
Writes results.json (every run), table.md and time-memory.png to the results folder, and
readme.md, the summary README's benchmark section shows, which it puts into README.md between
`<!-- bench:begin -->` and `<!-- bench:end -->` (ci/readme-section). Every report names the
reference's version (`rust-lld -flavor wasm --version`), the commit and the date.

Only the standard library, except matplotlib for the plot (ci/bench installs it).
"""

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# The cargo target directory, where tests/real_programs.rs caches its objects too.
TARGET = os.path.abspath(os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target"))
WORK = os.path.join(TARGET, "bench")
REAL_DIR_DEFAULT = os.path.join(TARGET, "tmp", "real-programs")
REPORT = os.path.join(TARGET, "real-programs-report.md")
DYNAMIC_REPORT = os.path.join(TARGET, "dynamic-programs-report.md")

TOUCHSTONE = "touchstone-ld"
# touchstone-ld validating its output (--touchstone-validate, issue 15): the option's cost.
TOUCHSTONE_VALIDATE = "touchstone-ld-validate"
RUST_LLD = "rust-lld"
RUST_LLD_1 = "rust-lld-t1"
WASM_LD_19 = "wasm-ld-19"
LINKER_ORDER = [TOUCHSTONE, TOUCHSTONE_VALIDATE, RUST_LLD, RUST_LLD_1, WASM_LD_19]
LINKER_LABEL = {
    TOUCHSTONE: "touchstone-ld",
    TOUCHSTONE_VALIDATE: "touchstone-ld --touchstone-validate",
    RUST_LLD: "rust-lld",
    RUST_LLD_1: "rust-lld --threads=1",
    WASM_LD_19: "wasm-ld-19",
}

# Real programs measured (program, build) in the report's spelling; hello is too small to say
# anything about a linker and is left out.
REAL_WORKLOADS = [("sqlite", "O2"), ("sqlite", "O0-g"), ("lua", "O2"), ("lua", "O0-g"),
                  ("harfbuzz", "O2"), ("harfbuzz", "O0-g"), ("lua", "r"),
                  ("sqlite", "shared-O2"), ("sqlite", "shared-O0-g")]
# A build `r` is a partial link (`-r`) of the program's own -O2 objects (no crt1, no libraries):
# its output is an object, checked for byte identity but not run.
PARTIAL = "r"
# A build `shared-CONFIG` is the side module link of tests/dynamic_programs.rs (its own report,
# its PIC objects): checked for byte identity but not run here, since a side module runs only
# with its main module in a dynamic loader (the test does that).
SHARED = "shared-"


def report_key(prog, build):
    """The report's section a workload's link command comes from."""
    return (prog, "O2" if build == PARTIAL else build)


def runnable(build):
    """Whether a real workload's output is a program bench.py can run (see PARTIAL, SHARED)."""
    return build != PARTIAL and not build.startswith(SHARED)


# Synthetic scale points (MB of objects) and runs per linker at each.
SYNTH_SIZES = [10, 30, 100, 300, 1000]
# Workloads up to this size are also run in wasmtime (the oracle compiles with fuel metering:
# the 10 MB set takes about 30 s; for the larger ones the byte identity with rust-lld's output
# stands in).
RUN_CHECK_MAX_MB = 10


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def die(msg):
    log(f"error: {msg}")
    sys.exit(1)


# ---------------------------------------------------------------------------------------------
# Tools


def rust_lld_path():
    sysroot = subprocess.run(
        ["rustc", "--print", "sysroot"], capture_output=True, text=True, check=True
    ).stdout.strip()
    path = os.path.join(sysroot, "lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld")
    if not os.access(path, os.X_OK):
        die(f"{path} is missing (rust-lld ships with the Rust toolchain)")
    return path


def linker_prefixes(touchstone, linkers):
    rust_lld = rust_lld_path()
    wasm_ld = shutil.which("wasm-ld-19")
    prefixes = {
        TOUCHSTONE: [touchstone],
        TOUCHSTONE_VALIDATE: [touchstone, "--touchstone-validate"],
        RUST_LLD: [rust_lld, "-flavor", "wasm"],
        RUST_LLD_1: [rust_lld, "-flavor", "wasm", "--threads=1"],
        WASM_LD_19: [wasm_ld] if wasm_ld else None,
    }
    chosen = {}
    for name in linkers:
        if prefixes.get(name) is None:
            die(f"linker {name} is not available (wasm-ld-19 comes from Debian's lld-19: bash ci/setup)")
        chosen[name] = prefixes[name]
    return chosen


def versions(prefixes):
    out = {}
    for name, prefix in prefixes.items():
        try:
            r = subprocess.run(prefix + ["--version"], capture_output=True, text=True, timeout=30)
            out[name] = (r.stdout or r.stderr).strip().splitlines()[0] if (r.stdout or r.stderr) else ""
        except (OSError, subprocess.TimeoutExpired) as e:
            out[name] = f"unknown ({e})"
    return out


# ---------------------------------------------------------------------------------------------
# Measuring


def run_once(argv, cwd, stderr_path):
    """Runs argv; returns (exit status, wall s, (user s, system s), peak RSS KiB) from wait4()."""
    with open(stderr_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=err, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, wall, (usage.ru_utime, usage.ru_stime), usage.ru_maxrss


def measure(workload, commands, cwd, runs):
    """Interleaved runs of every linker on one workload. commands: name -> argv."""
    names = list(commands)
    results = {
        n: {"wall_s": [], "cpu_s": [], "user_s": [], "sys_s": [], "rss_kib": [], "status": "ok", "error": ""}
        for n in names
    }
    errdir = os.path.join(WORK, "stderr")
    os.makedirs(errdir, exist_ok=True)
    # Round 0 is a warm-up (page cache, first output file) and a check that every linker links.
    for rnd in range(runs + 1):
        shift = rnd % len(names)
        for name in names[shift:] + names[:shift]:
            res = results[name]
            if res["status"] != "ok":
                continue
            errfile = os.path.join(errdir, f"{workload}.{name}.txt")
            code, wall, cpu, rss = run_once(commands[name], cwd, errfile)
            if code != 0:
                with open(errfile, "rb") as f:
                    text = f.read().decode("utf-8", "replace").strip()
                res["status"] = "failed"
                res["error"] = f"exit {code}: {text[-2000:]}"
                log(f"{workload}: {name} failed: {res['error'][:500]}")
                continue
            if rnd > 0:
                res["wall_s"].append(wall)
                res["cpu_s"].append(cpu[0] + cpu[1])
                res["user_s"].append(cpu[0])
                res["sys_s"].append(cpu[1])
                res["rss_kib"].append(rss)
    for name, res in results.items():
        if res["wall_s"]:
            res["median_wall_s"] = statistics.median(res["wall_s"])
            res["median_cpu_s"] = statistics.median(res["cpu_s"])
            res["median_user_s"] = statistics.median(res["user_s"])
            res["median_sys_s"] = statistics.median(res["sys_s"])
            res["median_rss_kib"] = statistics.median(res["rss_kib"])
            res["min_wall_s"] = min(res["wall_s"])
    return results


def scaling_pass(workloads, rounds):
    """Time per input MB measured with the sizes interleaved: each round links every synthetic
    set once (touchstone-ld, then rust-lld), the order of the sets rotating from round to round.
    The per-workload measurements run one size after another, so a machine that is faster or
    slower for a few minutes (a shared VM) shows up as a size effect; interleaving spreads such
    drift over every size. Returns {linker: {workload: {median_wall_s, median_cpu_s, runs}}}."""
    synth = sorted((w for w in workloads if w["kind"] == "synthetic"), key=lambda w: w["input_bytes"])
    if len(synth) < 2:
        return {}
    names = [n for n in (TOUCHSTONE, RUST_LLD) if all(n in w.get("commands", {}) for w in synth)]
    samples = {n: {w["name"]: {"wall_s": [], "cpu_s": []} for w in synth} for n in names}
    errfile = os.path.join(WORK, "stderr", "scaling.txt")
    log(f"scaling pass: {rounds} rounds x {len(synth)} sets x {len(names)} linkers, sizes interleaved")
    for rnd in range(rounds):
        order = synth[rnd % len(synth):] + synth[: rnd % len(synth)]
        for w in order:
            for n in names:
                code, wall, cpu, _ = run_once(shlex.split(w["commands"][n]), w["cwd"], errfile)
                if code == 0:
                    samples[n][w["name"]]["wall_s"].append(wall)
                    samples[n][w["name"]]["cpu_s"].append(cpu[0] + cpu[1])
    out = {}
    for n in names:
        out[n] = {}
        for w in synth:
            xs = samples[n][w["name"]]
            if xs["wall_s"]:
                out[n][w["name"]] = {
                    "median_wall_s": statistics.median(xs["wall_s"]),
                    "median_cpu_s": statistics.median(xs["cpu_s"]),
                    "runs": len(xs["wall_s"]),
                }
    return out


def files_identical(a, b):
    try:
        with open(a, "rb") as fa, open(b, "rb") as fb:
            while True:
                x, y = fa.read(1 << 20), fb.read(1 << 20)
                if x != y:
                    return False
                if not x:
                    return True
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------
# Real programs


def parse_report(report_path):
    """(program, build) -> (cwd, args without linker and -o) from the report's rust-lld lines."""
    with open(report_path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"Run in `([^`]+)`", text)
    cwd = m.group(1) if m else REAL_DIR_DEFAULT
    found = {}
    heading = None
    for line in text.splitlines():
        h = re.match(r"^### (\S+) (\S+)\s*$", line)
        if h:
            heading = (h.group(1), h.group(2))
            continue
        if heading and line.startswith("    ") and "rust-lld" in line and "-flavor" in line:
            argv = shlex.split(line.strip())
            i = argv.index("-flavor")
            args = argv[i + 2 :]
            if "-o" in args:
                j = args.index("-o")
                del args[j : j + 2]
            found[heading] = (cwd, args)
    return found


def input_files(cwd, args):
    """The files a link command reads: positional .o/.a and -lNAME found on the -L paths."""
    lib_dirs = [a[2:] for a in args if a.startswith("-L") and len(a) > 2]
    files = []
    for a in args:
        if a.startswith("-l") and len(a) > 2:
            for d in lib_dirs:
                p = os.path.join(d, f"lib{a[2:]}.a")
                if os.path.exists(p):
                    files.append(p)
                    break
        elif not a.startswith("-") and (a.endswith(".o") or a.endswith(".a")):
            files.append(os.path.join(cwd, a))
    return files


def report_links(report, test, keys):
    """The link commands of the workloads `keys` (program, build) from `report`, as
    {report_key: (cwd, args)}. When the report, a section or an input is missing, first runs
    the test that writes the report (and caches the objects): tests/TEST.rs."""
    wanted = sorted({report_key(*k) for k in keys})

    def usable():
        if not os.path.exists(report):
            return None
        parsed = parse_report(report)
        if not all(k in parsed for k in wanted):
            return None
        if not all(os.path.exists(f) for k in wanted for f in input_files(*parsed[k])):
            return None
        return {k: parsed[k] for k in wanted}

    parsed = usable()
    if parsed is None:
        log(f"{report} or its objects are missing: cargo test -p touchstone --test {test}")
        r = subprocess.run(["cargo", "test", "-p", "touchstone", "--test", test], cwd=REPO)
        if r.returncode != 0:
            log(f"warning: the {test} test failed; using its cached objects if they exist")
        parsed = usable()
        if parsed is None:
            needed = ", ".join(" ".join(k) for k in wanted)
            die(f"{report} does not list all of {needed} with their inputs present")
    return parsed


def real_workloads(args):
    """The real workloads asked for: the static links and `-r` from tests/real_programs.rs's
    report, the side module links (SHARED) from tests/dynamic_programs.rs's."""
    static = [k for k in REAL_WORKLOADS if not k[1].startswith(SHARED)]
    shared = [k for k in REAL_WORKLOADS if k[1].startswith(SHARED)]
    parsed = {}
    if static:
        parsed.update(report_links(args.real_report, "real_programs", static))
    if shared:
        parsed.update(report_links(args.dynamic_report, "dynamic_programs", shared))
    out = []
    for prog, build in REAL_WORKLOADS:
        cwd, a = parsed[report_key(prog, build)]
        if build == PARTIAL:
            # The cached objects (named relative to the report's folder), partially linked.
            a = [x for x in a if x.endswith(".o") and not os.path.isabs(x)] + ["-r"]
        size = sum(os.path.getsize(f) for f in input_files(cwd, a))
        out.append({"name": f"{prog}-{build}", "kind": "real", "cwd": cwd, "args": a, "input_bytes": size,
                    "runnable": runnable(build)})
    return out


# ---------------------------------------------------------------------------------------------
# Synthetic sets


def benchgen_binary():
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(TARGET, "benchgen"))
    manifest = os.path.join(REPO, "ci", "benchgen", "Cargo.toml")
    r = subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--manifest-path", manifest], env=env
    )
    if r.returncode != 0:
        die("building ci/benchgen failed")
    return os.path.join(TARGET, "benchgen", "release", "benchgen")


def read_manifest(path):
    try:
        with open(path, encoding="utf-8") as f:
            return dict(line.strip().split("=", 1) for line in f if "=" in line)
    except OSError:
        return None


def synthetic_set(gen, mb):
    out = os.path.join(WORK, "synth", f"{mb}mb")
    manifest = os.path.join(out, "manifest.txt")
    stamp = os.path.join(out, "generator.stamp")
    gen_stamp = str(os.path.getmtime(gen))
    m = read_manifest(manifest)
    if m is None or not os.path.exists(stamp) or open(stamp).read() != gen_stamp:
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        start = time.perf_counter()
        r = subprocess.run([gen, "--out", out, "--mb", str(mb)])
        if r.returncode != 0:
            die(f"benchgen --mb {mb} failed")
        log(f"generated {mb} MB set in {time.perf_counter() - start:.1f} s")
        with open(stamp, "w") as f:
            f.write(gen_stamp)
        m = read_manifest(manifest)
    n = int(m["objects"])
    args = ["--no-entry", "--export=checksum", "main.o"] + [f"obj{k}.o" for k in range(n)]
    return {
        "name": f"synthetic-{mb}MB",
        "kind": "synthetic",
        "cwd": out,
        "args": args,
        "input_bytes": int(m["bytes"]),
        "checksum": int(m["checksum"]),
        "objects": n,
        "functions_per_object": int(m["functions"]),
        "nominal_mb": mb,
    }


# ---------------------------------------------------------------------------------------------
# Running outputs


def oracle_binary(args):
    if args.oracle:
        return args.oracle
    r = subprocess.run(["cargo", "build", "--quiet", "-p", "touchstone-oracle", "--bin", "touchstone"], cwd=REPO)
    if r.returncode != 0:
        die("building the oracle (cargo build -p touchstone-oracle --bin touchstone) failed")
    return os.path.join(TARGET, "debug", "touchstone")


def instruction_counts(w, commands):
    """Instructions executed by each linker (valgrind's callgrind, all threads): a measure of
    work that, unlike time, does not move with the load of a shared machine."""
    exe = shutil.which("valgrind")
    if not exe:
        return None
    counts = {}
    for n, c in commands.items():
        r = subprocess.run(
            [exe, "--tool=callgrind", "--callgrind-out-file=/dev/null"] + c,
            cwd=w["cwd"],
            capture_output=True,
            text=True,
        )
        m = re.search(r"I\s+refs:\s+([\d,]+)", r.stderr)
        if r.returncode == 0 and m:
            counts[n] = int(m.group(1).replace(",", ""))
    return counts


def hyperfine_cross_check(w, commands, runs):
    """Wall-time medians from hyperfine (Debian's), as a check on the wait4 loop's numbers."""
    exe = shutil.which("hyperfine")
    if not exe:
        return None
    export = os.path.join(WORK, f"hyperfine-{w['name']}.json")
    argv = [exe, "--style", "none", "--warmup", "1", "--runs", str(runs), "--export-json", export]
    for n, c in commands.items():
        argv += ["--command-name", n, shlex.join(c)]
    r = subprocess.run(argv, cwd=w["cwd"], capture_output=True, text=True)
    if r.returncode != 0:
        log(f"{w['name']}: hyperfine failed: {r.stderr.strip()[-300:]}")
        return None
    with open(export) as f:
        data = json.load(f)
    return {x["command"]: {"median_wall_s": x["median"], "mean_user_s": x["user"], "mean_system_s": x["system"]} for x in data["results"]}


def run_checksum(oracle, wasm):
    r = subprocess.run([oracle, "run", wasm, "--invoke", "checksum"], capture_output=True, text=True, timeout=1200)
    m = re.search(r"results:\s*(-?\d+)", r.stdout)
    if r.returncode != 0 or not m:
        return None, (r.stdout + r.stderr).strip()[-500:]
    return int(m.group(1)), ""


def run_program(oracle, wasm, stdin_path):
    """Runs a WASI program under the oracle; returns (stdout, exit status, trap) as it reports
    them, or None when the oracle itself failed."""
    with open(stdin_path, "rb") as stdin:
        r = subprocess.run([oracle, "run", wasm], stdin=stdin, capture_output=True, timeout=600)
    text = r.stdout.decode("utf-8", "replace")
    out = re.search(r'^stdout: "(.*)"$', text, re.M)
    code = re.search(r"^exit: (-?\d+)$", text, re.M)
    trap = re.search(r"^trap: (.*)$", text, re.M)
    if not (out and code and trap):
        return None
    return unescape_rust_debug(out.group(1)), int(code.group(1)), trap.group(1)


def unescape_rust_debug(s):
    """Inverts Rust's `{:?}` escaping of a string (what the oracle prints)."""
    simple = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n in simple:
                out.append(simple[n])
                i += 2
                continue
            m = re.match(r"u\{([0-9a-fA-F]+)\}", s[i + 1 :])
            if m:
                out.append(chr(int(m.group(1), 16)))
                i += 1 + m.end()
                continue
        out.append(c)
        i += 1
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Report


def load(meta):
    parts = [meta.get("load_average_at_start"), meta.get("load_average_at_end")]
    return " / ".join(f"{p[0]:.1f}" if p else "?" for p in parts)


def ms(s):
    return f"{s * 1000:.0f}" if s < 10 else f"{s:.1f} s"


def fmt_time(s):
    if s is None:
        return "-"
    return f"{s * 1000:.0f} ms" if s < 10 else f"{s:.2f} s"


def fmt_rss(kib):
    return "-" if kib is None else f"{kib / 1024:.0f}"


def med(w, name, key):
    r = w["linkers"].get(name)
    return r.get(key) if r and r.get("status") == "ok" else None


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "-"


def write_table(results, path):
    linkers = [n for n in LINKER_ORDER if any(n in w["linkers"] for w in results["workloads"])]
    lines = []
    meta = results["meta"]
    lines.append("# Link benchmark: touchstone-ld, rust-lld, wasm-ld-19")
    lines.append("")
    lines.append(
        f"Measured {meta['date']} on {meta['machine']} ({meta['cpus']} CPUs), touchstone at "
        f"`{meta['git_commit']}`. Median of {meta['runs_note']} interleaved runs per linker "
        f"(after one warm-up), inputs in the page cache, outputs written to `{meta.get('outputs_written_to', '?')}`. "
        f"Load average (1 min) at start and end: {load(meta)} (2 means both CPUs busy before we start). Wall = elapsed time, CPU = user + system "
        "time, RSS = peak resident set (wait4). rust-lld runs with its default threads (one per "
        "CPU); `rust-lld -t1` is `--threads=1`, for information. Input MB counts every object "
        "and every whole archive the command names (10^6 bytes)."
    )
    lines.append("")
    lines.append(reference_line(meta))
    lines.append("")
    lines.append("## Wall time (CPU time)")
    lines.append("")
    head = "| workload | input MB | " + " | ".join(LINKER_LABEL[n] for n in linkers)
    head += " | wall ratio touchstone / rust-lld | CPU ratio | touchstone ms/MB |"
    lines.append(head)
    lines.append("|" + "---|" * (len(linkers) + 5))
    for w in results["workloads"]:
        cells = [w["name"], f"{w['input_bytes'] / 1e6:.1f}"]
        for n in linkers:
            wall, cpu = med(w, n, "median_wall_s"), med(w, n, "median_cpu_s")
            if wall is None:
                status = w["linkers"].get(n, {}).get("status", "-")
                cells.append(status)
            else:
                cells.append(f"{fmt_time(wall)} ({fmt_time(cpu)})")
        tw, rw = med(w, TOUCHSTONE, "median_wall_s"), med(w, RUST_LLD, "median_wall_s")
        tc, rc = med(w, TOUCHSTONE, "median_cpu_s"), med(w, RUST_LLD, "median_cpu_s")
        cells.append(ratio(tw, rw))
        cells.append(ratio(tc, rc))
        cells.append(f"{tw * 1000 / (w['input_bytes'] / 1e6):.2f}" if tw else "-")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("## Peak RSS (MiB)")
    lines.append("")
    head = "| workload | input MB | " + " | ".join(LINKER_LABEL[n] for n in linkers)
    head += " | RSS ratio touchstone / rust-lld | output identical to rust-lld's | output runs |"
    lines.append(head)
    lines.append("|" + "---|" * (len(linkers) + 5))
    for w in results["workloads"]:
        cells = [w["name"], f"{w['input_bytes'] / 1e6:.1f}"]
        for n in linkers:
            cells.append(fmt_rss(med(w, n, "median_rss_kib")))
        cells.append(ratio(med(w, TOUCHSTONE, "median_rss_kib"), med(w, RUST_LLD, "median_rss_kib")))
        checks = w.get("checks", {})
        cells.append({True: "yes", False: "NO"}.get(checks.get("identical_to_rust_lld"), "-"))
        cells.append(checks.get("run", "-"))
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    notes = workload_notes(results["workloads"])
    if notes:
        lines += notes + [""]
    synth = sorted((w for w in results["workloads"] if w["kind"] == "synthetic"), key=lambda w: w["input_bytes"])
    if synth:
        lines.append("## Scaling: milliseconds per input MB, wall (CPU), synthetic sets")
        lines.append("")
        lines.append("| linker | " + " | ".join(f"{w['input_bytes'] / 1e6:.0f} MB" for w in synth) + " | wall spread | CPU spread |")
        lines.append("|" + "---|" * (len(synth) + 3))
        for n in linkers:
            cells, walls, cpus = [LINKER_LABEL[n]], [], []
            for w in synth:
                mb = w["input_bytes"] / 1e6
                wall, cpu = med(w, n, "median_wall_s"), med(w, n, "median_cpu_s")
                if wall is None:
                    cells.append("-")
                    continue
                walls.append(wall * 1000 / mb)
                cpus.append(cpu * 1000 / mb)
                cells.append(f"{walls[-1]:.2f} ({cpus[-1]:.2f})")
            for xs in (walls, cpus):
                cells.append(f"{(max(xs) / min(xs) - 1) * 100:.0f}%" if len(xs) >= 2 else "-")
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        lines.append("Spread = slowest / fastest ms per MB - 1 (the target is at most 20%).")
        lines.append("")
        sc = results.get("scaling") or {}
        if sc:
            rounds = max((r["runs"] for per in sc.values() for r in per.values()), default=0)
            lines.append("## Scaling with the sizes interleaved: milliseconds per input MB, wall (CPU)")
            lines.append("")
            lines.append(
                f"{rounds} rounds; each round links every synthetic set once, the order of the sets "
                "rotating, so that a machine that is faster or slower for a while affects every "
                "size alike (the table above measures one size after another). Medians."
            )
            lines.append("")
            lines.append("| linker | " + " | ".join(f"{w['input_bytes'] / 1e6:.0f} MB" for w in synth) + " | wall spread | CPU spread |")
            lines.append("|" + "---|" * (len(synth) + 3))
            for n in (TOUCHSTONE, RUST_LLD):
                if n not in sc:
                    continue
                cells, walls, cpus = [LINKER_LABEL[n]], [], []
                for w in synth:
                    r = sc[n].get(w["name"])
                    if not r:
                        cells.append("-")
                        continue
                    mb = w["input_bytes"] / 1e6
                    walls.append(r["median_wall_s"] * 1000 / mb)
                    cpus.append(r["median_cpu_s"] * 1000 / mb)
                    cells.append(f"{walls[-1]:.2f} ({cpus[-1]:.2f})")
                for xs in (walls, cpus):
                    cells.append(f"{(max(xs) / min(xs) - 1) * 100:.0f}%" if len(xs) >= 2 else "-")
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
    ic = [w for w in results["workloads"] if w.get("instructions")]
    if ic:
        lines.append("## Instructions executed (valgrind, millions; all threads)")
        lines.append("")
        lines.append(
            "Unlike time, this does not move with the load of a shared machine: the number to "
            "watch when optimizing. It counts work, not stalls: memory traffic and page faults "
            "are not in it."
        )
        lines.append("")
        lines.append("| workload | " + " | ".join(LINKER_LABEL[n] for n in linkers) + " | ratio touchstone / rust-lld |")
        lines.append("|" + "---|" * (len(linkers) + 2))
        for w in ic:
            c = w["instructions"]
            cells = [w["name"]] + [f"{c[n] / 1e6:.0f}" if n in c else "-" for n in linkers]
            cells.append(ratio(c.get(TOUCHSTONE), c.get(RUST_LLD)))
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    hf = [w for w in results["workloads"] if w.get("hyperfine")]
    if hf:
        lines.append("## Cross-check: hyperfine's median wall time (ms)")
        lines.append("")
        lines.append("| workload | " + " | ".join(LINKER_LABEL[n] for n in linkers) + " | ratio touchstone / rust-lld |")
        lines.append("|" + "---|" * (len(linkers) + 2))
        for w in hf:
            h = w["hyperfine"]
            cells = [w["name"]] + [f"{h[n]['median_wall_s'] * 1000:.1f}" if n in h else "-" for n in linkers]
            t, r = h.get(TOUCHSTONE, {}).get("median_wall_s"), h.get(RUST_LLD, {}).get("median_wall_s")
            cells.append(ratio(t, r))
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines.append("## Targets (issue 6)")
    lines.append("")
    for line in targets(results):
        lines.append(f"- {line}")
    startup = results.get("startup")
    if startup:
        lines.append("")
        parts = [
            f"{LINKER_LABEL[n]} {fmt_time(s['median_wall_s'])}, {fmt_rss(s['median_rss_kib'])} MiB"
            for n, s in startup.items()
        ]
        lines.append("Start-up (`--version`, median): " + "; ".join(parts) + ".")
    lines.append("")
    lines.append("Raw runs: `results.json`; plot: `time-memory.png`. Reproduce: `bash ci/bench`.")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def workload_notes(workloads):
    """What the partial link and side module workloads are, and why their outputs are not run
    (a '-' under "output runs"); [] when there are none."""
    partial = [w["name"] for w in workloads if w["kind"] == "real" and w["name"].endswith(f"-{PARTIAL}")]
    shared = [w["name"] for w in workloads if w["kind"] == "real" and f"-{SHARED}" in w["name"]]
    notes = []
    if partial:
        notes.append(f"- {', '.join(partial)}: the -O2 objects partially linked (`-r`); the output is "
                     "an object, checked for byte identity with rust-lld's, not run.")
    if shared:
        notes.append(f"- {', '.join(shared)}: the library linked as a side module (`-shared "
                     "--experimental-pic --unresolved-symbols=import-dynamic` of its PIC objects, "
                     "tests/dynamic_programs.rs); checked for byte identity with rust-lld's, not run "
                     "here (the test runs it with its main module through the oracle's loader).")
    return notes


def reference_line(meta):
    """The versions of the linkers measured, the reference's first."""
    versions = meta.get("versions") or {}
    others = [n for n in LINKER_ORDER if n not in (RUST_LLD, RUST_LLD_1)]
    parts = [f"{LINKER_LABEL[n]} `{versions[n]}`" for n in others if versions.get(n)]
    reference = versions.get(RUST_LLD) or "unknown (not recorded)"
    return f"Reference: rust-lld `{reference}`; the others: " + ", ".join(parts) + "."


README_WORKLOADS_NOTE = (
    "median of {runs} interleaved runs per linker; rust-lld with its default threads; outputs "
    "written to `{out}`"
)


def write_readme_table(results, path):
    """The summary README shows: provenance, one row per workload, the interleaved scaling
    figures and the targets (the full tables are in table.md)."""
    meta = results["meta"]
    workloads = results["workloads"]
    lines = []
    identical = [w for w in workloads if w.get("checks", {}).get("identical_to_rust_lld")]
    lines.append(
        f"Measured {meta['date']} at `{meta['git_commit']}` on {meta['machine']} "
        f"({meta['cpus']} CPUs), load (1 min) {load(meta)} at start / end; "
        + README_WORKLOADS_NOTE.format(runs=meta["runs_note"], out=meta.get("outputs_written_to", "?"))
        + f"; {len(identical)} of {len(workloads)} touchstone-ld outputs byte-identical to rust-lld's. "
        + reference_line(meta)
        + " Full tables: `ci/bench-results/table.md`; plot: `ci/bench-results/time-memory.png`."
    )
    lines.append("")
    lines.append(
        "| workload | input MB | touchstone-ld | rust-lld | wasm-ld-19 | wall ratio | "
        "peak RSS touchstone / rust-lld |"
    )
    lines.append("|---|---|---|---|---|---|---|")
    for w in workloads:
        t, r = med(w, TOUCHSTONE, "median_wall_s"), med(w, RUST_LLD, "median_wall_s")
        tr, rr = med(w, TOUCHSTONE, "median_rss_kib"), med(w, RUST_LLD, "median_rss_kib")
        cells = [
            w["name"],
            f"{w['input_bytes'] / 1e6:.1f}",
            fmt_time(t),
            fmt_time(r),
            fmt_time(med(w, WASM_LD_19, "median_wall_s")),
            ratio(t, r),
            f"{fmt_rss(tr)} / {fmt_rss(rr)} MiB ({ratio(tr, rr)})",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    notes = workload_notes(workloads)
    if notes:
        lines += [""] + notes
    sc = results.get("scaling") or {}
    synth = sorted((w for w in workloads if w["kind"] == "synthetic"), key=lambda w: w["input_bytes"])

    def per_mb(linker):
        out = []
        for w in synth:
            s = sc.get(linker, {}).get(w["name"], {}).get("median_wall_s")
            if s is not None:
                out.append((w["input_bytes"] / 1e6, s * 1000 / (w["input_bytes"] / 1e6)))
        return out

    t = per_mb(TOUCHSTONE)
    if len(t) >= 2:
        r = per_mb(RUST_LLD)
        values = ", ".join(f"{x:.2f}" for _, x in t)
        sizes = ", ".join(f"{mb:.0f}" for mb, _ in t)
        spread = max(x for _, x in t) / min(x for _, x in t) - 1
        theirs = ""
        if len(r) >= 2:
            theirs = f" (rust-lld: {max(x for _, x in r) / min(x for _, x in r) - 1:.0%})"
        lines.append("")
        lines.append(
            f"Scaling, with the sizes interleaved: touchstone-ld takes {values} ms per input MB at "
            f"{sizes} MB, a spread of {spread:.0%}{theirs}."
        )
    lines.append("")
    lines.append("Targets of issue 6:")
    lines.append("")
    for line in targets(results):
        lines.append(f"- {line}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def update_readme(results_dir):
    """Puts readme.md into README.md's benchmark section (only for the default results
    folder: a run elsewhere is not the project's result)."""
    if os.path.abspath(results_dir) != os.path.join(REPO, "ci", "bench-results"):
        return
    r = subprocess.run(
        [sys.executable, os.path.join(REPO, "ci", "readme-section"), "bench", os.path.join(results_dir, "readme.md")]
    )
    if r.returncode != 0:
        log("could not update README.md's benchmark section")


def targets(results):
    out = []
    real = [w for w in results["workloads"] if w["kind"] == "real"]
    synth = [w for w in results["workloads"] if w["kind"] == "synthetic"]

    def check(ws, key, limit):
        rs = []
        for w in ws:
            t, r = med(w, TOUCHSTONE, key), med(w, RUST_LLD, key)
            rs.append((w["name"], t / r if t is not None and r else None))
        ok = all(x is not None and x <= limit for _, x in rs)
        worst = max((x for _, x in rs if x is not None), default=None)
        detail = ", ".join(f"{n} {x:.2f}" if x is not None else f"{n} -" for n, x in rs)
        return ok, worst, detail

    if real:
        ok, worst, detail = check(real, "median_wall_s", 0.7)
        out.append(f"wall time <= 0.7x rust-lld on every real workload: {'MET' if ok else 'NOT MET'} ({detail})")
        costs = [(w["name"], med(w, TOUCHSTONE_VALIDATE, "median_wall_s"), med(w, TOUCHSTONE, "median_wall_s"))
                 for w in real]
        costs = [(n, v / t) for n, v, t in costs if v is not None and t]
        if costs:
            ok = all(x <= 1.5 for _, x in costs)
            detail = ", ".join(f"{n} {x:.2f}" for n, x in costs)
            out.append(f"--touchstone-validate costs <= 1.5x the link on every real workload: "
                       f"{'MET' if ok else 'NOT MET'} ({detail})")
    ok, worst, detail = check(real + synth, "median_rss_kib", 0.7)
    out.append(f"peak RSS <= 0.7x rust-lld: {'MET' if ok else 'NOT MET'} ({detail})")
    # Scaling is judged on the interleaved pass when there is one (see scaling_pass).
    sc = results.get("scaling") or {}

    def seconds(linker, key, w):
        if sc:
            return sc.get(linker, {}).get(w["name"], {}).get(key)
        return med(w, linker, key)

    def spread(linker, key, ws):
        per_mb = [seconds(linker, key, w) * 1000 / (w["input_bytes"] / 1e6) for w in ws if seconds(linker, key, w) is not None]
        return (min(per_mb), max(per_mb), max(per_mb) / min(per_mb) - 1) if len(per_mb) >= 2 else None

    synth_sorted = sorted(synth, key=lambda w: w["input_bytes"])
    ranges = [synth_sorted] if synth_sorted else []
    if len(synth_sorted) > 2:
        # Small sets fit the CPU caches better (every linker is faster per MB there): the same
        # figure without the smallest set tells that apart from a growing cost.
        ranges.append(synth_sorted[1:])
    for ws in ranges:
        span = f"{ws[0]['input_bytes'] / 1e6:.0f} MB to {ws[-1]['input_bytes'] / 1e6:.0f} MB"
        for key, what in (("median_wall_s", "wall"), ("median_cpu_s", "CPU")):
            t, r = spread(TOUCHSTONE, key, ws), spread(RUST_LLD, key, ws)
            if t is None:
                continue
            ref = f"; rust-lld's spread {r[2] * 100:.0f}%" if r else ""
            out.append(
                f"{what} time per input MB constant within 20% from {span}: {'MET' if t[2] <= 0.2 else 'NOT MET'} "
                f"(touchstone {t[0]:.2f} to {t[1]:.2f} ms/MB, spread {t[2] * 100:.0f}%{ref})"
            )
    failed = [
        w["name"]
        for w in results["workloads"]
        if med(w, RUST_LLD, "median_wall_s") is not None and med(w, TOUCHSTONE, "median_wall_s") is None
    ]
    out.append(
        "every workload rust-lld links also links with touchstone-ld: "
        + ("MET" if not failed else f"NOT MET ({', '.join(failed)})")
    )
    return out


def write_plot(results, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError:
        log("matplotlib is missing: no plot (ci/bench installs it with pip)")
        return False
    colors = {TOUCHSTONE: "tab:green", TOUCHSTONE_VALIDATE: "tab:olive", RUST_LLD: "tab:blue", RUST_LLD_1: "tab:cyan", WASM_LD_19: "tab:orange"}
    fig, (ax_t, ax_p, ax_m) = plt.subplots(1, 3, figsize=(18, 5.4))
    for n in LINKER_ORDER:
        for kind, marker, style in (("synthetic", "o", "-"), ("real", "s", "")):
            ws = [w for w in results["workloads"] if w["kind"] == kind and med(w, n, "median_wall_s") is not None]
            if not ws:
                continue
            ws.sort(key=lambda w: w["input_bytes"])
            x = [w["input_bytes"] / 1e6 for w in ws]
            label = f"{LINKER_LABEL[n]} ({kind})"
            kw = dict(color=colors[n], marker=marker, linestyle=style if style else "none", label=label)
            if n == RUST_LLD_1:
                kw["alpha"] = 0.6
            ax_t.plot(x, [med(w, n, "median_wall_s") for w in ws], **kw)
            ax_p.plot(x, [med(w, n, "median_wall_s") * 1000 / (w["input_bytes"] / 1e6) for w in ws], **kw)
            ax_m.plot(x, [med(w, n, "median_rss_kib") / 1024 for w in ws], **kw)
    for ax, title, ylabel in (
        (ax_t, "Median wall time", "seconds"),
        (ax_p, "Wall time per input MB (flat = linear scaling)", "ms per MB"),
        (ax_m, "Peak RSS", "MiB"),
    ):
        ax.set_xscale("log")
        if ax is not ax_p:
            ax.set_yscale("log")
        else:
            ax.set_ylim(bottom=0)
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
            axis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xlabel("input size (MB of objects and archives)")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
    ax_t.legend(fontsize=7, loc="upper left")
    meta = results["meta"]
    fig.suptitle(f"Linking wasm32 objects: touchstone-ld vs rust-lld vs wasm-ld-19 ({meta['date']}, {meta['cpus']} CPUs)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


# ---------------------------------------------------------------------------------------------
# Main


def git_commit():
    r = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no", "--", "src", "Cargo.toml", "Cargo.lock"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    commit = r.stdout.strip() or "unknown"
    return commit + ("+local changes" if dirty.stdout.strip() else "")


def default_out_dir():
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        return os.path.join("/dev/shm", f"touchstone-bench-{os.getuid()}")
    return os.path.join(WORK, "out")


def runs_for(w, args):
    if args.runs:
        return args.runs
    mb = w["input_bytes"] / 1e6
    if mb <= 40:
        return 15
    if mb <= 150:
        return 7
    if mb <= 400:
        return 5
    return 3


def main():
    global REAL_WORKLOADS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--touchstone", required=True, help="touchstone-ld binary")
    ap.add_argument("--oracle", help="touchstone oracle binary (for running outputs); built if absent")
    ap.add_argument("--sizes", default=",".join(map(str, SYNTH_SIZES)), help="synthetic sizes in MB, comma-separated ('' for none)")
    ap.add_argument("--real", default=",".join(f"{p}-{b}" for p, b in REAL_WORKLOADS), help="real workloads, e.g. sqlite-O0-g ('' for none)")
    ap.add_argument("--real-report", default=REPORT, help="tests/real_programs.rs's report (link commands)")
    ap.add_argument(
        "--dynamic-report",
        default=DYNAMIC_REPORT,
        help="tests/dynamic_programs.rs's report, where the sqlite-shared-* link commands come from",
    )
    ap.add_argument("--runs", type=int, default=0, help="runs per linker (default: 15 small .. 3 at 1 GB)")
    ap.add_argument("--linkers", default=",".join(LINKER_ORDER))
    ap.add_argument("--run-check-max-mb", type=float, default=RUN_CHECK_MAX_MB)
    ap.add_argument(
        "--out-dir",
        default=default_out_dir(),
        help="where the linkers write (default: a tmpfs folder under /dev/shm when there is one, so "
        "that the disk's write-back, shared with other processes, does not time the linkers; "
        "target/bench/out, on disk, otherwise)",
    )
    ap.add_argument("--results", default=os.path.join(REPO, "ci", "bench-results"))
    ap.add_argument("--touchstone-commit", help="the commit touchstone-ld was built from (default: HEAD)")
    ap.add_argument("--smoke", action="store_true", help="short CI form: check outputs run, print ratios, no files")
    ap.add_argument("--no-hyperfine", action="store_true", help="skip the hyperfine cross-check of the real workloads")
    ap.add_argument(
        "--instructions-max-mb",
        type=float,
        default=12,
        help="count instructions (valgrind) for workloads up to this size (0: never)",
    )
    ap.add_argument("--report-only", action="store_true", help="rewrite table.md and the plot from results.json")
    ap.add_argument(
        "--scaling-rounds",
        type=int,
        default=5,
        help="rounds of the scaling pass: every synthetic set linked once a round, sizes in "
        "rotation, by touchstone-ld and rust-lld (0: none)",
    )
    args = ap.parse_args()

    if args.report_only:
        with open(os.path.join(args.results, "results.json")) as f:
            results = json.load(f)
        write_table(results, os.path.join(args.results, "table.md"))
        write_readme_table(results, os.path.join(args.results, "readme.md"))
        update_readme(args.results)
        write_plot(results, os.path.join(args.results, "time-memory.png"))
        return 0

    wanted_real = [s for s in args.real.split(",") if s]
    REAL_WORKLOADS = [tuple(s.split("-", 1)) for s in wanted_real]
    sizes = [float(s) if "." in s else int(s) for s in args.sizes.split(",") if s]
    linkers = [s for s in args.linkers.split(",") if s]
    prefixes = linker_prefixes(os.path.abspath(args.touchstone), linkers)
    measured_versions = versions(prefixes)
    # Every report says which reference it measured against, the smoke run's too.
    print(f"reference rust-lld: {measured_versions.get(RUST_LLD, 'not measured')}", flush=True)
    os.makedirs(WORK, exist_ok=True)

    workloads = real_workloads(args) if REAL_WORKLOADS else []
    if sizes:
        gen = benchgen_binary()
        workloads += [synthetic_set(gen, mb) for mb in sizes]
    oracle = oracle_binary(args) if (args.smoke or args.run_check_max_mb > 0) else None

    load_at_start = os.getloadavg()
    failures = []
    for w in workloads:
        outdir = os.path.abspath(args.out_dir)
        commands = {}
        outputs = {}
        for n, prefix in prefixes.items():
            d = os.path.join(outdir, n)
            os.makedirs(d, exist_ok=True)
            # The same file name for every linker: wasm-ld writes it into the name section.
            outputs[n] = os.path.join(d, f"{w['name']}.wasm")
            commands[n] = prefix + w["args"] + ["-o", outputs[n]]
        w["commands"] = {n: shlex.join(c) for n, c in commands.items()}
        runs = runs_for(w, args)
        log(f"{w['name']}: {w['input_bytes'] / 1e6:.1f} MB, {runs} runs x {len(commands)} linkers")
        w["runs"] = runs
        w["linkers"] = measure(w["name"], commands, w["cwd"], runs)
        checks = {}
        if TOUCHSTONE in outputs and RUST_LLD in outputs:
            ok_both = all(w["linkers"][n]["status"] == "ok" for n in (TOUCHSTONE, RUST_LLD))
            checks["identical_to_rust_lld"] = ok_both and files_identical(outputs[TOUCHSTONE], outputs[RUST_LLD])
        runnable = w.get("runnable", True)
        if runnable and (oracle and w["input_bytes"] / 1e6 <= max(args.run_check_max_mb, 0) or (oracle and args.smoke)):
            w["checks"] = checks
            checks["run"] = run_check(oracle, w, outputs)
            if checks["run"] != "yes":
                failures.append(f"{w['name']}: outputs do not run as expected: {checks['run']}")
        w["checks"] = checks
        if w["kind"] == "real" and not args.smoke and not args.no_hyperfine:
            w["hyperfine"] = hyperfine_cross_check(w, commands, runs)
        if w["input_bytes"] / 1e6 <= args.instructions_max_mb and not args.smoke:
            w["instructions"] = instruction_counts(w, commands)
        if w["kind"] == "synthetic" and w["linkers"].get(RUST_LLD, {}).get("status", "ok") != "ok":
            failures.append(f"{w['name']}: rust-lld refuses the generated set (a ci/benchgen bug)")
        t = w["linkers"].get(TOUCHSTONE, {})
        if t.get("status") != "ok":
            failures.append(f"{w['name']}: touchstone-ld failed: {t.get('error', '')[:300]}")
        summary = []
        for n in prefixes:
            r = w["linkers"][n]
            if r["status"] == "ok":
                summary.append(
                    f"{n} {fmt_time(r['median_wall_s'])} cpu {fmt_time(r['median_cpu_s'])} "
                    f"(sys {fmt_time(r['median_sys_s'])}) rss {fmt_rss(r['median_rss_kib'])} MiB"
                )
            else:
                summary.append(f"{n} FAILED")
        tw, rw = med(w, TOUCHSTONE, "median_wall_s"), med(w, RUST_LLD, "median_wall_s")
        summary.append(f"wall ratio touchstone/rust-lld {ratio(tw, rw)}")
        summary.append(f"identical {checks.get('identical_to_rust_lld')}, run {checks.get('run', '-')}")
        print(f"{w['name']} ({w['input_bytes'] / 1e6:.1f} MB): " + "; ".join(summary), flush=True)
        if w["kind"] == "synthetic" and w["nominal_mb"] >= 100:
            # Keep the disk use down: the large outputs are not needed after the checks.
            for p in outputs.values():
                try:
                    os.remove(p)
                except OSError:
                    pass

    if args.smoke:
        for f in failures:
            log(f"FAILED: {f}")
        return 1 if failures else 0

    scaling = scaling_pass(workloads, args.scaling_rounds) if args.scaling_rounds > 0 else {}
    startup = measure("startup", {n: p + ["--version"] for n, p in prefixes.items()}, REPO, 10)
    results = {
        "meta": {
            "date": datetime.date.today().isoformat(),
            "machine": f"{platform.machine()} {platform.node()}",
            "cpus": os.cpu_count(),
            "git_commit": args.touchstone_commit or git_commit(),
            "versions": measured_versions,
            "runs_note": "15 (small) to 3 (1 GB)" if not args.runs else str(args.runs),
            "load_average_at_start": load_at_start,
            "load_average_at_end": os.getloadavg(),
            "outputs_written_to": args.out_dir,
        },
        "startup": {n: {k: v for k, v in r.items() if k.startswith("median")} for n, r in startup.items() if r["status"] == "ok"},
        "workloads": [{k: v for k, v in w.items() if k != "args"} for w in workloads],
        "scaling": scaling,
    }
    os.makedirs(args.results, exist_ok=True)
    with open(os.path.join(args.results, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    write_table(results, os.path.join(args.results, "table.md"))
    write_readme_table(results, os.path.join(args.results, "readme.md"))
    update_readme(args.results)
    write_plot(results, os.path.join(args.results, "time-memory.png"))
    log(f"wrote {args.results}/results.json, table.md, readme.md, time-memory.png")
    for f in failures:
        log(f"FAILED: {f}")
    return 1 if failures else 0


def run_check(oracle, w, outputs):
    """'yes' when every linker's output runs as expected (checksum / same behaviour as rust-lld's)."""
    problems = []
    if w["kind"] == "synthetic":
        # touchstone-ld's output must return the checksum; rust-lld's too when the two differ
        # (wasm-ld-19's is not checked: it is a reference, not under test).
        same = w.get("checks", {}).get("identical_to_rust_lld")
        for n, p in outputs.items():
            if n not in (TOUCHSTONE, RUST_LLD) or (n == RUST_LLD and same) or not os.path.exists(p):
                continue
            got, err = run_checksum(oracle, p)
            if got != w["checksum"]:
                problems.append(f"{n}: checksum {got} (expected {w['checksum']}) {err}")
    else:
        # The program's stdin, expected stdout and exit status, as tests/programs/mod.rs has them.
        program = w["name"].split("-", 1)[0]
        here = os.path.join(REPO, "tests", "programs")
        stdin, exit_code = {"sqlite": ("sqlite_script.sql", 0), "lua": ("lua_script.lua", 7),
                            "harfbuzz": ("harfbuzz_text.txt", 0)}.get(program, (None, 0))
        stdin = os.path.join(here, stdin) if stdin else os.devnull
        with open(os.path.join(here, "expected", f"{program}.stdout"), "rb") as f:
            expected = f.read().decode("utf-8", "replace")
        for n, p in outputs.items():
            if n not in (TOUCHSTONE, RUST_LLD) or not os.path.exists(p):
                continue
            got = run_program(oracle, p, stdin)
            if got is None:
                problems.append(f"{n}: the oracle could not run {p}")
            elif got != (expected, exit_code, "none"):
                same = "same" if got[0] == expected else "different"
                problems.append(f"{n}: exit {got[1]}, trap {got[2]}, {same} stdout (expected exit {exit_code})")
    return "yes" if not problems else "; ".join(problems)


if __name__ == "__main__":
    sys.exit(main())
