"""The Debian package: `cpack -G DEB` from the build directory into a temporary dir,
then what is inside it (dpkg-deb), its dependencies, lintian, and the packaged binary
run from the unpacked tree."""
import glob
import gzip
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import BIN, REPO, run_tests, text  # noqa: E402

BUILD = os.path.dirname(os.path.abspath(BIN))
TOOLS = {"cpack": "cmake", "dpkg-deb": "dpkg", "dpkg-shlibdeps": "dpkg-dev", "lintian": "lintian"}
LIBS = ["libcurl4", "libgumbo1", "libcjson1", "libreadline8", "libuchardet0", "libsqlite3-0"]
MAN_PAGES = sorted(os.path.basename(p) for p in glob.glob(os.path.join(REPO, "man", "*.[1-8]")))

missing = sorted({pkg for tool, pkg in TOOLS.items() if not shutil.which(tool)})
if missing:
    print("FAIL the package test needs: apt install %s (add them to .ci/deps)" % " ".join(missing))
    sys.exit(1)

OUT = tempfile.mkdtemp(prefix="precis-deb-")
p = subprocess.run(["cpack", "-G", "DEB", "--config", os.path.join(BUILD, "CPackConfig.cmake"),
                    "-B", OUT], capture_output=True, timeout=120)
if p.returncode != 0:
    print("FAIL cpack: %s%s" % (text(p.stdout), text(p.stderr)))
    sys.exit(1)
DEBS = glob.glob(os.path.join(OUT, "precis_*.deb"))
assert len(DEBS) == 1, os.listdir(OUT)
DEB = DEBS[0]


def field(name):
    return text(subprocess.run(["dpkg-deb", "-f", DEB, name], capture_output=True,
                               check=True).stdout).strip()


def test_control_fields():
    version, arch = field("Version"), field("Architecture")
    assert os.path.basename(DEB) == "precis_%s_%s.deb" % (version, arch), DEB
    assert field("Package") == "precis"
    assert version.split("-")[0] in text(subprocess.run([BIN, "--version"], capture_output=True)
                                         .stdout)
    assert field("Section") == "utils"
    assert "<" in field("Maintainer") and "@" in field("Maintainer")
    assert "summar" in field("Description")


def test_depends_lists_the_libraries():
    deps = [d.strip().split()[0] for d in field("Depends").split(",")]
    for lib in LIBS:
        assert lib in deps, (lib, deps)


def test_contents():
    listing = text(subprocess.run(["dpkg-deb", "--contents", DEB], capture_output=True,
                                  check=True).stdout)
    paths = {l.split()[-1] for l in listing.splitlines() if l.strip()}
    owners = {l.split()[1] for l in listing.splitlines() if l.strip()}
    assert owners == {"root/root"}, owners
    want = ["./usr/bin/precis", "./usr/share/precis/prompts/summarize.md",
            "./usr/share/doc/precis/copyright", "./usr/share/doc/precis/changelog.Debian.gz",
            "./usr/share/doc/precis/README.md", "./usr/share/lintian/overrides/precis",
            "./usr/share/emacs/site-lisp/precis/precis.el",
            "./usr/share/vim/vimfiles/plugin/precis.vim",
            "./usr/share/vim/vimfiles/autoload/precis.vim",
            "./usr/share/vim/vimfiles/doc/precis.txt",
            "./usr/share/bash-completion/completions/precis",
            "./usr/share/zsh/vendor-completions/_precis",
            "./usr/share/fish/vendor_completions.d/precis.fish"]
    want += ["./usr/share/man/man%s/%s.gz" % (p[-1], p) for p in MAN_PAGES]
    assert not [w for w in want if w not in paths], [w for w in want if w not in paths]
    # The licence is in the copyright file (and /usr/share/common-licenses/GPL-3).
    assert "./usr/share/doc/precis/LICENSE" not in paths


UNPACKED = tempfile.mkdtemp(prefix="precis-unpacked-")
subprocess.run(["dpkg-deb", "-x", DEB, UNPACKED], check=True)


def test_copyright_and_changelog():
    with open(os.path.join(UNPACKED, "usr/share/doc/precis/copyright")) as f:
        body = f.read()
    assert body.startswith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/")
    assert "License: GPL-3+" in body and "/usr/share/common-licenses/GPL-3" in body
    for lib in ("libcurl", "gumbo", "cJSON", "Readline", "uchardet", "SQLite"):
        assert lib in body, lib
    with gzip.open(os.path.join(UNPACKED, "usr/share/doc/precis/changelog.Debian.gz")) as f:
        top = text(f.readline())
    assert top.startswith("precis (%s) " % field("Version")), top


def test_packaged_binary_runs():
    home = tempfile.mkdtemp(prefix="precis-home-")
    page = shutil.copy(os.path.join(REPO, "examples", "tracing-gc.html"), home)
    p = subprocess.run([os.path.join(UNPACKED, "usr/bin/precis"), page], capture_output=True,
                       env={"PATH": "/usr/bin:/bin", "HOME": home}, cwd=home, timeout=60)
    assert p.returncode == 0, text(p.stderr)
    assert "garbage" in text(p.stdout).lower()


def test_apt_would_install_it():
    """apt resolves the package's Depends on this Debian 12 (a simulation: nothing changes)."""
    p = subprocess.run(["apt-get", "install", "-s", "-y", DEB], capture_output=True, timeout=120)
    out = text(p.stdout) + text(p.stderr)
    assert p.returncode == 0 and "Inst precis" in out and "Conf precis" in out, out[-2000:]


def test_lintian_reports_no_errors():
    p = subprocess.run(["lintian", "--no-tag-display-limit", DEB], capture_output=True,
                       timeout=120)
    out = text(p.stdout)
    errors = [l for l in out.splitlines() if l.startswith("E:")]
    assert not errors, out
    # Every warning is fixed or overridden with a reason (packaging/lintian-overrides),
    # except no-manual-page until man/precis.1 exists.
    warnings = [l for l in out.splitlines() if l.startswith("W:")
                and not ("no-manual-page" in l and "precis.1" not in MAN_PAGES)]
    assert not warnings, out


try:
    run_tests(dict(globals()))
finally:
    shutil.rmtree(OUT, ignore_errors=True)
    shutil.rmtree(UNPACKED, ignore_errors=True)
