package main

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"
)

// invoke runs the willow command line with the given stdin and an empty
// environment, and returns stdout, stderr and the exit status.
func invoke(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	return invokeEnv(t, nil, stdin, args...)
}

// invokeEnv is invoke with the environment variables vars.
func invokeEnv(t *testing.T, vars map[string]string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(name string) string { return vars[name] }
	code := run(args, env{stdin: strings.NewReader(stdin), stdout: &out, random: rand.Reader, getenv: getenv}, &errOut)
	return out.String(), errOut.String(), code
}
