package jsbridge

import (
	"strconv"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/meadowcap"
)

// Capabilities and tokens cross the bridge in their canonic Willow
// encodings (encode_mc_capability; a token is the capability code followed by
// the 64-byte signature). Results describe the value so JavaScript can show
// it without decoding Willow encodings itself:
//
//	capability  bytes code ‖ u8 owned ‖ u8 mode (0 read, 1 write) ‖ id namespace ‖ id user ‖
//	            sig initial authorisation ‖ id receiver ‖ area granted ‖
//	            uvarint n ‖ n × (area ‖ id user ‖ sig)
//	token       bytes code ‖ capability ‖ sig

// Capability reads a capability given as its canonic code.
func (r *Reader) Capability(field string) meadowcap.Capability {
	code := r.Bytes(field)
	if r.err != nil {
		return meadowcap.Capability{}
	}
	c, err := decodeExactly(code, meadowcap.DecodeMcCapability)
	if err != nil {
		r.err = ToError(err)
	}
	return c
}

// Token reads an authorisation token given as its code.
func (r *Reader) Token(field string) meadowcap.AuthorisationToken {
	code := r.Bytes(field)
	if r.err != nil {
		return meadowcap.AuthorisationToken{}
	}
	t, err := decodeExactly(code, meadowcap.DecodeToken)
	if err != nil {
		r.err = ToError(err)
	}
	return t
}

// Capability writes the description of a capability.
func (w *Writer) Capability(c meadowcap.Capability) error {
	code, err := meadowcap.EncodeMcCapability(c)
	if err != nil {
		return err
	}
	w.Bytes(code)
	w.Bool(c.IsOwned())
	w.Bool(c.AccessMode() == meadowcap.Write)
	ns, user, auth, recv := c.GrantedNamespace(), c.User(), c.InitialAuthorisation(), c.Receiver()
	w.Raw(ns[:])
	w.Raw(user[:])
	w.Raw(auth[:])
	w.Raw(recv[:])
	w.Area(c.GrantedArea())
	w.Uvarint(uint64(c.NumDelegations()))
	for i := 0; i < c.NumDelegations(); i++ {
		d := c.Delegation(i)
		u, s := d.User(), d.Signature()
		w.Area(d.Area())
		w.Raw(u[:])
		w.Raw(s[:])
	}
	return nil
}

// tokenCode writes a token as bytes of its code.
func (w *Writer) tokenCode(t meadowcap.AuthorisationToken) error {
	code, err := meadowcap.AppendEncodeToken(nil, t)
	if err != nil {
		return err
	}
	w.Bytes(code)
	return nil
}

// Token writes the description of a token.
func (w *Writer) Token(t meadowcap.AuthorisationToken) error {
	code, err := meadowcap.AppendEncodeToken(nil, t)
	if err != nil {
		return err
	}
	w.Bytes(code)
	if err := w.Capability(t.Capability()); err != nil {
		return err
	}
	sig := t.Signature()
	w.Raw(sig[:])
	return nil
}

func (r *Reader) accessMode(field string) meadowcap.AccessMode {
	switch m := r.U8(field); m {
	case 0:
		return meadowcap.Read
	case 1:
		return meadowcap.Write
	default:
		r.FailWith(CodeInvalidArgument, "access mode "+strconv.Itoa(int(m))+" is neither read (0) nor write (1)")
		return meadowcap.Read
	}
}

// Capability op codes.
const (
	OpCapCommunal        = 0x40
	OpCapOwned           = 0x41
	OpCapDelegate        = 0x42
	OpCapDecode          = 0x43
	OpCapValidate        = 0x44
	OpAuthorise          = 0x45
	OpCheckAuthorised    = 0x46
	OpTokenDecode        = 0x47
	OpCapOwnedFromSigned = 0x48
)

func (b *Bridge) capabilityOp(op byte, r *Reader, w *Writer) error {
	switch op {
	case OpCapCommunal:
		mode := r.accessMode("access mode")
		ns := ids.NamespaceID(r.Array32("namespace id"))
		user := ids.SubspaceID(r.Array32("user"))
		if err := r.Done(); err != nil {
			return err
		}
		c, err := meadowcap.NewCommunal(mode, ns, user)
		if err != nil {
			return err
		}
		return w.Capability(c)
	case OpCapOwned:
		mode := r.accessMode("access mode")
		secret := ids.SecretKey(r.Array32("namespace secret"))
		user := ids.SubspaceID(r.Array32("user"))
		if err := r.Done(); err != nil {
			return err
		}
		c, err := meadowcap.NewOwned(mode, secret, user)
		if err != nil {
			return err
		}
		return w.Capability(c)
	case OpCapOwnedFromSigned:
		mode := r.accessMode("access mode")
		ns := ids.NamespaceID(r.Array32("namespace id"))
		user := ids.SubspaceID(r.Array32("user"))
		sig := ids.Signature(r.Array64("initial authorisation"))
		if err := r.Done(); err != nil {
			return err
		}
		c, err := meadowcap.NewOwnedWithAuthorisation(mode, ns, user, sig)
		if err != nil {
			return err
		}
		return w.Capability(c)
	case OpCapDelegate:
		c := r.Capability("capability")
		secret := ids.SecretKey(r.Array32("receiver secret"))
		area := r.Area("area")
		user := ids.SubspaceID(r.Array32("new user"))
		if err := r.Done(); err != nil {
			return err
		}
		d, err := meadowcap.Delegate(c, secret, area, user)
		if err != nil {
			return err
		}
		return w.Capability(d)
	case OpCapDecode:
		c := r.Capability("capability")
		if err := r.Done(); err != nil {
			return err
		}
		return w.Capability(c)
	case OpCapValidate:
		c := r.Capability("capability")
		if err := r.Done(); err != nil {
			return err
		}
		return c.Validate()
	case OpAuthorise:
		e := r.Entry("entry")
		c := r.Capability("capability")
		secret := ids.SecretKey(r.Array32("receiver secret"))
		if err := r.Done(); err != nil {
			return err
		}
		t, err := meadowcap.Authorise(e, c, secret)
		if err != nil {
			return err
		}
		return w.Token(t)
	case OpCheckAuthorised:
		return opCheckAuthorised(r, w)
	case OpTokenDecode:
		t := r.Token("token")
		if err := r.Done(); err != nil {
			return err
		}
		return w.Token(t)
	}
	return errorf(CodeUnknownOp, "unknown capability op")
}

// opCheckAuthorised verifies a batch of (entry, token) pairs; each result is
// u8 0 (authorised) or u8 1 ‖ string code ‖ string message. A token that does
// not decode is a per-item failure, not a failure of the batch.
func opCheckAuthorised(r *Reader, w *Writer) error {
	n := r.Count("count", 100)
	for range n {
		e := r.Entry("entry")
		code := r.Bytes("token")
		if r.Err() != nil {
			break
		}
		err := checkAuthorised(e, code)
		if err == nil {
			w.U8(0)
			continue
		}
		be := ToError(err)
		w.U8(1)
		w.String(be.Code)
		w.String(be.Message)
	}
	return r.Done()
}

// checkAuthorised decodes a token and verifies that it authorises e.
func checkAuthorised(e entry.Entry, code []byte) error {
	t, err := decodeExactly(code, meadowcap.DecodeToken)
	if err != nil {
		return err
	}
	return meadowcap.CheckAuthorisedWrite(e, t)
}

// authorisedEntry decodes and verifies a token for e.
func authorisedEntry(e entry.Entry, code []byte) (meadowcap.AuthorisedEntry, error) {
	t, err := decodeExactly(code, meadowcap.DecodeToken)
	if err != nil {
		return meadowcap.AuthorisedEntry{}, err
	}
	return meadowcap.NewAuthorisedEntry(e, t)
}
