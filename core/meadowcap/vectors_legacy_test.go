package meadowcap

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/internal/testvectors"
)

// A decoder for the capability encodings as willow-rs wrote them in July 2025,
// used only to confirm the reasons in vectorExceptions: communal area_{−1} =
// the full area, an open end counted as 2^64−1 with free *_from_start flags,
// and no check for empty ranges.

type legacyArea struct {
	anySubspace bool
	path        path.Path
	start, end  uint64
	open        bool
}

type legacyCap struct {
	owned       bool
	delegations []legacyArea
	// Which current-spec rules the code breaks.
	openRule, emptyRange bool
}

func legacyDecodeAreaInArea(d *codec.Decoder, outer legacyArea, c *legacyCap) (legacyArea, error) {
	header, err := d.Byte("legacy area header")
	if err != nil {
		return legacyArea{}, err
	}
	a := legacyArea{anySubspace: outer.anySubspace}
	if header&0x80 != 0 {
		if _, err := d.Array32("legacy area subspace"); err != nil {
			return legacyArea{}, err
		}
		a.anySubspace = false
	}
	a.open = header&0x40 != 0
	sfs, efs := header&0x20 != 0, header&0x10 != 0
	if outer.open && (!sfs || efs == a.open) {
		c.openRule = true
	}
	outerEnd := outer.end
	if outer.open {
		outerEnd = ^uint64(0)
	}
	diff, err := d.CU64(header>>2&3, 2, "legacy start diff")
	if err != nil {
		return legacyArea{}, err
	}
	if sfs {
		a.start = outer.start + diff
	} else {
		a.start = outerEnd - diff
	}
	if !a.open {
		diff, err := d.CU64(header&3, 2, "legacy end diff")
		if err != nil {
			return legacyArea{}, err
		}
		if efs {
			a.end = outer.start + diff
		} else {
			a.end = outerEnd - diff
		}
		if a.end <= a.start {
			c.emptyRange = true
		}
	}
	a.path, err = path.DecodeExtends(d, outer.path)
	return a, err
}

func legacyDecodeCapability(b []byte) (legacyCap, error) {
	d := codec.NewDecoder(b, codec.Relation)
	var c legacyCap
	header, err := d.Byte("legacy header")
	if err != nil {
		return c, err
	}
	c.owned = header&0x80 != 0
	n := 64
	if c.owned {
		n = 128
	}
	if _, err := d.Bytes(n, "legacy keys"); err != nil {
		return c, err
	}
	count, err := d.CU64(header&0x3f, 6, "legacy count")
	if err != nil {
		return c, err
	}
	prev := legacyArea{anySubspace: true, open: true} // the full area, for both kinds
	for i := uint64(0); i < count; i++ {
		if prev, err = legacyDecodeAreaInArea(d, prev, &c); err != nil {
			return c, err
		}
		if _, err := d.Bytes(96, "legacy user and signature"); err != nil {
			return c, err
		}
		c.delegations = append(c.delegations, prev)
	}
	return c, nil
}

var dbgTimes = regexp.MustCompile(`times:Range\{start:(\d+),end:(?:Closed\((\d+),?\)|Open)`)

// TestVectorExceptionReasons decodes every listed exception the old way and
// checks that the result matches the vector's dbg dump and that the reasons
// named in vectorExceptions are exactly the rules the code breaks.
func TestVectorExceptionReasons(t *testing.T) {
	root := testvectors.Dir(t, "willow_test_vectors")
	for id, reason := range vectorExceptions {
		folder, name, _ := strings.Cut(id, "/")
		yay, err := os.ReadFile(filepath.Join(root, folder, "yay", name))
		mustNoErr(t, err)
		re, err := os.ReadFile(filepath.Join(root, folder, "reencoded", name))
		mustNoErr(t, err)
		dbg, err := os.ReadFile(filepath.Join(root, folder, "dbg", name))
		mustNoErr(t, err)
		c, err := legacyDecodeCapability(yay)
		if err != nil {
			t.Errorf("%s: does not decode under the old rules either: %v", id, err)
			continue
		}
		c2, err := legacyDecodeCapability(re)
		if err != nil || len(c2.delegations) != len(c.delegations) {
			t.Errorf("%s: reencoded does not decode to the same value under the old rules: %v", id, err)
			continue
		}
		flat := strings.Join(strings.Fields(string(dbg)), "")
		times := dbgTimes.FindAllStringSubmatch(flat, -1)
		if len(times) != len(c.delegations) || strings.Count(flat, "subspace:Any") != len(c.delegations) {
			t.Errorf("%s: dbg has %d time ranges, legacy decoding %d delegations", id, len(times), len(c.delegations))
			continue
		}
		for i, d := range c.delegations {
			d2 := c2.delegations[i]
			want := times[i][1] + "," + times[i][2]
			got := strconv.FormatUint(d.start, 10) + ","
			if !d.open {
				got += strconv.FormatUint(d.end, 10)
			}
			if got != want || !d.anySubspace || d2.start != d.start || d2.end != d.end || d2.open != d.open || !d2.path.Equal(d.path) {
				t.Errorf("%s: delegation %d decodes to [%s) under the old rules, dbg says [%s)", id, i, got, want)
			}
		}
		communalBase := !c.owned && len(c.delegations) > 0
		for _, check := range []struct {
			broken bool
			reason string
		}{{communalBase, reasonCommunalBase}, {c.openRule, reasonOpenRule}, {c.emptyRange, reasonEmptyRange}} {
			if check.broken != strings.Contains(reason, check.reason) {
				t.Errorf("%s: breaks %q: %v, but the listed reason is %q", id, check.reason, check.broken, reason)
			}
		}
	}
}
