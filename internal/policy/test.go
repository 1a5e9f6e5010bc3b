package policy

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// TestResult is the outcome of one test_ rule.
type TestResult struct {
	// Name is the rule's full name (data.eks.test_public_endpoint).
	Name string
	File string
	Line int
	// Status is pass, fail, error or skip (todo_test_ rules).
	Status   string
	Duration time.Duration
	// Detail says why a test failed or erred.
	Detail string
	// Output is what print() wrote during the test.
	Output string
}

// RunTests runs the test_ rules of the loaded policies (as opa test does),
// under the same sandbox as a scan: the reduced built-ins and the time
// bound per test. filter is a regular expression on test names ("" runs
// all).
func (s *Set) RunTests(ctx context.Context, filter string) ([]TestResult, error) {
	if len(s.modules) == 0 {
		return nil, errors.New("no policy compiled")
	}
	limits := s.opts.Limits.withDefaults()
	store := inmem.New()
	txn, err := store.NewTransaction(ctx, storage.TransactionParams{})
	if err != nil {
		return nil, err
	}
	defer store.Abort(ctx, txn)
	r := tester.NewRunner().
		SetCompiler(ast.NewCompiler().WithCapabilities(capabilities()).WithEnablePrintStatements(true)).
		SetModules(s.modules).
		SetStore(store).
		SetTimeout(limits.Timeout).
		CapturePrintOutput(true).
		// Tracing lets the runner name the expression a failing test
		// stopped at; the trace itself is not printed.
		EnableTracing(true)
	if filter != "" {
		r = r.Filter(filter)
	}
	ch, err := r.RunTests(ctx, txn)
	if err != nil {
		return nil, err
	}
	var out []TestResult
	for res := range ch {
		tr := TestResult{Name: res.Package + "." + res.Name, Duration: res.Duration, Output: string(res.Output)}
		if res.Location != nil {
			tr.File, tr.Line = res.Location.File, res.Location.Row
		}
		switch {
		case res.Skip:
			tr.Status = "skip"
		case res.Error != nil:
			tr.Status = "error"
			tr.Detail = res.Error.Error()
			if errors.Is(res.Error, context.DeadlineExceeded) || strings.Contains(tr.Detail, "deadline") || strings.Contains(tr.Detail, "cancel") {
				tr.Detail = fmt.Sprintf("%s: the test took more than %s", errTimeBound, limits.Timeout)
			}
		case res.Fail:
			tr.Status = "fail"
			tr.Detail = failedAt(res.Trace, tr.File)
		default:
			tr.Status = "pass"
		}
		out = append(out, tr)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out, nil
}

// failedAt names the last expression of the test's own file that failed:
// the line a reader fixes or checks first.
func failedAt(trace []*topdown.Event, file string) string {
	for i := len(trace) - 1; i >= 0; i-- {
		e := trace[i]
		if e.Op != topdown.FailOp {
			continue
		}
		if x, ok := e.Node.(*ast.Expr); ok && x.Location != nil && x.Location.File == file {
			// The source text, not the compiled expression, which
			// has rewritten locals (__local3__).
			text := strings.TrimSpace(string(x.Location.Text))
			if text == "" {
				text = x.String()
			}
			return fmt.Sprintf("failed at %s:%d: %s", x.Location.File, x.Location.Row, text)
		}
	}
	return "the test body was false or undefined"
}
