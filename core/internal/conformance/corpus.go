// Package conformance reads the official Willow test-vector corpus
// (worm-blossom/willow_test_vectors) and decodes the corpus's own custom
// absolute encodings of Area and 3dRange, which its *_relative_to and
// reencoded files use. It exists for tests: the conformance test of this
// package runs every case of the corpus, and the fuzz targets of the encoding
// packages seed from it.
//
// The corpus is never copied into the repository; tests locate it at run time
// with internal/testvectors.
package conformance

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Case is one case of a corpus folder.
type Case struct {
	Folder string // e.g. "EncodePath" or "path_rel_path"
	Name   string // the file name, a decimal number
	Yay    bool   // yay (must decode) or nay (must be rejected)
	Code   []byte // the bytes to decode (yay may have trailing bytes)
	// RelativeTo is the reference value in the corpus's absolute encoding
	// (nil when the folder records none).
	RelativeTo []byte
	// Reencoded is the absolute encoding of the decoded value (yay only; for
	// encoding-function folders without a reencoded/ folder it is Code).
	Reencoded []byte
	// Reason is nay_reason: the Rust decoder's error.
	Reason string
}

// ID names the case as folder/yay/N or folder/nay/N.
func (c Case) ID() string {
	if c.Yay {
		return c.Folder + "/yay/" + c.Name
	}
	return c.Folder + "/nay/" + c.Name
}

// WantsTruncated reports whether the reference decoder failed with "unexpected
// end of input" (as opposed to an invalid code).
func (c Case) WantsTruncated() bool { return strings.Contains(c.Reason, "UnexpectedEndOfInput") }

// Load reads every case of one folder of the corpus rooted at root, yay cases
// first, each kind in numeric order.
func Load(root, folder string) ([]Case, error) {
	dir := filepath.Join(root, folder)
	var out []Case
	for _, kind := range []string{"yay", "nay"} {
		names, err := numbered(filepath.Join(dir, kind))
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			c := Case{Folder: folder, Name: name, Yay: kind == "yay"}
			if c.Code, err = os.ReadFile(filepath.Join(dir, kind, name)); err != nil {
				return nil, err
			}
			if c.RelativeTo, err = optional(filepath.Join(dir, kind+"_relative_to", name)); err != nil {
				return nil, err
			}
			if c.Yay {
				if c.Reencoded, err = optional(filepath.Join(dir, "reencoded", name)); err != nil {
					return nil, err
				}
				if c.Reencoded == nil {
					if _, err := os.Stat(filepath.Join(dir, "reencoded")); err == nil {
						return nil, errors.New(c.ID() + ": reencoded file missing")
					}
					c.Reencoded = c.Code
				}
			} else {
				reason, err := os.ReadFile(filepath.Join(dir, "nay_reason", name))
				if err != nil {
					return nil, err
				}
				c.Reason = string(reason)
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// LoadAll returns every case of the folders that exist under root, for
// seeding fuzz targets; folders that cannot be read are skipped.
func LoadAll(root string, folders ...string) []Case {
	var out []Case
	for _, f := range folders {
		cases, err := Load(root, f)
		if err == nil {
			out = append(out, cases...)
		}
	}
	return out
}

// numbered lists the file names of dir in numeric order; a missing dir has
// none.
func numbered(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			return nil, errors.New(filepath.Join(dir, e.Name()) + ": not a numbered case file")
		}
		names = append(names, e.Name())
	}
	sort.Slice(names, func(i, j int) bool {
		a, _ := strconv.Atoi(names[i])
		b, _ := strconv.Atoi(names[j])
		return a < b
	})
	return names, nil
}

// optional reads a file, returning nil without error if it does not exist.
func optional(name string) ([]byte, error) {
	b, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if b == nil && err == nil {
		b = []byte{}
	}
	return b, err
}
