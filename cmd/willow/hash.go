package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/willow-web/willow-web/core/bab"
)

// hashUsage is the help text of the hash command.
const hashUsage = "hash [--keyed HEX] [FILE|-]...   WILLIAM3 digest of each input (like b3sum; - or nothing: stdin)"

// runHash prints "<hex digest>  <name>" for every input, reading each one in
// a stream with constant memory.
func runHash(args []string, stdin io.Reader, stdout io.Writer) error {
	var key *[bab.KeySize]byte
	var names []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			names = append(names, args[i+1:]...)
			i = len(args)
		case a == "--keyed" || strings.HasPrefix(a, "--keyed="):
			val, ok := strings.CutPrefix(a, "--keyed=")
			if !ok {
				if i+1 == len(args) {
					return errors.New("--keyed needs a 64-digit hex key")
				}
				i++
				val = args[i]
			}
			k, err := parseKey(val)
			if err != nil {
				return err
			}
			key = k
		case strings.HasPrefix(a, "-") && a != "-":
			return fmt.Errorf("unknown option %q (usage: willow hash [--keyed HEX] [FILE|-]...)", a)
		default:
			names = append(names, a)
		}
	}
	if len(names) == 0 {
		names = []string{"-"}
	}
	for _, name := range names {
		d, err := hashInput(name, key, stdin)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(stdout, "%s  %s\n", d, name); err != nil {
			return err
		}
	}
	return nil
}

// parseKey decodes a 32-byte key given as 64 hex digits.
func parseKey(s string) (*[bab.KeySize]byte, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != bab.KeySize {
		return nil, fmt.Errorf("--keyed: want %d hex digits, got %q", 2*bab.KeySize, s)
	}
	var k [bab.KeySize]byte
	copy(k[:], b)
	return &k, nil
}

// hashInput hashes the file called name, or stdin for "-".
func hashInput(name string, key *[bab.KeySize]byte, stdin io.Reader) (bab.Digest, error) {
	h := bab.New()
	if key != nil {
		h = bab.NewKeyed(*key)
	}
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return bab.Digest{}, err
		}
		defer f.Close()
		r = f
	}
	buf := make([]byte, 64<<10)
	if _, err := io.CopyBuffer(h, readerOnly{r}, buf); err != nil {
		return bab.Digest{}, fmt.Errorf("reading %s: %w", name, err)
	}
	return h.Digest(), nil
}

// readerOnly hides WriterTo/ReaderFrom so io.CopyBuffer uses the buffer.
type readerOnly struct{ io.Reader }
