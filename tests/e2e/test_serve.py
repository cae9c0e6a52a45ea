"""`precis serve` end to end: the real binary speaking the editor protocol against the
fake model server and the local page server."""
import json
import os
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "pages"))
from harness import REPO, FakeOpenAI, run_tests  # noqa: E402
from pagekit import Server  # noqa: E402
from serve_client import Serve, text_of  # noqa: E402

EXAMPLE = os.path.join(REPO, "examples", "tracing-gc.html")
FAKE = FakeOpenAI()
PAGES = Server()


def model(name="ok", extra=None):
    e = {"OPENAI_BASE_URL": FAKE.url, "PRECIS_MODEL": name}
    e.update(extra or {})
    return e


def page(path):
    return PAGES.url(path)


def error_of(reply):
    assert "error" in reply, reply
    return reply["error"]["code"], reply["error"]["data"]["kind"], reply["error"]["message"]


# ---- methods -----------------------------------------------------------------

def test_initialize_reports_version_methods_and_model():
    s = Serve(env=model("ok"))
    reply, _, _ = s.call("initialize", {"client": {"name": "test"}})
    r = reply["result"]
    assert r["name"] == "precis" and r["protocol"] == 1 and r["version"]
    assert set(r["capabilities"]["methods"]) >= {"initialize", "summarize", "ask", "extract",
                                                 "models", "cancel", "shutdown"}
    assert r["model"] == "ok" and r["configured"] is True
    s.close_stdin()
    assert s.wait() == 0
    s = Serve()
    reply, _, _ = s.call("initialize")
    assert reply["result"]["model"] is None and reply["result"]["configured"] is False
    s.close_stdin()
    assert s.wait() == 0


def test_summarize_streams_meta_deltas_then_result():
    s = Serve(env=model("ok"))
    reply, notes, _ = s.call("summarize", {"url": page("/html")})
    methods = [n["method"] for n in notes]
    assert methods[0] == "meta" and methods.count("meta") == 1, methods
    assert set(methods[1:]) <= {"delta", "progress"}, methods
    meta = notes[0]["params"]
    assert meta["url"] == page("/html") and meta["title"] and meta["tokens"] > 10
    assert meta["model"] == "ok"
    assert text_of(notes) == "Hello, world."
    r = reply["result"]
    assert r["finish"] == "stop" and r["text_len"] == len("Hello, world.")
    assert r["usage"]["total_tokens"] == 12
    s.close_stdin()
    assert s.wait() == 0


def test_summarize_params_reach_the_model():
    FAKE.reset()
    s = Serve(env=model("ok"))
    reply, notes, _ = s.call("summarize", {"url": page("/html"), "model": "echo",
                                           "prompt": "tldr", "lang": "German",
                                           "length": "short"})
    assert "result" in reply, reply
    assert text_of(notes).startswith("ECHO: ")
    req = FAKE.requests()[-1]
    assert req["body"]["model"] == "echo"
    msgs = json.dumps(req["body"]["messages"])
    assert "German" in msgs
    s.close_stdin()
    s.wait()


def test_a_request_may_name_the_model_when_none_is_configured():
    s = Serve(env={"OPENAI_BASE_URL": FAKE.url})
    reply, notes, _ = s.call("summarize", {"text": "Some text.", "model": "ok"})
    assert "result" in reply and text_of(notes) == "Hello, world.", reply
    reply, _, _ = s.call("summarize", {"text": "Some text."})
    code, kind, msg = error_of(reply)
    assert (code, kind) == (-32602, "usage") and "no model set" in msg
    s.close_stdin()
    assert s.wait() == 0


def test_ask_with_urls_and_with_text():
    FAKE.reset()
    s = Serve(env=model("echo"))
    reply, notes, _ = s.call("ask", {"urls": [page("/html"), page("/type/markdown")],
                                     "question": "What was approved?"})
    assert "result" in reply, reply
    meta = [n for n in notes if n["method"] == "meta"][0]["params"]
    assert meta["url"] is None  # several pages
    user = [m for m in FAKE.requests()[-1]["body"]["messages"] if m["role"] == "user"][-1]
    assert "What was approved?" in user["content"]
    assert "committee met on Tuesday" in user["content"]
    assert "# [1]" in user["content"] and "# [2]" in user["content"]
    reply, notes, _ = s.call("ask", {"text": "The launch code is 7421.\n", "title": "notes.txt",
                                     "question": "What is the code?"})
    assert "result" in reply, reply
    user = [m for m in FAKE.requests()[-1]["body"]["messages"] if m["role"] == "user"][-1]
    assert "The launch code is 7421." in user["content"]
    assert [n for n in notes if n["method"] == "meta"][0]["params"]["title"] == "notes.txt"
    s.close_stdin()
    s.wait()


def test_extract_url_and_text_in_each_format():
    s = Serve()
    reply, notes, _ = s.call("extract", {"url": page("/html")})
    r = reply["result"]
    assert notes == []
    assert r["format"] == "markdown" and r["url"] == page("/html")
    assert "committee met on Tuesday" in r["content"] and "Copyright" not in r["content"]
    reply, _, _ = s.call("extract", {"url": page("/html"), "format": "json"})
    assert json.loads(reply["result"]["content"])["title"] == reply["result"]["title"]
    html = "<html><head><title>T</title></head><body><nav>menu</nav><article><h1>Head</h1>" \
           "<p>" + "A real paragraph of text that says something useful. " * 5 + \
           "</p></article></body></html>"
    reply, _, _ = s.call("extract", {"text": html, "format": "text"})
    r = reply["result"]
    assert r["format"] == "text" and "A real paragraph" in r["content"] and "menu" not in r["content"]
    assert "#" not in r["content"]
    s.close_stdin()
    assert s.wait() == 0


def test_models_lists_the_endpoint():
    s = Serve(env=model("ok"))
    reply, _, _ = s.call("models")
    assert reply["result"]["models"] == ["fake-model", "llama3:latest"], reply
    s.close_stdin()
    s.wait()
    s = Serve()
    reply, _, _ = s.call("models")
    code, kind, msg = error_of(reply)
    assert code == -32602 and kind == "usage" and "OPENAI_BASE_URL" in msg
    s.close_stdin()
    s.wait()


def test_offline_default_streams_the_extractive_summary():
    s = Serve()
    reply, notes, _ = s.call("summarize", {"url": EXAMPLE, "length": "short"})
    assert "result" in reply, reply
    assert notes[0]["method"] == "meta" and notes[0]["params"]["model"] == "offline"
    assert notes[0]["params"]["tokens"] > 100
    text = text_of(notes)
    assert text.startswith("# How a tracing garbage collector"), text
    assert sum(1 for n in notes if n["method"] == "delta") >= 3
    assert reply["result"]["model"] == "offline" and reply["result"]["text_len"] == len(text.encode())
    reply, _, _ = s.call("ask", {"url": EXAMPLE, "question": "why?"})
    code, kind, msg = error_of(reply)
    assert kind == "usage" and "no model configured" in msg
    s.close_stdin()
    assert s.wait() == 0


def test_reasoning_only_when_asked():
    s = Serve(env=model("reasoning-content"))
    _, notes, _ = s.call("summarize", {"text": "Some text to summarize here."})
    assert not [n for n in notes if n["method"] == "reasoning"]
    _, notes, _ = s.call("summarize", {"text": "Some text to summarize here.", "reasoning": True})
    assert [n for n in notes if n["method"] == "reasoning"]
    s.close_stdin()
    s.wait()


def test_escape_sequences_are_neutralised():
    s = Serve(env=model("escape"))
    reply, notes, _ = s.call("summarize", {"text": "Some text."})
    t = text_of(notes)
    assert t and "\x1b" not in t and "\x07" not in t, repr(t)
    s.close_stdin()
    s.wait()


# ---- errors of every kind --------------------------------------------------------

def test_errors_of_every_kind():
    s = Serve(env=model("ok"))
    reply, _, _ = s.call("summarize", {"url": page("/status/404")})
    code, kind, msg = error_of(reply)
    assert (code, kind) == (-32001, "fetch") and "404" in msg
    reply, _, _ = s.call("summarize", {"url": page("/type/png")})
    assert error_of(reply)[:2] == (-32002, "content")
    reply, _, _ = s.call("summarize", {"url": page("/html"), "model": "500"})
    code, kind, msg = error_of(reply)
    assert (code, kind) == (-32003, "model"), reply
    reply, notes, _ = s.call("summarize", {"url": page("/html"), "model": "401"})
    code, kind, msg = error_of(reply)
    assert kind == "model" and "401" in msg
    reply, _, _ = s.call("summarize", {"url": "ftp://example.com/x"})
    assert error_of(reply)[1] == "fetch"
    reply, _, _ = s.call("summarize", {"url": "/no/such/file.html"})
    assert error_of(reply)[1] == "fetch"
    reply, _, _ = s.call("summarize", {"url": page("/html"), "prompt": "no-such-template"})
    assert error_of(reply)[:2] == (-32602, "usage")
    # a model failure after some text: the deltas stay, the error follows
    reply, notes, _ = s.call("summarize", {"url": page("/html"), "model": "midstream-error"})
    assert error_of(reply)[1] == "model"
    s.close_stdin()
    assert s.wait() == 0


def test_malformed_lines_get_errors_and_the_loop_goes_on():
    s = Serve()
    bad = [
        ("this is not json\n", -32700),
        ('{"jsonrpc":"2.0","id":1,"method":"initialize"} trailing\n', -32700),
        ('{"jsonrpc":"2.0","id":1,"method":"initialize"}{"x":1}\n', -32700),
        ('[{"jsonrpc":"2.0","id":1,"method":"initialize"}]\n', -32600),
        ('{"id":1,"method":"initialize"}\n', -32600),
        ('{"jsonrpc":"1.0","id":1,"method":"initialize"}\n', -32600),
        ('{"jsonrpc":"2.0","id":{"a":1},"method":"initialize"}\n', -32600),
        ('{"jsonrpc":"2.0","id":1,"method":42}\n', -32600),
        ('"just a string"\n', -32600),
        ('{"jsonrpc":"2.0","id":2,"method":"frobnicate"}\n', -32601),
        ('{"jsonrpc":"2.0","id":3,"method":"summarize"}\n', -32602),
        ('{"jsonrpc":"2.0","id":4,"method":"summarize","params":[1]}\n', -32602),
        ('{"jsonrpc":"2.0","id":5,"method":"summarize","params":{"url":5}}\n', -32602),
        ('{"jsonrpc":"2.0","id":6,"method":"summarize","params":{"text":"x","length":"huge"}}\n', -32602),
        ('{"jsonrpc":"2.0","id":7,"method":"summarize","params":{"urls":["a"]}}\n', -32602),
        ('{"jsonrpc":"2.0","id":8,"method":"ask","params":{"url":"x"}}\n', -32602),
        ('{"jsonrpc":"2.0","id":9,"method":"extract","params":{"text":"x","format":"pdf"}}\n', -32602),
        ('{"jsonrpc":"2.0","id":10,"method":"summarize","params":{"text":"x","url":"y"}}\n', -32602),
        ('{"jsonrpc":"2.0","id":11,"method":"cancel","params":{}}\n', -32602),
        ('{"jsonrpc":"2.0","id":12,"method":"ask","params":{"site":"x","question":"q"}}\n', -32602),
    ]
    for line, code in bad:
        s.send_raw(line)
        _, msg = s.get()
        assert msg["error"]["code"] == code, (line, msg)
        assert msg["error"]["data"]["kind"] == "usage"
        if code == -32700:
            assert msg["id"] is None
    # an id that can be read is echoed even when the request is invalid
    s.send_raw('{"jsonrpc":"1.0","id":"abc","method":"initialize"}\n')
    assert s.get()[1]["id"] == "abc"
    # a line over the cap (8 MiB), then a good request on the next line
    s.send_raw('{"jsonrpc":"2.0","id":13,"method":"extract","params":{"text":"' +
               "a" * (9 << 20) + '"}}\n')
    _, msg = s.get(60)
    assert msg["error"]["code"] == -32600 and msg["id"] is None and "longer" in msg["error"]["message"]
    reply, _, _ = s.call("extract", {"text": "# Still here\n\nYes."})
    assert reply["result"]["title"] == "Still here"
    # blank lines and notifications of unknown methods are ignored
    s.send_raw("\n   \n")
    s.send("frobnicate", {}, notify=True)
    reply, _, _ = s.call("initialize")
    assert "result" in reply
    s.close_stdin()
    assert s.wait() == 0
    assert b"frobnicate" in s.stderr


def test_duplicate_id_in_flight_is_refused():
    s = Serve(env=model("drip:20/50"))
    s.send("summarize", {"text": "Some text."}, id=7)
    s.send("summarize", {"text": "Some text."}, id=7)
    first_error = None
    while first_error is None:
        _, msg = s.get()
        if "error" in msg:
            first_error = msg
    # answered with a null id: id 7 belongs to the request in flight
    assert first_error["id"] is None, first_error
    assert first_error["error"]["code"] == -32600 and "in flight" in first_error["error"]["message"]
    reply, notes, _ = s.until_reply(7)
    assert "result" in reply and text_of(notes).startswith("w0 w1")
    s.close_stdin()
    s.wait()


# ---- concurrency, cancel, lifetime ------------------------------------------------

def test_three_answers_interleave_each_complete_and_in_order():
    s = Serve(env=model("drip:10/40"))
    ids = [s.send("summarize", {"text": "Page number %d." % i}) for i in range(3)]
    per = {i: [] for i in ids}
    order = []
    replies = {}
    while len(replies) < 3:
        _, msg = s.get()
        pid = msg.get("params", {}).get("id")
        if msg.get("method") == "delta":
            per[pid].append(msg["params"]["text"])
            order.append(pid)
        elif "id" in msg and ("result" in msg or "error" in msg):
            replies[msg["id"]] = msg
    expect = "".join("w%d " % k for k in range(10))
    for i in ids:
        assert "result" in replies[i], replies[i]
        assert "".join(per[i]) == expect, per[i]
    # interleaved: the second answer's first delta comes before the first answer ends
    last_of_first = max(k for k, pid in enumerate(order) if pid == ids[0])
    first_of_second = min(k for k, pid in enumerate(order) if pid == ids[1])
    assert first_of_second < last_of_first, order
    s.close_stdin()
    assert s.wait() == 0


def test_cancel_ends_one_answer_fast_and_closes_its_connection():
    FAKE.reset()
    s = Serve(env=model("drip:200/50"))
    slow = s.send("summarize", {"text": "A slow one."})
    other = s.send("summarize", {"text": "Another.", "model": "drip:8/50"})
    while True:  # wait until the slow answer streams
        _, msg = s.get()
        if msg.get("method") == "delta" and msg["params"]["id"] == slow:
            break
    t0 = time.monotonic()
    s.send("cancel", {"id": slow}, notify=True)
    while True:
        t, msg = s.get()
        if msg.get("id") == slow and "error" in msg:
            break
    latency = t - t0
    code, kind, _ = error_of(msg)
    assert (code, kind) == (-32800, "cancelled")
    assert latency < 0.1, latency
    print("cancel latency %.1f ms" % (latency * 1000))
    reply, notes, _ = s.until_reply(other)
    assert "result" in reply  # the other answer went on
    time.sleep(0.3)
    assert FAKE.stats()["inflight"] == 0, FAKE.stats()  # the model connection was closed
    s.close_stdin()
    assert s.wait() == 0


def test_cancel_as_a_request_gets_its_own_reply():
    s = Serve(env=model("drip:200/50"))
    slow = s.send("summarize", {"text": "A slow one."})
    s.get()  # meta
    cid = s.send("cancel", {"id": slow})
    got = {}
    while len(got) < 2:
        _, msg = s.get()
        if msg.get("id") in (slow, cid) and ("result" in msg or "error" in msg):
            got[msg["id"]] = msg
    assert got[slow]["error"]["code"] == -32800
    assert got[cid]["result"] == {"cancelled": True}
    reply, _, _ = s.call("cancel", {"id": 424242})
    assert reply["result"] == {"cancelled": False}
    s.close_stdin()
    assert s.wait() == 0


def test_cancel_during_a_page_fetch():
    s = Serve()
    rid = s.send("summarize", {"url": page("/stall")})
    time.sleep(0.3)
    t0 = time.monotonic()
    s.send("cancel", {"id": rid}, notify=True)
    reply, _, _ = s.until_reply(rid)
    assert time.monotonic() - t0 < 0.3
    assert error_of(reply)[1] == "cancelled"
    s.close_stdin()
    assert s.wait(10) == 0  # nothing left waiting on the stalled page


def test_eof_finishes_the_requests_in_flight():
    s = Serve(env=model("drip:10/30"))
    a = s.send("summarize", {"text": "One."})
    b = s.send("extract", {"url": page("/html")})
    s.close_stdin()
    seen = {}
    while True:
        _, msg = s.get()
        if msg is None:
            break
        if msg.get("id") in (a, b):
            seen[msg["id"]] = msg
    assert "result" in seen[a] and "result" in seen[b], seen
    assert s.wait() == 0


def test_shutdown_cancels_and_exits_zero():
    s = Serve(env=model("drip:200/50"))
    a = s.send("summarize", {"text": "One."})
    s.get()  # meta
    sid = s.send("shutdown")
    msgs = []
    while True:
        _, msg = s.get()
        if msg is None:
            break
        msgs.append(msg)
    replies = [m for m in msgs if "result" in m or "error" in m]
    assert replies[0]["id"] == a and replies[0]["error"]["code"] == -32800
    assert replies[1]["id"] == sid and replies[1]["result"] == {}
    assert s.wait() == 0


def test_closed_stdout_ends_without_a_crash():
    s = Serve(env=model("drip:200/20"))
    s.send("summarize", {"text": "One."})
    time.sleep(0.3)
    s.proc.stdout.close()
    try:
        for _ in range(5):
            s.send("initialize")
            time.sleep(0.05)
    except BrokenPipeError:
        pass
    rc = s.wait(10)
    assert rc == 0, (rc, s.stderr)


def test_stdout_carries_only_protocol_lines():
    s = Serve(env=model("ok"))
    s.call("summarize", {"url": page("/html")})
    s.call("summarize", {"url": page("/status/500")})
    s.send_raw("nonsense\n")
    s.close_stdin()
    s.wait()
    time.sleep(0.1)
    for line in s.raw:
        msg = json.loads(line)
        assert msg["jsonrpc"] == "2.0"


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_memory_stays_flat_over_2000_requests():
    # Under AddressSanitizer freed memory sits in a quarantine; without it the RSS
    # measures what the server keeps (LeakSanitizer checks the rest at exit).
    asan = os.environ.get("ASAN_OPTIONS", "")
    s = Serve(env=model("ok", {"ASAN_OPTIONS": (asan + ":" if asan else "") +
                                              "quarantine_size_mb=0"}))
    text = "A paragraph about memory. " * 40

    def batch(n):
        ids = []
        for i in range(n):
            if i % 2:
                ids.append(s.send("summarize", {"text": text}))
            else:
                ids.append(s.send("extract", {"text": "<p>%s</p>" % text}))
            if len(ids) >= 20:
                for rid in ids:
                    reply, _, _ = s.until_reply(rid)
                    assert "result" in reply, reply
                ids = []
        for rid in ids:
            s.until_reply(rid)

    batch(400)
    before = rss_kb(s.proc.pid)
    batch(1600)
    after = rss_kb(s.proc.pid)
    s.close_stdin()
    assert s.wait() == 0
    print("serve RSS after 400 requests %d kB, after 2000 %d kB" % (before, after))
    assert after - before < 3000, (before, after)


if __name__ == "__main__":
    try:
        run_tests(globals())
    finally:
        FAKE.stop()
        PAGES.stop()
