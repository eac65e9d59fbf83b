// Package drop implements the Willow Drop Format: a drop is one byte string
// carrying a sequence of possibly authorised entries, each with verifiable
// slices of its payload, to be joined into the recipients' stores.
//
// Layout (per item, each entry and token encoded relative to the previous
// item's, starting from the Willow'25 default entry and token):
//
//	header: 01 ‖ namespace differs ‖ subspace differs ‖ 2-bit timestamp tag ‖ 2-bit slice mode
//	[namespace id] [subspace id] EncodePathRelativePath(path, previous path)
//	timestamp bytes ‖ standalone c64 payload length ‖ payload digest
//	EncodeMeadowcapAuthorisationTokenRelative(token; previous item, entry)
//	payload part: 00 none | 01 the raw payload | 10 c64 chunk count + 64-grouped
//	baseline slice stream of a prefix | 11 slices, each 1 ‖ 3-bit offset tag ‖
//	4-bit length tag, offset and length (chunks), stream with maximal left skip
//
// and the byte 0x00 ends the drop.
//
// Decisions where the spec is open (see also README):
//   - Bytes after the 0x00 terminator make the drop invalid (ErrTrailingBytes):
//     a drop is exactly one byte string, and silently ignoring a tail would let
//     two different byte strings claim to be the same drop.
//   - A mode-11 slice of zero chunks is invalid: it carries nothing and would
//     make "strictly increasing start offsets" ambiguous.
//   - The left skip of mode-11 slice j > 0 is bab.OptimalLeftSkip(chunks,
//     last chunk of slice j−1, first chunk of slice j): the vertices shared by
//     the root paths of the two slices, whose child labels the receiver knows
//     from slice j−1 (and, through it, from every earlier slice). Slice 0 has
//     no left skip.
//   - The payload of an empty entry (length 0) has one empty chunk, as in Bab.
//   - The Reader does not judge authorisation: it decodes. Ingest and Verify
//     check every token and refuse the whole drop at the first unauthorised
//     entry, since later items are encoded relative to it.
package drop
