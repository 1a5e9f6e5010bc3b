package render_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/eksguard/eksguard/internal/gate"
	"github.com/eksguard/eksguard/internal/render"
	"github.com/eksguard/eksguard/internal/report"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/scan"
)

// screenshotPath is where the browser test leaves its screenshot.
const screenshotPath = "/tmp/eksguard-html-report.png"

func chromiumPath(t *testing.T) string {
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not found; CI must run the HTML report browser test")
	}
	t.Skip("chromium not found")
	return ""
}

// shopReport scans examples/shop with one finding suppressed through a
// temporary .eksguard.yaml.
func shopReport(t *testing.T) *report.Report {
	t.Helper()
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	opts := scan.Options{Paths: []string{"../../examples/shop"}, Policy: gate.DefaultPolicy,
		Config: rule.Config{AsOf: asOf}, Version: "test"}
	first := scan.Run(opts)
	if len(first.Findings) == 0 {
		t.Fatal("no findings in examples/shop")
	}
	f := first.Findings[0]
	cfg := filepath.Join(t.TempDir(), ".eksguard.yaml")
	yaml := fmt.Sprintf("suppressions:\n  - rule: %s\n    resource: %q\n    reason: \"Reviewed <b>risk</b> & accepted\"\n    owner: platform-team\n    expires: 2027-06-30\n",
		f.RuleID, f.Resource)
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	opts.ConfigFile = cfg
	r := scan.Run(opts)
	if len(r.Suppressed) == 0 {
		t.Fatalf("suppression did not apply: %+v", r.Errors)
	}
	// The shop has no IAM escalation path; borrow a certain and a possible
	// one from the escalation fixtures so the graph is drawn too.
	paths := scan.Run(scan.Options{Paths: []string{"../iam/escalate/testdata/basic"}, Policy: gate.DefaultPolicy,
		Config: rule.Config{AsOf: asOf}})
	if len(paths.IAMPaths) != 2 {
		t.Fatalf("escalation fixture: %d paths, want 2", len(paths.IAMPaths))
	}
	r.IAMPaths = paths.IAMPaths
	return r
}

func TestHTMLReportInBrowser(t *testing.T) {
	chrome := chromiumPath(t)
	r := shopReport(t)
	var buf bytes.Buffer
	if err := render.WriteHTML(&buf, r, render.Options{}); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	render.WriteHTML(&again, r, render.Options{})
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("HTML output is not deterministic")
	}
	page := buf.String()
	for _, bad := range []string{"http://cdn", "https://cdn", "<link rel=\"stylesheet\"", "<script src", "@import", "fonts.googleapis"} {
		if strings.Contains(page, bad) {
			t.Errorf("page refers to the network: %q", bad)
		}
	}
	if strings.Contains(page, "<b>risk</b>") || !strings.Contains(page, "Reviewed &lt;b&gt;risk&lt;/b&gt; &amp; accepted") {
		t.Error("suppression reason not escaped or missing")
	}
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	allocOpts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome),
		chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true), chromedp.WindowSize(1400, 1000))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), allocOpts...)
	defer cancelA()
	var mu sync.Mutex
	var problems []string
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			problems = append(problems, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber+1, msg))
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning ||
				e.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				problems = append(problems, fmt.Sprintf("console.%s: %s", e.Type, strings.Join(args, " ")))
			}
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError || e.Entry.Level == cdplog.EntryLevelWarning {
				problems = append(problems, fmt.Sprintf("log %s: %s %s", e.Entry.Level, e.Entry.Text, e.Entry.URL))
			}
		}
	}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(listen))
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 20*time.Second)
	defer cancelT()

	want := len(r.Findings)
	wantHigh := 0
	for _, f := range r.Findings {
		if f.SeverityName == "high" {
			wantHigh++
		}
	}
	countVisible := `Array.from(document.querySelectorAll('#findings tbody.finding')).filter(b => !b.hidden).length`
	eval := func(expr string) any {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	do := func(what string, a ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, a...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	num := func(v any) int { f, _ := v.(float64); return int(f) }

	do("open", chromedp.Navigate("file://"+file), chromedp.WaitReady(chromedp.CSS("#findings")))
	rows := num(eval(`document.querySelectorAll('#findings tbody.finding tr.row').length`))
	visible := num(eval(countVisible))
	do("expand", chromedp.Click(chromedp.CSS(`#findings tbody.finding tr.row`)))
	expanded, _ := eval(`!document.querySelector('#findings tbody.finding tr.detail').hidden`).(bool)
	do("filter high", chromedp.SetValue(chromedp.CSS("#sev-filter"), "high"))
	eval(`document.getElementById('sev-filter').dispatchEvent(new Event('change')); true`)
	highVisible := num(eval(countVisible))
	sevs, _ := eval(`Array.from(document.querySelectorAll('#findings tbody.finding')).filter(b => !b.hidden).map(b => b.rows[0].cells[0].textContent).join(',')`).(string)
	do("filter all", chromedp.SetValue(chromedp.CSS("#sev-filter"), ""))
	eval(`document.getElementById('sev-filter').dispatchEvent(new Event('change')); true`)
	do("sort", chromedp.Click(chromedp.CSS(`#findings th[data-col="1"]`)))
	ascOK, _ := eval(sortedBy(1)).(bool)
	do("sort again", chromedp.Click(chromedp.CSS(`#findings th[data-col="1"]`)))
	descOK, _ := eval(sortedBy(-1)).(bool)
	firstRule, _ := eval(`document.querySelector('#findings tbody.finding tr.row').cells[1].textContent`).(string)
	lastRule, _ := eval(`Array.from(document.querySelectorAll('#findings tbody.finding')).pop().rows[0].cells[1].textContent`).(string)
	graphs := num(eval(`document.querySelectorAll('svg.path-graph').length`))
	dashed := num(eval(`document.querySelectorAll('svg.path-graph g.edge.possible').length`))
	solid := num(eval(`document.querySelectorAll('svg.path-graph g.edge:not(.possible)').length`))
	if graphs != 2 || dashed != 1 || solid != 2 {
		t.Errorf("IAM path graphs: %d graphs, %d dashed and %d solid hops; want 2, 1, 2", graphs, dashed, solid)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(screenshotPath, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", screenshotPath)

	if rows != want || visible != want {
		t.Errorf("table has %d rows (%d visible), want %d", rows, visible, want)
	}
	if !expanded {
		t.Error("clicking a row did not expand its remediation")
	}
	if highVisible != wantHigh || wantHigh == 0 {
		t.Errorf("severity filter high: %d rows visible, want %d", highVisible, wantHigh)
	}
	for _, s := range strings.Split(sevs, ",") {
		if s != "high" {
			t.Errorf("severity filter high shows a %q row", s)
		}
	}
	if !ascOK || !descOK {
		t.Errorf("clicking the rule header did not sort: ascending %v, descending %v", ascOK, descOK)
	}
	if firstRule == lastRule {
		t.Errorf("sorted rule column starts and ends with %q", firstRule)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
}

// sortedBy is a script telling whether the findings' rule column is in
// order (dir 1 ascending, -1 descending), as the page compares.
func sortedBy(dir int) string {
	return fmt.Sprintf(`(() => { const v = Array.from(document.querySelectorAll('#findings tbody.finding')).map(b => b.rows[0].cells[1].textContent);
  return v.length > 1 && v.every((x, i) => i === 0 || %d * v[i-1].localeCompare(x, undefined, {numeric: true}) <= 0); })()`, dir)
}
