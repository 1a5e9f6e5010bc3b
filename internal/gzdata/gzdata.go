// Package gzdata reads the gzip-compressed tables embedded in the binary
// (the IAM action catalogue, the AWS managed policies).
package gzdata

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"strings"
)

// Inflate returns the text of the single gzip member z. Tables are
// inflated into one string so that what is parsed from them can be
// substrings of it rather than copies.
func Inflate(z []byte) (string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return "", err
	}
	zr.Multistream(false)
	var raw strings.Builder
	if n := len(z); n >= 4 {
		// gzip's trailer holds the uncompressed size; growing once avoids
		// copying megabytes through io.Copy's doublings.
		raw.Grow(int(binary.LittleEndian.Uint32(z[n-4:])))
	}
	if _, err := io.Copy(&raw, zr); err != nil {
		return "", err
	}
	return raw.String(), nil
}
