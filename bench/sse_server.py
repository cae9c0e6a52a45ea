#!/usr/bin/env python3
"""The model-side benchmark of precis: a purpose-built OpenAI-compatible SSE server
and the driver that measures precis (and curl, as the baseline) against it.

  sse_server.py serve [--lifetime S]    run the server alone; prints "PORT <n>"
  sse_server.py bench --precis BIN ...  run every measurement, print the table

The server (Python standard library only, 127.0.0.1, one thread per connection,
TCP_NODELAY) chooses its behaviour by the request's model name:

  seq:N:US[:T0:TAG]
                N deltas spaced US microseconds apart on an absolute schedule starting
                at T0 (CLOCK_MONOTONIC ns; default: now); delta i carries "<iiiiii>"
                in its text. The time right after each delta's sendall() returned is
                logged in memory under TAG.
  bulk:BYTES:D  an answer of BYTES bytes of prose in deltas of D bytes, pre-built and
                sent in 64 KiB writes, so the server is never the bottleneck.
  fixed:MS      waits MS milliseconds, then answers a short sentence (streamed or not,
                as the request asks): a model with a fixed per-request latency.

GET /_log returns the logs of the seq streams by tag (request time, write times, end
time) and of the last bulk stream; GET /_stats the request count and the most requests in flight at once; POST
/_reset clears both. The server exits after --lifetime seconds or as soon as its
standard input reaches end of file (the driver holds the other end), whichever comes
first. Both processes use time.monotonic_ns(), i.e. CLOCK_MONOTONIC, one clock for
the whole machine, so server write times and client read times compare directly.
"""
import argparse
import json
import os
import random
import re
import selectors
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# ----------------------------------------------------------------------------- server

LOCK = threading.Lock()
STATS = {"count": 0, "inflight": 0, "max_inflight": 0}
LOG = {}


def sse(obj):
    return b"data: " + json.dumps(obj, separators=(",", ":")).encode() + b"\n\n"


def delta_event(text):
    return sse({"id": "chatcmpl-bench", "object": "chat.completion.chunk",
                "created": 1700000000, "model": "bench",
                "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]})


def final_events():
    stop = sse({"id": "chatcmpl-bench", "object": "chat.completion.chunk",
                "created": 1700000000, "model": "bench",
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    return stop + b"data: [DONE]\n\n"


def chunked(data):
    return b"%x\r\n%s\r\n" % (len(data), data)


BULK = {}


def bulk_body(total, d):
    """The chunk-framed SSE body of a bulk answer, built once per size."""
    with LOCK:
        if (total, d) in BULK:
            return BULK[(total, d)]
    prose = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do " * (d // 60 + 2))[:d]
    events = []
    sent = 0
    while sent < total:
        piece = prose[:total - sent]
        events.append(delta_event(piece))
        sent += len(piece)
    events.append(final_events())
    sse_bytes = b"".join(events)
    body = b"".join(chunked(sse_bytes[i:i + 65536]) for i in range(0, len(sse_bytes), 65536))
    with LOCK:
        BULK[(total, d)] = body
    return body


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "precis-bench/1"

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send_json(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def start_stream(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.flush()

    def end_stream(self, tail=b""):
        self.connection.sendall((chunked(tail) if tail else b"") + b"0\r\n\r\n")

    def do_GET(self):
        if self.path == "/_log":
            with LOCK:
                self.send_json(200, LOG)
        elif self.path == "/_stats":
            with LOCK:
                self.send_json(200, {"count": STATS["count"], "max_inflight": STATS["max_inflight"]})
        else:
            self.send_json(404, {"error": {"message": "no such path"}})

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        t_request = time.monotonic_ns()
        if self.path == "/_reset":
            with LOCK:
                STATS.update(count=0, inflight=0, max_inflight=0)
                LOG.clear()
            self.send_json(200, {"ok": True})
            return
        if not self.path.endswith("/chat/completions"):
            self.send_json(404, {"error": {"message": "no such path"}})
            return
        try:
            body = json.loads(raw)
            model = str(body.get("model", ""))
        except (ValueError, AttributeError):
            self.send_json(400, {"error": {"message": "body is not a JSON object"}})
            return
        with LOCK:
            STATS["count"] += 1
            STATS["inflight"] += 1
            STATS["max_inflight"] = max(STATS["max_inflight"], STATS["inflight"])
        try:
            kind, _, arg = model.partition(":")
            if kind == "seq":
                self.seq(arg, t_request)
            elif kind == "bulk":
                self.bulk(arg, t_request)
            elif kind == "fixed":
                self.fixed(arg, bool(body.get("stream")))
            else:
                self.send_json(404, {"error": {"message": "unknown model " + model,
                                               "code": "model_not_found"}})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            with LOCK:
                STATS["inflight"] -= 1

    def seq(self, arg, t_request):
        """seq:N:US[:T0:TAG]: delta i leaves at T0 + i * US (T0 on CLOCK_MONOTONIC, ns)."""
        f = arg.split(":")
        n, step = int(f[0]), int(f[1] if len(f) > 1 else 2000) * 1000
        t0 = int(f[2]) if len(f) > 2 and f[2] else time.monotonic_ns() + step
        tag = f[3] if len(f) > 3 else "seq"
        writes = [0] * n
        self.start_stream()
        self.connection.sendall(chunked(delta_event("")))
        late = time.monotonic_ns() > t0
        for i in range(n):
            wait = t0 + i * step - time.monotonic_ns()
            if wait > 0:
                time.sleep(wait / 1e9)
            self.connection.sendall(chunked(delta_event("<%06d> " % i)))
            writes[i] = time.monotonic_ns()
        self.end_stream(final_events())
        with LOCK:
            LOG.setdefault("seq", {})[tag] = {"t_request": t_request, "writes": writes,
                                              "late": late, "t_end": time.monotonic_ns()}

    def bulk(self, arg, t_request):
        total, _, d = arg.partition(":")
        total, d = int(total), int(d or 1000)
        body = bulk_body(total, d)
        t_first = time.monotonic_ns()
        self.start_stream()
        self.connection.sendall(body)  # one call: the kernel paces it, not the interpreter
        self.end_stream()
        with LOCK:
            LOG["bulk"] = {"t_request": t_request, "t_first": t_first, "bytes": total,
                           "wire_bytes": len(body), "t_end": time.monotonic_ns()}

    def fixed(self, arg, stream):
        time.sleep(int(arg or 300) / 1000.0)
        text = "This part says what it says, in one sentence."
        if not stream:
            self.send_json(200, {"id": "chatcmpl-bench", "object": "chat.completion",
                                 "created": 1700000000, "model": "bench",
                                 "choices": [{"index": 0, "finish_reason": "stop",
                                              "message": {"role": "assistant", "content": text}}],
                                 "usage": {"prompt_tokens": 1, "completion_tokens": 1,
                                           "total_tokens": 2}})
            return
        self.start_stream()
        self.connection.sendall(chunked(delta_event(text) + final_events()))
        self.end_stream()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        """A client closing its keep-alive connection is routine, not worth a trace."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def serve(lifetime):
    srv = Server(("127.0.0.1", 0), Handler)
    print("PORT %d" % srv.server_address[1], flush=True)

    def stop_on_eof():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        srv.shutdown()

    threading.Thread(target=stop_on_eof, daemon=True).start()
    threading.Timer(lifetime, srv.shutdown).start()
    srv.serve_forever(poll_interval=0.1)
    os._exit(0)


# ----------------------------------------------------------------------------- driver

SEQ_RE = re.compile(rb"<(\d{6})>")
# GNU time reports the child's own peak RSS. os.wait4's ru_maxrss would not do: Linux
# carries the forking Python's high-water mark over into the child at exec.
TIME = "/usr/bin/time"


class BenchServer:
    """Runs `sse_server.py serve` as a child process; it dies with our stdin pipe."""

    def __init__(self, lifetime):
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "serve",
                                      "--lifetime", str(lifetime)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("PORT "):
            raise SystemExit("llm-bench: the benchmark server did not start")
        self.port = int(line.split()[1])
        self.base = "http://127.0.0.1:%d/v1" % self.port

    def get(self, path):
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (self.port, path), timeout=10) as r:
            return json.loads(r.read())

    def reset(self):
        req = urllib.request.Request("http://127.0.0.1:%d/_reset" % self.port, data=b"{}",
                                     method="POST")
        urllib.request.urlopen(req, timeout=10).read()

    def close(self):
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Run:
    """One child process: exit code, wall time, peak RSS, and the read log. Several
    runs started with start=False can be drained together by drain()."""

    def __init__(self, argv, env, stdout_pipe, timeout=120, rss_file=None, start=True):
        self.argv = argv
        self.chunks = []  # (monotonic ns, bytes) for each read from the pipe
        self.rss_file = rss_file
        if rss_file:
            argv = [TIME, "-f", "%M", "-o", rss_file] + argv
        self.t_start = time.monotonic_ns()
        self.p = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE if stdout_pipe else subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        self.err = []
        self.t_err = threading.Thread(target=lambda: self.err.append(self.p.stderr.read()),
                                      daemon=True)
        self.t_err.start()
        if start:
            drain([self], timeout)

    def finish(self):
        _, status, _ = os.wait4(self.p.pid, 0)
        self.t_exit = time.monotonic_ns()
        self.rc = os.waitstatus_to_exitcode(status)
        self.t_err.join(10)
        if self.p.stdout:
            self.p.stdout.close()
        self.stderr = self.err[0].decode(errors="replace") if self.err else ""
        self.maxrss_kb = None
        if self.rss_file and self.rc == 0:
            with open(self.rss_file) as f:
                self.maxrss_kb = int(f.read().split()[-1])
        self.wall_s = (self.t_exit - self.t_start) / 1e9

    def check(self, what):
        if self.rc != 0:
            raise SystemExit("llm-bench: %s failed (exit %d): %s\n%s" % (
                what, self.rc, " ".join(self.argv), self.stderr[-2000:]))
        return self

    def output(self):
        return b"".join(c for _, c in self.chunks)

    def seq_times(self):
        """Maps each sequence number to the read time of the chunk that completed it."""
        seen = {}
        carry = b""
        for t, data in self.chunks:
            buf = carry + data
            end = 0
            for m in SEQ_RE.finditer(buf):
                seen.setdefault(int(m.group(1)), t)
                end = m.end()
            carry = buf[max(end, len(buf) - 7):]
        return seen


def drain(runs, timeout):
    """Reads every run's stdout pipe to EOF, timestamping each read, then reaps them.
    A child still running at the deadline is killed (its run then fails its check)."""
    sel = selectors.DefaultSelector()
    for r in runs:
        if r.p.stdout:
            sel.register(r.p.stdout.fileno(), selectors.EVENT_READ, r)
    deadline = time.monotonic() + timeout
    while sel.get_map() and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1.0):
            data = os.read(key.fd, 1 << 16)
            t = time.monotonic_ns()
            if data:
                key.data.chunks.append((t, data))
            else:
                sel.unregister(key.fd)
    sel.close()
    late = time.monotonic() >= deadline
    for r in runs:
        if late:
            r.p.kill()  # an exited child is a zombie until finish(): the signal is harmless
        r.finish()


def pct(values, p):
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(p / 100.0 * (len(s) - 1)))))
    return s[k]


def say(*a):
    print(*a, file=sys.stderr, flush=True)


class Bench:
    def __init__(self, args):
        self.a = args
        self.tmp = tempfile.mkdtemp(prefix="precis-llm-bench-")
        self.srv = BenchServer(lifetime=args.server_lifetime)
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("OPENAI_", "PRECIS_", "AZURE_"))}
        self.env.update(XDG_CONFIG_HOME=os.path.join(self.tmp, "config"),
                        XDG_CACHE_HOME=os.path.join(self.tmp, "cache"),
                        OPENAI_BASE_URL=self.srv.base, NO_COLOR="1", LC_ALL="C.UTF-8")
        self.env.pop("http_proxy", None)
        self.env.pop("https_proxy", None)
        self.page = os.path.join(self.tmp, "small.html")
        with open(self.page, "w") as f:
            f.write("<!doctype html><html><head><title>Bench page</title></head><body><article>"
                    "<h1>Bench page</h1>" + "<p>This paragraph is here so that the page has "
                    "readable content worth a summary, nothing more.</p>" * 6 +
                    "</article></body></html>")
        self.rss_file = os.path.join(self.tmp, "rss")
        self.load0 = "%.2f %.2f %.2f" % os.getloadavg()
        self.res = {}

    def precis(self, model, *extra):
        return [self.a.precis, "--no-cache", "-m", model, *extra, self.page]

    def curl(self, model):
        body = json.dumps({"model": model, "stream": True,
                           "messages": [{"role": "user", "content": "go"}]})
        return ["curl", "-N", "-s", "-S", "--fail", "-X", "POST",
                "-H", "Content-Type: application/json", "--data-binary", body,
                self.srv.base + "/chat/completions"]

    # 1 ------------------------------------------------------------------- latency
    def latency(self):
        """precis and curl read interleaved schedules at the same time, so that both meet
        the same machine: delta i goes to precis at t0 + i * spacing, to curl half a
        spacing later."""
        n, us, rounds = self.a.deltas, self.a.spacing_us, self.a.latency_rounds
        say("latency: %d deltas %.1f ms apart, %d round(s) of precis and curl side by side"
            % (n, us / 1000, rounds))
        lat = {"precis": [], "curl": []}
        for rnd in range(rounds):
            # curl's schedule runs half a spacing behind precis's: the two never wake at
            # the same instant and compete with each other, yet share the machine's state.
            t0 = time.monotonic_ns() + 1000000000
            runs = {"precis": Run(self.precis("seq:%d:%d:%d:precis%d" % (n, us, t0, rnd)),
                                  self.env, True, start=False),
                    "curl": Run(self.curl("seq:%d:%d:%d:curl%d" % (n, us, t0 + us * 500, rnd)),
                                self.env, True, start=False)}
            drain(list(runs.values()), 60 + n * us / 1e6)
            log = self.srv.get("/_log")["seq"]
            for name, r in runs.items():
                r.check("latency run")
                entry = log["%s%d" % (name, rnd)]
                if entry["late"]:
                    raise SystemExit("llm-bench: %s connected after the shared start time" % name)
                seen, writes = r.seq_times(), entry["writes"]
                missing = [i for i in range(n) if i not in seen]
                if missing:
                    raise SystemExit("llm-bench: %d of %d deltas never reached %s's stdout "
                                     "(first: %d)" % (len(missing), n, name, missing[0]))
                lat[name] += [(seen[i] - writes[i]) / 1e3 for i in range(n)]  # microseconds
        for k, v in lat.items():
            self.res["lat_" + k] = {"p50": pct(v, 50), "p90": pct(v, 90), "p99": pct(v, 99),
                                    "max": max(v), "over1": sum(x > 1000 for x in v), "n": len(v)}

    # 2 ------------------------------------------------------------------- throughput
    def throughput_once(self, argv, pipe, size):
        r = Run(argv, self.env, pipe).check("throughput run")
        log = self.srv.get("/_log")["bulk"]
        if pipe:
            got = len(r.output())
            if got < size:
                raise SystemExit("llm-bench: %s printed %d bytes, expected at least %d" % (
                    argv[0], got, size))
        return size / ((r.t_exit - log["t_first"]) / 1e9) / 1e6

    def throughput(self):
        reps = self.a.reps
        sizes = [1000000]
        out = {}
        for size in (1000000, 10000000):
            if size not in sizes:
                # Only when 1 MB went fast enough for 10 MB to stay within the time budget.
                slowest = min(out[(1000000, k)] for k in ("precis pipe", "precis null"))
                if slowest < 10:
                    break
                sizes.append(size)
            model = "bulk:%d:1000" % size
            say("throughput: %d MB in 1 KB deltas, %d runs each" % (size // 1000000, reps))
            for name, argv, pipe in (("precis pipe", self.precis(model), True),
                                     ("precis null", self.precis(model), False),
                                     ("curl pipe", self.curl(model), True),
                                     ("curl null", self.curl(model), False)):
                out[(size, name)] = statistics.median(self.throughput_once(argv, pipe, size)
                                                      for _ in range(reps))
        self.res["tput"] = out
        self.res["tput_sizes"] = sizes
        self.res["rss_stream"] = Run(self.precis("bulk:1000000:1000"), self.env, False,
                                     rss_file=self.rss_file).check("1 MB answer").maxrss_kb

    # 3 ------------------------------------------------------------------- map-reduce
    def big_page(self, words):
        rnd = random.Random(200000)
        vocab = ("collector heap object root pointer mark sweep region barrier write "
                 "generation nursery survivor promotion compaction fragment allocator "
                 "thread pause latency budget card table remembered set concurrent "
                 "incremental tracing reachability finalizer weak reference cycle count "
                 "young old large page arena bump cursor evacuation forwarding header "
                 "the a of to in and is that for it as with on by this be are from").split()
        path = os.path.join(self.tmp, "big.html")
        out = ["<!doctype html><html><head><title>A long page on memory management</title>"
               "</head><body><article><h1>A long page on memory management</h1>"]
        n, section = 0, 0
        while n < words:
            section += 1
            out.append("<h2>Section %d: %s and %s</h2>" % (section, rnd.choice(vocab),
                                                           rnd.choice(vocab)))
            for _ in range(rnd.randint(4, 8)):
                sentences = []
                for _ in range(rnd.randint(3, 6)):
                    k = rnd.randint(8, 20)
                    w = [rnd.choice(vocab) for _ in range(k)]
                    sentences.append(" ".join(w).capitalize() + ".")
                    n += k
                out.append("<p>" + " ".join(sentences) + "</p>")
        out.append("</article></body></html>")
        with open(path, "w") as f:
            f.write("\n".join(out))
        return path, n

    def parts_for(self, env, page, context, ms):
        """Writes the bench profile; with ms given, returns the parts precis splits into."""
        cfgdir = os.path.join(self.tmp, "config", "precis")
        os.makedirs(cfgdir, exist_ok=True)
        with open(os.path.join(cfgdir, "config"), "w") as f:
            f.write("[profile bench]\nbase_url = %s\nmodel = fixed:%d\ncontext_tokens = %d\n"
                    % (self.srv.base, ms, context))
        if ms:
            return None
        r = Run([self.a.precis, "--no-cache", "--json", "--jobs", "8", page], env, True)
        return json.loads(r.check("map-reduce calibration").output())["parts"]

    def mapreduce(self):
        words = self.a.words
        page, n = self.big_page(words)
        env = dict(self.env, PRECIS_PROFILE="bench")
        env.pop("OPENAI_BASE_URL")
        ex = Run([self.a.precis, "extract", "--format", "markdown", page], self.env, True)
        ex.check("extract of the big page")
        est = (len(ex.output()) + 3) // 4
        # answer.c keeps min(context/4, 2048) tokens for the answer and spends ~400 on the
        # map prompt: aim the chunk size at est/parts tokens, then correct it against the
        # parts precis really makes (with a 0 ms model), so that the part count is a
        # multiple of 4 and --jobs 4 has no half-empty last round.
        target = self.a.parts
        context = est // target + 2048 + 400
        parts = None
        for _ in range(6):
            parts = self.parts_for(env, page, context, 0)
            if parts % 4 == 0 or abs(parts - target) > 8:
                break
            want = parts + (4 - parts % 4) if parts < target else parts - parts % 4
            context = max(1024, int((context - 2448) * parts / want) + 2448)
        self.parts_for(env, page, context, self.a.request_ms)
        say("map-reduce: %d-word page (%d KB, ~%d tokens), context_tokens %d, %d ms per request"
            % (n, os.path.getsize(page) // 1024, est, context, self.a.request_ms))
        mr = {"words": n, "page_kb": os.path.getsize(page) // 1024, "context": context}
        t = time.monotonic_ns()
        Run([self.a.precis, "extract", "--format", "markdown", page], self.env, False).check(
            "extract of the big page")
        mr["extract_s"] = (time.monotonic_ns() - t) / 1e9
        for jobs in (1, 4):
            self.srv.reset()
            r = Run([self.a.precis, "--no-cache", "--json", "--jobs", str(jobs), page], env, True,
                    rss_file=self.rss_file)
            r.check("map-reduce --jobs %d" % jobs)
            j = json.loads(r.output())
            if j.get("error"):
                raise SystemExit("llm-bench: map-reduce failed: " + j["error"])
            st = self.srv.get("/_stats")
            mr[jobs] = {"wall": r.wall_s, "parts": j["parts"], "requests": j["requests"],
                        "server_requests": st["count"], "max_inflight": st["max_inflight"],
                        "rss": r.maxrss_kb}
        self.res["mr"] = mr
        self.res["rss_mr"] = mr[4]["rss"]

    # 4 ------------------------------------------------------------------- start-up
    def startup(self):
        example = os.path.join(self.a.root, "examples", "tracing-gc.html")
        cmds = [("precis --version", [self.a.precis, "--version"]),
                ("precis --offline tracing-gc.html", [self.a.precis, "--offline", example]),
                ("curl --version", ["curl", "--version"])]
        runs = self.a.startup_runs
        out = {}
        hf = shutil.which("hyperfine")
        say("start-up: median of %d runs each (%s)" % (runs, "hyperfine" if hf else "Python"))
        for name, argv in cmds:
            Run(argv, self.env, False).check(name)
            if hf:
                js = os.path.join(self.tmp, "hf.json")
                hr = subprocess.run([hf, "-N", "-w", "3", "-r", str(runs), "--export-json", js,
                                     "--style", "none", shlex.join(argv)], env=self.env, check=True,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                if "outliers" in hr.stderr:
                    self.res.setdefault("outliers", []).append(name)
                with open(js) as f:
                    out[name] = json.load(f)["results"][0]["median"] * 1000
            else:
                out[name] = statistics.median(Run(argv, self.env, False).wall_s
                                              for _ in range(runs)) * 1000
        self.res["startup"] = out
        self.res["rss_curl"] = Run(cmds[2][1], self.env, False, rss_file=self.rss_file).check(
            "curl --version").maxrss_kb
        self.res["rss_offline"] = max(Run(cmds[1][1], self.env, False, rss_file=self.rss_file)
                                      .check(cmds[1][0]).maxrss_kb for _ in range(3))

    # ------------------------------------------------------------------------- table
    def report(self):
        r = self.res
        lines = []
        w = lines.append
        lp, lc = r["lat_precis"], r["lat_curl"]
        add50, add99 = lp["p50"] - lc["p50"], lp["p99"] - lc["p99"]
        w("")
        w("precis model-side benchmark  (%s)" % self.a.precis)
        w("load average before / after: %s / %s on %d CPUs" % (
            self.load0, "%.2f %.2f %.2f" % os.getloadavg(), os.cpu_count()))
        w("")
        w("1. Latency per delta: stdout read time - server write time, %d deltas each, "
          "%.1f ms apart," % (lp["n"], self.a.spacing_us / 1000))
        w("   precis and curl streamed at the same time, curl's deltas half a spacing later")
        w("   %-22s %9s %9s %9s %9s %9s" % ("", "p50 ms", "p90 ms", "p99 ms", "max ms",
                                           "> 1 ms"))
        for name, v in (("curl -N (baseline)", lc), ("precis", lp)):
            w("   %-22s %9.3f %9.3f %9.3f %9.3f %9d" % (
                name, v["p50"] / 1000, v["p90"] / 1000, v["p99"] / 1000, v["max"] / 1000,
                v["over1"]))
        w("   %-22s %9.3f %9.3f %9.3f" % ("precis added", add50 / 1000,
                                          (lp["p90"] - lc["p90"]) / 1000, add99 / 1000))
        w("")
        w("2. Throughput: answer MB/s, first response byte -> client exit, median of %d"
          % self.a.reps)
        w("   %-22s" % "" + "".join("%12s" % ("%d MB" % (s // 1000000)) for s in r["tput_sizes"]))
        for name in ("precis pipe", "precis null", "curl pipe", "curl null"):
            label = name.replace("null", "> /dev/null").replace("pipe", "| pipe")
            w("   %-22s" % label + "".join("%12.1f" % r["tput"][(s, name)]
                                            for s in r["tput_sizes"]))
        big = r["tput_sizes"][-1]
        per = {k: 1000 / r["tput"][(big, k)] for k in ("precis null", "curl null")}
        w("   per 1 KB delta at %d MB, > /dev/null: precis %.1f us, curl %.1f us" % (
            big // 1000000, per["precis null"], per["curl null"]))
        w("")
        mr = r["mr"]
        speed = mr[1]["wall"] / mr[4]["wall"]
        w("3. Map-reduce: %d-word page (%d KB), context_tokens %d, %d ms per request"
          % (mr["words"], mr["page_kb"], mr["context"], self.a.request_ms))
        w("   %-10s %8s %10s %10s %13s" % ("", "parts", "requests", "wall s", "max in flight"))
        for jobs in (1, 4):
            m = mr[jobs]
            w("   %-10s %8d %10d %10.2f %13d" % ("--jobs %d" % jobs, m["parts"], m["requests"],
                                                 m["wall"], m["max_inflight"]))
        parts = mr[4]["parts"]
        ideal = (parts + 1) / (-(-parts // 4) + 1)
        w("   speed-up --jobs 4 over --jobs 1: %.2fx (ideal for %d parts + 1 reduce: %.2fx)"
          % (speed, parts, ideal))
        w("   time outside requests (wall - rounds x %d ms): --jobs 1 %.2f s, --jobs 4 %.2f s;"
          % (self.a.request_ms, mr[1]["wall"] - (parts + 1) * self.a.request_ms / 1000,
             mr[4]["wall"] - (-(-parts // 4) + 1) * self.a.request_ms / 1000))
        w("   of which 'precis extract' of the page alone: %.2f s" % mr["extract_s"])
        w("")
        w("4. Start-up: median wall ms")
        for name, ms in r["startup"].items():
            w("   %-34s %8.2f%s" % (name, ms, "  (hyperfine saw outliers)"
                                   if name in r.get("outliers", ()) else ""))
        w("")
        w("5. Peak RSS (GNU time %M)")
        w("   %-34s %8.1f MB" % ("curl --version (reference)", r["rss_curl"] / 1024))
        w("   %-34s %8.1f MB" % ("offline summary tracing-gc.html", r["rss_offline"] / 1024))
        w("   %-34s %8.1f MB" % ("1 MB streamed answer", r["rss_stream"] / 1024))
        w("   %-34s %8.1f MB" % ("%dk-word map-reduce (--jobs 4)" % (mr["words"] // 1000),
                                   r["rss_mr"] / 1024))
        w("")
        checks = [
            ("added latency p99 < 1 ms", "%.3f ms" % (add99 / 1000), add99 < 1000),
            ("every delta reached stdout", "%d/%d" % (lp["n"], lp["n"]), True),
            ("--jobs 4 >= 3x faster than --jobs 1", "%.2fx" % speed, speed >= 3),
            ("--jobs 4 kept 4 requests in flight", "%d" % mr[4]["max_inflight"],
             mr[4]["max_inflight"] == 4),
            ("parts in 16..40", "%d" % mr[4]["parts"], 16 <= mr[4]["parts"] <= 40),
            ("server saw parts + 1 requests", "%d" % mr[4]["server_requests"],
             mr[4]["server_requests"] == mr[4]["parts"] + 1 and
             mr[1]["server_requests"] == mr[1]["parts"] + 1),
        ]
        w("Targets")
        w("   %-40s %12s  %s" % ("target", "measured", "met"))
        for name, got, ok in checks:
            w("   %-40s %12s  %s" % (name, got, "yes" if ok else "NO"))
        print("\n".join(lines), flush=True)
        return all(ok for _, _, ok in checks)

    def run(self):
        t0 = time.monotonic()
        try:
            self.latency()
            self.throughput()
            self.mapreduce()
            self.startup()
            ok = self.report()
        finally:
            self.srv.close()
            shutil.rmtree(self.tmp, ignore_errors=True)
        say("llm-bench: done in %.0f s" % (time.monotonic() - t0))
        return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--lifetime", type=float, default=300)
    b = sub.add_parser("bench")
    b.add_argument("--precis", required=True)
    b.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    b.add_argument("--deltas", type=int, default=2000)
    b.add_argument("--spacing-us", type=int, default=2000)
    b.add_argument("--latency-rounds", type=int, default=2)
    b.add_argument("--reps", type=int, default=5)
    b.add_argument("--words", type=int, default=200000)
    b.add_argument("--parts", type=int, default=32)
    b.add_argument("--request-ms", type=int, default=300)
    b.add_argument("--startup-runs", type=int, default=30)
    b.add_argument("--server-lifetime", type=float, default=600)
    a = ap.parse_args()
    if a.cmd == "serve":
        serve(a.lifetime)
    else:
        a.precis = os.path.abspath(a.precis)
        sys.exit(Bench(a).run())


if __name__ == "__main__":
    main()
