#!/usr/bin/env python3
"""Compares eksguard's verdicts on Helm charts and kustomizations as
committed with its verdicts on what the real tools render from them.

    scripts/compare-rendered.py charts DIR...   # each DIR/*/Chart.yaml
    scripts/compare-rendered.py kustomize DIR... # each DIR as one scan

For charts, every release eksguard renders (values.yaml, values-*.yaml,
ci/*-values.yaml) is rendered with `helm template` and each release's output
is scanned on its own (releases of a chart are alternatives, never deployed
together). For kustomizations, every kustomization eksguard builds under DIR
is built with `kustomize build`. The verdicts (status, rule, resource; a
namespace-wide verdict by namespace) must be the same. Needs helm and
kustomize on PATH or in $(go env GOPATH)/bin (scripts/render-fixtures.sh
installs them) and EKSGUARD (default: go build ./cmd/eksguard into a
temporary directory).
"""
import glob, json, os, re, shutil, subprocess, sys, tempfile

def tool(name):
    p = shutil.which(name)
    if p:
        return p
    gopath = subprocess.run(['go', 'env', 'GOPATH'], capture_output=True, text=True).stdout.strip()
    return os.path.join(gopath, 'bin', name)

def verdicts(eg, path):
    p = subprocess.run([eg, 'scan', '--format', 'json', '--fail-on', 'none', path], capture_output=True, text=True)
    r = json.loads(p.stdout)
    out = []
    for f in r['findings'] + r.get('unknowns', []):
        res = f['resource']
        if f.get('attribute_path') == 'metadata.namespace' and res.count('/') == 2:
            res = 'namespace ' + res.split('/')[1]
        out.append(f"{f['status']} {f['rule_id']} {res}")
    return sorted(out), r

def charts(eg, root, tmp):
    same = True
    for chart in sorted(glob.glob(os.path.join(root, '*/Chart.yaml'))):
        d = os.path.dirname(chart)
        name = next((m.group(1).strip('"\'') for m in (re.match(r'^name:\s*(\S+)', l) for l in open(chart)) if m), None)
        rels = [(name, None)]
        rels += [(name + '-' + os.path.basename(v)[len('values-'):-5], v) for v in sorted(glob.glob(d + '/values-*.yaml'))]
        rels += [(name + '-ci-' + os.path.basename(v)[:-len('-values.yaml')], v) for v in sorted(glob.glob(d + '/ci/*-values.yaml'))]
        rendered, refused = [], []
        for rel, v in rels:
            p = subprocess.run([tool('helm'), 'template', rel, d] + (['-f', v] if v else []), capture_output=True, text=True)
            if p.returncode != 0:
                refused.append(rel)
                continue
            f = os.path.join(tmp, rel + '.yaml')
            open(f, 'w').write(p.stdout)
            rendered += verdicts(eg, f)[0]
        src, _ = verdicts(eg, d)
        ok = src == sorted(rendered)
        same &= ok
        print(f"{d}: {len(rels)} releases ({len(refused)} refused by helm), {len(src)} verdicts, same as helm template: {ok}")
        report_diff(src, sorted(rendered))
    return same

def kustomizations(eg, root, tmp):
    src, r = verdicts(eg, root)
    built = []
    for i, k in enumerate(x['path'] for x in r['inputs'] if x['kind'] == 'kustomization'):
        p = subprocess.run([tool('kustomize'), 'build', k], capture_output=True, text=True)
        if p.returncode == 0:
            f = os.path.join(tmp, f'{i}.yaml')
            open(f, 'w').write(p.stdout)
            built += verdicts(eg, f)[0]
    ok = src == sorted(built)
    print(f"{root}: {len(src)} verdicts, same as kustomize build: {ok}")
    report_diff(src, sorted(built))
    return ok

def report_diff(a, b):
    for x in sorted(set(a) - set(b))[:10]:
        print('   only from source:', x)
    for x in sorted(set(b) - set(a))[:10]:
        print('   only from the tool:', x)

def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ('charts', 'kustomize'):
        print(__doc__)
        sys.exit(2)
    tmp = tempfile.mkdtemp()
    eg = os.environ.get('EKSGUARD') or os.path.join(tmp, 'eksguard')
    if not os.environ.get('EKSGUARD'):
        subprocess.run(['go', 'build', '-o', eg, './cmd/eksguard'], check=True, cwd=os.path.join(os.path.dirname(__file__), '..'))
    ok = True
    for i, root in enumerate(sys.argv[2:]):
        out = os.path.join(tmp, str(i))
        os.makedirs(out)
        ok &= (charts if sys.argv[1] == 'charts' else kustomizations)(eg, root, out)
    shutil.rmtree(tmp)
    sys.exit(0 if ok else 1)

main()
