package main

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"
)

// invoke runs the willow command line with the given stdin and returns
// stdout, stderr and the exit status.
func invoke(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, env{stdin: strings.NewReader(stdin), stdout: &out, random: rand.Reader}, &errOut)
	return out.String(), errOut.String(), code
}
