// Package bab implements WILLIAM3, the Bab hash function Willow'25 uses for
// payload digests, together with Bab's verifiable slice streams and a
// partial payload storage built on them.
//
// WILLIAM3 is BLAKE3's compression function and tree with three changes: its
// own initialisation constants (the words of BLAKE3("WILLIAM3")), a chunk
// counter that is always zero, and parent nodes whose counter is the number of
// bytes their subtree covers. Its digest is 32 bytes, its chunks are 1024
// bytes, and the tree is left-balanced: the left subtree of every inner vertex
// holds the largest power of two of chunks strictly below its chunk count. The
// behaviour follows the Bab specification (worm-blossom.org/bab) and the
// reference crate bab_rs 0.8, whose test digests this package reproduces.
//
// The package has three layers:
//
//   - hashing: [Sum], [SumKeyed] and the incremental [Hasher];
//   - verifiable slice streams: [AppendSliceStream] and [WriteSliceStream]
//     produce the stream of a [Slice] of chunks under some [Options] (baseline,
//     k-grouped, light, left and right skip), and the incremental [Verifier]
//     checks one, consuming its input in pieces of any size and releasing
//     every chunk only once it is verified, or, in its deferred mode, handing
//     out the chunks of K-grouped streams at once as unverified and
//     confirming them later, so that any stream is checked in O(log n)
//     memory;
//   - partial storage: [Storage] keeps the chunks and tree labels of one
//     payload in a byte-addressed [Backend], fills it from slice streams in
//     any order (in bounded memory, writing unverified data only to slots it
//     does not mark as stored until verified) and serves slice streams back.
//
// Nothing here panics on bad input; errors match the sentinels of this
// package with [errors.Is] and carry details in [*StreamError].
package bab
