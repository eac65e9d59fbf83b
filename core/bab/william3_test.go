package bab

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/willow-web/willow-web/internal/testvectors"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKnownDigests(t *testing.T) {
	cases := []struct {
		in   []byte
		want string
	}{
		{nil, "96d34c5478458231e364767952aaea02a31d2203c66f4365692ef91f351068d2"},
		{[]byte{0, 1, 2, 3, 4}, "79118e7d767ff06599a4f950ff0249596f09da3cb1961f2f7be439415ac261d6"},
	}
	for _, c := range cases {
		if got := Sum(c.in).String(); got != c.want {
			t.Errorf("Sum(%v) = %s, want %s", c.in, got, c.want)
		}
		h := New()
		h.Write(c.in)
		if got := hex.EncodeToString(h.Sum(nil)); got != c.want {
			t.Errorf("Hasher(%v) = %s, want %s", c.in, got, c.want)
		}
	}
}

// parseDecimalList parses "[1, 2, 3]".
func parseDecimalList(t *testing.T, s string) []byte {
	t.Helper()
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
		t.Fatalf("not a list: %.40q", s)
	}
	s = strings.TrimSpace(s[1 : len(s)-1])
	if s == "" {
		return []byte{}
	}
	parts := strings.Split(s, ",")
	out := make([]byte, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseUint(strings.TrimSpace(p), 10, 8)
		if err != nil {
			t.Fatalf("bad byte %q: %v", p, err)
		}
		out[i] = byte(v)
	}
	return out
}

func TestBabRsVectors(t *testing.T) {
	dir := testvectors.Dir(t, "bab")
	f, err := os.Open(filepath.Join(dir, "william3-bab_rs-0.8.0.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var lines []string
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "input (") {
			continue
		}
		if i+3 >= len(lines) || lines[i+2] != "digest:" {
			t.Fatalf("malformed vector at line %d", i)
		}
		var wantLen int
		if _, err := fmtSscanf(lines[i], &wantLen); err != nil {
			t.Fatalf("header %q: %v", lines[i], err)
		}
		in := parseDecimalList(t, lines[i+1])
		if len(in) != wantLen {
			t.Fatalf("vector %d: %d bytes, header says %d", n, len(in), wantLen)
		}
		want := parseDecimalList(t, lines[i+3])
		if got := Sum(in); !bytes.Equal(got[:], want) {
			t.Errorf("vector %d (%d bytes): got %x, want %x", n, len(in), got, want)
		}
		n++
	}
	if n != 18 {
		t.Fatalf("found %d vectors, want 18", n)
	}
	t.Logf("%d bab_rs vectors checked", n)
}

func fmtSscanf(line string, n *int) (int, error) {
	s := strings.TrimPrefix(line, "input (")
	s, _, _ = strings.Cut(s, " ")
	v, err := strconv.Atoi(s)
	*n = v
	return 1, err
}

func TestReferenceFixture(t *testing.T) {
	dir := testvectors.Dir(t, "rust-reference-fixtures", "william3")
	raw, err := os.ReadFile(filepath.Join(dir, "digests.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		ChunkSize   int `json:"chunk_size"`
		DigestWidth int `json:"digest_width"`
		Cases       []struct {
			Name   string `json:"name"`
			Input  string `json:"input_hex"`
			Digest string `json:"digest_hex"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	if fx.ChunkSize != ChunkSize || fx.DigestWidth != DigestSize {
		t.Fatalf("fixture parameters %d/%d", fx.ChunkSize, fx.DigestWidth)
	}
	if len(fx.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range fx.Cases {
		in := mustHex(t, c.Input)
		if got := Sum(in).String(); got != c.Digest {
			t.Errorf("%s: got %s, want %s", c.Name, got, c.Digest)
		}
	}
	t.Logf("%d fixture cases checked", len(fx.Cases))
}

// lengths returns interesting input lengths up to max.
func interestingLengths(rng *rand.Rand, max, random int) []int {
	var ls []int
	for _, base := range []int{0, 1, 63, 64, 65, 127, 128, 1023, 1024, 1025, 2047, 2048, 2049, 3072, 3073, 4096, 4097, 5120, 8192, 9216, 16384, 17408} {
		for d := -1; d <= 1; d++ {
			if l := base + d; l >= 0 && l <= max {
				ls = append(ls, l)
			}
		}
	}
	for i := 0; i < random; i++ {
		ls = append(ls, rng.IntN(max+1))
	}
	return ls
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func TestHasherSplits(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	rounds := 200
	if testing.Short() {
		rounds = 40
	}
	for _, n := range interestingLengths(rng, 20*1024, rounds) {
		data := randomBytes(rng, n)
		want := Sum(data)
		h := New()
		for rest := data; len(rest) > 0; {
			k := 1 + rng.IntN(min(len(rest), []int{1, 64, 1100, 5000}[rng.IntN(4)]))
			h.Write(rest[:k])
			rest = rest[k:]
			if rng.IntN(8) == 0 {
				// Sum in the middle must not disturb the state.
				_ = h.Digest()
			}
		}
		if got := h.Digest(); got != want {
			t.Fatalf("len %d: split hasher %s, one-shot %s", n, got, want)
		}
		if h.Len() != uint64(n) {
			t.Fatalf("Len %d, want %d", h.Len(), n)
		}
		// Digest at a prefix and continue writing.
		cut := rng.IntN(n + 1)
		h.Reset()
		h.Write(data[:cut])
		if got, w := h.Digest(), Sum(data[:cut]); got != w {
			t.Fatalf("prefix %d of %d: %s, want %s", cut, n, got, w)
		}
		h.WriteString(string(data[cut:]))
		if got := h.Digest(); got != want {
			t.Fatalf("continue after Sum at %d of %d: %s, want %s", cut, n, got, want)
		}
	}
}

func TestKeyedDiffers(t *testing.T) {
	var key [KeySize]byte
	for i := range key {
		key[i] = byte(i)
	}
	data := []byte("hello world")
	a, b := SumKeyed(key, data), Sum(data)
	if a == b {
		t.Fatal("keyed equals unkeyed")
	}
	h := NewKeyed(key)
	h.Write(data[:3])
	h.Write(data[3:])
	if h.Digest() != a {
		t.Fatal("keyed hasher differs from SumKeyed")
	}
	// A key equal to the IV words without the flag is still different,
	// because chunk blocks carry KEYED_HASH.
	var ivKey [KeySize]byte
	for i, w := range william3IV() {
		ivKey[4*i], ivKey[4*i+1], ivKey[4*i+2], ivKey[4*i+3] = byte(w), byte(w>>8), byte(w>>16), byte(w>>24)
	}
	if SumKeyed(ivKey, data) == b {
		t.Fatal("keyed mode does not set KEYED_HASH")
	}
}

func TestHashNoAllocs(t *testing.T) {
	data := make([]byte, 100*1024+17)
	if n := testing.AllocsPerRun(5, func() { Sum(data) }); n != 0 {
		t.Errorf("Sum: %v allocations", n)
	}
	h := New()
	if n := testing.AllocsPerRun(5, func() { h.Write(data[:3000]); h.Digest() }); n != 0 {
		t.Errorf("Hasher: %v allocations", n)
	}
}

// treeLabel computes the label of the chunks [lo, hi) of data recursively,
// one chunk and one inner vertex at a time: a reference for the Hasher that
// does not share its batched chunk path.
func treeLabel(m *mode, data []byte, g geometry, lo, hi uint64) Digest {
	if hi-lo == 1 {
		start := lo * ChunkSize
		return m.hashChunk(data[start:start+uint64(g.chunkLen(lo))], lo, g.isRoot(lo, hi))
	}
	s := split(lo, hi)
	l, r := treeLabel(m, data, g, lo, s), treeLabel(m, data, g, s, hi)
	return m.hashInner(&l, &r, g.bytes(lo, hi), g.isRoot(lo, hi))
}

// TestHasherMatchesTree checks Sum, SumKeyed and the incremental Hasher (which
// compress full chunks in batches) against treeLabel on lengths around chunk
// and batch boundaries and up to several MiB.
func TestHasherMatchesTree(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var key [KeySize]byte
	copy(key[:], randomBytes(rng, KeySize))
	big := 3*1024*1024 + 517
	if testing.Short() {
		big = 1024*1024 + 517
	}
	data := randomBytes(rng, big)
	lengths := []int{0, 1, 63, 64, 65, 1023, 1024, 1025, 2047, 2048, 2049, 3 * 1024,
		chunkBatch*ChunkSize - 1, chunkBatch * ChunkSize, chunkBatch*ChunkSize + 1,
		(chunkBatch+1)*ChunkSize + 1, 100*ChunkSize + 7, 1 << 20, 1<<20 + 1, big}
	for _, n := range lengths {
		g := newGeometry(uint64(n))
		plain, keyed := william3Mode(), william3KeyedMode(&key)
		want := treeLabel(&plain, data[:n], g, 0, g.chunks)
		wantKeyed := treeLabel(&keyed, data[:n], g, 0, g.chunks)
		if got := Sum(data[:n]); got != want {
			t.Fatalf("len %d: Sum %s, tree %s", n, got, want)
		}
		if got := SumKeyed(key, data[:n]); got != wantKeyed {
			t.Fatalf("len %d: SumKeyed %s, tree %s", n, got, wantKeyed)
		}
		h := New()
		for rest := data[:n]; len(rest) > 0; {
			k := 1 + rng.IntN(min(len(rest), []int{100, 5000, 64 * 1024, 300 * 1024}[rng.IntN(4)]))
			h.Write(rest[:k])
			rest = rest[k:]
		}
		if got := h.Digest(); got != want {
			t.Fatalf("len %d: split hasher %s, tree %s", n, got, want)
		}
	}
}
