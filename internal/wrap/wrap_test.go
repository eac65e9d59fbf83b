package wrap

import (
	"errors"
	"fmt"
	"strconv"
	"testing"
)

var (
	errA = errors.New("a failed")
	errB = errors.New("b failed")
)

func TestSameAsFmt(t *testing.T) {
	cases := []struct {
		got, want error
	}{
		{Prefix("store: open", errA), fmt.Errorf("store: open: %w", errA)},
		{Detail(errA, "chunk 3"), fmt.Errorf("%w: chunk 3", errA)},
		{Both(errA, errB), fmt.Errorf("%w: %w", errA, errB)},
		{New("x "+Int(-4)+" y "+Uint(1<<63), errA), fmt.Errorf("x %d y %d%.0w", -4, uint64(1<<63), errA)},
	}
	for _, c := range cases {
		if c.got.Error() != c.want.Error() {
			t.Errorf("message %q, fmt gives %q", c.got, c.want)
		}
	}
}

func TestUnwrap(t *testing.T) {
	if e := Prefix("p", errA); !errors.Is(e, errA) || errors.Unwrap(e) != errA {
		t.Errorf("Prefix does not wrap: %v", e)
	}
	if e := Detail(errA, "d"); !errors.Is(e, errA) || errors.Unwrap(e) != errA {
		t.Errorf("Detail does not wrap: %v", e)
	}
	e := Both(errA, errB)
	if !errors.Is(e, errA) || !errors.Is(e, errB) {
		t.Errorf("Both does not wrap both: %v", e)
	}
	if u, ok := e.(interface{ Unwrap() []error }); !ok || len(u.Unwrap()) != 2 {
		t.Errorf("Both has no Unwrap() []error")
	}
	if e := New("m", errA, errB); !errors.Is(e, errB) || e.Error() != "m" {
		t.Errorf("New with two errors: %v", e)
	}
	if e := New("m"); errors.Unwrap(e) != nil || e.Error() != "m" {
		t.Errorf("New with no error: %v", e)
	}
	var target *one
	if !errors.As(Prefix("outer", Prefix("inner", errA)), &target) || target.Error() != "outer: inner: a failed" {
		t.Errorf("errors.As finds %v", target)
	}
}

func TestNum(t *testing.T) {
	type small uint8
	if got := Num(int8(-128)) + " " + Num(uint64(1<<64-1)) + " " + Num(small(7)) + " " + Num(-3); got != "-128 18446744073709551615 7 -3" {
		t.Errorf("Num: %q", got)
	}
}

func TestQuote(t *testing.T) {
	for _, s := range []string{"", "plain name", `quo"te`, `back\slash`, "new\nline\x00\x7f", "ünïcode"} {
		q := Quote(s)
		back, err := strconv.Unquote(q)
		if err != nil || back != s {
			t.Errorf("Quote(%q) = %s, unquotes to %q (%v)", s, q, back, err)
		}
	}
}

func TestDescribe(t *testing.T) {
	if got := Describe(errA); got != "a failed" {
		t.Errorf("error: %q", got)
	}
	if got := Describe("boom"); got != "boom" {
		t.Errorf("string: %q", got)
	}
	if got := Describe(strconv.NumError{Func: "f", Num: "1", Err: errA}.Err); got != "a failed" {
		t.Errorf("wrapped: %q", got)
	}
	if got := Describe(42); got == "" {
		t.Errorf("int: empty description")
	}
}
