package render

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/report"
	"github.com/eksguard/eksguard/internal/rule"
)

func init() { Writers["sarif"] = WriteSARIF }

// SARIF 2.1.0 shapes: only the properties eksguard fills.
type (
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version"`
		SemanticVer    string      `json:"semanticVersion,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
		// Notifications describes the tool execution notifications.
		Notifications []sarifNotificationDesc `json:"notifications,omitempty"`
	}
	sarifNotificationDesc struct {
		ID                   string    `json:"id"`
		Name                 string    `json:"name"`
		ShortDescription     sarifText `json:"shortDescription"`
		FullDescription      sarifText `json:"fullDescription"`
		Help                 sarifText `json:"help"`
		DefaultConfiguration struct {
			Level string `json:"level"`
		} `json:"defaultConfiguration"`
	}
	sarifInvocation struct {
		ExecutionSuccessful            bool                `json:"executionSuccessful"`
		ToolExecutionNotifications     []sarifNotification `json:"toolExecutionNotifications,omitempty"`
		ToolConfigurationNotifications []sarifNotification `json:"toolConfigurationNotifications,omitempty"`
	}
	sarifNotification struct {
		Descriptor     sarifDescriptorRef `json:"descriptor"`
		AssociatedRule *sarifRuleRef      `json:"associatedRule,omitempty"`
		Level          string             `json:"level"`
		Message        sarifText          `json:"message"`
		Locations      []sarifLocation    `json:"locations,omitempty"`
	}
	sarifDescriptorRef struct {
		ID    string `json:"id"`
		Index int    `json:"index"`
	}
	// sarifRuleRef names a rule that may not be among the run's rules (a
	// disabled rule has no results), so it carries no index.
	sarifRuleRef struct {
		ID string `json:"id"`
	}
	sarifText struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifRule struct {
		ID                   string    `json:"id"`
		Name                 string    `json:"name"`
		ShortDescription     sarifText `json:"shortDescription"`
		FullDescription      sarifText `json:"fullDescription"`
		Help                 sarifText `json:"help"`
		HelpURI              string    `json:"helpUri,omitempty"`
		DefaultConfiguration struct {
			Level string `json:"level"`
		} `json:"defaultConfiguration"`
		Properties sarifRuleProps `json:"properties"`
	}
	sarifRuleProps struct {
		SecuritySeverity string   `json:"security-severity"`
		Tags             []string `json:"tags"`
		Precision        string   `json:"precision"`
	}
	sarifResult struct {
		RuleID              string             `json:"ruleId"`
		RuleIndex           int                `json:"ruleIndex"`
		Level               string             `json:"level"`
		Message             sarifText          `json:"message"`
		Locations           []sarifLocation    `json:"locations"`
		RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
		PartialFingerprints map[string]string  `json:"partialFingerprints"`
		Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
		BaselineState       string             `json:"baselineState,omitempty"`
		Properties          map[string]any     `json:"properties,omitempty"`
	}
	// sarifSuppression records an analysed exception, so code scanning
	// shows the alert as dismissed with its reason rather than as fixed.
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Status        string `json:"status"`
		Justification string `json:"justification"`
	}
	sarifLocation struct {
		ID               int               `json:"id,omitempty"`
		Message          *sarifText        `json:"message,omitempty"`
		PhysicalLocation sarifPhysical     `json:"physicalLocation"`
		LogicalLocations []sarifLogicalLoc `json:"logicalLocations,omitempty"`
	}
	sarifLogicalLoc struct {
		FullyQualifiedName string `json:"fullyQualifiedName"`
		Kind               string `json:"kind"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
		Region           sarifRegion      `json:"region"`
	}
	sarifArtifactLoc struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine int `json:"startLine"`
		EndLine   int `json:"endLine,omitempty"`
	}
)

const sarifInfoURI = "https://github.com/eksguard/eksguard"

// SARIFFingerprintKey names eksguard's stable fingerprint in
// partialFingerprints, so code scanning tracks an alert across line moves.
const SARIFFingerprintKey = "eksguardFingerprint/v1"

// WriteSARIF writes SARIF 2.1.0 for GitHub code scanning: one run, one
// rule per rule id that has a result (security-severity is the rule's CVSS
// score), one result per failed verdict with a location (line 1 when the
// line is not known) and partialFingerprints.
//
// Unknown verdicts (the deciding value cannot be known from code) are
// included as level "note" results with the property
// "eksguard/status": "unknown" and a message that says so, so reviewers
// see them; failed results carry "eksguard/status": "fail". Artifact URIs
// are relative to the working directory (uriBaseId %SRCROOT%), with
// forward slashes; a file outside it keeps an absolute file:// URI.
//
// Suppressed findings are results with suppressions[] (kind inSource for
// an eksguard:ignore comment, external for .eksguard.yaml or a policy's
// exception rule; status accepted; the reason as justification), so code
// scanning shows them as dismissed, not fixed. With a baseline, findings
// in it are results with baselineState unchanged and the others new.
//
// Each module call that was not read is a warning in
// runs[0].invocations[0].toolExecutionNotifications, descriptor
// eksguard/incomplete, at the call's module block.
func WriteSARIF(w io.Writer, r *report.Report, _ Options) error {
	l := newSARIFLog(r)
	// The run is written member by member and its results one at a time:
	// a scan of many thousand findings is never held as text, nor as a
	// slice of results. The bytes are those of encoding/json's indenting
	// encoder over the whole log (the tests compare the two).
	s := newJSONStream(w)
	s.raw("{")
	s.field("$schema", sarifSchema, 1, true)
	s.field("version", sarifVersion, 1, false)
	s.key("runs", 1, false)
	s.array(1, 1, func(int) {
		const d = 2
		s.raw("{")
		s.field("tool", &sarifTool{Driver: l.driver}, d+1, true)
		if l.baseIDs != nil {
			s.field("originalUriBaseIds", l.baseIDs, d+1, false)
		}
		s.key("results", d+1, false)
		s.array(l.len(), d+1, func(i int) {
			res := l.result(i)
			s.value(&res, d+2)
		})
		s.field("invocations", []sarifInvocation{l.invocation}, d+1, false)
		s.field("columnKind", sarifColumnKind, d+1, false)
		s.raw("\n    }")
	})
	s.raw("\n}\n")
	return s.finish()
}

const (
	sarifSchema     = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion    = "2.1.0"
	sarifColumnKind = "unicodeCodePoints"
)

// sarifLogParts is what a SARIF log holds beside its results, which are made
// one at a time as they are written (result).
type sarifLogParts struct {
	r  *report.Report
	wd string
	// The results are the findings, then the unknowns, then the suppressed
	// and baselined findings: left out, code scanning would close their
	// alerts as fixed.
	parts      [4][]finding.Finding
	index      map[string]int
	driver     sarifDriver
	invocation sarifInvocation
	baseIDs    map[string]sarifArtifactLoc
}

func (l *sarifLogParts) len() int {
	return len(l.parts[0]) + len(l.parts[1]) + len(l.parts[2]) + len(l.parts[3])
}

// at is the i-th result's finding, and whether it is a baselined one.
func (l *sarifLogParts) at(i int) (*finding.Finding, bool) {
	for k, p := range l.parts {
		if i < len(p) {
			return &p[i], k == 3
		}
		i -= len(p)
	}
	panic("sarif: result index out of range")
}

func newSARIFLog(r *report.Report) *sarifLogParts {
	wd, _ := os.Getwd()
	l := &sarifLogParts{r: r, wd: wd, parts: [4][]finding.Finding{r.Findings, r.Unknowns, r.Suppressed, r.Baselined}}

	// Rules: one per id, sorted.
	byID := map[string]*finding.Finding{}
	for i := range l.len() {
		f, _ := l.at(i)
		if _, ok := byID[f.RuleID]; !ok {
			byID[f.RuleID] = f
		}
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	l.index = map[string]int{}
	rules := make([]sarifRule, 0, len(ids))
	for i, id := range ids {
		l.index[id] = i
		rules = append(rules, sarifRuleOf(*byID[id]))
	}

	name := r.Tool.Name
	if name == "" {
		name = "eksguard"
	}
	version := strings.TrimPrefix(r.Tool.Version, "v")
	if version == "" || version[0] < '0' || version[0] > '9' {
		// SARIF2005: a version should start with an integer ("dev" builds).
		if version == "" {
			version = "dev"
		}
		version = "0.0.0-" + version
	}
	drv := sarifDriver{Name: name, Version: version, InformationURI: sarifInfoURI, Rules: rules}
	// The scan itself ran; what it could not read is a notification about
	// the run, not a result about the code, so executionSuccessful stays
	// true and the notification carries the call's position.
	inv := sarifInvocation{ExecutionSuccessful: true}
	if len(r.Summary.Incomplete) > 0 {
		desc := sarifNotificationDesc{ID: IncompleteID, Name: "ModuleCallNotRead",
			ShortDescription: sarifText{Text: "A module call was not read; its resources were not checked."},
			FullDescription: sarifText{Text: "eksguard could not read a module call (its source is not downloaded under " +
				".terraform/modules, cannot be fetched, or is not a literal), so the resources it declares were not checked " +
				"and values depending on its outputs are unknown."},
			Help: sarifText{Text: "Run terraform init before scanning, so registry and git modules are under .terraform/modules, " +
				"and give module sources as literal strings. eksguard scan --fail-on-incomplete makes an incomplete scan exit 2.",
				Markdown: "Run `terraform init` before scanning, so registry and git modules are under `.terraform/modules`, " +
					"and give module sources as literal strings. `eksguard scan --fail-on-incomplete` makes an incomplete scan exit 2."}}
		desc.DefaultConfiguration.Level = "warning"
		drv.Notifications = []sarifNotificationDesc{desc}
		for _, u := range r.Summary.Incomplete {
			line := u.Line
			if line < 1 {
				line = 1
			}
			loc := sarifLocation{
				PhysicalLocation: sarifPhysical{ArtifactLocation: sarifURI(wd, u.File), Region: sarifRegion{StartLine: line}},
				LogicalLocations: []sarifLogicalLoc{{FullyQualifiedName: u.Call, Kind: "module"}},
			}
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
				Descriptor: sarifDescriptorRef{ID: IncompleteID, Index: 0},
				Level:      "warning",
				Message:    sarifText{Text: fmt.Sprintf("%s (%s) was not read: %s. Its resources were not checked.", u.Call, u.Source, u.Reason)},
				Locations:  []sarifLocation{loc},
			})
		}
	}
	// Disabled rules are configuration, not results: each is a tool
	// configuration notification, so a dashboard shows what was not
	// checked and why (the DevSecOps settings page: no silent waiver).
	if named, notSel := disabledParts(r); len(named)+len(notSel) > 0 {
		desc := sarifNotificationDesc{ID: DisabledID, Name: "RuleDisabled",
			ShortDescription: sarifText{Text: "A rule was turned off for this scan."},
			FullDescription: sarifText{Text: "The rule did not run: it was disabled with a reason (--skip-rule ID=REASON or rules.disable " +
				"in .eksguard.yaml), or left out by a rule selection (--rule or rules.enable)."},
			Help: sarifText{Text: "Remove the rule from rules.disable (or --skip-rule) to check it again.",
				Markdown: "Remove the rule from `rules.disable` (or `--skip-rule`) to check it again."}}
		desc.DefaultConfiguration.Level = "note"
		drv.Notifications = append(drv.Notifications, desc)
		index := len(drv.Notifications) - 1
		for _, d := range named {
			inv.ToolConfigurationNotifications = append(inv.ToolConfigurationNotifications, sarifNotification{
				Descriptor: sarifDescriptorRef{ID: DisabledID, Index: index}, AssociatedRule: &sarifRuleRef{ID: d.RuleID},
				Level: "note", Message: sarifText{Text: "Rule " + disabledLine(d)}})
		}
		if len(notSel) > 0 {
			inv.ToolConfigurationNotifications = append(inv.ToolConfigurationNotifications, sarifNotification{
				Descriptor: sarifDescriptorRef{ID: DisabledID, Index: index}, Level: "note",
				Message: sarifText{Text: notSelectedLine(notSel)}})
		}
	}
	l.driver, l.invocation = drv, inv
	if wd != "" {
		l.baseIDs = map[string]sarifArtifactLoc{"%SRCROOT%": {URI: fileURI(wd) + "/"}}
	}
	return l
}

// result is the i-th result of the run.
func (l *sarifLogParts) result(i int) sarifResult {
	f, baselined := l.at(i)
	r := l.r
	unknown := f.Status == "unknown"
	level := sarifLevel(f.SeverityName)
	msg := f.Message
	if msg == "" {
		msg = f.Title
	}
	status := "fail"
	if unknown {
		level = "note"
		status = "unknown"
		msg = "Unknown (review): " + msg
	}
	if f.Resource != "" {
		msg += " [" + f.Resource + "]"
	}
	line := f.Line
	if line < 1 {
		line = 1
	}
	reg := sarifRegion{StartLine: line}
	if f.EndLine > line {
		reg.EndLine = f.EndLine
	}
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifURI(l.wd, sarifFile(*f, r)), Region: reg}}
	if f.Resource != "" {
		loc.LogicalLocations = []sarifLogicalLoc{{FullyQualifiedName: f.Resource, Kind: "resource"}}
	}
	props := map[string]any{"eksguard/status": status, "eksguard/resource": f.Resource}
	if f.Path != "" {
		props["eksguard/attributePath"] = f.Path
	}
	res := sarifResult{
		RuleID:              f.RuleID,
		RuleIndex:           l.index[f.RuleID],
		Level:               level,
		Message:             sarifText{Text: msg},
		Locations:           []sarifLocation{loc},
		PartialFingerprints: map[string]string{SARIFFingerprintKey: f.Fingerprint},
		Properties:          props,
	}
	if from := f.ValueFrom; from != nil {
		res.RelatedLocations = []sarifLocation{{ID: 1, Message: &sarifText{Text: "value set here"},
			PhysicalLocation: sarifPhysical{ArtifactLocation: sarifURI(l.wd, from.File), Region: sarifRegion{StartLine: int(max(from.Line, 1))}}}}
	}
	switch sp := f.Suppression; {
	case sp != nil:
		kind := "external"
		if sp.Inline {
			kind = "inSource"
		}
		why := sp.Reason
		if sp.File != "" {
			why += fmt.Sprintf(" (%s:%d)", sp.File, sp.Line)
		}
		res.Suppressions = []sarifSuppression{{Kind: kind, Status: "accepted", Justification: why}}
		if f.Severity >= rule.Critical && f.Status == rule.StatusFail.String() {
			// The DevSecOps settings page: a critical finding fails the gate even when
			// analysed; say so beside the dismissal.
			props["eksguard/gated"] = true
		}
	case r.BaselineUsed && baselined:
		res.BaselineState = "unchanged"
	case r.BaselineUsed:
		res.BaselineState = "new"
	}
	return res
}

func sarifLevel(sev string) string {
	switch sev {
	case "critical", "high":
		return "error"
	case "medium":
		return "warning"
	}
	return "note"
}

// practiceKinds are the kinds of the practice sources a rule was drawn
// from (a vendor's documentation, a blog post, a team's page).
var practiceKinds = map[string]bool{"vendor-docs": true, "blog": true, "team-page": true}

// sarifHelpURI is the rule's "learn more" address: the first reference to
// documentation of the practice (the EKS Best Practices Guide, AWS's or
// Terraform's documentation) that has one, else the first address of any
// reference. The practice sources come second: they say why a platform
// asked for the control, the documentation how to set it.
func sarifHelpURI(refs []rule.Reference) string {
	for _, ref := range refs {
		if ref.URL != "" && !practiceKinds[ref.Kind] {
			return ref.URL
		}
	}
	for _, ref := range refs {
		if ref.URL != "" {
			return ref.URL
		}
	}
	return ""
}

func sarifRuleOf(f finding.Finding) sarifRule {
	full := f.Title
	if f.Remediation != "" {
		full += ". " + f.Remediation
	}
	var txt, md strings.Builder
	fmt.Fprintf(&txt, "%s\n\nSeverity: %s (CVSS %.1f)\n", f.Title, f.SeverityName, f.CVSS)
	fmt.Fprintf(&md, "**%s**\n\nSeverity: %s (CVSS %.1f)\n", f.Title, f.SeverityName, f.CVSS)
	if f.Remediation != "" {
		fmt.Fprintf(&txt, "\nRemediation: %s\n", f.Remediation)
		fmt.Fprintf(&md, "\n**Remediation:** %s\n", f.Remediation)
	}
	helpURI := sarifHelpURI(f.References)
	if len(f.References) > 0 {
		txt.WriteString("\nReferences:\n")
		md.WriteString("\n**References:**\n\n")
		for _, ref := range f.References {
			t := ref.Title
			if t == "" {
				t = ref.URL
			}
			if ref.URL != "" {
				fmt.Fprintf(&txt, "- %s: %s\n", t, ref.URL)
				fmt.Fprintf(&md, "- [%s](%s)\n", t, ref.URL)
			} else {
				fmt.Fprintf(&txt, "- %s\n", t)
				fmt.Fprintf(&md, "- %s\n", t)
			}
		}
	}
	tags := []string{"security"}
	if f.Service != "" {
		tags = append(tags, f.Service)
	}
	if f.SeverityName != "" {
		tags = append(tags, f.SeverityName)
	}
	rl := sarifRule{
		ID:               f.RuleID,
		Name:             sarifRuleName(f.RuleID),
		ShortDescription: sarifText{Text: f.Title},
		FullDescription:  sarifText{Text: full},
		Help:             sarifText{Text: txt.String(), Markdown: md.String()},
		HelpURI:          helpURI,
		Properties: sarifRuleProps{
			SecuritySeverity: strconv.FormatFloat(f.CVSS, 'f', 1, 64),
			Tags:             tags,
			Precision:        "high",
		},
	}
	rl.DefaultConfiguration.Level = sarifLevel(f.SeverityName)
	return rl
}

// sarifRuleName is a PascalCase-free identifier derived from the id
// (rule names must differ from ids for SARIF's style rules).
func sarifRuleName(id string) string {
	var b strings.Builder
	for _, c := range id {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return "Eksguard" + b.String()
}

// sarifFile is the finding's file, or the first input when it has none,
// so every result has a location.
func sarifFile(f finding.Finding, r *report.Report) string {
	if f.File != "" {
		return f.File
	}
	for _, in := range r.Inputs {
		if in.Path != "" {
			return in.Path
		}
	}
	return "."
}

// sarifURI makes a path relative to wd with forward slashes under
// %SRCROOT%, or an absolute file URI when it lies outside wd.
func sarifURI(wd, p string) sarifArtifactLoc {
	if filepath.IsAbs(p) && wd != "" {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			p = rel
		} else {
			return sarifArtifactLoc{URI: fileURI(p)}
		}
	} else if filepath.IsAbs(p) {
		return sarifArtifactLoc{URI: fileURI(p)}
	}
	p = filepath.ToSlash(filepath.Clean(p))
	p = strings.TrimPrefix(p, "./")
	return sarifArtifactLoc{URI: uriEscape(p), URIBaseID: "%SRCROOT%"}
}

func fileURI(abs string) string {
	s := filepath.ToSlash(abs)
	if !strings.HasPrefix(s, "/") {
		s = "/" + s
	}
	return "file://" + uriEscape(s)
}

// uriEscape percent-encodes what may not appear in a URI path.
func uriEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("-._~/!$&'()*+,;=:@", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
