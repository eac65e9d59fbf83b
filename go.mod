module github.com/willow-web/willow-web

go 1.26.0

require (
	filippo.io/age v1.3.2
	filippo.io/edwards25519 v1.2.0
	github.com/google/btree v1.1.3
	github.com/zeebo/blake3 v0.2.4
)

require (
	filippo.io/hpke v0.4.0 // indirect
	filippo.io/nistec v0.0.4 // indirect
	github.com/klauspost/cpuid/v2 v2.0.12 // indirect
	golang.org/x/crypto v0.55.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/term v0.45.0 // indirect
)

tool (
	filippo.io/age/cmd/age
	filippo.io/age/cmd/age-plugin-batchpass
)
