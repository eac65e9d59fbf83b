package compress

// ChunkLen is the size of a full chunk in bytes: sixteen blocks.
const ChunkLen = 16 * BlockLen

// ChunkParams are the parameters shared by a run of consecutive full chunks.
// Its layout is fixed (72 bytes, no padding) because the willowfast build
// hands it to a WebAssembly module: Key at 0, IV at 32, Counter at 48, Step
// at 56, Flags at 64.
type ChunkParams struct {
	Key     [8]uint32 // chaining value every chunk starts from
	IV      [4]uint32 // constants for state words 8..11
	Counter uint64    // counter of the first chunk
	Step    uint64    // added to the counter after each chunk (0 or 1)
	Flags   uint32    // flags of every block; CHUNK_START and CHUNK_END are added
}

// Chunks hashes the len(out) full, non-root chunks at the start of data into
// their chaining values. data must hold at least len(out)*ChunkLen bytes.
func Chunks(p *ChunkParams, data []byte, out [][8]uint32) {
	if len(out) == 0 {
		return
	}
	_ = data[len(out)*ChunkLen-1]
	chunks(p, data, out)
}

// chunksGeneric is Chunks in Go: one Block call per block.
func chunksGeneric(p *ChunkParams, data []byte, out [][8]uint32) {
	iv := [8]uint32{p.IV[0], p.IV[1], p.IV[2], p.IV[3]}
	counter := p.Counter
	for i := range out {
		cv := p.Key
		chunk := data[i*ChunkLen : (i+1)*ChunkLen]
		for b := 0; b < 16; b++ {
			flags := p.Flags
			if b == 0 {
				flags |= ChunkStart
			}
			if b == 15 {
				flags |= ChunkEnd
			}
			Block(&cv, &iv, (*[BlockLen]byte)(chunk[b*BlockLen:]), counter, BlockLen, flags)
		}
		out[i] = cv
		counter += p.Step
	}
}
