#!/usr/bin/env python3
"""End-to-end tests of the chat client: bench/llm_probe against tests/fake_openai.py.

Every provider quirk of shared/openai-compat.md is served by the fake server; the probe
streams the answer to stdout, prints a failure as one line on stderr and exits 4. The
server records every request, so the tests also check what was sent and how often.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
FAKE = HERE.parent / "fake_openai.py"
KEY = "sk-test-SECRET-c0ffee-0123456789"

PASSED = 0
FAILED = 0


def check(cond, what):
    global PASSED, FAILED
    if cond:
        PASSED += 1
    else:
        FAILED += 1
        print("FAIL: " + what, flush=True)


def find_probe():
    env = os.environ.get("PRECIS_PROBE")
    if env:
        return Path(env)
    bin_ = os.environ.get("PRECIS_BIN")
    if not bin_:
        print("PRECIS_BIN is not set")
        sys.exit(2)
    return Path(bin_).resolve().parent / "bench" / "llm_probe"


PROBE = find_probe()


class Fake:
    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, str(FAKE), "--lifetime", "120"],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        self.port = int(line.split()[1])
        self.base = "http://127.0.0.1:%d" % self.port
        self.url = self.base + "/v1"

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=5) as r:
            return json.loads(r.read())

    def reset(self):
        req = urllib.request.Request(self.base + "/_reset", data=b"{}", method="POST")
        urllib.request.urlopen(req, timeout=5).read()

    def requests(self):
        return self.get("/_requests")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=5)


FAKE_SERVER = Fake()


class Run:
    pass


def probe(model, *args, base=None, timeout=20, env_extra=None):
    FAKE_SERVER.reset()
    env = dict(os.environ, OPENAI_API_KEY=KEY, PRECIS_RETRY_BASE_MS="20")
    env.update(env_extra or {})
    cmd = [str(PROBE), base or FAKE_SERVER.url, model, "--stats", *args]
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env)
    r = Run()
    r.elapsed = time.monotonic() - t0
    r.rc = p.returncode
    r.out = p.stdout.decode("utf-8", "replace")
    r.err = p.stderr.decode("utf-8", "replace")
    r.stats = None
    r.errline = None
    for line in r.err.splitlines():
        if line.startswith("stats: "):
            r.stats = json.loads(line[len("stats: "):])
        elif line.startswith("precis: "):
            r.errline = line
    r.reqs = FAKE_SERVER.requests() if base is None else []
    check(KEY not in r.out and KEY not in r.err, "%s: the API key was printed" % model)
    return r


def expect_ok(model, text, *args, nreq=1, **kw):
    r = probe(model, *args, **kw)
    check(r.rc == 0, "%s: exit %d, stderr %r" % (model, r.rc, r.err))
    check(r.out == text + "\n", "%s: stdout %r, want %r" % (model, r.out, text))
    check(r.stats is not None and r.stats["class"] == "ok", "%s: stats %r" % (model, r.stats))
    check(len(r.reqs) == nreq, "%s: %d requests, want %d" % (model, len(r.reqs), nreq))
    return r


def expect_err(model, cls, phrase, *args, nreq=1, status=None, **kw):
    r = probe(model, *args, **kw)
    check(r.rc == 4, "%s: exit %d, want 4 (stderr %r)" % (model, r.rc, r.err))
    check(r.errline is not None and r.errline.startswith("precis: model API error ("),
          "%s: error line %r" % (model, r.errline))
    check(r.errline is not None and phrase in r.errline, "%s: %r lacks %r" % (model, r.errline, phrase))
    check(len([ln for ln in r.err.splitlines() if ln.startswith("precis: ")]) == 1,
          "%s: not exactly one error line: %r" % (model, r.err))
    check(r.stats is not None and r.stats["class"] == cls,
          "%s: class %r, want %r" % (model, r.stats and r.stats["class"], cls))
    if status is not None:
        check(r.errline is not None and ("(%d from %s)" % (status, FAKE_SERVER.url)) in r.errline,
              "%s: status/url missing in %r" % (model, r.errline))
    if nreq is not None:
        check(len(r.reqs) == nreq, "%s: %d requests, want %d" % (model, len(r.reqs), nreq))
    return r


def test_stream_quirks():
    for q in ["ok", "crlf", "cr", "nospace", "comments", "done-nolf", "no-done", "usage-null",
              "azure", "role-every", "content-null", "deepseek-blank"]:
        expect_ok("quirk:" + q, "Hello, world.")
    r = expect_ok("ok", "Hello, world.")
    check(r.stats["usage"] == [9, 3, 12] and r.stats["finish"] == "stop", "usage/finish %r" % r.stats)
    r = expect_ok("groq-usage", "Hello, world.")
    check(r.stats["usage"] == [21, 5, 26], "x_groq usage %r" % r.stats["usage"])


def test_reasoning():
    for q in ["reasoning-content", "reasoning"]:
        r = expect_ok(q, "Hello, world.")
        check(r.stats["reasoning"] == "Let me think.", "%s: reasoning %r" % (q, r.stats["reasoning"]))
    r = expect_ok("think", "The answer is 42.")
    check(r.stats["reasoning"] == "I am thinking", "think: reasoning %r" % r.stats["reasoning"])
    r = expect_ok("think", "The answer is 42.", "--show-reasoning")
    check("I am thinking" in r.err and "think" not in r.out, "think shown on stderr only")
    r = expect_ok("think", "The answer is 42.", "--no-stream")
    check(r.stats["reasoning"] == "I am thinking", "think non-stream %r" % r.stats["reasoning"])
    r = expect_ok("reasoning-content", "Hello, world.", "--no-stream")
    check(r.stats["reasoning"] == "Let me think.", "non-stream reasoning_content")


def test_request_fields():
    r = expect_ok("ok", "Hello, world.")
    body, hdr = r.reqs[0]["body"], r.reqs[0]["headers"]
    check(r.reqs[0]["path"] == "/v1/chat/completions", "path %r" % r.reqs[0]["path"])
    check(body.get("stream") is True and body.get("stream_options") == {"include_usage": True},
          "stream fields %r" % body)
    for absent in ["temperature", "max_tokens", "max_completion_tokens"]:
        check(absent not in body, "%s sent without being asked: %r" % (absent, body))
    check(body["messages"] == [{"role": "user", "content": "Summarize this page."}], "messages %r" % body)
    check(hdr.get("authorization") == "Bearer " + KEY, "Authorization header")
    check(hdr.get("accept") == "text/event-stream", "Accept %r" % hdr.get("accept"))
    check("expect" not in hdr, "Expect header sent")
    check("accept-encoding" not in hdr, "compression requested for a stream")
    check(hdr.get("content-type") == "application/json", "Content-Type")

    r = expect_ok("ok", "Hello, world.", "--temperature", "0.2", "--max-tokens", "100",
                  "--system", "Be brief.", "--no-usage")
    body = r.reqs[0]["body"]
    check(body.get("temperature") == 0.2 and body.get("max_tokens") == 100, "temperature/max_tokens %r" % body)
    check("stream_options" not in body and "max_completion_tokens" not in body, "no-usage %r" % body)
    check(body["messages"][0] == {"role": "system", "content": "Be brief."}, "system message")

    r = expect_ok("ok", "Hello, world.", "--no-stream", "--max-tokens", "7", "--max-field", "max_completion_tokens")
    body, hdr = r.reqs[0]["body"], r.reqs[0]["headers"]
    check(body.get("stream") is False and "stream_options" not in body, "non-stream body %r" % body)
    check(body.get("max_completion_tokens") == 7 and "max_tokens" not in body, "field name %r" % body)
    check(hdr.get("accept") == "application/json", "non-stream Accept")

    r = expect_ok("ok", "Hello, world.", "--azure", "--api-version", "2024-06-01",
                  "--header", "X-Title: precis")
    hdr = r.reqs[0]["headers"]
    check(hdr.get("api-key") == KEY and "authorization" not in hdr, "Azure api-key header")
    check(r.reqs[0]["path"] == "/v1/chat/completions?api-version=2024-06-01", "api-version %r" % r.reqs[0]["path"])
    check(hdr.get("x-title") == "precis", "extra header")

    r = probe("ok", env_extra={"OPENAI_API_KEY": ""})
    check(r.rc == 0 and "authorization" not in r.reqs[0]["headers"], "no key, no Authorization")


def test_echo_and_sizes():
    text = "The quick brown fox jumps over the lazy dog, again and again, until the page ends."
    r = expect_ok("echo", "ECHO: " + text[:60], "--user", text)
    path = Path(os.environ.get("TMPDIR", "/tmp")) / ("llm_client_page_%d.txt" % os.getpid())
    page = "Page start. " + "x" * 300000
    path.write_text(page)
    try:
        r = expect_ok("echo", "ECHO: " + page[:60], "--user-file", str(path))
        check(r.reqs[0]["body"]["messages"][-1]["content"] == page, "the whole page reached the model")
    finally:
        path.unlink()
    r = probe("big:1000000")
    check(r.rc == 0 and len(r.out) == 1000001, "big answer: exit %d, %d bytes" % (r.rc, len(r.out)))
    check(r.elapsed < 5, "big answer took %.2f s" % r.elapsed)


def test_finish_and_empty():
    r = expect_ok("length", "This answer is cut")
    check(r.stats["truncated"] and "token limit" in r.err, "length flagged %r" % r.err)
    expect_err("empty", "empty", "empty", status=200)
    expect_err("html-200", "bad_response", "expected an event stream but got text/html", status=200)


def test_http_errors():
    r = expect_err("401", "auth", "check OPENAI_API_KEY or api_key in your profile", status=401)
    check("Incorrect API key provided" in r.errline, "provider message kept")
    expect_err("azure-401", "auth", "Access denied", status=401)
    expect_err("404", "not_found", "does not exist", status=404)
    expect_err("string-error", "not_found", "try pulling it first", status=404)
    expect_err("overflow-openai", "context_overflow", "maximum context length", status=400)
    expect_err("overflow-vllm", "context_overflow", "maximum context length", status=400)
    expect_err("overflow-llamacpp", "context_overflow", "exceeds the available context", status=400)
    expect_err("429-quota", "quota", "exceeded your current quota", status=429)
    expect_err("429-always", "rate_limit", "Rate limit", nreq=4, status=429)
    r = expect_err("500", "server", "server had an error", nreq=4, status=500)
    check(r.stats["retries"] == 3, "500 retried 3 times")
    expect_err("502-html", "server", "502 Bad Gateway", nreq=4, status=502)
    expect_err("500", "server", "server had an error", "--retries", "0", nreq=1)
    r = expect_err("redirect", "redirect", "http://127.0.0.1:9/elsewhere", status=307)


def test_errors_in_200():
    r = expect_err("midstream-error", "server", "Sorry about that!")
    check(r.out.startswith("Partial"), "partial text kept %r" % r.out)
    r = expect_err("openrouter-error", "server", "Provider returned error")
    check(r.out.startswith("Partial"), "partial text kept %r" % r.out)
    expect_err("llama-error-field", "server", "llama_decode failed", nreq=None)
    expect_err("overflow-llamacpp-200", "context_overflow", "exceeds the available context")
    expect_err("json-200-error", "context_overflow", "context length")


def test_retries():
    r = expect_ok("503-then-ok", "Hello, world.", nreq=3)
    check(r.stats["retries"] == 2, "503 retries %r" % r.stats["retries"])
    r = expect_ok("429-retry-after", "Hello, world.", nreq=2)
    gap = r.reqs[1]["t"] - r.reqs[0]["t"]
    check(0.9 <= gap < 2.5, "Retry-After: 1 honoured (gap %.2f s)" % gap)
    r = expect_ok("429-ms", "Hello, world.", nreq=2)
    gap = r.reqs[1]["t"] - r.reqs[0]["t"]
    check(0.25 <= gap < 1.5, "retry-after-ms: 300 honoured over Retry-After (gap %.2f s)" % gap)
    r = expect_ok("unsupported-max-tokens", "used max_completion_tokens=50", "--max-tokens", "50", nreq=2)
    b0, b1 = r.reqs[0]["body"], r.reqs[1]["body"]
    check("max_tokens" in b0 and "max_completion_tokens" not in b0, "first try max_tokens")
    check("max_tokens" not in b1 and b1.get("max_completion_tokens") == 50, "retry max_completion_tokens")
    r = expect_ok("mistral-422", "used max_tokens=50", "--max-tokens", "50", "--max-field",
                  "max_completion_tokens", nreq=2)
    check("max_completion_tokens" not in r.reqs[1]["body"], "Mistral retry without max_completion_tokens")
    r = expect_ok("drop-early", "Hello, world.", nreq=2)
    r = expect_err("drop", "truncated", "cut off")
    check(r.out == "Partial answer\n", "partial answer kept %r" % r.out)


def test_timeouts_and_connect():
    r = expect_err("stall:3000", "timeout_idle", "no data from the server for 0.4 s", "--idle-ms", "400")
    check(r.out == "Hel\n", "text before the stall kept %r" % r.out)
    check(r.elapsed < 2.0, "idle timeout took %.2f s" % r.elapsed)
    r = expect_err("keepalive-forever", "timeout_total", "within 1.0 s", "--idle-ms", "400",
                   "--max-time-ms", "1000")
    check(0.9 <= r.elapsed < 2.5, "total timeout took %.2f s" % r.elapsed)
    r = expect_err("slow-headers:3000", "timeout_idle", "no data", "--idle-ms", "400")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    r = probe("ok", "--retries", "1", base="http://127.0.0.1:%d/v1" % port)
    check(r.rc == 4 and r.stats["class"] == "connect" and r.stats["retries"] == 1,
          "connection refused: %r %r" % (r.rc, r.stats))
    check(r.errline is not None and "is the server running" in r.errline, "connect hint %r" % r.errline)


def test_cancel_models_parallel():
    r = probe("ok", "--cancel-after", "1")
    check(r.rc == 130 and r.out == "Hello\n" and r.stats["class"] == "cancelled",
          "cancel from the sink: %r %r" % (r.rc, r.out))
    FAKE_SERVER.reset()
    r = probe("x", "--models")
    check(r.rc == 0 and r.out == "fake-model\nllama3:latest\n", "models %r" % r.out)
    check(r.reqs and r.reqs[0]["method"] == "GET" and r.reqs[0]["path"] == "/v1/models",
          "models request %r" % r.reqs)
    check(r.reqs and r.reqs[0]["headers"].get("authorization") == "Bearer " + KEY, "models auth")
    r = probe("x", "--models", env_extra={"OPENAI_API_KEY": "bad-key"})
    check(r.rc == 4 and r.errline and "(401 from" in r.errline, "models 401 %r" % r.errline)

    r = probe("latency:400", "--parallel", "4", "--user", "same page")
    check(r.rc == 0, "parallel exit %d %r" % (r.rc, r.err))
    for i in range(4):
        check(("[%d] ECHO: part %d: same page" % (i, i)) in r.out, "parallel answer %d in %r" % (i, r.out))
    check(r.elapsed < 1.2, "4 x 400 ms in parallel took %.2f s" % r.elapsed)
    st = FAKE_SERVER.get("/_stats")
    check(st["max_inflight"] == 4 and st["count"] == 4, "in flight %r" % st)

    # Ctrl-C: the cancel flag set by a SIGINT handler stops a stalled stream at once.
    FAKE_SERVER.reset()
    env = dict(os.environ, OPENAI_API_KEY=KEY)
    p = subprocess.Popen([str(PROBE), FAKE_SERVER.url, "stall:1500", "--sigint", "--stats", "--idle-ms", "4000"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    first = p.stdout.read(3)
    t0 = time.monotonic()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=10)
    took = time.monotonic() - t0
    check(first == b"Hel" and p.returncode == 130, "SIGINT: %r exit %r %r" % (first, p.returncode, err))
    check(took < 1.0, "SIGINT took %.2f s to stop the transfer" % took)
    check(b'"class":"cancelled"' in err and b"interrupted" in err, "SIGINT class %r" % err)



def main():
    if not PROBE.exists():
        print("missing %s (build the bench targets)" % PROBE)
        return 2
    t0 = time.monotonic()
    try:
        for name, fn in sorted(globals().items()):
            if name.startswith("test_") and callable(fn):
                before = FAILED
                fn()
                print("%s: %s" % (name, "ok" if FAILED == before else "FAILED"), flush=True)
    finally:
        FAKE_SERVER.stop()
    print("%.1f s" % (time.monotonic() - t0))
    print("%d passed, %d failed" % (PASSED, FAILED))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
