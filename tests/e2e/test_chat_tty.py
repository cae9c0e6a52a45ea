"""`precis chat` in a real terminal (tmux): the prompt and banner, Tab completion,
history across two sessions and Up-arrow recall, bracketed paste, Ctrl-C during a slow
answer, while a --site question is embedded, and at the prompt, Ctrl-D, and the terminal
restored after $EDITOR and SIGTERM."""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chat_fixture import BIN, REPO, Docs, FakeOpenAI, model_env  # noqa: E402

EXAMPLE = os.path.join(REPO, "examples", "tracing-gc.html")
FAKE = FakeOpenAI()
TMP = tempfile.mkdtemp(prefix="precis-chat-tty-")


class Term:
    """One tmux server with one 100x30 window running a shell command."""
    count = 0

    def __init__(self, command, env=None):
        Term.count += 1
        self.sock = "precis-chat-%d-%d" % (os.getpid(), Term.count)
        # LeakSanitizer's exit-time tracer can spin forever when the pane's hangup
        # arrives during it; leaks are checked by test_chat_long, not here.
        asan = os.environ.get("ASAN_OPTIONS", "")
        e = {"PRECIS_HISTORY": os.path.join(TMP, "none"), "XDG_CONFIG_HOME": TMP,
             "XDG_CACHE_HOME": TMP, "XDG_DATA_HOME": TMP, "TERM": "xterm-256color", "PRECIS_RETRY_BASE_MS": "10",
             "ASAN_OPTIONS": (asan + ":" if asan else "") + "detect_leaks=0"}
        e.update(env or {})
        assign = " ".join("%s=%s" % (k, shlex.quote(v)) for k, v in e.items())
        script = "env -u OPENAI_API_KEY -u OPENAI_BASE_URL -u PRECIS_MODEL %s %s; " \
                 "echo EXIT=$?; sleep 120" % (assign, command)
        subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null", "new-session", "-d",
                        "-x", "100", "-y", "30", script], check=True)

    def keys(self, *keys):
        subprocess.run(["tmux", "-L", self.sock, "send-keys"] + list(keys), check=True)

    def type(self, s):
        subprocess.run(["tmux", "-L", self.sock, "send-keys", "-l", s], check=True)

    def paste(self, s):
        subprocess.run(["tmux", "-L", self.sock, "set-buffer", s], check=True)
        subprocess.run(["tmux", "-L", self.sock, "paste-buffer", "-p", "-r"], check=True)

    def screen(self):
        p = subprocess.run(["tmux", "-L", self.sock, "capture-pane", "-p", "-J", "-S", "-200"],
                           capture_output=True, text=True)
        return "\n".join(l.rstrip() for l in p.stdout.rstrip("\n").split("\n"))

    def wait(self, pattern, timeout=15.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            s = self.screen()
            if re.search(pattern, s, re.M):
                return s
            time.sleep(0.02)
        raise AssertionError("timed out waiting for %r; screen:\n%s" % (pattern, self.screen()))

    def pid(self):
        """The pid of precis running in the pane."""
        pane = subprocess.run(["tmux", "-L", self.sock, "list-panes", "-F", "#{pane_pid}"],
                              capture_output=True, text=True).stdout.split()[0]
        out = subprocess.run(["pgrep", "-P", pane], capture_output=True, text=True).stdout.split()
        for p in out:
            if os.path.basename(os.readlink("/proc/%s/exe" % p)) == os.path.basename(BIN):
                return int(p)
        kids = subprocess.run(["pgrep", "-P", out[0]], capture_output=True, text=True).stdout
        return int(kids.split()[0])

    def close(self):
        try:
            left = self.pid()
        except (IndexError, OSError, ValueError):
            left = None
        subprocess.run(["tmux", "-L", self.sock, "kill-server"], capture_output=True)
        if left:  # never leave a precis behind a test, whatever state it is in
            try:
                os.kill(left, 9)
            except OSError:
                pass


def chat_cmd(*args):
    return " ".join(shlex.quote(a) for a in [BIN, "chat"] + list(args))


def env_model(extra=None):
    e = model_env(FAKE)
    e.update(extra or {})
    return e


def test_prompt_banner_ctrl_d():
    t = Term(chat_cmd(EXAMPLE))
    try:
        s = t.wait(r"^tracing-gc>$")
        assert "precis chat" in s and "No model configured" in s and "OPENAI_BASE_URL" in s, s
        t.keys("C-d")
        t.wait(r"^EXIT=0$")
    finally:
        t.close()
    t = Term(chat_cmd())
    try:
        t.wait(r"^precis>$")
        t.type("/quit")
        t.keys("Enter")
        t.wait(r"^EXIT=0$")
    finally:
        t.close()


def test_tab_completion():
    t = Term(chat_cmd(EXAMPLE))
    try:
        t.wait(r"^tracing-gc>$")
        t.type("/rea")
        t.keys("Tab")
        t.wait(r"^tracing-gc> /read$")
        t.type("Ma")
        t.keys("Tab")
        t.wait(r"^tracing-gc> /read Mark and sweep$")
        t.keys("Enter")
        t.wait(r"^Mark and sweep|^## Mark and sweep|Mark and sweep\n")
        t.type("/read ")
        t.keys("Tab", "Tab")
        s = t.wait(r"Pacing: when to start a cycle")
        assert "Starting from the roots" in s and "What to remember" in s, s
        t.keys("C-u")
        t.type("/pro")
        t.keys("Tab")
        t.wait(r"> /prompt$")
        t.type("tl")
        t.keys("Tab")
        t.wait(r"> /prompt tldr$")
        t.keys("C-u")
        t.type("/fo")
        t.keys("Tab")
        t.wait(r"> /fo(llow|rward)?")
    finally:
        t.close()


def test_long_read_goes_through_the_pager():
    t = Term(chat_cmd(EXAMPLE), {"PAGER": "sed 's/^/P| /'"})
    try:
        t.wait(r"^tracing-gc>$")
        t.type("/read")
        t.keys("Enter")
        s = t.wait(r"^P\| .*What to remember")
        assert "\x1b" not in s
        t.type("/read 3")  # short: printed directly
        t.keys("Enter")
        s = t.wait(r"^tracing-gc> /read 3\n(.*\n)*Mark and sweep")
        assert "P| ## Mark and sweep" not in s, s
    finally:
        t.close()


def test_model_names_complete_from_the_endpoint():
    t = Term(chat_cmd(EXAMPLE, "-m", "echo"), env_model())
    try:
        t.wait(r"^tracing-gc>$")
        t.type("/model ll")
        t.keys("Tab")
        t.wait(r"> /model llama3:latest$")
        t.keys("Enter")
        t.type("/model")
        t.keys("Enter")
        t.wait(r"^model: llama3:latest")
    finally:
        t.close()


def test_history_across_sessions_and_up_arrow():
    hist = os.path.join(TMP, "history-two")
    for i in range(2):
        t = Term(chat_cmd(EXAMPLE), {"PRECIS_HISTORY": hist})
        try:
            t.wait(r"^tracing-gc>$")
            if i == 0:
                for line in ("/toc", " /links", "/toc", "/pages"):
                    t.type(line)
                    t.keys("Enter")
                    time.sleep(0.15)
                t.wait(r"\* 1\. tracing-gc")
                with open(hist) as f:  # written as each line is entered
                    assert f.read() == "/toc\n/pages\n"
                t.keys("C-d")
                t.wait(r"^EXIT=0$")
            else:
                t.keys("Up")
                t.wait(r"^tracing-gc> /pages$")
                t.keys("Up")
                t.wait(r"^tracing-gc> /toc$")
                t.keys("Enter")
                t.wait(r"6\. What to remember")
        finally:
            t.close()
    with open(hist) as f:
        assert f.read() == "/pages\n/toc\n"  # a repeated line moves to the end, stored once


def test_bracketed_paste_is_one_question():
    FAKE.reset()
    t = Term(chat_cmd(EXAMPLE, "-m", "echo"), env_model())
    try:
        t.wait(r"^tracing-gc>$")
        t.paste("First pasted line\nsecond pasted line?")
        time.sleep(0.3)
        assert len(FAKE.requests()) == 0  # nothing sent until Enter
        t.keys("Enter")
        t.wait(r"^Sources:")
        reqs = FAKE.requests()
        assert len(reqs) == 1, len(reqs)
        last = reqs[0]["body"]["messages"][-1]["content"]
        assert last.endswith("Question: First pasted line\nsecond pasted line?"), last[-80:]
    finally:
        t.close()


def test_ctrl_c_during_answer_keeps_partial_text():
    save = os.path.join(TMP, "cut.md")
    t = Term(chat_cmd(EXAMPLE, "-m", "drip:200/50"), env_model())
    try:
        t.wait(r"^tracing-gc>$")
        t.type("Tell me everything")
        t.keys("Enter")
        t.wait(r"w5 ")
        start = time.monotonic()
        t.keys("C-c")
        s = t.wait(r"^tracing-gc>$", timeout=5)
        took = time.monotonic() - start
        assert took < 1.0, took  # polling tmux adds its own latency; bench measures precisely
        assert "[answer cut short: interrupted]" in s, s
        assert "w3 w4 w5" in s and "w199" not in s, s
        t.type("/save " + save)
        t.keys("Enter")
        time.sleep(0.3)
        t.type("/pages")
        t.keys("Enter")
        t.wait(r"\* 1\. tracing-gc")
        with open(save) as f:
            md = f.read()
        assert "## Tell me everything" in md and "w5" in md and "answer cut short" in md, md
        t.keys("C-d")
        t.wait(r"^EXIT=0$")
    finally:
        t.close()


def slow_site_home():
    """A home whose index holds the docs site with vectors stored under embed-slow:20000,
    the model the config names: every question waits 20 s for its query's vector."""
    import sqlite3
    docs = Docs()
    home = tempfile.mkdtemp(prefix="precis-chat-tty-site-", dir=TMP)
    os.makedirs(os.path.join(home, "config", "precis"))
    config = os.path.join(home, "config", "precis", "config")
    env = dict(os.environ, XDG_DATA_HOME=os.path.join(home, "data"),
               XDG_CONFIG_HOME=os.path.join(home, "config"), XDG_CACHE_HOME=home)
    for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PRECIS_MODEL", "PRECIS_CONFIG"):
        env.pop(k, None)
    for model in ("fake-embed", "embed-slow:20000"):
        with open(config, "w") as f:
            f.write("base_url = %s\nmodel = ok\nembeddings_model = %s\n" % (FAKE.url, model))
        if model == "fake-embed":
            p = subprocess.run([BIN, "index", docs.guide], env=env, capture_output=True,
                               text=True, timeout=60)
            assert p.returncode == 0 and "embedded" in p.stdout, (p.stdout, p.stderr)
    con = sqlite3.connect(os.path.join(home, "data", "precis", "index.db"))
    con.execute("INSERT INTO vectors SELECT 'embed-slow:20000', site_id, section_id, vec "
                "FROM vectors")
    con.commit()
    con.close()
    return docs, home


def test_ctrl_c_while_a_site_question_is_embedded_returns_to_the_prompt():
    docs, home = slow_site_home()
    FAKE.reset()
    t = Term(chat_cmd("--site", docs.guide), {"XDG_DATA_HOME": os.path.join(home, "data"),
                                               "XDG_CONFIG_HOME": os.path.join(home, "config")})
    try:
        t.wait(r"^127\.0\.0\.1\S*>$")
        t.type("what is a write barrier?")
        t.keys("Enter")
        end = time.monotonic() + 10
        while FAKE.stats()["embed_inflight"] != 1:
            assert time.monotonic() < end, FAKE.stats()
            time.sleep(0.02)
        start = time.monotonic()
        t.keys("C-c")
        s = t.wait(r"search interrupted\n(.*\n)*127\.0\.0\.1\S*>$", timeout=5)
        assert time.monotonic() - start < 1.0
        assert "bm25" not in s, s
        assert FAKE.requests() == []  # the question never went to the model
        t.type("/help")
        t.keys("Enter")
        t.wait(r"/search")  # the REPL goes on
        t.keys("C-d")
        t.wait(r"^EXIT=0$")
        assert FAKE.stats()["embed_closed"] == 1, FAKE.stats()
    finally:
        t.close()
        docs.stop()


def test_ctrl_c_at_prompt_clears_the_line():
    t = Term(chat_cmd(EXAMPLE))
    try:
        t.wait(r"^tracing-gc>$")
        t.type("half typed words")
        t.wait(r"> half typed words$")
        t.keys("C-c")
        t.wait(r"\^C\n(.*\n)*tracing-gc>$")
        t.type("/pages")
        t.keys("Enter")
        s = t.wait(r"\* 1\. tracing-gc")
        assert "half typed words/pages" not in s
        t.type("first line \\")
        t.keys("Enter")
        t.wait(r"^\.\.\.>$")
        t.keys("C-c")
        t.wait(r"^tracing-gc>$")
    finally:
        t.close()


def test_editor_and_sigterm_restore_the_terminal():
    editor = os.path.join(TMP, "editor.sh")
    with open(editor, "w") as f:
        f.write("#!/bin/sh\nstty raw -echo\nprintf 'What is a write barrier?\\n' > \"$1\"\n")
    os.chmod(editor, 0o755)
    before, after = os.path.join(TMP, "stty-before"), os.path.join(TMP, "stty-after")
    cmd = "stty -g > %s; %s; rc=$?; stty -g > %s; (exit $rc)" % (
        before, chat_cmd(EXAMPLE, "--offline"), after)
    t = Term("sh -c %s" % shlex.quote(cmd), {"EDITOR": editor, "VISUAL": ""})
    try:
        t.wait(r"^tracing-gc>$")
        t.type("/edit")
        t.keys("Enter")
        t.wait(r"Sources:\n\[1\] Tri-colour marking")
        t.type("/pages")
        t.keys("Enter")
        t.wait(r"\* 1\. tracing-gc")  # echo and line editing work again
        os.kill(t.pid(), 15)
        t.wait(r"^EXIT=143$")
        with open(before) as b, open(after) as a:
            assert b.read() == a.read()
    finally:
        t.close()


def test_a_closed_terminal_ends_the_repl_even_without_a_hangup_signal():
    import pty
    import select
    import signal
    pid, fd = pty.fork()
    if pid == 0:  # the child: SIGHUP blocked, as when the hangup never reaches it
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGHUP])
        os.environ.update({"XDG_STATE_HOME": TMP, "XDG_CONFIG_HOME": TMP, "TERM": "xterm"})
        for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PRECIS_MODEL"):
            os.environ.pop(k, None)
        os.execv(BIN, [BIN, "chat", EXAMPLE])
    seen = b""
    end = time.monotonic() + 15
    while time.monotonic() < end and b"> " not in seen:
        if select.select([fd], [], [], 0.2)[0]:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    os.write(fd, b"half a question")
    time.sleep(0.2)
    os.close(fd)
    end = time.monotonic() + 5
    while time.monotonic() < end:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError("precis chat kept running after its terminal closed")


if __name__ == "__main__":
    from harness import run_tests
    if not shutil.which("tmux"):
        print("tmux not installed: skipped\n0 passed, 0 failed")
        sys.exit(0)
    try:
        run_tests(dict(globals()))
    finally:
        FAKE.stop()
        shutil.rmtree(TMP, ignore_errors=True)
