// Command wasmsize prints where the bytes of a Go WebAssembly module go:
// the size of each section and the code bytes per Go package, read from the
// module's code and name sections. Build the module without -s (the name
// section is what -s strips) to get per-package numbers, e.g.
//
//	GOOS=js GOARCH=wasm go build -ldflags=-w -tags purego -o /tmp/named.wasm ./wasm
//	go run ./internal/tools/wasmsize /tmp/named.wasm
//	go run ./internal/tools/wasmsize -base /tmp/before.wasm /tmp/after.wasm
//	go run ./internal/tools/wasmsize -forbid fmt,context /tmp/named.wasm
//
// With -base it prints the per-package difference between two modules, so a
// size cut can be measured package by package; with -forbid it fails if
// code of the named packages is in the module (scripts/test-web.sh keeps
// fmt, reflect, context and Go's FIPS crypto out this way).
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	base := flag.String("base", "", "a second module to compare against (prints after − base)")
	top := flag.Int("top", 40, "how many packages to list (0: all)")
	funcs := flag.String("funcs", "", "list the functions of packages whose name contains this string, largest first")
	forbid := flag.String("forbid", "", "comma-separated package names (as in the listing, e.g. fmt,context) that must have no code in the module; exit 1 if one has")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: wasmsize [-base before.wasm] [-top N] [-funcs PKG] module.wasm")
		os.Exit(2)
	}
	m, err := load(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmsize:", err)
		os.Exit(1)
	}
	if *funcs != "" {
		printFuncs(m, *funcs, *top)
		return
	}
	if *forbid != "" {
		if !checkForbidden(m, strings.Split(*forbid, ",")) {
			os.Exit(1)
		}
		return
	}
	if *base == "" {
		printModule(m, *top)
		return
	}
	b, err := load(*base)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmsize:", err)
		os.Exit(1)
	}
	printDiff(b, m, *top)
}

// module is what wasmsize learns from one file.
type module struct {
	size     int
	sections []section
	funcs    []fn // defined functions, in index order
	data     int  // bytes of the data section
}

type section struct {
	name string
	size int
}

type fn struct {
	name string
	size int // body size in bytes
}

func load(file string) (*module, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, errors.New(file + ": not a WebAssembly module")
	}
	m := &module{size: len(b)}
	var imported int
	names := map[int]string{}
	r := &reader{b: b, off: 8}
	for r.off < len(b) {
		id := r.byte()
		n := int(r.uleb())
		start := r.off
		body := &reader{b: b[start : start+n]}
		r.off = start + n
		name := sectionName(id)
		switch id {
		case 0:
			name = "custom " + body.name()
			if name == "custom name" {
				readNames(body, names)
			}
		case 2: // imports
			for i, c := 0, int(body.uleb()); i < c; i++ {
				body.name()
				body.name()
				kind := body.byte()
				switch kind {
				case 0:
					body.uleb()
					imported++
				case 1:
					body.byte()
					limits(body)
				case 2:
					limits(body)
				case 3:
					body.byte()
					body.byte()
				}
			}
		case 10: // code
			for i, c := 0, int(body.uleb()); i < c; i++ {
				size := int(body.uleb())
				body.off += size
				m.funcs = append(m.funcs, fn{size: size})
			}
		case 11:
			m.data = n
		}
		m.sections = append(m.sections, section{name, n})
		if r.err != nil || body.err != nil {
			return nil, fmt.Errorf("%s: malformed section %s", file, name)
		}
	}
	for i := range m.funcs {
		m.funcs[i].name = names[imported+i]
	}
	return m, nil
}

func limits(r *reader) {
	if r.byte()&1 != 0 {
		r.uleb()
	}
	r.uleb()
}

// readNames reads the function names subsection (id 1) of a name section.
func readNames(r *reader, names map[int]string) {
	for r.off < len(r.b) && r.err == nil {
		id := r.byte()
		n := int(r.uleb())
		end := r.off + n
		if id == 1 {
			for i, c := 0, int(r.uleb()); i < c && r.err == nil; i++ {
				idx := int(r.uleb())
				names[idx] = r.name()
			}
		}
		r.off = end
	}
}

func sectionName(id byte) string {
	names := []string{"custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount"}
	if int(id) < len(names) {
		return names[id]
	}
	return fmt.Sprintf("section %d", id)
}

// pkgOf returns the Go package of a function name as the Go linker writes
// it into the name section, with '/', '-', ':' and the like turned into '_':
// "github.com_willow_web_willow_web_core_bab.Sum", "runtime.mallocgc",
// "type_.eq.runtime.Frame" (compiler-generated, reported as "type_").
func pkgOf(sym string) string {
	if sym == "" {
		return "(unnamed)"
	}
	start := 0
	// A first element that is a domain (github.com, golang.org, filippo.io).
	if dot := strings.IndexByte(sym, '.'); dot > 0 {
		for _, tld := range []string{"com_", "org_", "io_", "net_", "dev_", "in_"} {
			if strings.HasPrefix(sym[dot+1:], tld) {
				start = dot + len(tld)
				break
			}
		}
	}
	dot := strings.IndexByte(sym[start:], '.')
	if dot < 0 {
		return sym
	}
	return sym[:start+dot]
}

const repoPrefix = "github.com_willow_web_willow_web_"

func (m *module) perPackage() map[string]int {
	out := map[string]int{}
	for _, f := range m.funcs {
		out[pkgOf(f.name)] += f.size
	}
	return out
}

func (m *module) code() int {
	t := 0
	for _, f := range m.funcs {
		t += f.size
	}
	return t
}

// group puts a package into one of the coarse groups the README reports.
func group(p string) string {
	switch {
	case strings.HasPrefix(p, repoPrefix):
		return "this repository"
	case strings.Contains(p, "."):
		return "dependencies"
	case p == "runtime" || strings.HasPrefix(p, "runtime_") || strings.HasPrefix(p, "internal_") || p == "sync" || strings.HasPrefix(p, "sync_"):
		return "Go runtime (runtime, internal/*, sync)"
	case strings.HasPrefix(p, "crypto") || strings.HasPrefix(p, "vendor_golang.org_x_crypto"):
		return "std crypto"
	default:
		return "other std"
	}
}

func kb(n int) string { return fmt.Sprintf("%8.1f KB", float64(n)/1000) }

func printModule(m *module, top int) {
	fmt.Printf("module %s (%d functions, code %s, data %s)\n", kb(m.size), len(m.funcs), kb(m.code()), kb(m.data))
	for _, s := range m.sections {
		fmt.Printf("  section %-20s %s\n", s.name, kb(s.size))
	}
	pp := m.perPackage()
	groups := map[string]int{}
	for p, n := range pp {
		groups[group(p)] += n
	}
	fmt.Println("code by group:")
	for _, g := range sortedKeys(groups, groups) {
		fmt.Printf("  %-40s %s\n", g, kb(groups[g]))
	}
	fmt.Println("code by package:")
	for i, p := range sortedKeys(pp, pp) {
		if top > 0 && i >= top {
			break
		}
		fmt.Printf("  %-60s %s\n", strings.TrimPrefix(p, repoPrefix), kb(pp[p]))
	}
}

func printDiff(before, after *module, top int) {
	fmt.Printf("module %s → %s (%+d B); code %s → %s (%+d B); data %s → %s (%+d B)\n",
		kb(before.size), kb(after.size), after.size-before.size,
		kb(before.code()), kb(after.code()), after.code()-before.code(),
		kb(before.data), kb(after.data), after.data-before.data)
	b, a := before.perPackage(), after.perPackage()
	d := map[string]int{}
	for p, n := range a {
		d[p] = n - b[p]
	}
	for p, n := range b {
		if _, ok := a[p]; !ok {
			d[p] = -n
		}
	}
	abs := map[string]int{}
	for p, n := range d {
		if n < 0 {
			n = -n
		}
		abs[p] = n
	}
	for i, p := range sortedKeys(abs, abs) {
		if (top > 0 && i >= top) || abs[p] == 0 {
			break
		}
		fmt.Printf("  %-60s %s → %s (%+d B)\n", strings.TrimPrefix(p, repoPrefix), kb(b[p]), kb(a[p]), d[p])
	}
}

// checkForbidden reports, for each listed package (or package prefix
// ending in '_'), whether the module has code from it, and returns false if
// any has.
func checkForbidden(m *module, pkgs []string) bool {
	ok := true
	pp := m.perPackage()
	for _, want := range pkgs {
		for p, n := range pp {
			if p == want || (strings.HasSuffix(want, "_") && strings.HasPrefix(p, want)) {
				fmt.Printf("wasmsize: %s has %d bytes of code in the module (forbidden: %s)\n", p, n, want)
				ok = false
			}
		}
	}
	if ok {
		fmt.Printf("wasmsize: none of %s in the module\n", strings.Join(pkgs, ", "))
	}
	return ok
}

func printFuncs(m *module, sub string, top int) {
	var fs []fn
	for _, f := range m.funcs {
		if strings.Contains(pkgOf(f.name), sub) {
			fs = append(fs, f)
		}
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].size > fs[j].size })
	for i, f := range fs {
		if top > 0 && i >= top {
			break
		}
		fmt.Printf("  %-90s %7d B\n", f.name, f.size)
	}
}

func sortedKeys(m map[string]int, by map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		if by[ks[i]] != by[ks[j]] {
			return by[ks[i]] > by[ks[j]]
		}
		return ks[i] < ks[j]
	})
	return ks
}

// reader decodes the LEB128 integers and names of the binary format.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) byte() byte {
	if r.off >= len(r.b) {
		r.err = io.ErrUnexpectedEOF
		return 0
	}
	c := r.b[r.off]
	r.off++
	return c
}

func (r *reader) uleb() uint64 {
	v, n := binary.Uvarint(r.b[min(r.off, len(r.b)):])
	if n <= 0 {
		r.err = io.ErrUnexpectedEOF
		r.off = len(r.b)
		return 0
	}
	r.off += n
	return v
}

func (r *reader) name() string {
	n := int(r.uleb())
	if r.off+n > len(r.b) {
		r.err = io.ErrUnexpectedEOF
		r.off = len(r.b)
		return ""
	}
	s := string(r.b[r.off : r.off+n])
	r.off += n
	return s
}
