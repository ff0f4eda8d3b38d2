#!/usr/bin/env python3
"""Cold-start benchmark: process start -> first answered invocation, per action binary.

Starts each release binary against a minimal fake Lambda Runtime API on loopback, hands it the
action's events/<action>.json, and times (wall clock) from exec to the posted response, plus the
peak resident memory of the process and the binary size. The DynamoDB/S3 stand-in must be running
(AWS_ENDPOINT_URL); `make bench` starts one. Prints a Markdown table. No timed assertions: this
is a measurement, read it.

usage: bench/coldstart.py [--runs N] [--target-dir DIR] [action ...]
"""
import argparse
import http.server
import json
import os
import pathlib
import statistics
import subprocess
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


class RuntimeApi(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.event = b"{}"
        self.done = threading.Event()
        self.answer = None
        self.served = False


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        srv = self.server
        if self.path.endswith("/invocation/next"):
            if srv.served:
                # Second poll: park the runtime until the benchmark kills it.
                srv.done.wait(30)
                time.sleep(30)
                return
            srv.served = True
            self.send_response(200)
            self.send_header("Lambda-Runtime-Aws-Request-Id", "bench-request-1")
            self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
            self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:bench")
            self.send_header("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
            self.send_header("Content-Length", str(len(srv.event)))
            self.end_headers()
            self.wfile.write(srv.event)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()
        srv = self.server
        srv.answer = (self.path, body)
        srv.t_done = time.perf_counter()
        srv.done.set()


def peak_rss_kib(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def one_run(binary, event):
    api = RuntimeApi()
    api.event = event
    threading.Thread(target=api.serve_forever, daemon=True).start()
    env = dict(os.environ)
    env.update({
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{api.server_address[1]}",
        "AWS_LAMBDA_FUNCTION_NAME": binary.parent.name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_LOG_STREAM_NAME": "bench",
        "AWS_LAMBDA_LOG_GROUP_NAME": "bench",
        "RUST_LOG": "warn",
    })
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(binary)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ok = api.done.wait(30)
    rss = peak_rss_kib(proc.pid)
    proc.kill()
    proc.wait()
    api.shutdown()
    if not ok:
        raise SystemExit(f"{binary.name}: no answer within 30 s")
    status = json.loads(api.answer[1]).get("statusCode")
    return (api.t_done - t0) * 1000, rss, status


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--target-dir", default=str(ROOT / "target" / "release"))
    ap.add_argument("actions", nargs="*")
    args = ap.parse_args()
    if "AWS_ENDPOINT_URL" not in os.environ:
        raise SystemExit("AWS_ENDPOINT_URL is not set; run `make bench`")
    actions = args.actions or sorted(p.stem.split(".")[0] for p in (ROOT / "events").glob("*.json") if p.stem.count(".") == 0)
    print(f"| action | size (MB) | first answer median (ms) | p90 (ms) | peak RSS (MiB) | status |")
    print("|---|---|---|---|---|---|")
    for action in actions:
        binary = pathlib.Path(args.target_dir) / action
        if not binary.exists():
            print(f"| `{action}` | not built | | | | |")
            continue
        event = (ROOT / "events" / f"{action}.json").read_bytes()
        times, rss, status = [], [], None
        for _ in range(args.runs):
            ms, kib, status = one_run(binary, event)
            times.append(ms)
            rss.append(kib)
        times.sort()
        p90 = times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))]
        print(f"| `{action}` | {binary.stat().st_size / 1e6:.1f} | {statistics.median(times):.1f} | {p90:.1f} | {max(rss) / 1024:.1f} | {status} |")


if __name__ == "__main__":
    main()
