#!/usr/bin/env python3
"""How long `saleskpi serve` takes to answer its first authenticated scorecard, measured from outside.

Starts the server on an imported store, polls GET /api/v1/scorecards?rep=R5 with a rep's token every 20 ms from
the moment the process is spawned until it answers 200, and reads the process's resident memory from /proc then
(VmRSS) and its peak (VmHWM). Each binary given is measured in turn, `--runs` times, in the same run, so that
ratios between builds are fair:

    python3 benchmarks/serve_start.py --db before.sqlite --saleskpi /tmp/saleskpi-before \\
        --db after.sqlite --saleskpi .build/release/saleskpi --runs 3

The store needs the engine snapshot a CLI import leaves beside it (`saleskpi import`); the script adds a rep user
and a token to it. A build whose schema is newer than another's needs a store of its own: give `--db` once per
`--saleskpi`, in the same order (each imported from the same bundle by its binary).
"""
import argparse, json, os, statistics, subprocess, time, urllib.request


def cli(binary, *args, env=None):
    return subprocess.run([binary, *args], check=True, capture_output=True, text=True, env=env).stdout.strip()


def rss_mib(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def first_answer(binary, db, token, port, rep):
    started = time.perf_counter()
    server = subprocess.Popen([binary, "serve", "--db", db, "--port", str(port), "--log-level", "error"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/scorecards?rep={rep}",
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        while True:
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    if answer.status == 200:
                        json.loads(answer.read())
                        return time.perf_counter() - started, *rss_mib(server.pid)
            except (ConnectionError, urllib.error.URLError):
                pass
            if server.poll() is not None:
                raise SystemExit(f"{binary} serve exited with {server.returncode}")
            time.sleep(0.02)
    finally:
        server.terminate()
        server.wait()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", action="append", required=True, help="an imported SQLite store; one, or one per binary")
    p.add_argument("--saleskpi", action="append", required=True, help="a saleskpi binary; repeat to compare")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--port", type=int, default=18191)
    p.add_argument("--rep", default="R5", help="the rep whose scorecard is asked")
    args = p.parse_args()

    if len(args.db) not in (1, len(args.saleskpi)):
        raise SystemExit("give --db once, or once per --saleskpi")
    env = dict(os.environ, SALESKPI_PASSWORD="start-password")
    print(f"{'binary':50}{'first scorecard, s':>20}{'RSS, MiB':>10}{'peak, MiB':>11}")
    for i, binary in enumerate(args.saleskpi):
        db = args.db[i % len(args.db)]
        if "startrep" not in cli(binary, "user", "list", "--db", db):
            cli(binary, "user", "add", "--db", db, "--login", "startrep", "--role", "rep", "--rep", args.rep,
                "--cost", "4", env=env)
        token = cli(binary, "user", "token", "--db", db, "--login", "startrep", "--name", "start")
        runs = [first_answer(binary, db, token, args.port, args.rep) for _ in range(args.runs)]
        t = statistics.median(r[0] for r in runs)
        rss = statistics.median(r[1] for r in runs)
        peak = statistics.median(r[2] for r in runs)
        print(f"{binary:50}{t:>20.2f}{rss:>10.0f}{peak:>11.0f}   runs: {', '.join(f'{r[0]:.2f}' for r in runs)}")


if __name__ == "__main__":
    main()
