package cli

import (
	"os"
	"testing"

	"github.com/eksguard/eksguard/internal/frontend/helm"
)

// TestMain lets the test binary serve as the Helm renderer child process
// the scans of these tests start, as the eksguard binary does.
func TestMain(m *testing.M) {
	helm.ServeIfWorker()
	os.Exit(m.Run())
}
