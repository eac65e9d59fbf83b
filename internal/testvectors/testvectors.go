// Package testvectors locates the shared conformance vectors for tests.
//
// Vectors live outside the repository, in ../shared/vectors beside the project
// root, or wherever $WILLOW_VECTORS points. Without them a conformance test
// skips with a loud message, except when $CI is set, where it fails: CI must
// never pass by not looking.
package testvectors

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the vectors directory, or skips (fails under CI) the test when
// it cannot be found. sub, when given, is joined to the directory and must
// exist too.
func Dir(t testing.TB, sub ...string) string {
	t.Helper()
	dir, err := find()
	if err == "" {
		dir = filepath.Join(append([]string{dir}, sub...)...)
		if _, statErr := os.Stat(dir); statErr != nil {
			err = statErr.Error()
		}
	}
	if err != "" {
		msg := "CONFORMANCE VECTORS MISSING, test not run: " + err +
			" (set $WILLOW_VECTORS or place them in ../shared/vectors)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return dir
}

// Find returns the vectors directory (with sub joined to it) without skipping
// or failing anything, and the reason why it is unusable otherwise. Fuzz
// targets use it to seed from the vectors when they exist and fall back to
// hand-made seeds when they do not.
func Find(sub ...string) (string, error) {
	dir, reason := find()
	if reason != "" {
		return "", errors.New(reason)
	}
	dir = filepath.Join(append([]string{dir}, sub...)...)
	if _, err := os.Stat(dir); err != nil {
		return "", err
	}
	return dir, nil
}

// find returns the vectors directory or a reason why there is none.
func find() (string, string) {
	if env := os.Getenv("WILLOW_VECTORS"); env != "" {
		if st, err := os.Stat(env); err != nil || !st.IsDir() {
			return "", "$WILLOW_VECTORS=" + env + " is not a directory"
		}
		return env, ""
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", "cannot get working directory: " + err.Error()
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			v := filepath.Join(dir, "..", "shared", "vectors")
			if st, err := os.Stat(v); err == nil && st.IsDir() {
				return v, ""
			}
			return "", v + " does not exist"
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", "no go.mod above " + wd
		}
		dir = parent
	}
}
