package seal

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// Magic is the first line of every binary age file, hence of every sealed
// drop written by Seal.
const Magic = "age-encryption.org/v1\n"

// armorMagic begins an ASCII-armored age file, which Open also reads.
const armorMagic = "-----BEGIN AGE ENCRYPTED FILE-----"

// peekSize is how many bytes Detect looks at.
const peekSize = len(armorMagic)

// Seal returns a writer that seals everything written to it, a drop, to the
// recipients, writing the age file to w as it goes (one 64 KiB chunk at a
// time). Close must be called to write the final chunk; it does not close w.
//
// The first byte written must begin a drop (0x00 or 01xxxxxx), else the
// write fails with ErrNotDrop; closing without writing anything fails too.
// age refuses a passphrase recipient together with any other recipient, and
// classic X25519 together with post-quantum recipients.
func Seal(w io.Writer, recipients ...age.Recipient) (io.WriteCloser, error) {
	if len(recipients) == 0 {
		return nil, errors.New("seal: no recipients")
	}
	aw, err := age.Encrypt(w, recipients...)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return &sealer{w: aw}, nil
}

// sealer checks that the plaintext begins like a drop.
type sealer struct {
	w       io.WriteCloser
	started bool
}

// Write implements io.Writer.
func (s *sealer) Write(p []byte) (int, error) {
	if !s.started && len(p) > 0 {
		if !dropStart(p[0]) {
			return 0, fmt.Errorf("%w: first byte %#02x", ErrNotDrop, p[0])
		}
		s.started = true
	}
	n, err := s.w.Write(p)
	if err != nil {
		return n, fmt.Errorf("seal: %w", err)
	}
	return n, nil
}

// Close writes the final chunk.
func (s *sealer) Close() error {
	if !s.started {
		return fmt.Errorf("%w: nothing was written", ErrNotDrop)
	}
	if err := s.w.Close(); err != nil {
		return fmt.Errorf("seal: final chunk: %w", err)
	}
	return nil
}

// dropStart reports whether b can be the first byte of a drop: the
// terminator of an empty drop, or an item header.
func dropStart(b byte) bool { return b == 0x00 || b>>6 == 1 }

// IsSealed reports whether prefix, the first bytes of an input, begins a
// sealed drop (binary or armored age). Fewer than len(Magic) bytes that agree
// with the magic so far count as sealed only if the input has no more bytes;
// pass the whole input when it is that short.
func IsSealed(prefix []byte) bool {
	return bytes.HasPrefix(prefix, []byte(Magic)) || bytes.HasPrefix(prefix, []byte(armorMagic))
}

// Detect peeks at the beginning of r and reports whether it is a sealed
// drop. The returned reader yields all of r, the peeked bytes included.
func Detect(r io.Reader) (sealed bool, all io.Reader, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	prefix, err := br.Peek(peekSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return false, nil, fmt.Errorf("seal: detect: %w", err)
	}
	return IsSealed(prefix), br, nil
}

// Reader returns the plaintext drop of r: r itself (re-read from its start)
// if it is a plaintext drop, or the opened drop if it is sealed. A sealed
// drop and no identities is ErrNoIdentity. Plaintext input is passed through
// unchecked; the drop reader judges it.
func Reader(r io.Reader, identities ...age.Identity) (plain io.Reader, wasSealed bool, err error) {
	sealed, all, err := Detect(r)
	if err != nil {
		return nil, false, err
	}
	if !sealed {
		return all, false, nil
	}
	if len(identities) == 0 {
		return nil, true, fmt.Errorf("%w: the drop is sealed and no identity or passphrase was given", ErrNoIdentity)
	}
	plain, err = Open(all, identities...)
	return plain, true, err
}

// Open decrypts a sealed drop with the identities (X25519, hybrid,
// passphrase or subspace-derived ones) and returns its plaintext drop as a
// stream. Open reads the header and the first chunk before it returns, so
// it reports a wrong key, a wrong passphrase, a corrupted header and a
// plaintext that is not a drop itself; corruption further on is reported by
// the returned reader's Read, wrapping ErrTampered or ErrTruncated.
func Open(r io.Reader, identities ...age.Identity) (io.Reader, error) {
	src := &trackingReader{r: r}
	br := bufio.NewReaderSize(src, 64<<10)
	prefix, err := br.Peek(peekSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("seal: open: %w", err)
	}
	var in io.Reader = br
	switch {
	case bytes.HasPrefix(prefix, []byte(armorMagic)):
		in = armor.NewReader(br)
	case len(prefix) < len(Magic) && bytes.HasPrefix([]byte(Magic), prefix) && len(prefix) > 0:
		return nil, fmt.Errorf("%w (%w): input ends inside the age header line", ErrTruncated, ErrTampered)
	case !bytes.HasPrefix(prefix, []byte(Magic)):
		return nil, fmt.Errorf("%w: no age header", ErrNotSealed)
	}
	if len(identities) == 0 {
		return nil, fmt.Errorf("%w: no identities given", ErrNoIdentity)
	}
	dec, err := age.Decrypt(in, identities...)
	if err != nil {
		return nil, classifyHeader(err, src, identities)
	}
	plain := bufio.NewReaderSize(&plainReader{r: dec, src: src}, 64<<10)
	first, err := plain.Peek(1)
	if errors.Is(err, io.EOF) || (err == nil && !dropStart(first[0])) {
		what := "it is empty"
		if err == nil {
			what = fmt.Sprintf("first byte %#02x", first[0])
		}
		return nil, fmt.Errorf("%w: %s", ErrNotDrop, what)
	}
	if err != nil {
		return nil, err
	}
	return plain, nil
}

// classifyHeader types an error of age.Decrypt (reading the header, the
// nonce, unwrapping the file key).
func classifyHeader(err error, src *trackingReader, identities []age.Identity) error {
	var noMatch *age.NoIdentityMatchError
	if errors.As(err, &noMatch) {
		if slices.Contains(noMatch.StanzaTypes, "scrypt") && slices.ContainsFunc(identities, isPassphrase) {
			return fmt.Errorf("%w: %w", ErrWrongPassphrase, err)
		}
		if slices.Contains(noMatch.StanzaTypes, "scrypt") {
			return fmt.Errorf("%w: the drop is sealed with a passphrase: %w", ErrNoIdentity, err)
		}
		return fmt.Errorf("%w: %w", ErrNoIdentity, err)
	}
	if src.err != nil {
		return fmt.Errorf("seal: open: %w", src.err)
	}
	if src.eof {
		return fmt.Errorf("%w (%w): %w", ErrTruncated, ErrTampered, err)
	}
	return fmt.Errorf("%w: %w", ErrTampered, err)
}

func isPassphrase(i age.Identity) bool {
	_, ok := i.(*age.ScryptIdentity)
	return ok
}

// trackingReader remembers whether its source ended or failed, to tell
// truncation and I/O errors from tampering.
type trackingReader struct {
	r   io.Reader
	eof bool
	err error // a read error other than io.EOF
}

// Read implements io.Reader.
func (t *trackingReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	switch {
	case errors.Is(err, io.EOF):
		t.eof = true
	case err != nil:
		t.err = err
	}
	return n, err
}

// plainReader types the errors of age's decrypting reader.
type plainReader struct {
	r   io.Reader
	src *trackingReader
	err error
}

// Read implements io.Reader.
func (p *plainReader) Read(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	n, err := p.r.Read(b)
	if err == nil || errors.Is(err, io.EOF) {
		return n, err
	}
	switch {
	case p.src.err != nil:
		p.err = fmt.Errorf("seal: reading the sealed drop: %w", p.src.err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		p.err = fmt.Errorf("%w (%w): no final chunk", ErrTruncated, ErrTampered)
	default:
		p.err = fmt.Errorf("%w: %w", ErrTampered, err)
	}
	return n, p.err
}
