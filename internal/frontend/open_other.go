//go:build !unix

package frontend

import "os"

// openNonBlocking opens for reading; systems without FIFOs in the file
// system have nothing an open could block on, and the caller checks the
// descriptor is a regular file before reading.
func openNonBlocking(path string) (*os.File, error) {
	return os.Open(path)
}
