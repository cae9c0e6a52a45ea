"""`cmake --install` into a temporary prefix (and a DESTDIR staging tree), then the
installed binary as a user runs it: no source tree, no PRECIS_* variables."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import BIN, REPO, run_tests, text  # noqa: E402

BUILD = os.path.dirname(os.path.abspath(BIN))
EXAMPLE = os.path.join(REPO, "examples", "tracing-gc.html")
PREFIX = tempfile.mkdtemp(prefix="precis-prefix-")
MAN_PAGES = sorted(os.path.basename(p) for p in glob.glob(os.path.join(REPO, "man", "*.[1-8]")))
COMPLETIONS = ["share/bash-completion/completions/precis", "share/zsh/vendor-completions/_precis",
               "share/fish/vendor_completions.d/precis.fish"]


def install(*extra, env=None):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run(["cmake", "--install", BUILD] + list(extra), capture_output=True,
                       env=e, timeout=60)
    assert p.returncode == 0, text(p.stderr)


def run_installed(exe, args, cwd=None):
    """Runs an installed precis with a clean environment and its own XDG dirs."""
    home = tempfile.mkdtemp(prefix="precis-home-")
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8"}
    return subprocess.run([exe] + args, capture_output=True, env=env, cwd=cwd or home,
                          timeout=60)


install("--prefix", PREFIX)
EXE = os.path.join(PREFIX, "bin", "precis")


def test_files_in_place():
    want = ["bin/precis", "share/precis/prompts/summarize.md", "share/precis/prompts/tldr.md",
            "share/doc/precis/README.md", "share/doc/precis/LICENSE", "share/doc/precis/copyright",
            "share/emacs/site-lisp/precis/precis.el",
            "share/vim/vimfiles/plugin/precis.vim", "share/vim/vimfiles/autoload/precis.vim",
            "share/vim/vimfiles/doc/precis.txt"] + COMPLETIONS
    # The man pages are required as soon as the source tree has them.
    want += ["share/man/man%s/%s.gz" % (p[-1], p) for p in MAN_PAGES]
    missing = [w for w in want if not os.path.isfile(os.path.join(PREFIX, w))]
    assert not missing, missing
    assert os.access(EXE, os.X_OK)
    # The Debian-only files stay out of a plain install.
    assert not os.path.exists(os.path.join(PREFIX, "share/doc/precis/changelog.Debian.gz"))
    assert not os.path.exists(os.path.join(PREFIX, "share/lintian"))
    with open(os.path.join(PREFIX, "share/doc/precis/LICENSE")) as f:
        assert "GNU GENERAL PUBLIC LICENSE" in f.read(200)


def test_completions_are_scripts():
    for rel in COMPLETIONS:
        with open(os.path.join(PREFIX, rel)) as f:
            body = f.read()
        assert "precis" in body and len(body) > 200, rel
    p = subprocess.run(["bash", "-n", os.path.join(PREFIX, COMPLETIONS[0])], capture_output=True)
    assert p.returncode == 0, text(p.stderr)


def test_man_pages_are_gzipped_roff():
    import gzip
    for page in MAN_PAGES:
        with gzip.open(os.path.join(PREFIX, "share/man/man%s/%s.gz" % (page[-1], page))) as f:
            assert f.read(4096).lstrip().startswith((b".", b"'\\\"")), page


def test_offline_summary_from_the_prefix():
    work = tempfile.mkdtemp(prefix="precis-work-")
    page = shutil.copy(EXAMPLE, work)
    p = run_installed(EXE, [page], cwd=work)
    assert p.returncode == 0, text(p.stderr)
    out = text(p.stdout)
    assert "garbage" in out.lower() and len(out.splitlines()) >= 3, out


def test_prompts_come_from_the_prefix():
    p = run_installed(EXE, ["prompts"])
    assert p.returncode == 0, text(p.stderr)
    names = [l.split()[0] for l in text(p.stdout).splitlines() if l.strip()]
    shipped = sorted(os.path.basename(f)[:-3] for f in glob.glob(os.path.join(REPO, "prompts", "*.md"))
                     if not f.endswith("README.md"))
    assert names == shipped, (names, shipped)
    # A template only the installed tree has shows it is that tree being read.
    extra = os.path.join(PREFIX, "share/precis/prompts/zz-installed.md")
    with open(extra, "w") as f:
        f.write("<!-- description: only in the install -->\n## user\n{{content}}\n")
    try:
        p = run_installed(EXE, ["prompts"])
        assert "zz-installed" in text(p.stdout), text(p.stdout)
        p = run_installed(EXE, ["doctor"])
        assert "prompts    %s/share/precis/prompts" % PREFIX in text(p.stdout), text(p.stdout)
    finally:
        os.unlink(extra)


def test_destdir_staging():
    stage = tempfile.mkdtemp(prefix="precis-destdir-")
    install("--prefix", "/usr", env={"DESTDIR": stage})
    exe = os.path.join(stage, "usr", "bin", "precis")
    assert os.path.isfile(os.path.join(stage, "usr/share/precis/prompts/summarize.md"))
    assert not os.path.exists(os.path.join(PREFIX, "usr"))
    work = tempfile.mkdtemp(prefix="precis-work-")
    page = shutil.copy(EXAMPLE, work)
    p = run_installed(exe, ["-p", "tldr", page], cwd=work)
    assert p.returncode == 0, text(p.stderr)
    shutil.rmtree(stage)


try:
    run_tests(dict(globals()))
finally:
    shutil.rmtree(PREFIX, ignore_errors=True)
