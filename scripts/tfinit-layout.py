#!/usr/bin/env python3
"""Lay out a Terraform root module directory the way `terraform init` leaves it
(module installation part only), offline, from local bare git mirrors.

What it writes inside ROOT_DIR:
  .terraform/modules/modules.json        manifest, same schema as Terraform's
                                         internal/modsdir (compact JSON,
                                         {"Modules":[{"Key","Source","Version"?,"Dir"}]})
  .terraform/modules/<key>/...           one extracted package per registry /
                                         git module call (key = dotted call path)

Rules followed (Terraform internal/initwd/module_install.go):
  * root record: {"Key":"","Source":"","Dir":"."}
  * key = module call path joined with "." (one key per call, count/for_each
    instances share it)
  * local source ("./", "../"): nothing is copied; Dir = filepath.Join(parent Dir,
    source) (cleaned), Source = the cleaned local address, no Version
  * registry source: newest non-prerelease version satisfying the constraint
    (hashicorp/go-version semantics); whole package extracted to
    .terraform/modules/<key>; Dir = that path + "/<subdir>" if the source has
    "//subdir"; Source = "registry.terraform.io/ns/name/provider[//subdir]";
    Version = chosen version
  * git/github source: package extracted to .terraform/modules/<key> at ?ref=
    (or HEAD); Dir adds "//subdir"; Source = normalised go-getter address
  * recursion into every installed module, including calls made by registry
    packages (their local calls resolve inside .terraform/modules/<key>/...)

Packages come from bare git mirrors (e.g. produced by the `fetch` tool):
  --mirror-root DIR   auto-map registry ns/NAME/PROVIDER ->
                      DIR/<ns>+terraform-<PROVIDER>-<NAME>/repo and
                      github.com/ORG/REPO -> DIR/<ORG>+<REPO>/repo
  --mirror SRC=GITDIR explicit mapping; SRC is "ns/name/provider" (registry,
                      host optional) or "github.com/org/repo" (git)
  --mapping FILE      JSON object {SRC: GITDIR, ...}
Registry versions are taken from the mirror's tags (v?X.Y.Z[-pre]), which is
how the public registry derives versions for GitHub-backed modules.
Extraction uses `git archive <tag> | tar -x` (no .git directory, unlike a
real go-getter git clone).

Usage:
  layout.py ROOT_DIR [ROOT_DIR ...] [--mirror-root /work/.mirror]
            [--mirror SRC=GITDIR ...] [--mapping map.json]
            [--keep] [--report out.json] [--quiet]
By default an existing ROOT_DIR/.terraform/modules is removed first (fresh
install); --keep leaves it (packages are still re-extracted).
Exit status: 0 ok, 2 if some module could not be laid out (the manifest is
still written with everything that could be resolved).
"""
import argparse
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys

DEFAULT_HOST = "registry.terraform.io"
MODULES_DIR = posixpath.join(".terraform", "modules")

# ---------------------------------------------------------------------------
# Minimal HCL scanning: find top-level `module "name" { ... }` blocks and
# their top-level `source` / `version` string attributes.
# ---------------------------------------------------------------------------


class HCLScanError(Exception):
    pass


def _skip_heredoc(text, i):
    """text[i:] starts with '<<'. Return index after the heredoc terminator."""
    m = re.compile(r'<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n').match(text, i)
    if not m:
        return i + 2
    marker = m.group(2)
    j = m.end()
    term = re.compile(r'^[ \t]*' + re.escape(marker) + r'[ \t]*$', re.M)
    t = term.search(text, j)
    if not t:
        raise HCLScanError("unterminated heredoc " + marker)
    return t.end()


def _skip_comment(text, i):
    if text.startswith("#", i) or text.startswith("//", i):
        j = text.find("\n", i)
        return len(text) if j < 0 else j
    if text.startswith("/*", i):
        j = text.find("*/", i + 2)
        if j < 0:
            raise HCLScanError("unterminated comment")
        return j + 2
    return None


def _skip_string(text, i):
    """text[i] == '"'. Return index after the closing quote."""
    i += 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == '"':
            return i + 1
        if text.startswith("$${", i) or text.startswith("%%{", i):
            i += 3
            continue
        if text.startswith("${", i) or text.startswith("%{", i):
            i = _skip_expr(text, i + 2)
            continue
        if c == "\n":
            raise HCLScanError("newline in string")
        i += 1
    raise HCLScanError("unterminated string")


def _skip_expr(text, i):
    """Inside ${ ... }: return index after the matching '}'."""
    depth = 1
    n = len(text)
    while i < n:
        c = text[i]
        k = _skip_comment(text, i)
        if k is not None:
            i = k
            continue
        if c == '"':
            i = _skip_string(text, i)
            continue
        if text.startswith("<<", i):
            i = _skip_heredoc(text, i)
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise HCLScanError("unterminated interpolation")


def _unquote(lit):
    """Decode a simple HCL quoted string literal (no interpolation)."""
    body = lit[1:-1]
    if "${" in body.replace("$${", "") or "%{" in body.replace("%%{", ""):
        return None  # not a static string
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            e = body[i + 1]
            out.append({"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}.get(e, e))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out).replace("$${", "${").replace("%%{", "%{")


def scan_blocks(text):
    """Yield (depth, kind, start, end) tokens; we only need a structural walk.

    Returns list of top-level blocks: (header_text, body_start, body_end)."""
    blocks = []
    i = 0
    n = len(text)
    depth = 0
    header_start = 0
    body_start = None
    while i < n:
        c = text[i]
        k = _skip_comment(text, i)
        if k is not None:
            i = k
            continue
        if c == '"':
            i = _skip_string(text, i)
            continue
        if text.startswith("<<", i):
            i = _skip_heredoc(text, i)
            continue
        if c in "{[(":
            if depth == 0 and c == "{":
                body_start = i + 1
                header = text[header_start:i]
            depth += 1
        elif c in "}])":
            depth -= 1
            if depth == 0 and c == "}" and body_start is not None:
                blocks.append((header, body_start, i))
                body_start = None
                header_start = i + 1
        elif c == "\n" and depth == 0:
            header_start = i + 1
        i += 1
    return blocks


def top_level_attrs(text, start, end):
    """Return {name: raw_value_text} for attributes at depth 0 of text[start:end]."""
    attrs = {}
    i = start
    depth = 0
    line_start = start
    while i < end:
        c = text[i]
        k = _skip_comment(text, i)
        if k is not None:
            i = k
            continue
        if depth == 0 and (i == line_start or text[line_start:i].strip() == ""):
            m = re.compile(r'([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=(?!=)[ \t]*').match(text, i)
            if m:
                name = m.group(1)
                vstart = m.end()
                # value: a string literal or anything else up to the newline
                if vstart < end and text[vstart] == '"':
                    vend = _skip_string(text, vstart)
                    attrs[name] = text[vstart:vend]
                    i = vend
                    continue
                attrs[name] = None
                i = vstart
                continue
        if c == '"':
            i = _skip_string(text, i)
            continue
        if text.startswith("<<", i):
            i = _skip_heredoc(text, i)
            continue
        if c in "{[(":
            depth += 1
        elif c in "}])":
            depth -= 1
        elif c == "\n":
            line_start = i + 1
        i += 1
    return attrs


HEADER_RE = re.compile(r'^\s*module\s+"([^"]*)"\s*$|^\s*module\s+([A-Za-z_][A-Za-z0-9_-]*)\s*$')


def module_calls_in_file(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    calls = []
    if path.endswith(".tf.json"):
        doc = json.loads(text)
        mods = doc.get("module", {})
        items = []
        if isinstance(mods, list):
            for m in mods:
                items.extend(m.items())
        else:
            items = mods.items()
        for name, body in items:
            if isinstance(body, list):
                body = body[0] if body else {}
            calls.append({"name": name, "source": body.get("source"),
                          "version": body.get("version"), "file": path})
        return calls
    for header, bs, be in scan_blocks(text):
        m = HEADER_RE.match(header.split("\n")[-1] if "\n" in header else header)
        if not m:
            # header may span comment lines; take the last non-empty line
            lines = [l for l in header.splitlines() if l.strip()]
            m = HEADER_RE.match(lines[-1]) if lines else None
        if not m:
            continue
        name = m.group(1) if m.group(1) is not None else m.group(2)
        attrs = top_level_attrs(text, bs, be)
        src = attrs.get("source")
        ver = attrs.get("version")
        line = text.count("\n", 0, bs) + 1
        calls.append({
            "name": name,
            "source": _unquote(src) if src else None,
            "version": _unquote(ver) if ver else None,
            "file": path, "line": line,
            "source_raw": src,
        })
    return calls


def is_override(fn):
    base = fn[:-len(".tf.json")] if fn.endswith(".tf.json") else fn[:-3]
    return base == "override" or base.endswith("_override")


def module_calls_in_dir(d):
    """All module calls of the module in directory d (override files merged)."""
    files = sorted(f for f in os.listdir(d)
                   if (f.endswith(".tf") or f.endswith(".tf.json"))
                   and not f.startswith(".") and os.path.isfile(os.path.join(d, f)))
    primary = [f for f in files if not is_override(f)]
    overrides = [f for f in files if is_override(f)]
    calls = {}
    for f in primary:
        for c in module_calls_in_file(os.path.join(d, f)):
            calls[c["name"]] = c
    for f in overrides:
        for c in module_calls_in_file(os.path.join(d, f)):
            if c["name"] in calls:
                for k in ("source", "version"):
                    if c.get(k) is not None:
                        calls[c["name"]][k] = c[k]
    return [calls[k] for k in sorted(calls)]


# ---------------------------------------------------------------------------
# Versions (hashicorp/go-version semantics, enough for module constraints)
# ---------------------------------------------------------------------------

VER_RE = re.compile(r'^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$')
TAG_RE = re.compile(r'^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$')


class Version:
    def __init__(self, s):
        m = VER_RE.match(s.strip())
        if not m:
            raise ValueError("bad version %r" % s)
        segs = [int(x) for x in m.group(1).split(".")]
        self.si = len(segs)
        while len(segs) < 3:
            segs.append(0)
        self.segments = segs
        self.pre = m.group(2) or ""
        self.orig = s

    def __str__(self):
        s = ".".join(str(x) for x in self.segments)
        return s + ("-" + self.pre if self.pre else "")

    @staticmethod
    def _cmp_pre(a, b):
        if a == b:
            return 0
        if not a:
            return 1
        if not b:
            return -1
        pa, pb = a.split("."), b.split(".")
        for x, y in zip(pa, pb):
            if x == y:
                continue
            if x.isdigit() and y.isdigit():
                return -1 if int(x) < int(y) else 1
            if x.isdigit():
                return -1
            if y.isdigit():
                return 1
            return -1 if x < y else 1
        return -1 if len(pa) < len(pb) else (1 if len(pa) > len(pb) else 0)

    def cmp(self, o):
        a, b = list(self.segments), list(o.segments)
        L = max(len(a), len(b))
        a += [0] * (L - len(a))
        b += [0] * (L - len(b))
        if a != b:
            return -1 if a < b else 1
        return self._cmp_pre(self.pre, o.pre)


CONS_RE = re.compile(r'^\s*(=|!=|>=|<=|>|<|~>)?\s*(v?[0-9][0-9A-Za-z.+-]*)\s*$')


def parse_constraints(s):
    out = []
    if s is None or not s.strip():
        return out
    for part in s.split(","):
        m = CONS_RE.match(part)
        if not m:
            raise ValueError("bad constraint %r" % part)
        out.append((m.group(1) or "=", Version(m.group(2))))
    return out


def _pessimistic(v, c):
    if bool(c.pre) != bool(v.pre):
        return False
    if v.cmp(c) < 0:
        return False
    cs = len(c.segments)
    if cs > len(v.segments):
        return False
    for i in range(c.si - 1):
        if v.segments[i] != c.segments[i]:
            return False
    if c.segments[cs - 1] > v.segments[cs - 1]:
        return False
    return True


def satisfies(v, cons):
    for op, c in cons:
        r = v.cmp(c)
        ok = {"=": r == 0, "!=": r != 0, ">": r > 0, "<": r < 0,
              ">=": r >= 0, "<=": r <= 0}.get(op)
        if op == "~>":
            ok = _pessimistic(v, c)
        if not ok:
            return False
    return True


def choose_version(tags, constraint):
    """Return (version_string, tag) of the newest tag matching constraint."""
    cons = parse_constraints(constraint)
    exact = {str(c) for op, c in cons if op == "="}
    best = None
    for t in tags:
        if not TAG_RE.match(t):
            continue
        v = Version(t)
        if v.pre and str(v) not in exact:
            continue  # prereleases only when requested exactly
        if satisfies(v, cons) and (best is None or v.cmp(best[0]) > 0):
            best = (v, t)
    if best is None:
        return None, None
    return str(best[0]), best[1]


# ---------------------------------------------------------------------------
# Source address classification (subset of Terraform's addrs.ParseModuleSource)
# ---------------------------------------------------------------------------

REG_RE = re.compile(
    r'^(?:(?P<host>[^/]+\.[^/]+)/)?(?P<ns>[0-9A-Za-z](?:[0-9A-Za-z_-]{0,62}[0-9A-Za-z])?)/'
    r'(?P<name>[0-9A-Za-z](?:[0-9A-Za-z_-]{0,62}[0-9A-Za-z])?)/(?P<prov>[0-9a-z]{1,64})'
    r'(?://(?P<sub>.*))?$')


def split_subdir(addr):
    """go-getter SourceDirSubdir: split 'x//sub?q' -> ('x?q', 'sub')."""
    q = ""
    if "?" in addr:
        addr, q = addr.split("?", 1)
        q = "?" + q
    start = 0
    if "://" in addr:
        start = addr.index("://") + 3
    idx = addr.find("//", start)
    if idx < 0:
        return addr + q, ""
    return addr[:idx] + q, addr[idx + 2:]


def clean_subdir(sub):
    if not sub:
        return ""
    s = posixpath.normpath(sub)
    return "" if s == "." else s


def classify(src):
    if src.startswith("./") or src.startswith("../") or src in (".", ".."):
        raw = src.replace("\\", "/")
        clean = posixpath.normpath(raw)
        if not clean.startswith("../"):
            clean = "./" + clean
        return {"kind": "local", "addr": clean}
    if "::" not in src:
        m = REG_RE.match(src)
        if m and (m.group("host") or DEFAULT_HOST).lower() not in ("github.com", "bitbucket.org"):
            host = (m.group("host") or DEFAULT_HOST).lower()
            sub = clean_subdir(m.group("sub"))
            pkg = "%s/%s/%s/%s" % (host, m.group("ns"), m.group("name"), m.group("prov"))
            return {"kind": "registry", "host": host, "ns": m.group("ns"),
                    "name": m.group("name"), "prov": m.group("prov"),
                    "sub": sub, "pkg": pkg,
                    "addr": pkg + ("//" + sub if sub else "")}
    # remote (go-getter) – only github-style git addresses are resolvable here
    pkg, sub = split_subdir(src)
    sub = clean_subdir(sub)
    url = pkg
    m = re.match(r'^github\.com/([^/]+)/([^/?]+?)(?:\.git)?(\?.*)?$', url)
    if m:
        url = "git::https://github.com/%s/%s.git%s" % (m.group(1), m.group(2), m.group(3) or "")
    m2 = re.match(r'^git@github\.com:([^/]+)/([^/?]+?)(?:\.git)?(\?.*)?$', url)
    if m2:
        url = "git::ssh://git@github.com/%s/%s.git%s" % (m2.group(1), m2.group(2), m2.group(3) or "")
    base, q = (url.split("?", 1) + [""])[:2]
    addr = base + ("//" + sub if sub else "") + ("?" + q if q else "")
    gh = re.match(r'^(?:git::)?(?:https://|ssh://git@)github\.com/([^/]+)/([^/?]+?)(?:\.git)?$', base)
    ref = None
    for kv in q.split("&") if q else []:
        if kv.startswith("ref="):
            ref = kv[4:]
    return {"kind": "remote", "addr": addr, "sub": sub, "ref": ref,
            "github": (gh.group(1), gh.group(2)) if gh else None}


# ---------------------------------------------------------------------------
# Mirrors
# ---------------------------------------------------------------------------


class Mirrors:
    def __init__(self, root=None, explicit=None):
        self.root = root
        self.explicit = {}
        for k, v in (explicit or {}).items():
            self.explicit[self._norm(k)] = v
        self._tags = {}

    @staticmethod
    def _norm(k):
        k = k.strip().lower()
        if k.startswith(DEFAULT_HOST + "/"):
            k = k[len(DEFAULT_HOST) + 1:]
        k = re.sub(r'^(git::)?https://', '', k)
        k = re.sub(r'\.git$', '', k)
        return k

    def for_registry(self, c):
        key = "%s/%s/%s" % (c["ns"], c["name"], c["prov"])
        if c["host"] != DEFAULT_HOST:
            key = c["host"] + "/" + key
        cands = []
        if self._norm(key) in self.explicit:
            cands.append(self.explicit[self._norm(key)])
        if self.root:
            cands.append(os.path.join(self.root, "%s+terraform-%s-%s" % (c["ns"], c["prov"], c["name"]), "repo"))
        return self._first(cands), key

    def for_github(self, org, repo):
        key = "github.com/%s/%s" % (org, repo)
        cands = []
        if self._norm(key) in self.explicit:
            cands.append(self.explicit[self._norm(key)])
        if self.root:
            cands.append(os.path.join(self.root, "%s+%s" % (org, repo), "repo"))
        return self._first(cands), key

    @staticmethod
    def _first(cands):
        for c in cands:
            if c and os.path.isdir(c):
                return c
        return None

    def tags(self, gitdir):
        if gitdir not in self._tags:
            out = subprocess.run(["git", "--git-dir", gitdir, "tag", "--list"],
                                 check=True, capture_output=True, text=True).stdout
            self._tags[gitdir] = out.split()
        return self._tags[gitdir]


def extract(gitdir, ref, dest):
    if os.path.lexists(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)
    arch = subprocess.Popen(["git", "--git-dir", gitdir, "archive", "--format=tar", ref],
                            stdout=subprocess.PIPE)
    tar = subprocess.run(["tar", "-x", "-C", dest], stdin=arch.stdout)
    arch.stdout.close()
    if arch.wait() != 0 or tar.returncode != 0:
        raise RuntimeError("git archive %s %s failed" % (gitdir, ref))


def commit_of(gitdir, ref):
    return subprocess.run(["git", "--git-dir", gitdir, "rev-parse", ref + "^{commit}"],
                          check=True, capture_output=True, text=True).stdout.strip()


# ---------------------------------------------------------------------------
# Installer
# ---------------------------------------------------------------------------


def layout(root, mirrors, keep=False, log=print):
    root = os.path.abspath(root)
    modsdir = os.path.join(root, MODULES_DIR)
    if not keep and os.path.isdir(modsdir):
        shutil.rmtree(modsdir)
    os.makedirs(modsdir, exist_ok=True)
    manifest = {"": {"Key": "", "Source": "", "Dir": "."}}
    details = {}
    problems = []

    def absdir(d):
        return os.path.normpath(os.path.join(root, d))

    def walk(path, moddir):
        try:
            calls = module_calls_in_dir(absdir(moddir))
        except (OSError, HCLScanError, ValueError) as e:
            problems.append({"key": ".".join(path), "error": "cannot read module dir %s: %s" % (moddir, e)})
            return
        for call in calls:
            key = ".".join(path + [call["name"]])
            src = call["source"]
            where = "%s:%s" % (os.path.relpath(call["file"], root), call.get("line", "?"))
            if src is None:
                problems.append({"key": key, "error": "source is missing or not a static string (%s)" % where})
                continue
            c = classify(src)
            if c["kind"] == "local":
                if call.get("version"):
                    problems.append({"key": key, "error": "version constraint on local module (Terraform errors) at " + where})
                d = os.path.normpath(os.path.join(moddir, c["addr"]))
                manifest[key] = {"Key": key, "Source": c["addr"], "Dir": d}
                details[key] = {"kind": "local", "from": where}
                if not os.path.isdir(absdir(d)):
                    problems.append({"key": key, "error": "local module dir %s does not exist" % d})
                    continue
                walk(path + [call["name"]], d)
            elif c["kind"] == "registry":
                gitdir, mkey = mirrors.for_registry(c)
                if gitdir is None:
                    problems.append({"key": key, "error": "no mirror for registry module %s (%s)" % (mkey, where)})
                    continue
                try:
                    ver, tag = choose_version(mirrors.tags(gitdir), call.get("version"))
                except ValueError as e:
                    problems.append({"key": key, "error": "bad version constraint %r: %s" % (call.get("version"), e)})
                    continue
                if ver is None:
                    problems.append({"key": key, "error": "no tag of %s satisfies %r" % (mkey, call.get("version"))})
                    continue
                inst = posixpath.join(MODULES_DIR, key)
                extract(gitdir, tag, absdir(inst))
                d = posixpath.join(inst, c["sub"]) if c["sub"] else inst
                manifest[key] = {"Key": key, "Source": c["addr"], "Version": ver, "Dir": d}
                details[key] = {"kind": "registry", "constraint": call.get("version"), "tag": tag,
                                "commit": commit_of(gitdir, tag), "mirror": gitdir, "from": where}
                log("  %-55s %s %s (constraint %r)" % (key, c["pkg"], ver, call.get("version")))
                if not os.path.isdir(absdir(d)):
                    problems.append({"key": key, "error": "subdir %s missing in package" % c["sub"]})
                    continue
                walk(path + [call["name"]], d)
            else:
                if call.get("version"):
                    problems.append({"key": key, "error": "version constraint on non-registry module at " + where})
                if not c["github"]:
                    problems.append({"key": key, "error": "unsupported remote source %s (%s)" % (src, where)})
                    continue
                gitdir, mkey = mirrors.for_github(*c["github"])
                if gitdir is None:
                    problems.append({"key": key, "error": "no mirror for %s (%s)" % (mkey, where)})
                    continue
                ref = c["ref"] or "HEAD"
                inst = posixpath.join(MODULES_DIR, key)
                try:
                    extract(gitdir, ref, absdir(inst))
                except RuntimeError as e:
                    problems.append({"key": key, "error": str(e)})
                    continue
                d = posixpath.join(inst, c["sub"]) if c["sub"] else inst
                manifest[key] = {"Key": key, "Source": c["addr"], "Dir": d}
                details[key] = {"kind": "git", "ref": ref, "commit": commit_of(gitdir, ref),
                                "mirror": gitdir, "from": where}
                log("  %-55s %s" % (key, c["addr"]))
                walk(path + [call["name"]], d)

    walk([], ".")
    records = [manifest[k] for k in sorted(manifest)]
    with open(os.path.join(modsdir, "modules.json"), "w") as f:
        f.write(json.dumps({"Modules": records}, separators=(",", ":")))
    return {"root": root, "modules": records, "details": details, "problems": problems}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__)
    ap.add_argument("roots", nargs="+", help="root module directories (e.g. examples/foo)")
    ap.add_argument("--mirror-root", help="directory of <owner>+<repo>/repo bare mirrors")
    ap.add_argument("--mirror", action="append", default=[], metavar="SRC=GITDIR")
    ap.add_argument("--mapping", help="JSON file {SRC: GITDIR}")
    ap.add_argument("--keep", action="store_true", help="do not wipe .terraform/modules first")
    ap.add_argument("--report", help="write a JSON report here")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    explicit = {}
    if a.mapping:
        with open(a.mapping) as f:
            explicit.update(json.load(f))
    for m in a.mirror:
        k, _, v = m.partition("=")
        explicit[k] = v
    mirrors = Mirrors(a.mirror_root, explicit)
    log = (lambda *x: None) if a.quiet else print
    reports = []
    rc = 0
    for r in a.roots:
        log("== " + r)
        rep = layout(r, mirrors, keep=a.keep, log=log)
        for p in rep["problems"]:
            print("  PROBLEM %s: %s" % (p["key"], p["error"]), file=sys.stderr)
            rc = 2
        log("  -> %d records" % len(rep["modules"]))
        reports.append(rep)
    if a.report:
        with open(a.report, "w") as f:
            json.dump(reports, f, indent=2)
    return rc


if __name__ == "__main__":
    sys.exit(main())
