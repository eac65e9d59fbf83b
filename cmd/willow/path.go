package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/path"
)

// pathUsage is the help text of the path command.
const pathUsage = "path encode           read a JSON array of hex components on stdin, print the hex of EncodePath\n" +
	"  path decode HEX       print the canonic EncodePath code HEX as a JSON array of hex components"

func runPath(args []string, stdin io.Reader, stdout io.Writer) error {
	return runCodec(args, stdin, stdout, codecCommand[path.Path]{
		input: "a JSON array of hex components",
		read: func(r io.Reader) (path.Path, error) {
			var raw []json.RawMessage
			if err := encReadJSON(r, &raw, "a JSON array of hex components"); err != nil {
				return path.Path{}, err
			}
			return encPathFromJSON(raw)
		},
		encode: path.Encode,
		decode: path.Decode,
		json:   func(p path.Path) any { return encComponentsToHex(p) },
	})
}

// codecCommand describes the encode and decode subcommands of one value
// type: encode reads the value as JSON on stdin and prints the hex of its
// canonic code; decode prints the JSON of the canonic code given in hex.
type codecCommand[T any] struct {
	input  string // what encode reads on stdin, for messages
	read   func(io.Reader) (T, error)
	encode func(T) []byte
	decode func(*codec.Decoder) (T, error)
	json   func(T) any
}

// runCodec runs "encode" or "decode" as c describes.
func runCodec[T any](args []string, stdin io.Reader, stdout io.Writer, c codecCommand[T]) error {
	if len(args) == 0 {
		return errors.New("missing subcommand: encode or decode")
	}
	switch args[0] {
	case "encode":
		if len(args) != 1 {
			return fmt.Errorf("encode takes no arguments (it reads %s on stdin)", c.input)
		}
		v, err := c.read(stdin)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(stdout, hex.EncodeToString(c.encode(v)))
		return err
	case "decode":
		code, err := encHexArg(args[1:])
		if err != nil {
			return err
		}
		d := codec.NewDecoder(code, codec.Canonic)
		v, err := c.decode(d)
		if err != nil {
			return err
		}
		if err := encRequireEnd(d); err != nil {
			return err
		}
		out, err := json.Marshal(c.json(v))
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(stdout, string(out))
		return err
	}
	return fmt.Errorf("unknown subcommand %q: want encode or decode", args[0])
}

// encHexArg returns the bytes of the one hex argument of a decode command.
func encHexArg(args []string) ([]byte, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("decode takes exactly one argument, the code in hex (got %d)", len(args))
	}
	s := strings.TrimSpace(args[0])
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("the code is not hex: %v", err)
	}
	return b, nil
}

// encRequireEnd fails if a decoder has bytes left after the code.
func encRequireEnd(d *codec.Decoder) error {
	if n := d.Remaining(); n > 0 {
		return fmt.Errorf("%d trailing byte(s) after the code at byte %d", n, d.Offset())
	}
	return nil
}

// encReadJSON decodes exactly one JSON value from r into v. A null, an
// empty input, or anything after the value is an error.
func encReadJSON(r io.Reader, v any, what string) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("reading stdin: %v", err)
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return fmt.Errorf("stdin is empty, want %s", what)
	}
	if string(trimmed) == "null" {
		return fmt.Errorf("stdin is null, want %s", what)
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("stdin is not %s: %v", what, err)
	}
	if dec.InputOffset() != int64(len(trimmed)) {
		return fmt.Errorf("stdin has more after %s", what)
	}
	return nil
}

// encPathFromJSON builds a path from JSON strings of hex components.
func encPathFromJSON(raw []json.RawMessage) (path.Path, error) {
	comps := make([][]byte, len(raw))
	for i, r := range raw {
		var s string
		if bytes.HasPrefix(r, []byte("null")) || json.Unmarshal(r, &s) != nil {
			return path.Path{}, fmt.Errorf("path component %d is %s, want a hex string", i, r)
		}
		c, err := hex.DecodeString(s)
		if err != nil {
			return path.Path{}, fmt.Errorf("path component %d is not hex: %v", i, err)
		}
		comps[i] = c
	}
	p, err := path.New(comps...)
	if err != nil {
		return path.Path{}, fmt.Errorf("invalid path: %v", err)
	}
	return p, nil
}

// encComponentsToHex lists p's components in hex (an empty list, never nil).
func encComponentsToHex(p path.Path) []string {
	out := make([]string, p.Len())
	for i := range out {
		out[i] = hex.EncodeToString(p.Component(i))
	}
	return out
}
