//go:build !(js && wasm && willowfast)

package compress

func chunks(p *ChunkParams, data []byte, out [][8]uint32) { chunksGeneric(p, data, out) }
