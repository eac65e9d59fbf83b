package relay

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/ed25519strict"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/meadowcap"
)

// The request headers that authenticate a request.
const (
	HeaderCapability = "Willow-Capability" // base64 (standard, padded) of encode_mc_capability
	HeaderSignature  = "Willow-Signature"  // base64 (standard, padded) of the 64-byte ed25519 signature
	HeaderTimestamp  = "Willow-Timestamp"  // Unix seconds, decimal
)

// SignaturePrefix separates the relay's request signatures from every other
// use of a Willow key (entries, handovers): no encode_entry or handover
// message starts with these bytes.
const SignaturePrefix = "willow-relay/v1 request\x00"

// SignedMessage is the message a capability's receiver signs to make a
// request:
//
//	"willow-relay/v1 request" 0x00
//	method          (upper case, e.g. "PUT")            0x0A
//	request target  (escaped path, plus "?" and the raw query if any) 0x0A
//	timestamp       (Unix seconds, decimal, as in Willow-Timestamp)   0x0A
//	WILLIAM3(body)  (32 bytes; the digest of the empty body for GET and DELETE)
//
// The namespace and the drop id are part of the request target.
func SignedMessage(method, target string, unixSeconds int64, bodyDigest [32]byte) []byte {
	m := make([]byte, 0, len(SignaturePrefix)+len(method)+len(target)+24+32)
	m = append(m, SignaturePrefix...)
	m = append(m, method...)
	m = append(m, '\n')
	m = append(m, target...)
	m = append(m, '\n')
	m = strconv.AppendInt(m, unixSeconds, 10)
	m = append(m, '\n')
	return append(m, bodyDigest[:]...)
}

// RequestTarget is the request target a signature covers: the escaped path
// and, if present, "?" and the raw query, exactly as sent.
func RequestTarget(r *http.Request) string {
	if r.URL.RawQuery != "" {
		return r.URL.EscapedPath() + "?" + r.URL.RawQuery
	}
	return r.URL.EscapedPath()
}

// SignRequest sets the Willow-* headers of r, whose body is body, for
// capability c and the secret of its receiver, at time now. It is the
// client side of the relay's authentication (used by tests and tools).
func SignRequest(r *http.Request, body []byte, c meadowcap.Capability, receiverSecret ids.SecretKey, now time.Time) error {
	enc, err := meadowcap.EncodeMcCapability(c)
	if err != nil {
		return fmt.Errorf("relay: sign request: %w", err)
	}
	ts := now.Unix()
	sig := receiverSecret.Sign(SignedMessage(r.Method, RequestTarget(r), ts, bab.Sum(body)))
	r.Header.Set(HeaderCapability, base64.StdEncoding.EncodeToString(enc))
	r.Header.Set(HeaderSignature, base64.StdEncoding.EncodeToString(sig[:]))
	r.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	return nil
}

// authenticate checks the capability and signature of r (whose body has the
// given digest) for namespace ns and access mode: it returns the capability.
func (h *Handler) authenticate(r *http.Request, ns ids.NamespaceID, mode meadowcap.AccessMode, bodyDigest [32]byte) (meadowcap.Capability, *Error) {
	var c meadowcap.Capability
	capB64, sigB64, tsStr := r.Header.Get(HeaderCapability), r.Header.Get(HeaderSignature), r.Header.Get(HeaderTimestamp)
	switch {
	case capB64 == "":
		return c, apiErr(http.StatusUnauthorized, CodeMissingAuth, "missing "+HeaderCapability+" header", nil)
	case sigB64 == "":
		return c, apiErr(http.StatusUnauthorized, CodeMissingAuth, "missing "+HeaderSignature+" header", nil)
	case tsStr == "":
		return c, apiErr(http.StatusUnauthorized, CodeMissingAuth, "missing "+HeaderTimestamp+" header", nil)
	}
	ts, err := strconv.ParseInt(tsStr, 10, 64)
	if err != nil || strings.TrimSpace(tsStr) != tsStr || strconv.FormatInt(ts, 10) != tsStr {
		return c, apiErr(http.StatusUnauthorized, CodeBadTimestamp, "Willow-Timestamp must be Unix seconds in canonical decimal", nil)
	}
	now := h.now().Unix()
	if skew := int64(h.cfg.MaxClockSkew / time.Second); ts < now-skew || ts > now+skew {
		return c, apiErr(http.StatusUnauthorized, CodeStaleTimestamp,
			fmt.Sprintf("Willow-Timestamp %d is more than %d s away from the relay's clock (%d)", ts, skew, now), nil)
	}
	capBytes, err := base64.StdEncoding.DecodeString(capB64)
	if err != nil {
		return c, apiErr(http.StatusUnauthorized, CodeBadCapability, "Willow-Capability is not standard base64", err)
	}
	d := codec.NewDecoder(capBytes, codec.Relation)
	if c, err = meadowcap.DecodeMcCapability(d); err != nil {
		return c, apiErr(http.StatusUnauthorized, CodeBadCapability, "Willow-Capability does not decode", err)
	}
	if d.Remaining() != 0 {
		return c, apiErr(http.StatusUnauthorized, CodeBadCapability, "Willow-Capability has trailing bytes", nil)
	}
	if err := c.Validate(); err != nil {
		return c, apiErr(http.StatusUnauthorized, CodeInvalidCapability, "the capability is not valid", err)
	}
	sig, err := base64.StdEncoding.DecodeString(sigB64)
	if err != nil {
		return c, apiErr(http.StatusUnauthorized, CodeBadSignature, "Willow-Signature is not standard base64", err)
	}
	receiver := c.Receiver()
	msg := SignedMessage(r.Method, RequestTarget(r), ts, bodyDigest)
	if err := ed25519strict.Check(receiver[:], msg, sig); err != nil {
		return c, apiErr(http.StatusUnauthorized, CodeBadSignature, "the request signature does not verify under the capability's receiver", err)
	}
	if c.GrantedNamespace() != ns {
		return c, apiErr(http.StatusForbidden, CodeWrongNamespace, "the capability is for namespace "+c.GrantedNamespace().String(), nil)
	}
	if c.AccessMode() != mode {
		return c, apiErr(http.StatusForbidden, CodeWrongAccessMode, "this request needs a "+mode.String()+" capability", nil)
	}
	// Replay protection: the signature of every accepted request is
	// remembered (as its digest) until its timestamp leaves the window; a
	// second use is refused. The signature is consumed even if the request
	// then fails (a client signs again, with a new timestamp, to retry).
	sigDigest := bab.Sum(sig)
	replayKey := hex.EncodeToString(sigDigest[:])
	expires := time.Unix(ts, 0).Add(h.cfg.MaxClockSkew + time.Second)
	fresh, err := h.cfg.Index.Remember(r.Context(), replayKey, h.now(), expires)
	if err != nil {
		return c, storageErr("remembering the request", err)
	}
	if !fresh {
		return c, apiErr(http.StatusConflict, CodeReplayedRequest, "this signed request was already used; sign a new one", nil)
	}
	return c, nil
}
