//go:build js && wasm

package main

import (
	"os"
	"syscall/js"

	"github.com/willow-web/willow-web/jsbridge"
)

func main() {
	if len(os.Args) < 2 {
		println("willow.wasm: start it through the willow-web package (no boot object named)")
		os.Exit(2)
	}
	boot := js.Global().Get(os.Args[1])
	if boot.Type() != js.TypeObject {
		println("willow.wasm: boot object", os.Args[1], "not found")
		os.Exit(2)
	}
	bridge = jsbridge.NewBridge()
	jsbridge.Host(bridge, boot)
	boot.Call("ready")
	select {}
}
