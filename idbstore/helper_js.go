//go:build js && wasm

package idbstore

import (
	_ "embed"
	"sync"
	"syscall/js"

	"github.com/willow-web/willow-web/internal/wrap"
)

// helperSource is the JavaScript half of the package: an expression whose
// value is a function returning the helper object (see helper.js).
//
//go:embed helper.js
var helperSource string

// Statuses of a helper callback.
const (
	statusOK = iota
	statusNotFound
	statusError
	statusUnsupported
)

var (
	helperOnce  sync.Once
	helperValue js.Value
	helperErr   error
)

// helper returns the JavaScript helper, creating it on first use. This is
// the package's only global state: an immutable object of functions, or the
// error that prevented creating it (new Function is refused by a
// Content-Security-Policy without 'unsafe-eval').
func helper() (h js.Value, err error) {
	helperOnce.Do(func() {
		defer func() {
			if p := recover(); p != nil {
				helperErr = wrap.New("idbstore: install the JavaScript helper: " + wrap.Describe(p))
			}
		}()
		h := js.Global().Get("Function").New("return (" + helperSource + "\n)").Invoke().Invoke()
		if v := h.Get("version").Int(); v != DatabaseVersion {
			helperErr = wrap.New("idbstore: the JavaScript helper migrates to version " + wrap.Num(v) + ", the Go side expects " + wrap.Num(DatabaseVersion))
			return
		}
		helperValue = h
	})
	return helperValue, helperErr
}

// result is one helper callback.
type result struct {
	status int
	args   []js.Value // the values after the status
}

// err turns an error or unsupported result into a Go error (nil for the
// other statuses).
func (r result) err() error {
	switch r.status {
	case statusError:
		e := &DOMError{Name: "Error"}
		if len(r.args) > 0 {
			e.Name = r.args[0].String()
		}
		if len(r.args) > 1 {
			e.Message = r.args[1].String()
		}
		return e
	case statusUnsupported:
		return errUnsupported
	}
	return nil
}

// bytes copies the Uint8Array of an OK result into Go memory.
func (r result) bytes() []byte {
	a := r.args[0]
	b := make([]byte, a.Length())
	js.CopyBytesToGo(b, a)
	return b
}

// caller sends helper calls and routes their results back: one js.Func for
// every call, and a table of the calls in flight.
type caller struct {
	fn      js.Func
	mu      sync.Mutex
	next    uint32
	pending map[uint32]chan result
}

func newCaller() *caller {
	c := &caller{pending: make(map[uint32]chan result)}
	c.fn = js.FuncOf(c.deliver)
	return c
}

// deliver runs on the JavaScript side's callback; it must not block.
func (c *caller) deliver(_ js.Value, args []js.Value) any {
	if len(args) < 2 {
		return nil
	}
	id := uint32(args[0].Int())
	r := result{status: args[1].Int(), args: args[2:]}
	c.mu.Lock()
	ch := c.pending[id]
	delete(c.pending, id)
	c.mu.Unlock()
	if ch != nil {
		ch <- r // buffered: never blocks
	}
	return nil
}

// start issues helper method with args (the callback and call id are
// appended) and returns the channel its result arrives on.
func (c *caller) start(method string, args ...any) (<-chan result, error) {
	ch := make(chan result, 1)
	c.mu.Lock()
	c.next++
	id := c.next
	c.pending[id] = ch
	c.mu.Unlock()
	if err := invoke(method, append(args, c.fn, id)...); err != nil {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return nil, err
	}
	return ch, nil
}

// call issues helper method and blocks the calling goroutine until its
// result arrives.
func (c *caller) call(method string, args ...any) (result, error) {
	ch, err := c.start(method, args...)
	if err != nil {
		return result{}, err
	}
	return <-ch, nil
}

// release frees the callback; no call may be in flight.
func (c *caller) release() { c.fn.Release() }

// invoke calls a helper method, turning a JavaScript exception (which the
// helper should never throw) into an error.
func invoke(method string, args ...any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if je, ok := p.(js.Error); ok {
				err = wrap.Prefix("idbstore: helper "+method+" threw", je)
				return
			}
			panic(p)
		}
	}()
	h, err := helper()
	if err != nil {
		return err
	}
	h.Call(method, args...)
	return nil
}
