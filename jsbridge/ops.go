package jsbridge

import (
	"io"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/ed25519strict"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/internal/wrap"
)

// ProtocolVersion is the version of the byte protocol; the JavaScript side
// refuses a module that speaks another.
const ProtocolVersion = 1

// Op codes. Ops below 0x80 are synchronous: they compute and return, never
// block, and may be called through the shared-memory exports. Ops from 0x80
// on may block (storage) and run in goroutines through the asynchronous entry
// point. wasm/PROTOCOL.md documents each op's arguments and result.
const (
	OpInfo              = 0x01
	OpKeygen            = 0x10
	OpPublicKey         = 0x11
	OpSign              = 0x12
	OpVerify            = 0x13
	OpHash              = 0x20
	OpHasherNew         = 0x21
	OpHasherUpdate      = 0x22
	OpHasherDigest      = 0x23
	OpHasherFree        = 0x24
	OpEncodePaths       = 0x30
	OpDecodePaths       = 0x31
	OpEncodeEntries     = 0x32
	OpDecodeEntries     = 0x33
	OpEncodeAreaInArea  = 0x34
	OpDecodeAreaInArea  = 0x35
	OpBenchEntries      = 0x7e
	OpStoreOpen         = 0x80
	OpStoreClose        = 0x81
	OpStorePreview      = 0x82
	OpStoreGet          = 0x83
	OpStoreQuery        = 0x84
	OpStoreQueryNext    = 0x85
	OpStoreQueryClose   = 0x86
	OpStoreForget       = 0x87
	OpStoreSubscribe    = 0x88
	OpStoreUnsubscribe  = 0x89
	OpStoreIngest       = 0x8a
	firstAsyncOp        = 0x80
	statusOK            = 0
	statusError         = 1
	keyKindSubspace     = 0
	keyKindCommunal     = 1
	keyKindOwned        = 2
	maxHashersPerBridge = 1 << 16
)

// IsAsync reports whether op may block and must run through the asynchronous
// entry point.
func IsAsync(op byte) bool { return op >= firstAsyncOp }

// Bridge holds the state the JavaScript side refers to by handle: open
// stores, incremental hashers, query sessions and subscriptions. One Bridge
// serves one WebAssembly instance. Its methods are safe to call from several
// goroutines.
type Bridge struct {
	mu      sync.Mutex
	next    uint64
	hashers map[uint64]*bab.Hasher
	stores  map[uint64]*storeHandle
	queries map[uint64]*querySession
	created map[uint64]*createdDrop
	ingests map[uint64]*dropIngest

	// rand is the source of key material.
	rand io.Reader

	// IndexedDB, if set, backs persistent stores (set by the host in
	// browsers; nil elsewhere, where opening one fails with CodeUnsupported).
	IndexedDB IndexedDB

	// Notify delivers a batch of subscription events to JavaScript. The host
	// sets it before any store op; nil drops events.
	Notify func(subscription uint64, events []byte)
}

// NewBridge returns an empty Bridge that draws key material from
// crypto/rand (in the browser and Node: crypto.getRandomValues).
func NewBridge() *Bridge {
	return &Bridge{
		rand:    defaultRand(),
		hashers: map[uint64]*bab.Hasher{},
		stores:  map[uint64]*storeHandle{},
		queries: map[uint64]*querySession{},
		created: map[uint64]*createdDrop{},
		ingests: map[uint64]*dropIngest{},
	}
}

// handle returns a fresh handle; b.mu must be held.
func (b *Bridge) handle() uint64 {
	b.next++
	return b.next
}

// Call runs one request and returns the response: statusOK and the result,
// or statusError, the error code and the message. It never panics: a panic
// inside a handler becomes a CodeInternal error.
func (b *Bridge) Call(op byte, req []byte) (resp []byte) {
	// Most results are about as large as their requests.
	return b.CallAppend(make([]byte, 0, len(req)+64), op, req)
}

// CallAppend is Call writing the response into dst's storage (from dst[:0]),
// so that a caller serving one request at a time reuses one buffer. The
// response must not be used after dst's storage is reused.
func (b *Bridge) CallAppend(dst []byte, op byte, req []byte) (resp []byte) {
	w := &Writer{Buf: append(dst[:0], 0)}
	defer func() {
		if p := recover(); p != nil {
			resp = errorResponse(errorf(CodeInternal, "panic in op 0x"+strconv.FormatUint(uint64(op), 16)+": "+wrap.Describe(p)))
		}
	}()
	r := NewReader(req)
	var err error
	switch op {
	case OpInfo:
		w.Uvarint(ProtocolVersion)
		w.String(runtime.Version())
		err = r.Done()
	case OpKeygen:
		err = opKeygen(r, w, b.rand)
	case OpPublicKey:
		err = opPublicKey(r, w)
	case OpSign:
		err = opSign(r, w)
	case OpVerify:
		err = opVerify(r, w)
	case OpHash:
		data := r.Bytes("data")
		if err = r.Done(); err == nil {
			d := bab.Sum(data)
			w.Raw(d[:])
		}
	case OpHasherNew:
		err = b.opHasherNew(r, w)
	case OpHasherUpdate:
		h := r.Uvarint("hasher")
		data := r.Bytes("data")
		if err = r.Done(); err == nil {
			err = b.HasherUpdate(h, data)
		}
	case OpHasherDigest:
		err = b.opHasherDigest(r, w)
	case OpHasherFree:
		h := r.Uvarint("hasher")
		if err = r.Done(); err == nil {
			b.mu.Lock()
			delete(b.hashers, h)
			b.mu.Unlock()
		}
	case OpEncodePaths:
		err = opEncodePaths(r, w)
	case OpDecodePaths:
		err = opDecodePaths(r, w)
	case OpEncodeEntries:
		err = opEncodeEntries(r, w)
	case OpDecodeEntries:
		err = opDecodeEntries(r, w)
	case OpEncodeAreaInArea:
		err = opEncodeAreaInArea(r, w)
	case OpDecodeAreaInArea:
		err = opDecodeAreaInArea(r, w)
	case OpBenchEntries:
		err = opBenchEntries(r, w)
	case OpURIParse:
		err = opURIParse(r, w)
	case OpURIFormat:
		err = opURIFormat(r, w)
	case OpAgeKeys:
		err = opAgeKeys(r, w)
	case OpInspectDrop:
		err = opInspectDrop(r, w)
	case OpDropRead, OpDropClose, OpIngestDropWrite, OpIngestDropEnd, OpIngestDropAbort:
		err = b.dropOp(op, r, w)
	case OpCapCommunal, OpCapOwned, OpCapOwnedFromSigned, OpCapDelegate, OpCapDecode, OpCapValidate,
		OpAuthorise, OpCheckAuthorised, OpTokenDecode:
		err = b.capabilityOp(op, r, w)
	case OpIngestSignatures:
		err = opIngestSignatures(r, w)
	default:
		if IsAsync(op) {
			err = b.storeOp(op, r, w)
		} else {
			err = errorf(CodeUnknownOp, "unknown op "+strconv.Itoa(int(op)))
		}
	}
	if err != nil {
		return errorResponse(ToError(err))
	}
	w.Buf[0] = statusOK
	return w.Buf
}

func errorResponse(e *Error) []byte {
	w := &Writer{Buf: []byte{statusError}}
	w.String(e.Code)
	w.String(e.Message)
	return w.Buf
}

// atIndex prefixes an error's message with the index of the batch item.
func atIndex(err error, i int) error {
	e := ToError(err)
	return &Error{Code: e.Code, Message: "item " + strconv.Itoa(i) + ": " + e.Message}
}

func opKeygen(r *Reader, w *Writer, rand io.Reader) error {
	kind := r.U8("key kind")
	n := r.Uvarint("count")
	if err := r.Done(); err != nil {
		return err
	}
	if n > 1<<16 {
		return errorf(CodeInvalidArgument, "at most 65536 key pairs per call")
	}
	for range n {
		var pk [32]byte
		var sk ids.SecretKey
		var err error
		switch kind {
		case keyKindSubspace:
			var id ids.SubspaceID
			id, sk, err = ids.GenerateSubspace(rand)
			pk = id
		case keyKindCommunal:
			var id ids.NamespaceID
			id, sk, err = ids.GenerateCommunalNamespace(rand)
			pk = id
		case keyKindOwned:
			var id ids.NamespaceID
			id, sk, err = ids.GenerateOwnedNamespace(rand)
			pk = id
		default:
			return errorf(CodeInvalidArgument, "unknown key kind "+strconv.Itoa(int(kind)))
		}
		if err != nil {
			return err
		}
		w.Raw(pk[:])
		w.Raw(sk[:])
	}
	return nil
}

func opPublicKey(r *Reader, w *Writer) error {
	n := r.Count("count", 32)
	secrets := make([]ids.SecretKey, n)
	for i := range secrets {
		secrets[i] = r.Array32("secret key")
	}
	if err := r.Done(); err != nil {
		return err
	}
	for _, sk := range secrets {
		pk := sk.PublicKey()
		w.Raw(pk[:])
	}
	return nil
}

func opSign(r *Reader, w *Writer) error {
	n := r.Count("count", 33)
	for range n {
		sk := ids.SecretKey(r.Array32("secret key"))
		msg := r.Bytes("message")
		if r.Err() != nil {
			break
		}
		sig := sk.Sign(msg)
		w.Raw(sig[:])
	}
	return r.Done()
}

func opVerify(r *Reader, w *Writer) error {
	n := r.Count("count", 97)
	for range n {
		pk := r.Array32("public key")
		msg := r.Bytes("message")
		sig := r.Array64("signature")
		if r.Err() != nil {
			break
		}
		w.Bool(ed25519strict.Verify(pk[:], msg, sig[:]))
	}
	return r.Done()
}

func (b *Bridge) opHasherNew(r *Reader, w *Writer) error {
	if err := r.Done(); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.hashers) >= maxHashersPerBridge {
		return errorf(CodeInvalidArgument, "too many open hashers; call digest() or dispose() on old ones")
	}
	h := b.handle()
	b.hashers[h] = bab.New()
	w.Uvarint(h)
	return nil
}

// HasherUpdate feeds data to the incremental hasher with the given handle.
func (b *Bridge) HasherUpdate(handle uint64, data []byte) error {
	b.mu.Lock()
	h := b.hashers[handle]
	b.mu.Unlock()
	if h == nil {
		return errorf(CodeNoSuchHandle, "no hasher "+strconv.FormatUint(handle, 10))
	}
	h.Write(data)
	return nil
}

func (b *Bridge) opHasherDigest(r *Reader, w *Writer) error {
	handle := r.Uvarint("hasher")
	if err := r.Done(); err != nil {
		return err
	}
	b.mu.Lock()
	h := b.hashers[handle]
	b.mu.Unlock()
	if h == nil {
		return errorf(CodeNoSuchHandle, "no hasher "+strconv.FormatUint(handle, 10))
	}
	d := h.Digest()
	w.Raw(d[:])
	w.U64(h.Len())
	return nil
}

func opEncodePaths(r *Reader, w *Writer) error {
	n := r.Count("count", 1)
	for i := 0; i < n && r.Err() == nil; i++ {
		p := r.Path("path")
		if r.Err() != nil {
			return atIndex(r.Err(), i)
		}
		w.Uvarint(uint64(len(path.Encode(p))))
		w.Buf = path.AppendEncode(w.Buf, p)
	}
	return r.Done()
}

// decodeExactly decodes one canonic code that must span all of b.
func decodeExactly[T any](b []byte, decode func(*codec.Decoder) (T, error)) (T, error) {
	d := codec.NewDecoder(b, codec.Canonic)
	v, err := decode(d)
	if err != nil {
		return v, err
	}
	if d.Remaining() != 0 {
		var zero T
		return zero, errorf(CodeTrailingBytes, strconv.Itoa(d.Remaining())+" bytes after the encoding")
	}
	return v, nil
}

func opDecodePaths(r *Reader, w *Writer) error {
	n := r.Count("count", 1)
	for i := 0; i < n; i++ {
		code := r.Bytes("code")
		if r.Err() != nil {
			break
		}
		p, err := decodeExactly(code, path.Decode)
		if err != nil {
			return atIndex(err, i)
		}
		w.Path(p)
	}
	return r.Done()
}

func opEncodeEntries(r *Reader, w *Writer) error {
	n := r.Count("count", 32+32+1+16+32)
	// Transcoded through one entry.View: no path.Path (two allocations)
	// per entry.
	var (
		v       entry.View
		scratch []byte
		err     error
	)
	for i := 0; i < n; i++ {
		r.EntryView(&v)
		if r.Err() != nil {
			return atIndex(r.Err(), i)
		}
		if scratch, err = entry.AppendEncodeView(scratch[:0], &v); err != nil {
			return atIndex(err, i)
		}
		w.Bytes(scratch)
	}
	return r.Done()
}

func opDecodeEntries(r *Reader, w *Writer) error {
	n := r.Count("count", 1)
	var scratch [][]byte
	for i := 0; i < n; i++ {
		code := r.Bytes("code")
		if r.Err() != nil {
			break
		}
		// Not through decodeExactly: a decoder that stays on the stack saves
		// an allocation per entry, and an entry.View (components aliasing
		// the request) saves the path.Path's two.
		d := codec.NewDecoder(code, codec.Canonic)
		v, err := entry.DecodeView(d, scratch)
		if err == nil && d.Remaining() != 0 {
			err = errorf(CodeTrailingBytes, strconv.Itoa(d.Remaining())+" bytes after the encoding")
		}
		if err != nil {
			return atIndex(err, i)
		}
		scratch = v.Components
		w.EntryView(&v)
	}
	return r.Done()
}

func opEncodeAreaInArea(r *Reader, w *Writer) error {
	a, outer := r.Area("area"), r.Area("outer area")
	if err := r.Done(); err != nil {
		return err
	}
	code, err := grouping.AppendEncodeAreaInArea(nil, a, outer)
	if err != nil {
		return err
	}
	w.Bytes(code)
	return nil
}

func opDecodeAreaInArea(r *Reader, w *Writer) error {
	code := r.Bytes("code")
	outer := r.Area("outer area")
	if err := r.Done(); err != nil {
		return err
	}
	a, err := decodeExactly(code, func(d *codec.Decoder) (grouping.Area, error) { return grouping.DecodeAreaInArea(d, outer) })
	if err != nil {
		return err
	}
	w.Area(a)
	return nil
}

// opBenchEntries encodes and decodes the given entries rounds times inside
// Go, without crossing the bridge, and returns the elapsed nanoseconds: the
// baseline the JavaScript benchmark compares the bridge against.
func opBenchEntries(r *Reader, w *Writer) error {
	n := r.Count("count", 1)
	es := make([]entry.Entry, n)
	for i := range es {
		es[i] = r.Entry("entry")
	}
	rounds := r.Uvarint("rounds")
	if err := r.Done(); err != nil {
		return err
	}
	start := time.Now()
	var buf []byte
	for range rounds {
		for _, e := range es {
			buf = entry.AppendEncode(buf[:0], e)
			d := codec.NewDecoder(buf, codec.Canonic)
			if _, err := entry.Decode(d); err != nil || d.Remaining() != 0 {
				return errorf(CodeInternal, "benchmark entry does not round-trip")
			}
		}
	}
	w.U64(uint64(time.Since(start).Nanoseconds()))
	return nil
}
