module github.com/willow-web/willow-web

go 1.26.0

require (
	filippo.io/edwards25519 v1.2.0
	github.com/google/btree v1.1.3
	github.com/zeebo/blake3 v0.2.4
)

require github.com/klauspost/cpuid/v2 v2.0.12 // indirect
