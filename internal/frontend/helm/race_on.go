//go:build race

package helm

// raceEnabled: the race detector maps its shadow memory as the heap
// grows, and fails rather than the Go allocator when the address space
// is limited; a race-enabled build (tests) does without the limit.
const raceEnabled = true
