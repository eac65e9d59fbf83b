package meadowcap

import (
	"testing"

	"github.com/willow-web/willow-web/core/codec"
)

func benchToken(b *testing.B, owned bool, n int) (AuthorisationToken, chain) {
	ch := buildChain(b, newKeys(41), owned, Write, n)
	tok, err := Authorise(ch.entry, ch.cap, ch.receiverSecret())
	if err != nil {
		b.Fatal(err)
	}
	return tok, ch
}

func benchmarkIsAuthorisedWrite(b *testing.B, owned bool, n int) {
	tok, ch := benchToken(b, owned, n)
	b.ReportAllocs()
	for b.Loop() {
		if !IsAuthorisedWrite(ch.entry, tok) {
			b.Fatal("not authorised")
		}
	}
}

func BenchmarkIsAuthorisedWriteCommunal0(b *testing.B) { benchmarkIsAuthorisedWrite(b, false, 0) }
func BenchmarkIsAuthorisedWriteCommunal3(b *testing.B) { benchmarkIsAuthorisedWrite(b, false, 3) }
func BenchmarkIsAuthorisedWriteOwned0(b *testing.B)    { benchmarkIsAuthorisedWrite(b, true, 0) }
func BenchmarkIsAuthorisedWriteOwned3(b *testing.B)    { benchmarkIsAuthorisedWrite(b, true, 3) }

func BenchmarkEncodeMcCapability3(b *testing.B) {
	_, ch := benchToken(b, true, 3)
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = AppendEncodeMcCapability(buf[:0], ch.cap); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkDecodeMcCapability3(b *testing.B) {
	_, ch := benchToken(b, true, 3)
	code, err := EncodeMcCapability(ch.cap)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(code)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeMcCapability(codec.NewDecoder(code, codec.Canonic)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeTokenRelative3(b *testing.B) {
	tok, ch := benchToken(b, true, 3)
	prior := DefaultAuthorisationToken()
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = AppendEncodeTokenRelative(buf[:0], tok, prior, ch.entry); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkDecodeTokenRelative3(b *testing.B) {
	tok, ch := benchToken(b, true, 3)
	prior := DefaultAuthorisationToken()
	code, err := AppendEncodeTokenRelative(nil, tok, prior, ch.entry)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(code)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeTokenRelative(codec.NewDecoder(code, codec.Relation), prior, ch.entry); err != nil {
			b.Fatal(err)
		}
	}
}
