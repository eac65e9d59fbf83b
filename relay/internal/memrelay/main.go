// Command memrelay serves the relay handler over memory storage on a free
// loopback port and prints its base URL on the first line of stdout; it runs
// until stdin closes or it is killed. It is the fast stand-in for the Worker
// in the willow-web client's Node tests (relay/worker/memrelay.test.mjs): the
// same relay.Handler, without wrangler.
//
//	memrelay [--max-body BYTES] [--max-namespace BYTES]
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"

	"github.com/willow-web/willow-web/relay"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "memrelay:", err)
		os.Exit(1)
	}
}

func run() error {
	maxBody := flag.Int64("max-body", 0, "Config.MaxBodyBytes (0: the default)")
	maxNS := flag.Int64("max-namespace", 0, "Config.MaxNamespaceBytes (0: the default)")
	flag.Parse()
	h, err := relay.New(relay.Config{
		Blobs:             &relay.MemoryBlobs{},
		Index:             &relay.MemoryIndex{},
		MaxBodyBytes:      *maxBody,
		MaxNamespaceBytes: *maxNS,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	return http.Serve(ln, h)
}
