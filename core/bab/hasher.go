package bab

import (
	"github.com/willow-web/willow-web/core/bab/internal/compress"
)

// blocksPerChunk is the number of compression blocks in a full chunk.
const blocksPerChunk = ChunkSize / compress.BlockLen

// chunkBatch is the number of full chunks the Hasher compresses in one call.
const chunkBatch = 32

// maxStack bounds the number of pending subtree chaining values: a string of
// at most 2^64-1 bytes has fewer than 2^54 chunks.
const maxStack = 56

// A Hasher computes a WILLIAM3 digest incrementally. It implements
// [hash.Hash]: write any amount of data in pieces of any size, ask for the
// digest at any time and keep writing afterwards. Its memory use is constant
// (about 2 KiB) whatever the input length. The zero value is not usable; call
// [New] or [NewKeyed].
type Hasher struct {
	m mode

	stack  [maxStack][8]uint32 // chaining values of complete subtrees, largest first
	depth  int                 // used entries of stack
	chunks uint64              // complete chunks folded into stack

	cv      [8]uint32               // chaining value of the current chunk so far
	buf     [compress.BlockLen]byte // current, not yet compressed block
	bufLen  int                     // bytes used in buf
	blocks  int                     // blocks of the current chunk already compressed
	written uint64                  // total bytes written
}

// New returns a Hasher for unkeyed WILLIAM3.
func New() *Hasher {
	h := new(Hasher)
	h.reset(william3Mode())
	return h
}

// NewKeyed returns a Hasher for keyed WILLIAM3 under key (read as eight
// little-endian words, as in BLAKE3).
func NewKeyed(key [KeySize]byte) *Hasher {
	h := new(Hasher)
	h.reset(william3KeyedMode(&key))
	return h
}

// newMode returns a Hasher for arbitrary tree parameters (tests use it for
// the BLAKE3 mode).
func newMode(m mode) *Hasher {
	h := new(Hasher)
	h.reset(m)
	return h
}

func (h *Hasher) reset(m mode) {
	*h = Hasher{m: m}
	h.cv = m.key
}

// Reset forgets all input, keeping the key.
func (h *Hasher) Reset() { h.reset(h.m) }

// Size returns DigestSize.
func (h *Hasher) Size() int { return DigestSize }

// BlockSize returns the size of a compression block, 64 bytes.
func (h *Hasher) BlockSize() int { return compress.BlockLen }

// Len returns the number of bytes written so far.
func (h *Hasher) Len() uint64 { return h.written }

// Write adds p to the input. It never fails.
func (h *Hasher) Write(p []byte) (int, error) {
	h.write(p)
	return len(p), nil
}

// WriteString adds s to the input. It never fails.
func (h *Hasher) WriteString(s string) (int, error) {
	var tmp [ChunkSize]byte
	n := len(s)
	for len(s) > 0 {
		c := copy(tmp[:], s)
		h.write(tmp[:c])
		s = s[c:]
	}
	return n, nil
}

func (h *Hasher) write(p []byte) {
	h.written += uint64(len(p))
	for len(p) > 0 {
		if h.blocks == blocksPerChunk-1 && h.bufLen == compress.BlockLen {
			// The current chunk is full and more input follows: it is final.
			cv := h.chunkOutput(false)
			h.pushChunk(&cv)
		}
		if h.blocks == 0 && h.bufLen == 0 {
			// Whole chunks straight from p, as long as more input follows
			// them, a batch at a time (one call into the fast compression
			// module per batch in the willowfast build).
			for len(p) > ChunkSize {
				n := (len(p) - 1) / ChunkSize
				if n > chunkBatch {
					n = chunkBatch
				}
				var cvs [chunkBatch][8]uint32
				h.m.chunkCVs(p[:n*ChunkSize], h.chunks, cvs[:n])
				for i := range cvs[:n] {
					h.pushChunk(&cvs[i])
				}
				p = p[n*ChunkSize:]
			}
		}
		if h.bufLen == compress.BlockLen {
			// More input follows, so the buffered block is not the chunk's last.
			h.compressBuf()
		}
		if h.bufLen == 0 {
			for len(p) > compress.BlockLen && h.blocks < blocksPerChunk-1 {
				compress.Block(&h.cv, &h.m.iv, (*[compress.BlockLen]byte)(p[:compress.BlockLen]), h.counter(), compress.BlockLen, h.startFlag())
				h.blocks++
				p = p[compress.BlockLen:]
			}
		}
		n := copy(h.buf[h.bufLen:], p)
		h.bufLen += n
		p = p[n:]
	}
}

// counter returns the chunk counter: 0 for WILLIAM3, the index for BLAKE3.
func (h *Hasher) counter() uint64 {
	if h.m.blake3 {
		return h.chunks
	}
	return 0
}

// startFlag returns the flags of the next non-final block of the chunk.
func (h *Hasher) startFlag() uint32 {
	if h.blocks == 0 {
		return h.m.chunkFlags | compress.ChunkStart
	}
	return h.m.chunkFlags
}

// compressBuf compresses the full buffer as a non-final block of the chunk.
func (h *Hasher) compressBuf() {
	compress.Block(&h.cv, &h.m.iv, &h.buf, h.counter(), compress.BlockLen, h.startFlag())
	h.blocks++
	h.bufLen = 0
}

// chunkOutput returns the chaining value of the current chunk, treating the
// buffered bytes as its final block, without changing the Hasher.
func (h *Hasher) chunkOutput(root bool) [8]uint32 {
	cv := h.cv
	var block [compress.BlockLen]byte
	copy(block[:], h.buf[:h.bufLen])
	flags := h.startFlag() | compress.ChunkEnd
	if root {
		flags |= compress.Root
	}
	compress.Block(&cv, &h.m.iv, &block, h.counter(), uint32(h.bufLen), flags)
	return cv
}

// pushChunk adds the chaining value of a complete, non-final chunk and merges
// every subtree that is now complete.
func (h *Hasher) pushChunk(cv *[8]uint32) {
	h.chunks++
	merged := *cv
	size := uint64(ChunkSize)
	for total := h.chunks; total&1 == 0; total >>= 1 {
		h.depth--
		size *= 2
		merged = h.m.parentCV(&h.stack[h.depth], &merged, size, false)
	}
	h.stack[h.depth] = merged
	h.depth++
	h.cv = h.m.key
	h.blocks = 0
	h.bufLen = 0
}

// Digest returns the digest of everything written so far. The Hasher is not
// changed and more data may be written afterwards.
func (h *Hasher) Digest() Digest { return h.digest(true) }

// digest returns the label of the input as a tree root, or as a non-root
// subtree when root is false.
func (h *Hasher) digest(root bool) Digest {
	cur := h.chunkOutput(root && h.chunks == 0)
	if h.chunks > 0 {
		length := uint64(h.blocks*compress.BlockLen + h.bufLen)
		rest := h.chunks
		for i := h.depth - 1; i >= 0; i-- {
			bit := rest & -rest
			rest -= bit
			length += bit * ChunkSize
			cur = h.m.parentCV(&h.stack[i], &cur, length, root && i == 0)
		}
	}
	return words2digest(&cur)
}

// Sum appends the digest of everything written so far to b and returns the
// result, as [hash.Hash] specifies.
func (h *Hasher) Sum(b []byte) []byte {
	d := h.Digest()
	return append(b, d[:]...)
}
