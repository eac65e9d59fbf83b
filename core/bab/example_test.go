package bab_test

import (
	"bytes"
	"fmt"

	"github.com/willow-web/willow-web/core/bab"
)

func ExampleSum() {
	fmt.Println(bab.Sum([]byte{0, 1, 2, 3, 4}))
	// Output: 79118e7d767ff06599a4f950ff0249596f09da3cb1961f2f7be439415ac261d6
}

func ExampleNewVerifier() {
	payload := bytes.Repeat([]byte("willow"), 1000) // 6000 bytes, 6 chunks
	digest := bab.Sum(payload)
	slice := bab.Slice{Start: 2, Count: 3}

	// The sender produces the stream of chunks 2..4 ...
	stream, err := bab.AppendSliceStream(nil, payload, slice, bab.Options{Light: true})
	if err != nil {
		panic(err)
	}

	// ... and the receiver, knowing only digest and length, verifies it in
	// pieces, receiving each chunk once it is verified.
	var got []byte
	v, err := bab.NewVerifier(bab.VerifierConfig{
		Digest: digest, Length: uint64(len(payload)), Slice: slice, Options: bab.Options{Light: true},
		OnChunk: func(i uint64, chunk []byte) error {
			got = append(got, chunk...)
			return nil
		},
	})
	if err != nil {
		panic(err)
	}
	for len(stream) > 0 {
		n := min(len(stream), 500)
		if _, err := v.Write(stream[:n]); err != nil {
			panic(err)
		}
		stream = stream[n:]
	}
	fmt.Println(v.Close(), len(got), bytes.Equal(got, payload[2048:5120]))
	// Output: <nil> 3072 true
}
