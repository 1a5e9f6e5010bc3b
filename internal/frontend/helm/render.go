package helm

import (
	"context"
	"fmt"
	"time"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chartv2 "helm.sh/helm/v4/pkg/chart/v2"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/engine"
)

// renderer renders the releases of one chart within the chart's bounds:
// one deadline for them all, and, isolated, one child process for them
// all (started again after one is stopped for memory).
type renderer struct {
	dir     string
	files   []chartFile
	caps    *common.Capabilities
	opts    Options
	timeout time.Duration
	// deadline is set when the chart's time starts: at the first release
	// in this process, once the first child is ready when isolated.
	deadline time.Time
	// spent is set once a release was stopped at the deadline: the
	// releases after it are not rendered.
	spent bool
	child *child
}

func newRenderer(dir string, files []chartFile, caps *common.Capabilities, opts Options) *renderer {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxMemory <= 0 {
		opts.MaxMemory = DefaultMaxMemory
	}
	if opts.MaxOutput <= 0 {
		opts.MaxOutput = DefaultMaxOutput
	}
	return &renderer{dir: dir, files: files, caps: caps, opts: opts, timeout: opts.Timeout}
}

// close ends the chart's child process, if one runs.
func (r *renderer) close() {
	if r.child != nil {
		r.child.close()
		r.child = nil
	}
}

// renderInProcess runs the engine in a goroutine of this process until
// the chart's deadline.
func (r *renderer) renderInProcess(ch *chartv2.Chart, rv common.Values) (map[string]string, error) {
	if r.deadline.IsZero() {
		r.deadline = time.Now().Add(r.timeout)
	}
	if r.spent || !time.Now().Before(r.deadline) {
		r.spent = true
		return nil, errTimeSpent{r.timeout}
	}
	type result struct {
		out map[string]string
		err error
	}
	done := make(chan result, 1)
	ctx, cancel := context.WithDeadline(context.Background(), r.deadline)
	defer cancel()
	go func() {
		// The engine cannot be interrupted: a template that never ends
		// keeps this goroutine (and what it allocates) until the process
		// exits. The scan goes on without it; Options.Isolate avoids it.
		out, err := renderEngine(ctx, ch, rv)
		done <- result{out, err}
	}()
	select {
	case res := <-done:
		return res.out, res.err
	case <-ctx.Done():
		r.spent = true
		return nil, errTimeout{r.timeout}
	}
}

// prepareRelease loads the chart for one release, with the dependencies
// its values enable, and the values its templates see.
func prepareRelease(files []chartFile, rel string, vals map[string]any, caps *common.Capabilities, ns string) (*chartv2.Chart, common.Values, error) {
	// Each release gets a chart of its own: dependency processing
	// rewrites the chart (aliases, disabled dependencies).
	ch, err := loadFiles(files)
	if err != nil {
		return nil, nil, err
	}
	missingDeps(ch, "", nil)
	if err := chartutil.ProcessDependencies(ch, vals); err != nil {
		return nil, nil, fmt.Errorf("chart dependencies: %w", err)
	}
	if ns == "" {
		ns = "default"
	}
	rv, err := util.ToRenderValuesWithSchemaValidation(ch, vals, common.ReleaseOptions{Name: rel, Namespace: ns, Revision: 1, IsInstall: true}, caps, true)
	if err != nil {
		return nil, nil, err
	}
	return ch, rv, nil
}

// renderEngine runs Helm's engine on a prepared release; a panic in it is
// an error.
func renderEngine(ctx context.Context, ch *chartv2.Chart, rv common.Values) (out map[string]string, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("rendering failed: %v", r)
		}
	}()
	return engine.Engine{}.RenderWithContext(ctx, ch, rv)
}

// checkOutput applies the output bound to a rendered release.
func checkOutput(out map[string]string, maxOut int) error {
	if maxOut <= 0 {
		maxOut = DefaultMaxOutput
	}
	size := 0
	for _, s := range out {
		size += len(s)
	}
	if size > maxOut {
		return fmt.Errorf("rendered output of %d MiB exceeds the bound of %d MiB", size>>20, maxOut>>20)
	}
	return nil
}

// boundError is the error of a release stopped at one of the chart's
// bounds (time, memory, stack): it names no template.
type boundError interface {
	error
	isBound()
}

type errTimeout struct{ d time.Duration }

func (e errTimeout) Error() string {
	return fmt.Sprintf("rendering the chart took longer than %s: stopped (a template that loops without bound?)", e.d)
}

func (errTimeout) isBound() {}

// errTimeSpent is the error of the releases after one stopped at the
// deadline.
type errTimeSpent struct{ d time.Duration }

func (e errTimeSpent) Error() string {
	return fmt.Sprintf("the chart's time bound of %s was spent by the releases before it", e.d)
}

func (errTimeSpent) isBound() {}

// errMemory: the child stopped past the memory bound, seen by its
// watchdog, or refused an allocation at the address space limit (fatal).
type errMemory struct {
	limit int64
	fatal bool
}

func (e errMemory) Error() string {
	return fmt.Sprintf("rendering used more than %d MiB: stopped (a template that allocates without bound?)", e.limit>>20)
}

func (errMemory) isBound() {}

type errStack struct{ limit int64 }

func (e errStack) Error() string {
	return fmt.Sprintf("rendering nested deeper than a stack of %d MiB: stopped (a template that calls itself without end?)", e.limit>>20)
}

func (errStack) isBound() {}
