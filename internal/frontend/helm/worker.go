package helm

import (
	"bufio"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"time"
)

// workerEnv, set to workerProtocol, makes a process the renderer of one
// chart. The value names the protocol, so a child of another version of
// eksguard (the executable replaced during a scan) refuses rather than
// misreads.
const (
	workerEnv      = "EKSGUARD_HELM_WORKER"
	workerProtocol = "2"
)

// ServeIfWorker makes this process the renderer of one chart when a
// parent rendering with Options.Isolate started it as one: it renders the
// releases its stdin asks for, within the bounds it was given, and exits.
// In any other process it returns at once. Call it first thing in main,
// and in TestMain of the tests that render isolated.
func ServeIfWorker() {
	v, ok := os.LookupEnv(workerEnv)
	if !ok {
		return
	}
	if v != workerProtocol {
		fmt.Fprintf(os.Stderr, "eksguard renderer: protocol %q asked, %q spoken\n", v, workerProtocol)
		os.Exit(1)
	}
	os.Exit(serve(os.Stdin, os.Stdout))
}

// serve renders the chart in requests, answering on out; it returns the
// exit status.
func serve(in io.Reader, out io.Writer) int {
	// out carries the answers: anything printed on stdout by mistake
	// would corrupt them.
	os.Stdout = os.Stderr
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "eksguard renderer:", err)
		return 1
	}
	r := bufio.NewReader(in)
	var req chartRequest
	if err := gob.NewDecoder(r).Decode(&req); err != nil {
		return fail(err)
	}
	// The watchdog's time counts from here, as the parent's does from
	// the answer below (give or take the start delay of tests).
	bound(req.MaxMemory, req.Timeout+req.StartDelay)
	files := make([]chartFile, len(req.Files))
	for i, f := range req.Files {
		files[i] = chartFile{name: f.Name, data: f.Data}
	}
	req.Files = nil
	caps, err := capabilities(req.KubeVersion)
	if err != nil {
		return fail(err)
	}
	time.Sleep(req.StartDelay)
	enc := gob.NewEncoder(out)
	if err := enc.Encode(readyMessage{Ready: true}); err != nil {
		return fail(err)
	}
	for {
		var rel releaseRequest
		// Each request is a gob stream of its own (see encode).
		if err := gob.NewDecoder(r).Decode(&rel); err != nil {
			if errors.Is(err, io.EOF) {
				return 0
			}
			return fail(err)
		}
		if rel.Values == nil {
			// gob leaves out an empty map: the release has no values of
			// its own, and rendering writes into the map.
			rel.Values = map[string]any{}
		}
		var resp releaseResponse
		ch, rv, err := prepareRelease(files, rel.Name, rel.Values, caps, req.Namespace)
		if err == nil {
			resp.Out, err = renderEngine(context.Background(), ch, rv)
		}
		if err == nil {
			err = checkOutput(resp.Out, req.MaxOutput)
		}
		if err != nil {
			resp = releaseResponse{Err: err.Error()}
		}
		if err := enc.Encode(resp); err != nil {
			return fail(err)
		}
	}
}

// maxStack is the goroutine stack bound of a renderer given maxMemory:
// Go's default, 1 GB, would let one recursion take all of it. It stays
// under 1 GiB, which an int holds on 32-bit systems too.
func maxStack(maxMemory int64) int64 {
	return min(maxMemory/4, 1<<30-1)
}

// bound applies the renderer's bounds to this process: the garbage
// collector works harder near the memory bound, the address space is
// limited where the system can (one huge allocation fails at once), and a
// watchdog exits with exitMemory past the bound, or with exitTime a
// little after the time bound should the parent not have killed it.
func bound(maxMemory int64, timeout time.Duration) {
	debug.SetMemoryLimit(maxMemory / 10 * 9)
	debug.SetMaxStack(int(maxStack(maxMemory)))
	limitAddressSpace(maxMemory)
	go watchdog(maxMemory, time.Now().Add(timeout+time.Second))
}

// watchdog samples the memory the Go runtime holds from the system (what
// debug.SetMemoryLimit governs: everything mapped but what was returned).
// It allocates nothing once started: past the memory limit an allocation
// can wait on the garbage collector, and the watchdog must not.
func watchdog(limit int64, deadline time.Time) {
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	msg := make([]byte, 0, 128)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for range tick.C {
		metrics.Read(samples)
		if samples[0].Value.Kind() != metrics.KindUint64 || samples[1].Value.Kind() != metrics.KindUint64 {
			continue
		}
		used := samples[0].Value.Uint64() - samples[1].Value.Uint64()
		if used > uint64(limit) {
			msg = append(msg, "eksguard renderer: "...)
			msg = strconv.AppendUint(msg, used>>20, 10)
			msg = append(msg, " MiB in use, over the bound of "...)
			msg = strconv.AppendInt(msg, limit>>20, 10)
			msg = append(msg, " MiB\n"...)
			_, _ = os.Stderr.Write(msg)
			os.Exit(exitMemory)
		}
		if time.Now().After(deadline) {
			_, _ = os.Stderr.Write(append(msg, "eksguard renderer: past the time bound\n"...))
			os.Exit(exitTime)
		}
	}
}
