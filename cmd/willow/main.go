// Command willow is a small command-line tool over the willow-web core, for
// people debugging interoperability: it encodes and decodes paths, entries
// and URIs, hashes payloads with WILLIAM3, generates keys, and makes,
// inspects and verifies drops.
//
// Every command reads its arguments (and, where documented, standard input),
// prints its result on standard output and exits 0; on bad input it prints one
// line on standard error and exits 1.
package main

import (
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// env is what a command may touch besides its arguments; tests substitute
// every part.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	random io.Reader           // key generation
	getenv func(string) string // environment variables (nil: none), e.g. $WILLOW_PASSPHRASE
}

// command is one subcommand: its help text and what it runs.
type command struct {
	usage string
	run   func(args []string, e env) error
}

// commands is the table of subcommands by their first word.
func commands() map[string]command {
	streams := func(f func([]string, io.Reader, io.Writer) error) func([]string, env) error {
		return func(args []string, e env) error { return f(args, e.stdin, e.stdout) }
	}
	return map[string]command{
		"age":    {ageUsage, runAge},
		"drop":   {dropUsage, runDrop},
		"entry":  {entryUsage, streams(runEntry)},
		"hash":   {hashUsage, streams(runHash)},
		"keygen": {keygenUsage, func(args []string, e env) error { return runKeygen(args, e.random, e.stdout) }},
		"path":   {pathUsage, streams(runPath)},
		"relay":  {relayUsage, runRelay},
		"uri":    {uriUsage, streams(runURI)},
	}
}

func main() {
	os.Exit(run(os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, random: rand.Reader, getenv: os.Getenv}, os.Stderr))
}

// run executes one invocation and returns the exit status.
func run(args []string, e env, stderr io.Writer) int {
	table := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(e.stdout, usage(table))
		return 0
	}
	cmd, ok := table[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "willow: unknown command %q (try: willow help)\n", args[0])
		return 1
	}
	if err := cmd.run(args[1:], e); err != nil {
		fmt.Fprintf(stderr, "willow %s: %v\n", args[0], oneLine(err.Error()))
		return 1
	}
	return 0
}

func usage(table map[string]command) string {
	names := make([]string, 0, len(table))
	for name := range table {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: willow <command> [arguments]\n\ncommands:\n")
	for _, name := range names {
		fmt.Fprintf(&b, "  %s\n", table[name].usage)
	}
	return b.String()
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }
