//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "willow-web/wasm is a WebAssembly module: build it with bash scripts/build-wasm.sh")
	os.Exit(2)
}
