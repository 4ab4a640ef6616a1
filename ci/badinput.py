#!/usr/bin/env python3
"""badinput.py: the bad-input campaign behind ci/badinput (issue 15).

Corrupts real objects and archives (the -O2 and -O0 -g objects of the real programs that
tests/real_programs.rs caches, and wasi-libc's libc.a) in many ways, links each corrupted
program with touchstone-ld (with --touchstone-validate) and with rust-lld, and prints the
matrix of outcomes: refused, linked (valid or invalid output), crashed, hung, or refused but
left an output file. Every case is reproducible from --seed and its number: case N uses
random.Random(f"{seed}:{N}").

A touchstone-ld refusal must be one line naming an input file; its accept/refuse verdict is
compared with rust-lld's wherever rust-lld neither crashes nor writes an invalid module, and
each disagreement is listed with the command that reproduces it.

Usage: ci/badinput.py --touchstone PATH --oracle PATH [--cases N] [--seed S] [--out DIR]
"""

import argparse
import json
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "ci", "benchgen"))
from bench import parse_report, rust_lld_path, REPORT  # noqa: E402

PROGRAMS = [("lua", "O2"), ("lua", "O0-g"), ("sqlite", "O2"), ("harfbuzz", "O2")]
LIBC = "/usr/lib/wasm32-wasi/libc.a"


# ---------------------------------------------------------------------------------------------
# Reading the wasm section layout, to aim corruptions at sections.


def read_leb(b, i):
    value, shift = 0, 0
    while i < len(b):
        x = b[i]
        i += 1
        value |= (x & 0x7F) << shift
        shift += 7
        if x < 0x80:
            return value, i
    raise ValueError("truncated LEB")


def sections(b):
    """[(id, name, size_at, size_len, payload_start, payload_end)] of a wasm object."""
    out, i = [], 8
    while i < len(b):
        sid = b[i]
        size_at = i + 1
        size, j = read_leb(b, size_at)
        name = None
        if sid == 0:
            n, k = read_leb(b, j)
            name = b[k:k + n].decode("utf-8", "replace")
        out.append((sid, name, size_at, j - size_at, j, j + size))
        i = j + size
    return out


def max_leb(length):
    """The largest value a LEB of `length` bytes holds, as bytes (same length)."""
    return bytes([0xFF] * (length - 1) + [0x0F if length == 5 else 0x7F])


# ---------------------------------------------------------------------------------------------
# Corruptions of one object: each returns (new bytes, description).


def bitflips(r, b):
    b = bytearray(b)
    n = r.randint(1, 8)
    for _ in range(n):
        i = r.randrange(8, len(b))
        b[i] ^= 1 << r.randrange(8)
    return bytes(b), f"{n} bit flips"


def truncate(r, b):
    at = r.randrange(8, len(b))
    return b[:at], f"truncated at {at}"


def pick_section(r, b, want=None):
    ss = [s for s in sections(b) if want is None or want(s)]
    return r.choice(ss) if ss else None


def zero_run(r, b):
    s = pick_section(r, b, lambda s: s[0] == 10) or pick_section(r, b)
    lo, hi = s[4], s[5]
    if hi - lo < 2:
        return bitflips(r, b)
    at = r.randrange(lo, hi - 1)
    n = min(r.randint(2, 64), hi - at)
    return b[:at] + bytes(n) + b[at + n:], f"{n} zero bytes at {at} (section {s[0]} {s[1] or ''})"


def section_size(r, b):
    s = pick_section(r, b)
    size_at, size_len = s[2], s[3]
    grown = max_leb(size_len) if r.random() < 0.5 else None
    if grown is None:
        size = s[5] - s[4] + r.randint(1, 1 << 12)
        enc = bytearray()
        for k in range(size_len):
            enc.append((size >> (7 * k)) & 0x7F | (0x80 if k < size_len - 1 else 0))
        grown = bytes(enc)
    return b[:size_at] + grown + b[size_at + size_len:], f"section {s[0]} {s[1] or ''} size inflated"


def count(r, b):
    # The first LEB of a payload is a count in most sections (the name's length in a custom
    # section: a count all the same).
    s = pick_section(r, b, lambda s: s[5] > s[4])
    _, end = read_leb(b, s[4])
    n = end - s[4]
    return b[:s[4]] + max_leb(n) + b[end:], f"section {s[0]} {s[1] or ''} first count inflated"


def overlong_leb(r, b):
    # A LEB somewhere in the code or data section, rewritten with redundant bytes (the object
    # grows by the extra bytes, which also shifts everything after it).
    s = pick_section(r, b, lambda s: s[0] in (10, 11)) or pick_section(r, b)
    at = r.randrange(s[4], s[5]) if s[5] > s[4] else s[4]
    try:
        v, end = read_leb(b, at)
    except ValueError:
        return truncate(r, b)
    extra = r.randint(1, 6)
    enc = bytearray()
    total = (end - at) + extra
    for k in range(total):
        enc.append((v >> (7 * k)) & 0x7F | (0x80 if k < total - 1 else 0))
    return b[:at] + bytes(enc) + b[end:], f"LEB at {at} padded by {extra} bytes"


def dup_tail(r, b):
    n = r.randint(1, min(256, len(b) - 8))
    return b + b[-n:], f"last {n} bytes duplicated"


def custom_payload(r, b):
    s = pick_section(r, b, lambda s: s[0] == 0 and (s[1] == "linking" or (s[1] or "").startswith("reloc.")
                                                     or s[1] == "target_features"))
    if s is None:
        return bitflips(r, b)
    b = bytearray(b)
    n = r.randint(1, 4)
    for _ in range(n):
        i = r.randrange(s[4], s[5])
        b[i] = r.randrange(256)
    return bytes(b), f"{n} random bytes in '{s[1]}'"


OBJECT_CORRUPTIONS = [bitflips, truncate, zero_run, section_size, count, overlong_leb, dup_tail,
                      custom_payload, custom_payload]


# Corruptions of an archive: member headers, the symbol index, the long-name table.


def archive_members(b):
    """[(header_at, name, data_at, size)] of a GNU/SysV archive."""
    out, i = [], 8
    while i + 60 <= len(b):
        name = b[i:i + 16].decode("latin-1").rstrip()
        try:
            size = int(b[i + 48:i + 58].decode("latin-1").strip() or "0")
        except ValueError:
            break
        out.append((i, name, i + 60, size))
        i += 60 + size + (size & 1)
    return out


def archive(r, b):
    members = archive_members(b)
    kind = r.choice(["header", "index", "names", "member"])
    b = bytearray(b)
    if kind == "index" and members and members[0][1] == "/":
        _, _, at, size = members[0]
        for _ in range(r.randint(1, 4)):
            b[at + r.randrange(size)] = r.randrange(256)
        return bytes(b), "symbol index corrupted"
    names = [m for m in members if m[1] == "//"]
    if kind == "names" and names:
        _, _, at, size = names[0]
        for _ in range(r.randint(1, 4)):
            b[at + r.randrange(size)] = r.randrange(256)
        return bytes(b), "long-name table corrupted"
    m = r.choice(members)
    if kind == "member":
        at = m[2] + r.randrange(max(m[3], 1))
        b[at] ^= 1 << r.randrange(8)
        return bytes(b), f"bit flip in member at {m[0]}"
    field = r.choice([(0, 16, "name"), (48, 10, "size"), (58, 2, "terminator")])
    at = m[0] + field[0]
    for k in range(field[1]):
        if r.random() < 0.5:
            b[at + k] = r.choice(b"0123456789/ \x00\xff9")
    return bytes(b), f"member header {field[2]} at {m[0]} corrupted"


# ---------------------------------------------------------------------------------------------
# Linking and judging.


def outcome(argv, cwd, output, timeout, oracle):
    """refused | valid | invalid | crash | hang | leftover, and the first stderr line."""
    if os.path.exists(output):
        os.remove(output)
    try:
        p = subprocess.run(argv, cwd=cwd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "hang", ""
    err = p.stderr.decode("utf-8", "replace")
    first = next((line for line in err.splitlines() if ": error: " in line), err.splitlines()[0] if err else "")
    if p.returncode not in (0, 1):
        return "crash", f"exit {p.returncode}: {first}"
    exists = os.path.exists(output)
    if p.returncode == 1:
        return ("leftover" if exists else "refused"), first
    if not exists:
        return "crash", "exit 0 without an output file"
    v = subprocess.run([oracle, "validate", output], capture_output=True)
    return ("valid" if v.returncode == 0 else "invalid"), v.stdout.decode("utf-8", "replace").strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--touchstone", required=True)
    ap.add_argument("--oracle", required=True, help="the touchstone oracle binary (for `validate`)")
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--out", help="write results.json and matrix.md here")
    ap.add_argument("--readme", action="store_true",
                    help="also keep the matrix in ci/badinput-results/matrix.md and put it into README.md")
    args = ap.parse_args()

    # What is measured: the checkout as it is when the campaign starts (ci/badinput has just
    # built touchstone-ld from it).
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip() or "?"
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                           capture_output=True, text=True).stdout.strip()
    when = subprocess.run(["date", "-u", "+%Y-%m-%d"], capture_output=True, text=True).stdout.strip()
    report = parse_report(REPORT) if os.path.exists(REPORT) else {}
    programs = [(p, b) for p, b in PROGRAMS if (p, b) in report]
    if not programs:
        sys.exit(f"badinput: {REPORT} lists no real program; run `cargo test -p touchstone --test real_programs` first")
    lld = [rust_lld_path(), "-flavor", "wasm"]
    ts = [os.path.abspath(args.touchstone), "--touchstone-validate"]
    work = tempfile.mkdtemp(prefix="badinput-")
    results, matrix = [], {}
    for n in range(args.cases):
        r = random.Random(f"{args.seed}:{n}")
        prog, build = r.choice(programs)
        cwd, link_args = report[(prog, build)]
        objects = [a for a in link_args if a.endswith(".o") and not os.path.isabs(a)]
        case_dir = os.path.join(work, f"case{n}")
        os.makedirs(case_dir, exist_ok=True)
        if r.random() < 0.15:
            victim = LIBC
            data = open(victim, "rb").read()
            bad, what = archive(r, data) if r.random() < 0.6 else r.choice(OBJECT_CORRUPTIONS)(r, data)
        else:
            victim = r.choice(objects)
            data = open(os.path.join(cwd, victim), "rb").read()
            bad, what = r.choice(OBJECT_CORRUPTIONS)(r, data)
        bad_name = os.path.basename(victim)
        bad_path = os.path.join(case_dir, bad_name)
        if victim == LIBC:
            # The symbols libc lets stay undefined, read beside the archive by both linkers.
            shutil.copy(LIBC.replace(".a", ".imports"), case_dir)
        with open(bad_path, "wb") as f:
            f.write(bad)
        # The program's link with the victim replaced by its corrupted copy (inputs absolute).
        case_args = []
        for a in link_args:
            if a == victim or (victim == LIBC and a == "-lc"):
                case_args.append(bad_path)
            elif a.endswith(".o") and not os.path.isabs(a):
                case_args.append(os.path.join(cwd, a))
            else:
                case_args.append(a)
        verdicts = {}
        commands = {}
        for name, prefix in (("touchstone-ld", ts), ("rust-lld", lld)):
            out_dir = os.path.join(case_dir, name)
            os.makedirs(out_dir, exist_ok=True)
            argv = prefix + case_args + ["-o", os.path.join(out_dir, "out.wasm")]
            commands[name] = shlex.join(argv)
            verdicts[name] = outcome(argv, case_dir, os.path.join(out_dir, "out.wasm"), args.timeout, args.oracle)
        t, l = verdicts["touchstone-ld"][0], verdicts["rust-lld"][0]
        problems = []
        if t in ("crash", "hang", "leftover", "invalid"):
            problems.append(f"touchstone-ld {t}")
        if t == "refused" and bad_name not in verdicts["touchstone-ld"][1] and "/" not in verdicts["touchstone-ld"][1]:
            problems.append("touchstone-ld's error names no input file")
        disagree = l in ("refused", "valid") and (t == "refused") != (l == "refused")
        matrix[(t, l)] = matrix.get((t, l), 0) + 1
        results.append({"case": n, "program": f"{prog}-{build}", "victim": victim, "corruption": what,
                        "touchstone": verdicts["touchstone-ld"], "rust_lld": verdicts["rust-lld"],
                        "disagree": disagree, "problems": problems,
                        "commands": commands if (problems or disagree) else None})
        if problems or disagree:
            keep = os.path.join(args.out, f"case{n}") if args.out else None
            if keep:
                shutil.rmtree(keep, ignore_errors=True)
                shutil.copytree(case_dir, keep)
        shutil.rmtree(case_dir, ignore_errors=True)
        if (n + 1) % 50 == 0:
            print(f"badinput: {n + 1}/{args.cases} cases", file=sys.stderr, flush=True)
    shutil.rmtree(work, ignore_errors=True)

    kinds = ["refused", "valid", "invalid", "crash", "hang", "leftover"]
    lines = [f"Bad-input campaign: {args.cases} cases, seed {args.seed}, commit {commit}"
             f"{'+local changes' if dirty else ''}, {when} (rows touchstone-ld with "
             "--touchstone-validate, columns rust-lld)", "",
             "| touchstone-ld \\ rust-lld | " + " | ".join(kinds) + " |",
             "|---|" + "---|" * len(kinds)]
    for t in kinds:
        lines.append(f"| {t} | " + " | ".join(str(matrix.get((t, l), 0)) for l in kinds) + " |")
    problems = [x for x in results if x["problems"]]
    disagreements = [x for x in results if x["disagree"]]
    lines += ["", f"- touchstone-ld problems (crash, hang, leftover file, invalid output, unlocated error): {len(problems)}",
              f"- accept/refuse disagreements where rust-lld gives a valid answer: {len(disagreements)}"]
    def said(message):
        # Without the scratch folder, so that the text is the same on every machine.
        return message.replace(work + "/", "").replace("`", "'")[:160]

    for x in (problems + disagreements)[:40]:
        lines.append(f"  - case {x['case']} ({x['program']}, {x['victim']}: {x['corruption']}): "
                     f"touchstone-ld {x['touchstone'][0]} `{said(x['touchstone'][1])}`, rust-lld {x['rust_lld'][0]} "
                     f"`{said(x['rust_lld'][1])}`")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
        with open(os.path.join(args.out, "matrix.md"), "w") as f:
            f.write(text)
    if args.readme:
        kept = os.path.join(REPO, "ci", "badinput-results", "matrix.md")
        os.makedirs(os.path.dirname(kept), exist_ok=True)
        with open(kept, "w") as f:
            f.write(text)
        subprocess.run([sys.executable, os.path.join(REPO, "ci", "readme-section"), "badinput", kept], check=False)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
