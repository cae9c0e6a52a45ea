#!/usr/bin/env python3
"""Time from :Precis URL to the first answer character in [precis], in Vim and Neovim.

Usage: bench/editors/vim_first_char.py [PRECIS_BIN] [RUNS]   (default build/precis, 20)
Starts the fake model server (model "ok") and the local page server from tests/,
runs vim_first_char.vim in `vim -es` and `nvim --headless`, and prints one line
per editor: "vim: first char p50 12.3 ms p90 15.0 ms (n=20)".
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def start(args):
    p = subprocess.Popen([sys.executable] + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    return p, int(p.stdout.readline().split()[1])


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "build", "precis"))
    runs = sys.argv[2] if len(sys.argv) > 2 else "20"
    fake, fport = start([os.path.join(REPO, "tests", "fake_openai.py"), "--lifetime", "600"])
    pages, pport = start([os.path.join(REPO, "tests", "pages", "server.py"), "--lifetime", "600"])
    work = tempfile.mkdtemp(prefix="precis-bench-vim-")
    script = os.path.join(HERE, "vim_first_char.vim")
    try:
        for name, cmd in (("vim", ["vim", "-Nu", "NONE", "-i", "NONE", "-es", "-S", script]),
                          ("nvim", ["nvim", "--headless", "-u", "NONE", "-i", "NONE", "-S", script])):
            if shutil.which(cmd[0]) is None:
                print("%s: not installed" % name)
                continue
            env = dict(os.environ)
            for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PRECIS_MODEL", "PRECIS_PROFILE"):
                env.pop(k, None)
            out = os.path.join(work, name + ".txt")
            env.update({"XDG_CACHE_HOME": os.path.join(work, name, "cache"),
                        "XDG_CONFIG_HOME": os.path.join(work, name, "config"),
                        "XDG_DATA_HOME": os.path.join(work, name, "data"),
                        "XDG_STATE_HOME": os.path.join(work, name, "state"),
                        "PRECIS_BENCH_BIN": binary,
                        "PRECIS_BENCH_MODEL": "http://127.0.0.1:%d/v1" % fport,
                        "PRECIS_BENCH_URL": "http://127.0.0.1:%d/html" % pport,
                        "PRECIS_BENCH_RUNS": runs, "PRECIS_BENCH_OUT": out})
            subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, env=env, timeout=300)
            print(open(out).read().strip() if os.path.exists(out) else "%s: no result" % name)
    finally:
        fake.terminate()
        pages.stdin.close()
        fake.wait()
        pages.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
