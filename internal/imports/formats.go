package imports

import (
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/severity"
)

// sarif reads SARIF 2.1.0: each result of kind fail (the default) that is
// not suppressed. Severity is properties.security-severity of the result
// or its rule (a CVSS score, as GitHub code scanning reads it), else the
// level: error high, warning medium, note and none low.
func (r *reader) sarif(root *graph.Value) {
	if v := str(root.Get("version")); v != "2.1.0" {
		r.errorf(root.Get("version"), "unsupported SARIF version", "version %q; eksguard reads SARIF 2.1.0", v)
		return
	}
	for _, run := range r.list(root, "runs") {
		if !r.object(run, "a SARIF run") {
			continue
		}
		tool := str(run.Get("tool", "driver", "name"))
		if tool == "" {
			r.errorf(run, "malformed report", "SARIF run without tool.driver.name")
			continue
		}
		if strings.EqualFold(tool, "eksguard") {
			// Our own output, met in a walk: its findings are this scan's.
			continue
		}
		rules := map[string]*graph.Value{}
		driverRules := r.list(run.Get("tool", "driver"), "rules")
		for _, rl := range driverRules {
			if id := str(rl.Get("id")); id != "" {
				rules[id] = rl
			}
		}
		for _, res := range r.list(run, "results") {
			if !r.object(res, "a SARIF result") {
				continue
			}
			if k := str(res.Get("kind")); k != "" && k != "fail" {
				continue
			}
			if suppressed(res) {
				continue
			}
			id := str(res.Get("ruleId"))
			var rl *graph.Value
			if id != "" {
				rl = rules[id]
			} else if idx := res.Get("ruleIndex"); idx != nil && idx.Kind == graph.Number && int(idx.Num()) >= 0 && int(idx.Num()) < len(driverRules) {
				rl = driverRules[int(idx.Num())]
				id = str(rl.Get("id"))
			}
			it := item{origin: "sarif:" + tool, id: id, at: res, resourceType: "sarif:result",
				message: str(res.Get("message", "text")), title: str(rl.Get("shortDescription", "text"))}
			if u := str(rl.Get("helpUri")); u != "" {
				it.urls = []string{u}
			}
			score := res.Get("properties", "security-severity")
			if score == nil {
				score = rl.Get("properties", "security-severity")
			}
			if score != nil {
				it.score = num(score)
			}
			if it.score <= 0 {
				level := str(res.Get("level"))
				if level == "" {
					level = str(rl.Get("defaultConfiguration", "level"))
				}
				switch level {
				case "error":
					it.sev = severity.High
				case "warning", "":
					it.sev = severity.Medium
				case "note", "none":
					it.sev = severity.Low
				default:
					r.errorf(res.Get("level"), "malformed report", "SARIF level %q is not error, warning, note or none", level)
					continue
				}
			}
			if loc := first(res.Get("locations")); loc != nil {
				pl := loc.Get("physicalLocation")
				it.file = str(pl.Get("artifactLocation", "uri"))
				it.line = int(num(pl.Get("region", "startLine")))
				it.endLine = int(num(pl.Get("region", "endLine")))
				if lg := first(loc.Get("logicalLocations")); lg != nil {
					it.resource = str(lg.Get("fullyQualifiedName"))
					if it.resource == "" {
						it.resource = str(lg.Get("name"))
					}
				}
			}
			r.add(it)
		}
	}
}

// suppressed reports a result with an accepted (or status-less)
// suppression: the tool that wrote it recorded the analysis.
func suppressed(res *graph.Value) bool {
	s := res.Get("suppressions")
	if s == nil || s.Kind != graph.List {
		return false
	}
	for _, e := range s.List {
		if st := str(e.Get("status")); st == "" || st == "accepted" {
			return true
		}
	}
	return false
}

// trivy reads `trivy ... --format json`: Results[].Vulnerabilities[] and
// the failed Results[].Misconfigurations[].
func (r *reader) trivy(root *graph.Value) {
	for _, res := range r.list(root, "Results") {
		if !r.object(res, "a Trivy result") {
			continue
		}
		target := str(res.Get("Target"))
		class := str(res.Get("Class"))
		for _, v := range r.list(res, "Vulnerabilities") {
			if !r.object(v, "a Trivy vulnerability") {
				continue
			}
			pkg := str(v.Get("PkgName"))
			if ver := str(v.Get("InstalledVersion")); ver != "" {
				pkg += "@" + ver
			}
			it := item{origin: Trivy, id: str(v.Get("VulnerabilityID")), at: v, resource: pkg, resourceType: "package",
				title: str(v.Get("Title")), sevName: str(v.Get("Severity")), score: trivyScore(v)}
			it.message = it.id + " in " + pkg + " (" + target + ")"
			if fixed := str(v.Get("FixedVersion")); fixed != "" {
				it.remediation = "Upgrade " + str(v.Get("PkgName")) + " to " + fixed + "."
			}
			if class == "lang-pkgs" {
				it.file = target // a lock file of the repository
			}
			it.urls = []string{str(v.Get("PrimaryURL"))}
			r.add(it)
		}
		for _, m := range r.list(res, "Misconfigurations") {
			if !r.object(m, "a Trivy misconfiguration") {
				continue
			}
			if st := str(m.Get("Status")); st != "" && st != "FAIL" {
				continue
			}
			id := str(m.Get("AVDID"))
			if id == "" {
				id = str(m.Get("ID"))
			}
			it := item{origin: Trivy, id: id, at: m, file: target, resource: str(m.Get("CauseMetadata", "Resource")),
				resourceType: "trivy:" + str(res.Get("Type")), title: str(m.Get("Title")), message: str(m.Get("Message")),
				remediation: str(m.Get("Resolution")), sevName: str(m.Get("Severity")),
				line:    int(num(m.Get("CauseMetadata", "StartLine"))),
				endLine: int(num(m.Get("CauseMetadata", "EndLine")))}
			if it.resource == "" {
				it.resource = target
			}
			it.urls = []string{str(m.Get("PrimaryURL"))}
			r.add(it)
		}
	}
}

// trivyScore is the CVSS v3 score of the severity source, else NVD's,
// else the first source's in name order; 0 when none.
func trivyScore(v *graph.Value) float64 {
	c := v.Get("CVSS")
	if c == nil || c.Kind != graph.Map {
		return 0
	}
	for _, src := range []string{str(v.Get("SeveritySource")), "nvd"} {
		if s := num(c.Get(src, "V3Score")); s > 0 {
			return s
		}
	}
	for _, k := range c.Keys() {
		if s := num(c.Map.Get(k).Get("V3Score")); s > 0 {
			return s
		}
	}
	return 0
}

// grype reads `grype -o json`: matches[], the highest CVSS v3 base score
// of the vulnerability (else of its related records), else its severity.
func (r *reader) grype(root *graph.Value) {
	for _, m := range r.list(root, "matches") {
		if !r.object(m, "a Grype match") {
			continue
		}
		v := m.Get("vulnerability")
		if !r.object(v, "a Grype vulnerability") {
			continue
		}
		a := m.Get("artifact")
		pkg := str(a.Get("name"))
		if ver := str(a.Get("version")); ver != "" {
			pkg += "@" + ver
		}
		it := item{origin: Grype, id: str(v.Get("id")), at: v, resource: pkg, resourceType: "package",
			sevName: str(v.Get("severity")), score: grypeScore(v.Get("cvss"))}
		if it.score == 0 {
			for _, rv := range listOf(m.Get("relatedVulnerabilities")) {
				if s := grypeScore(rv.Get("cvss")); s > it.score {
					it.score = s
				}
			}
		}
		it.title = it.id + " in " + pkg
		it.message = it.title
		if loc := str(first(a.Get("locations")).Get("path")); loc != "" {
			it.message += " (" + loc + ")"
		}
		if fix := listOf(v.Get("fix", "versions")); len(fix) > 0 {
			it.remediation = "Upgrade " + str(a.Get("name")) + " to " + str(fix[0]) + "."
		}
		it.urls = []string{str(v.Get("dataSource"))}
		r.add(it)
	}
}

func grypeScore(cvss *graph.Value) float64 {
	best := 0.0
	for _, c := range listOf(cvss) {
		if strings.HasPrefix(str(c.Get("version")), "3") {
			if s := num(c.Get("metrics", "baseScore")); s > best {
				best = s
			}
		}
	}
	return best
}

func listOf(v *graph.Value) []*graph.Value {
	if v != nil && v.Kind == graph.List {
		return v.List
	}
	return nil
}

// depCheck reads OWASP dependency-check's JSON report: each
// dependencies[].vulnerabilities[], by cvssv3.baseScore, else severity.
func (r *reader) depCheck(root *graph.Value) {
	for _, d := range r.list(root, "dependencies") {
		if !r.object(d, "a dependency") {
			continue
		}
		res := str(first(d.Get("packages")).Get("id"))
		if res == "" {
			res = str(d.Get("fileName"))
		}
		for _, v := range r.list(d, "vulnerabilities") {
			if !r.object(v, "a dependency-check vulnerability") {
				continue
			}
			it := item{origin: DependencyCheck, id: str(v.Get("name")), at: v, resource: res, resourceType: "dependency",
				sevName: str(v.Get("severity")), score: num(v.Get("cvssv3", "baseScore"))}
			it.title = it.id + " in " + str(d.Get("fileName"))
			it.message = it.title
			if p := str(d.Get("filePath")); p != "" {
				it.message += " (" + p + ")"
			}
			for _, ref := range listOf(v.Get("references")) {
				if u := str(ref.Get("url")); u != "" {
					it.urls = append(it.urls, u)
					break
				}
			}
			r.add(it)
		}
	}
}

// kubeBench reads `kube-bench --json`: {"Controls": [...]} or, from older
// versions, a list of controls.
func (r *reader) kubeBench(root *graph.Value) {
	controls := listOf(root)
	if root.Kind == graph.Map {
		controls = r.list(root, "Controls")
	}
	for _, c := range controls {
		if !r.object(c, "a kube-bench control") {
			continue
		}
		benchmark := str(c.Get("version"))
		for _, g := range r.list(c, "tests") {
			if !r.object(g, "a kube-bench test group") {
				continue
			}
			for _, t := range r.list(g, "results") {
				if !r.object(t, "a kube-bench result") {
					continue
				}
				status := str(t.Get("status"))
				var sev severity.Level
				switch status {
				case "FAIL":
					sev = severity.Medium
					if s := t.Get("scored"); s != nil && s.Kind == graph.Bool && s.Bool {
						sev = severity.High
					}
				case "WARN":
					sev = severity.Low
				case "PASS", "INFO":
					continue
				default:
					r.errorf(t.Get("status"), "malformed report", "kube-bench status %q is not PASS, FAIL, WARN or INFO", status)
					continue
				}
				id := str(t.Get("test_number"))
				it := item{origin: KubeBench, id: id, at: t, sev: sev, resourceType: "cis-check",
					resource: strings.TrimSpace(benchmark + " " + str(c.Get("node_type"))),
					title:    str(t.Get("test_desc")), remediation: str(t.Get("remediation"))}
				it.message = "CIS " + id + " " + status + ": " + it.title
				if reason := str(t.Get("reason")); reason != "" {
					it.message += " (" + reason + ")"
				}
				r.add(it)
			}
		}
	}
}
