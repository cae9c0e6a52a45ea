"""Doc search whose model requests are slow: `precis serve` answers other requests while a
search waits for the embeddings endpoint or the query expansion, `cancel`, shutdown and
EOF treat such a search like any request in flight (a cancel closes its connection), the
10 s cap still falls back to bm25; `precis chat --site` and `precis search` stop at once
on Ctrl-C. Reuses test_hybrid's site and fake provider (embed-slow:MS, slow-headers:MS)."""
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import test_hybrid as hy  # noqa: E402  (its site, fake provider and indexed home)
from harness import BIN, home_env, run_tests  # noqa: E402
from serve_client import Serve  # noqa: E402

FAKE = hy.FAKE


def slow_home(embed, **keys):
    """A copy of test_hybrid's indexed home whose vectors are stored again under embed
    (an embed-slow:MS name), with a config that searches with it (and keys)."""
    home = hy.new_home()
    shutil.copytree(os.path.join(hy.embedded_home(), "data"), os.path.join(home, "data"))
    if embed != "fake-embed":
        con = hy.db(home)
        con.execute("INSERT INTO vectors SELECT ?, site_id, section_id, vec FROM vectors "
                    "WHERE model = 'fake-embed'", (embed,))
        con.commit()
        con.close()
    keys.setdefault("model", "echo")
    hy.write_config(home, embeddings_model=embed, **keys)
    return home


@contextlib.contextmanager
def serving(home):
    """A `precis serve` over home, killed at the end whatever the test did."""
    s = Serve(env={"XDG_DATA_HOME": os.path.join(home, "data"),
                   "XDG_CONFIG_HOME": os.path.join(home, "config")})
    try:
        yield s
    finally:
        s.kill()


def until(pred, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.02)
    return False


def embedding_waits(n=1):
    return until(lambda: FAKE.stats()["embed_inflight"] == n)


def error_kind(reply):
    assert "error" in reply, reply
    return reply["error"]["code"], reply["error"]["data"]["kind"]


# ---- serve -------------------------------------------------------------------------

def test_serve_answers_others_while_searches_wait_then_falls_back_at_the_cap():
    with serving(slow_home("embed-slow:15000")) as s:
        t0 = time.monotonic()
        slow = s.send("search", {"query": "boat hull", "site": hy.START, "n": 3})
        other = s.send("search", {"query": "train timetable", "site": hy.START, "n": 3})
        assert embedding_waits(2), FAKE.stats()  # both wait at once
        reply, _, others = s.call("extract", {"text": "# Notes\n\nA line of text.\n"},
                                  timeout=3)
        assert "result" in reply and "A line of text." in reply["result"]["content"], reply
        reply, _, more = s.call("initialize", timeout=3)
        assert reply["result"]["name"] == "precis"
        assert time.monotonic() - t0 < 3
        assert not any(m.get("id") in (slow, other) for m in others + more)
        replies = {rid: s.until_reply(rid, timeout=20)[0] for rid in (slow, other)}
        took = time.monotonic() - t0
        assert 9 < took < 13, took  # the embeddings cap (10 s) once, not twice; then bm25
        for rid, page in ((slow, "/boats.html"), (other, "/trains.html")):
            results = replies[rid]["result"]["results"]
            assert results and results[0]["page"].endswith(page), results
            assert results[0]["score"] > 0.1  # a bm25 score, not a fused one
        s.close_stdin()
        assert s.wait() == 0
    w = [l for l in s.stderr.decode().splitlines() if "embeddings" in l]
    assert len(w) == 1 and "bm25" in w[0], s.stderr  # one warning per server and cause


def test_serve_hybrid_search_completes_on_the_loop():
    with serving(slow_home("embed-slow:1500")) as s:
        slow = s.send("search", {"query": "automobile", "site": hy.START})
        assert embedding_waits()
        t0 = time.monotonic()
        reply, _, others = s.call("models", timeout=3)
        assert "result" in reply and time.monotonic() - t0 < 0.5, reply
        assert not any(m.get("id") == slow for m in others)
        reply, _, _ = s.until_reply(slow, timeout=10)
        results = reply["result"]["results"]
        assert results and results[0]["page"].endswith("/cars.html"), results
        assert abs(results[0]["score"] - 1.0 / 61) < 1e-5, results[0]  # fused: vector rank 1
        s.close_stdin()
        assert s.wait() == 0
    assert b"embeddings" not in s.stderr, s.stderr


def test_cancel_of_a_waiting_search_replies_at_once_and_closes_its_request():
    home = slow_home("embed-slow:20000")
    FAKE.reset()
    with serving(home) as s:
        slow = s.send("search", {"query": "boat hull", "site": hy.START})
        assert embedding_waits()
        t0 = time.monotonic()
        s.send("cancel", {"id": slow}, notify=True)
        reply, _, _ = s.until_reply(slow, timeout=5)
        latency = time.monotonic() - t0
        assert error_kind(reply) == (-32800, "cancelled"), reply
        assert latency < 0.3, latency
        assert until(lambda: FAKE.stats()["embed_closed"] == 1, 2), FAKE.stats()
        assert FAKE.stats()["embed_inflight"] == 0
        reply, _, _ = s.call("search", {"query": "x", "site": "nowhere.example"}, timeout=3)
        assert error_kind(reply)[1] == "usage"  # the server goes on
        s.close_stdin()
        assert s.wait(5) == 0
    assert b"embeddings" not in s.stderr, s.stderr  # a cancel is no failure to warn of


def test_cancel_request_of_an_ask_over_a_site_while_the_query_is_expanded():
    home = slow_home("fake-embed", model="slow-headers:20000", search_expand="true")
    FAKE.reset()
    with serving(home) as s:
        ask = s.send("ask", {"site": hy.START, "question": "boat hull"})
        assert until(lambda: FAKE.stats()["inflight"] == 1), FAKE.stats()
        t0 = time.monotonic()
        cid = s.send("cancel", {"id": ask})
        got = {}
        while len(got) < 2:
            _, msg = s.get(5)
            if msg.get("id") in (ask, cid):
                got[msg["id"]] = msg
        assert time.monotonic() - t0 < 0.3
        assert got[cid]["result"] == {"cancelled": True}
        assert error_kind(got[ask]) == (-32800, "cancelled")
        assert until(lambda: FAKE.stats()["inflight"] == 0, 2), FAKE.stats()  # closed
        chats = FAKE.requests()
        assert len(chats) == 1 and chats[0]["body"]["stream"] is False, chats  # no answer
        s.close_stdin()
        assert s.wait(5) == 0


def test_eof_lets_a_waiting_search_finish():
    with serving(slow_home("embed-slow:1500")) as s:
        rid = s.send("search", {"query": "automobile", "site": hy.START})
        s.close_stdin()
        reply, _, _ = s.until_reply(rid, timeout=10)
        assert reply["result"]["results"][0]["page"].endswith("/cars.html"), reply
        assert s.wait(5) == 0


def test_shutdown_cancels_a_waiting_ask_over_a_site():
    home = slow_home("embed-slow:20000")
    FAKE.reset()
    with serving(home) as s:
        rid = s.send("ask", {"site": hy.START, "question": "car engine"})
        assert embedding_waits()
        sid = s.send("shutdown")
        replies = []
        while True:
            _, msg = s.get(5)
            if msg is None:
                break
            replies.append(msg)
        assert [m["id"] for m in replies] == [rid, sid], replies
        assert error_kind(replies[0]) == (-32800, "cancelled") and replies[1]["result"] == {}
        assert s.wait(5) == 0
    assert until(lambda: FAKE.stats()["embed_closed"] == 1, 2), FAKE.stats()
    assert FAKE.requests() == []


# ---- the command line ----------------------------------------------------------------

def hy_env(home):
    return home_env(home, PRECIS_HISTORY="")


HOME_20S = []


def home_20s():
    """One home (made once) whose every search waits 20 s for the query's vector."""
    if not HOME_20S:
        HOME_20S.append(slow_home("embed-slow:20000"))
    return HOME_20S[0]


def interrupt_while_embedding(args, stdin=None):
    """Runs precis ARGS over home_20s(), sends SIGINT while the query's embedding waits;
    returns (rc, stdout, stderr, seconds from the signal to the exit)."""
    FAKE.reset()
    p = subprocess.Popen([BIN] + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=hy_env(home_20s()))
    if stdin:
        p.stdin.write(stdin)
        p.stdin.flush()
    assert embedding_waits(), FAKE.stats()
    t0 = time.monotonic()
    p.send_signal(signal.SIGINT)
    try:
        out, err = p.communicate(timeout=5)
    finally:
        p.kill()
    return p.returncode, out, err, time.monotonic() - t0


def test_chat_site_ctrl_c_while_the_question_is_embedded_stops_at_once():
    rc, out, err, took = interrupt_while_embedding(["chat", "--site", hy.START],
                                                   "what about a car?\n/pages\n")
    assert took < 1.0, took
    assert rc == 130, (rc, out, err)
    assert "search interrupted" in err and "bm25" not in err, err  # no fallback warning
    assert FAKE.requests() == []  # the question never went to the model
    assert until(lambda: FAKE.stats()["embed_closed"] == 1, 2), FAKE.stats()


def test_search_and_ask_site_ctrl_c_while_embedding_exit_130():
    for args in (["search", "--site", hy.START, "car"],
                 ["ask", "--site", hy.START, "-q", "car engine"]):
        rc, out, err, took = interrupt_while_embedding(args)
        assert took < 1.0, (args, took)
        assert rc == 130 and out == "", (args, rc, out, err)
        assert err.strip() == "precis: search interrupted", (args, err)
        assert FAKE.requests() == []


if __name__ == "__main__":
    try:
        run_tests(dict(globals()))
    finally:
        FAKE.stop()
