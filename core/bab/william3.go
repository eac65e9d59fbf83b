package bab

import (
	"encoding/binary"
	"encoding/hex"

	"github.com/willow-web/willow-web/core/bab/internal/compress"
)

// Sizes of WILLIAM3.
const (
	// ChunkSize is the number of payload bytes in every chunk but the last.
	ChunkSize = 1024
	// DigestSize is the size of a digest and of every tree label in bytes.
	DigestSize = 32
	// KeySize is the size of a key for the keyed mode in bytes.
	KeySize = 32
)

// A Digest is a WILLIAM3 digest. The same type holds the label of any vertex
// of the Merkle tree; the digest of a string is the label of its root.
type Digest [DigestSize]byte

// String returns the digest in lowercase hexadecimal.
func (d Digest) String() string { return hex.EncodeToString(d[:]) }

// william3IV returns the WILLIAM3 constants, the little-endian words of
// BLAKE3("WILLIAM3").
func william3IV() [8]uint32 {
	return [8]uint32{
		0xc88f633b, 0x4168fbf2, 0x6ba32583, 0xb0ff1847,
		0xac57e47d, 0xa8931330, 0x796a4645, 0x6b28a3ee,
	}
}

// blake3IV returns the BLAKE3 constants (those of SHA-256). Only the BLAKE3
// mode used to test the tree code against BLAKE3 needs them.
func blake3IV() [8]uint32 {
	return [8]uint32{
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	}
}

// mode selects the parameters of the tree hash: WILLIAM3 (plain or keyed),
// or, for differential testing only, BLAKE3.
type mode struct {
	key         [8]uint32 // chaining value every chunk and parent starts from
	iv          [8]uint32 // constants for state words 8..11
	chunkFlags  uint32    // flags added to every chunk block
	parentFlags uint32    // flags added to every parent compression
	blake3      bool      // BLAKE3 counters: chunk index, and 0 for parents
}

// william3Mode returns the parameters of unkeyed WILLIAM3.
func william3Mode() mode {
	return mode{key: william3IV(), iv: william3IV()}
}

// william3KeyedMode returns the parameters of keyed WILLIAM3. As in bab_rs,
// the KEYED_HASH flag is set on chunk blocks only, not on parents.
func william3KeyedMode(key *[KeySize]byte) mode {
	return mode{key: keyWords(key), iv: william3IV(), chunkFlags: compress.KeyedHash}
}

// keyWords reads a key as eight little-endian words, like BLAKE3.
func keyWords(key *[KeySize]byte) [8]uint32 {
	var w [8]uint32
	for i := range w {
		w[i] = binary.LittleEndian.Uint32(key[4*i:])
	}
	return w
}

// words2digest writes a chaining value as little-endian bytes.
func words2digest(cv *[8]uint32) Digest {
	var d Digest
	for i, w := range cv {
		binary.LittleEndian.PutUint32(d[4*i:], w)
	}
	return d
}

// digest2words reads a digest as little-endian words.
func digest2words(d *Digest) [8]uint32 {
	var w [8]uint32
	for i := range w {
		w[i] = binary.LittleEndian.Uint32(d[4*i:])
	}
	return w
}

// Sum returns the WILLIAM3 digest of data.
func Sum(data []byte) Digest {
	if len(data) <= ChunkSize {
		m := william3Mode()
		return m.hashChunk(data, 0, true)
	}
	var h Hasher
	h.reset(william3Mode())
	h.write(data)
	return h.Digest()
}

// SumKeyed returns the keyed WILLIAM3 digest of data under key. The key is
// read as eight little-endian words, as in BLAKE3's keyed mode.
func SumKeyed(key [KeySize]byte, data []byte) Digest {
	if len(data) <= ChunkSize {
		m := william3KeyedMode(&key)
		return m.hashChunk(data, 0, true)
	}
	var h Hasher
	h.reset(william3KeyedMode(&key))
	h.write(data)
	return h.Digest()
}

// hashInner returns the label of an inner vertex from the labels of its
// children, the number of bytes it covers and whether it is the root.
func (m *mode) hashInner(left, right *Digest, length uint64, root bool) Digest {
	var block [compress.BlockLen]byte
	copy(block[:DigestSize], left[:])
	copy(block[DigestSize:], right[:])
	cv := m.key
	m.parent(&cv, &block, length, root)
	return words2digest(&cv)
}

// parent compresses a parent block (two child chaining values) into cv, which
// must hold the key on entry.
func (m *mode) parent(cv *[8]uint32, block *[compress.BlockLen]byte, length uint64, root bool) {
	flags := compress.Parent | m.parentFlags
	if root {
		flags |= compress.Root
	}
	counter := length
	if m.blake3 {
		counter = 0
	}
	compress.Block(cv, &m.iv, block, counter, compress.BlockLen, flags)
}

// parentCV combines two chaining values given as words.
func (m *mode) parentCV(left, right *[8]uint32, length uint64, root bool) [8]uint32 {
	var block [compress.BlockLen]byte
	for i := 0; i < 8; i++ {
		binary.LittleEndian.PutUint32(block[4*i:], left[i])
		binary.LittleEndian.PutUint32(block[DigestSize+4*i:], right[i])
	}
	cv := m.key
	m.parent(&cv, &block, length, root)
	return cv
}

// hashChunk returns the label of one chunk (at most ChunkSize bytes) with the
// given index in the string.
func (m *mode) hashChunk(chunk []byte, index uint64, root bool) Digest {
	cv := m.chunkCV(chunk, index, root)
	return words2digest(&cv)
}

// chunkCVs hashes the len(out) full, non-root chunks at the start of data,
// the first with the given index, into their chaining values.
func (m *mode) chunkCVs(data []byte, index uint64, out [][8]uint32) {
	p := compress.ChunkParams{
		Key:   m.key,
		IV:    [4]uint32{m.iv[0], m.iv[1], m.iv[2], m.iv[3]},
		Flags: m.chunkFlags,
	}
	if m.blake3 {
		p.Counter, p.Step = index, 1
	}
	compress.Chunks(&p, data, out)
}

// chunkCV hashes one complete chunk (at most ChunkSize bytes) and returns its
// chaining value. An empty chunk is one empty, zero-filled block.
func (m *mode) chunkCV(chunk []byte, index uint64, root bool) [8]uint32 {
	if len(chunk) == ChunkSize && !root {
		// A full, non-root chunk: one call into compress.Chunks, which the
		// willowfast build runs in its fast compression module.
		var out [1][8]uint32
		m.chunkCVs(chunk, index, out[:])
		return out[0]
	}
	cv := m.key
	counter := uint64(0)
	if m.blake3 {
		counter = index
	}
	flags := m.chunkFlags | compress.ChunkStart
	for len(chunk) > compress.BlockLen {
		compress.Block(&cv, &m.iv, (*[compress.BlockLen]byte)(chunk[:compress.BlockLen]), counter, compress.BlockLen, flags)
		chunk = chunk[compress.BlockLen:]
		flags = m.chunkFlags
	}
	flags |= compress.ChunkEnd
	if root {
		flags |= compress.Root
	}
	if len(chunk) == compress.BlockLen {
		compress.Block(&cv, &m.iv, (*[compress.BlockLen]byte)(chunk), counter, compress.BlockLen, flags)
		return cv
	}
	var last [compress.BlockLen]byte
	copy(last[:], chunk)
	compress.Block(&cv, &m.iv, &last, counter, uint32(len(chunk)), flags)
	return cv
}
