package render

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/eksguard/eksguard/internal/report"
)

func init() { Writers["github"] = WriteGitHub }

// WriteGitHub writes GitHub Actions workflow commands, one annotation per
// failed finding: ::error for critical and high, ::warning for medium,
// ::notice for low. Unknown verdicts are notices titled "unknown"; each
// module call that was not read is a ::warning at its module block. Data is
// escaped per GitHub's rules (%, CR, LF; in properties also : and ,).
func WriteGitHub(out io.Writer, r *report.Report, _ Options) error {
	w := bufio.NewWriter(out)
	emit := func(cmd string, f findingT, prefix string) {
		props := []string{}
		if f.File != "" {
			props = append(props, "file="+ghProp(filepath.ToSlash(f.File)))
		}
		if f.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", f.Line))
			if f.EndLine > f.Line {
				props = append(props, fmt.Sprintf("endLine=%d", f.EndLine))
			}
		}
		props = append(props, "title="+ghProp(prefix+f.RuleID+" "+f.Title))
		msg := f.Message
		if msg == "" {
			msg = f.Title
		}
		if f.Resource != "" {
			msg = f.Resource + ": " + msg
		}
		if f.Remediation != "" {
			msg += "\nRemediation: " + f.Remediation
		}
		fmt.Fprintf(w, "::%s %s::%s\n", cmd, strings.Join(props, ","), ghData(msg))
	}
	for _, f := range r.Findings {
		cmd := "notice"
		switch f.SeverityName {
		case "critical", "high":
			cmd = "error"
		case "medium":
			cmd = "warning"
		}
		emit(cmd, f, "")
	}
	for _, f := range r.Unknowns {
		emit("notice", f, "unknown: ")
	}
	for _, u := range r.Summary.Incomplete {
		props := []string{"file=" + ghProp(filepath.ToSlash(u.File))}
		if u.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", u.Line))
		}
		props = append(props, "title="+ghProp("incomplete: "+u.Call+" not read"))
		msg := fmt.Sprintf("%s (%s) is not read: %s. Its resources were not checked.", u.Call, u.Source, u.Reason)
		fmt.Fprintf(w, "::warning %s::%s\n", strings.Join(props, ","), ghData(msg))
	}
	named, notSel := disabledParts(r)
	for _, d := range named {
		fmt.Fprintf(w, "::notice title=%s::%s\n", ghProp("rule "+d.RuleID+" disabled"), ghData(disabledLine(d)))
	}
	if len(notSel) > 0 {
		fmt.Fprintf(w, "::notice title=%s::%s\n", ghProp("rules not selected"), ghData(notSelectedLine(notSel)))
	}
	return w.Flush()
}

func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
