package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
)

// entryUsage is the help text of the entry command.
const entryUsage = "entry encode          read an entry as JSON on stdin, print the hex of EncodeEntry\n" +
	"  entry decode HEX      print the canonic EncodeEntry code HEX as JSON:\n" +
	`                        {"namespace_id","subspace_id","path":[hex…],"timestamp","payload_length","payload_digest"}`

// entryJSON is the JSON form of an entry that entry decode prints. Ids and
// the digest are hex; timestamp and payload length are exact JSON integers.
type entryJSON struct {
	NamespaceID   string   `json:"namespace_id"`
	SubspaceID    string   `json:"subspace_id"`
	Path          []string `json:"path"`
	Timestamp     uint64   `json:"timestamp"`
	PayloadLength uint64   `json:"payload_length"`
	PayloadDigest string   `json:"payload_digest"`
}

// entryFields are the keys entry encode requires, exactly.
func entryFields() []string {
	return []string{"namespace_id", "subspace_id", "path", "timestamp", "payload_length", "payload_digest"}
}

func runEntry(args []string, stdin io.Reader, stdout io.Writer) error {
	return runCodec(args, stdin, stdout, codecCommand[entry.Entry]{
		input: "the entry as JSON",
		read: func(r io.Reader) (entry.Entry, error) {
			var obj map[string]json.RawMessage
			if err := encReadJSON(r, &obj, "a JSON object"); err != nil {
				return entry.Entry{}, err
			}
			return entryFromJSON(obj)
		},
		encode: entry.Encode,
		decode: entry.Decode,
		json:   func(e entry.Entry) any { return jsonOfEntry(e) },
	})
}

// entryFromJSON checks that obj has exactly the entry keys (spelt exactly;
// encoding/json alone would match keys case-insensitively and ignore
// unknown ones) and builds the entry.
func entryFromJSON(obj map[string]json.RawMessage) (entry.Entry, error) {
	var unknown []string
	for k := range obj {
		if !slices.Contains(entryFields(), k) {
			unknown = append(unknown, strconv.Quote(k))
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return entry.Entry{}, fmt.Errorf("unknown field(s) %s; an entry has %s", strings.Join(unknown, ", "), strings.Join(entryFields(), ", "))
	}
	for _, k := range entryFields() {
		if v, ok := obj[k]; !ok || string(v) == "null" {
			return entry.Entry{}, fmt.Errorf("missing field %q", k)
		}
	}

	var e entry.Entry
	var err error
	str := func(k string) (string, error) {
		var s string
		if err := json.Unmarshal(obj[k], &s); err != nil {
			return "", fmt.Errorf("%s is %s, want a hex string", k, obj[k])
		}
		return s, nil
	}
	s, err := str("namespace_id")
	if err != nil {
		return entry.Entry{}, err
	}
	if e.NamespaceID, err = ids.ParseNamespaceID(s); err != nil {
		return entry.Entry{}, err
	}
	if s, err = str("subspace_id"); err != nil {
		return entry.Entry{}, err
	}
	if e.SubspaceID, err = ids.ParseSubspaceID(s); err != nil {
		return entry.Entry{}, err
	}
	if s, err = str("payload_digest"); err != nil {
		return entry.Entry{}, err
	}
	if e.PayloadDigest, err = ids.ParsePayloadDigest(s); err != nil {
		return entry.Entry{}, err
	}
	var comps []json.RawMessage
	if err := json.Unmarshal(obj["path"], &comps); err != nil {
		return entry.Entry{}, fmt.Errorf("path is %s, want an array of hex strings", obj["path"])
	}
	if e.Path, err = encPathFromJSON(comps); err != nil {
		return entry.Entry{}, err
	}
	ts, err := entryU64(obj, "timestamp")
	if err != nil {
		return entry.Entry{}, err
	}
	e.Timestamp = entry.Timestamp(ts)
	if e.PayloadLength, err = entryU64(obj, "payload_length"); err != nil {
		return entry.Entry{}, err
	}
	return e, nil
}

// entryU64 reads a u64 given as a JSON number or as a string of decimal
// digits (u64 exceeds the integers JSON readers can hold exactly, so some
// tools write big ones as strings). It never goes through a float.
func entryU64(obj map[string]json.RawMessage, k string) (uint64, error) {
	var n json.Number
	if err := json.Unmarshal(obj[k], &n); err != nil {
		return 0, fmt.Errorf("%s is %s, want an integer 0..18446744073709551615", k, obj[k])
	}
	v, err := strconv.ParseUint(n.String(), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is %s, want an integer 0..18446744073709551615", k, obj[k])
	}
	return v, nil
}

// jsonOfEntry is the JSON form of e.
func jsonOfEntry(e entry.Entry) entryJSON {
	return entryJSON{
		NamespaceID:   hex.EncodeToString(e.NamespaceID[:]),
		SubspaceID:    hex.EncodeToString(e.SubspaceID[:]),
		Path:          encComponentsToHex(e.Path),
		Timestamp:     uint64(e.Timestamp),
		PayloadLength: e.PayloadLength,
		PayloadDigest: hex.EncodeToString(e.PayloadDigest[:]),
	}
}
