// Command willow is a small command-line tool over the willow-web core, for
// people debugging interoperability: it encodes and decodes paths and entries,
// hashes payloads with WILLIAM3 and generates keys.
//
// Every command reads its arguments (and, where documented, standard input),
// prints its result on standard output and exits 0; on bad input it prints one
// line on standard error and exits 1.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand: it gets the arguments after its name.
type command struct {
	usage string
	run   func(args []string, stdin io.Reader, stdout io.Writer) error
}

// commands lists every subcommand by its first word.
var commands = map[string]command{}

// register adds a subcommand; each command file calls it from init.
func register(name, usage string, run func(args []string, stdin io.Reader, stdout io.Writer) error) {
	commands[name] = command{usage: usage, run: run}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one invocation and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage())
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "willow: unknown command %q (try: willow help)\n", args[0])
		return 1
	}
	if err := cmd.run(args[1:], stdin, stdout); err != nil {
		fmt.Fprintf(stderr, "willow %s: %v\n", args[0], oneLine(err.Error()))
		return 1
	}
	return 0
}

func usage() string {
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: willow <command> [arguments]\n\ncommands:\n")
	for _, name := range names {
		fmt.Fprintf(&b, "  %s\n", commands[name].usage)
	}
	return b.String()
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }
