// Package relay is the drop relay: an HTTP service that stores and serves
// drops (package core/drop), per namespace and gated by Meadowcap
// capabilities. It is a plain net/http Handler over two storage interfaces,
// Blobs (the drop bodies; R2 in the Cloudflare Worker) and Index (per-namespace
// metadata; Workers KV), so it runs natively under httptest with the memory
// implementations and, compiled to WebAssembly, inside a Worker (see
// relay/worker and README.md).
//
// Every request is authenticated by a capability for the namespace
// (header Willow-Capability) and its receiver's signature over the request
// (Willow-Signature, Willow-Timestamp; see SignedMessage). Uploads need a
// write capability; listing and downloading a read capability; deleting
// a write capability whose receiver uploaded the drop. A plaintext drop is
// verified in full before it is stored; a sealed (age-encrypted) drop is
// stored as an opaque blob. A drop's id is the WILLIAM3 digest of its bytes,
// so uploading the same bytes twice stores them once.
//
// The Handler keeps no state between requests: each request may run in a
// fresh instance.
package relay
