package entry_test

// Semantic tests of the Willow'25 reading of timestamps: microseconds of TAI
// since J2000 (2000-01-01 12:00:00 TT = 11:59:27.816 TAI = 11:58:55.816 UTC).

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/willow-web/willow-web/core/entry"
)

// semLeapSeconds lists, independently of the implementation's table, the
// UTC midnights right after each positive leap second (IERS Bulletin C),
// with TAI−UTC from then on.
var semLeapSeconds = []struct {
	at     time.Time
	offset int
}{
	{time.Date(1972, 7, 1, 0, 0, 0, 0, time.UTC), 11},
	{time.Date(1973, 1, 1, 0, 0, 0, 0, time.UTC), 12},
	{time.Date(1974, 1, 1, 0, 0, 0, 0, time.UTC), 13},
	{time.Date(1975, 1, 1, 0, 0, 0, 0, time.UTC), 14},
	{time.Date(1976, 1, 1, 0, 0, 0, 0, time.UTC), 15},
	{time.Date(1977, 1, 1, 0, 0, 0, 0, time.UTC), 16},
	{time.Date(1978, 1, 1, 0, 0, 0, 0, time.UTC), 17},
	{time.Date(1979, 1, 1, 0, 0, 0, 0, time.UTC), 18},
	{time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), 19},
	{time.Date(1981, 7, 1, 0, 0, 0, 0, time.UTC), 20},
	{time.Date(1982, 7, 1, 0, 0, 0, 0, time.UTC), 21},
	{time.Date(1983, 7, 1, 0, 0, 0, 0, time.UTC), 22},
	{time.Date(1985, 7, 1, 0, 0, 0, 0, time.UTC), 23},
	{time.Date(1988, 1, 1, 0, 0, 0, 0, time.UTC), 24},
	{time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), 25},
	{time.Date(1991, 1, 1, 0, 0, 0, 0, time.UTC), 26},
	{time.Date(1992, 7, 1, 0, 0, 0, 0, time.UTC), 27},
	{time.Date(1993, 7, 1, 0, 0, 0, 0, time.UTC), 28},
	{time.Date(1994, 7, 1, 0, 0, 0, 0, time.UTC), 29},
	{time.Date(1996, 1, 1, 0, 0, 0, 0, time.UTC), 30},
	{time.Date(1997, 7, 1, 0, 0, 0, 0, time.UTC), 31},
	{time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC), 32},
	{time.Date(2006, 1, 1, 0, 0, 0, 0, time.UTC), 33},
	{time.Date(2009, 1, 1, 0, 0, 0, 0, time.UTC), 34},
	{time.Date(2012, 7, 1, 0, 0, 0, 0, time.UTC), 35},
	{time.Date(2015, 7, 1, 0, 0, 0, 0, time.UTC), 36},
	{time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), 37},
}

// semJ2000UTC is J2000 on the UTC clock (TAI−UTC was 32 s then).
var semJ2000UTC = time.Date(2000, 1, 1, 11, 58, 55, 816_000_000, time.UTC)

func semTS(t *testing.T, tm time.Time) entry.Timestamp {
	t.Helper()
	ts, ok := entry.TimestampFromTime(tm)
	if !ok {
		t.Fatalf("TimestampFromTime(%v) failed", tm)
	}
	return ts
}

func TestSemanticsTimestampKnownValues(t *testing.T) {
	if ts := semTS(t, semJ2000UTC); ts != 0 {
		t.Errorf("J2000 → %d, want 0", ts)
	}
	if got := entry.Timestamp(0).Time(); !got.Equal(semJ2000UTC) {
		t.Errorf("Timestamp(0).Time() = %v, want %v", got, semJ2000UTC)
	}
	// The same instant in another time zone is the same timestamp.
	if ts := semTS(t, semJ2000UTC.In(time.FixedZone("UTC+5:30", 5*3600+1800))); ts != 0 {
		t.Errorf("J2000 in another zone → %d, want 0", ts)
	}
	// The website tutorial printed now() = 814676859787575 on 2025-10-25.
	// With TAI−UTC = 37 s: 814676859.787575 + 946727930.816 = Unix
	// 1761404790.603575 = 2025-10-25T15:06:30.603575Z.
	tutorial := time.Date(2025, 10, 25, 15, 6, 30, 603_575_000, time.UTC)
	if got := entry.Timestamp(814676859787575).Time(); !got.Equal(tutorial) {
		t.Errorf("Timestamp(814676859787575).Time() = %v, want %v", got, tutorial)
	}
	if ts := semTS(t, tutorial); ts != 814676859787575 {
		t.Errorf("TimestampFromTime(%v) = %d, want 814676859787575", tutorial, ts)
	}
	// One day after J2000 (no leap second in between) is 86400 s later.
	if ts := semTS(t, semJ2000UTC.Add(24*time.Hour)); ts != 86_400_000_000 {
		t.Errorf("J2000 + 1 day → %d", ts)
	}
	// Over 2000..2017 the clock gained the five leap seconds of 2005-2016.
	from, to := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)
	if d := int64(semTS(t, to) - semTS(t, from)); d != to.Sub(from).Microseconds()+5_000_000 {
		t.Errorf("2001→2018 is %d µs of TAI, want the UTC span + 5 s", d)
	}
	// Sub-microsecond parts are dropped, not rounded up.
	if ts := semTS(t, semJ2000UTC.Add(999*time.Nanosecond)); ts != 0 {
		t.Errorf("J2000 + 999 ns → %d, want 0", ts)
	}
}

func TestSemanticsTimestampBeforeJ2000(t *testing.T) {
	for _, tm := range []time.Time{
		semJ2000UTC.Add(-time.Microsecond),
		semJ2000UTC.Add(-time.Second),
		time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Unix(0, 0),
		time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		if ts, ok := entry.TimestampFromTime(tm); ok {
			t.Errorf("TimestampFromTime(%v) = %d, true; want false", tm, ts)
		}
	}
}

func TestSemanticsTimestampRoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	lo := time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC).UnixMicro()
	hi := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	for range 100000 {
		tm := time.UnixMicro(lo + r.Int64N(hi-lo)).UTC()
		ts := semTS(t, tm)
		if back := ts.Time(); !back.Equal(tm) {
			t.Fatalf("%v → %d → %v", tm, ts, back)
		}
		// And the other way round, from the timestamp (random timestamps
		// in leap seconds are vanishingly rare; they are tested below).
		ts2 := entry.Timestamp(r.Uint64N(uint64(hi - lo)))
		if back, ok := entry.TimestampFromTime(ts2.Time()); !ok || back != ts2 {
			t.Fatalf("%d → %v → %d, %v", ts2, ts2.Time(), back, ok)
		}
		// The conversion is an offset by TAI−UTC: within the same offset,
		// differences are preserved.
		tm2 := tm.Add(time.Duration(r.IntN(3600)) * time.Second)
		if semOffset(tm2) == semOffset(tm) {
			if d := int64(semTS(t, tm2) - ts); d != tm2.Sub(tm).Microseconds() {
				t.Fatalf("%v..%v: TAI span %d µs, UTC span %d µs", tm, tm2, d, tm2.Sub(tm).Microseconds())
			}
		}
	}
}

// semOffset is TAI−UTC at tm from the independent table.
func semOffset(tm time.Time) int {
	off := 10
	for _, l := range semLeapSeconds {
		if !tm.Before(l.at) {
			off = l.offset
		}
	}
	return off
}

func TestSemanticsTimestampLeapSeconds(t *testing.T) {
	// Every instant gets TAI−UTC from the table: check it against J2000's
	// offset of 32 s, which fixes the absolute offset, for every leap second
	// after J2000; those before J2000 are checked through the 32 itself.
	if semOffset(semJ2000UTC) != 32 {
		t.Fatalf("independent table: offset at J2000 is %d", semOffset(semJ2000UTC))
	}
	for _, l := range semLeapSeconds {
		if l.at.Before(semJ2000UTC) {
			continue
		}
		s := l.at
		// The UTC second before midnight lasted two SI seconds (23:59:59 and
		// 23:59:60).
		before, at := semTS(t, s.Add(-time.Second)), semTS(t, s)
		if at-before != 2_000_000 {
			t.Errorf("%v: 23:59:59 → 00:00:00 spans %d µs of TAI, want 2 s", s, at-before)
		}
		// The absolute value: TAI−UTC after the step.
		want := s.Sub(semJ2000UTC).Microseconds() + int64(l.offset-32)*1_000_000
		if int64(at) != want {
			t.Errorf("%v → %d, want %d (TAI−UTC %d)", s, at, want, l.offset)
		}
		// Round trips from UTC around the boundary.
		for _, d := range []time.Duration{-2 * time.Second, -time.Second, -time.Microsecond, 0, time.Microsecond, time.Second, 2 * time.Second} {
			tm := s.Add(d)
			if back := semTS(t, tm).Time(); !back.Equal(tm) {
				t.Errorf("%v → %d → %v", tm, semTS(t, tm), back)
			}
		}
		// Round trips from TAI: every timestamp outside the leap second comes
		// back; the ones inside it (23:59:60.xxx, which time.Time cannot
		// name) map to the first instant after it. Time() never goes back.
		prev := time.Time{}
		for x := int64(-1_500_000); x <= 3_500_000; x += 250_000 {
			ts := entry.Timestamp(int64(before) + x)
			got := ts.Time()
			inLeap := x >= 1_000_000 && x < 2_000_000
			if inLeap {
				if !got.Equal(s) {
					t.Errorf("%v: leap-second timestamp %d (+%d µs) → %v, want %v", s, ts, x, got, s)
				}
			} else if back := semTS(t, got); back != ts {
				t.Errorf("%v: %d → %v → %d", s, ts, got, back)
			}
			if got.Before(prev) {
				t.Errorf("%v: Time() went back from %v to %v at +%d µs", s, prev, got, x)
			}
			prev = got
		}
	}
}

func TestSemanticsTimestampMonotone(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		a := entry.Timestamp(r.Uint64N(1 << 62))
		b := a + entry.Timestamp(r.Uint64N(10_000_000))
		if a.Time().After(b.Time()) {
			t.Fatalf("Time(%d) = %v after Time(%d) = %v", a, a.Time(), b, b.Time())
		}
	}
	// Far beyond any calendar Time() stays defined and does not wrap.
	if got := (^entry.Timestamp(0)).Time(); got.Before(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Time(2^64-1) = %v", got)
	}
	if now, ts := time.Now(), entry.Now(); ts.Time().Sub(now).Abs() > time.Minute {
		t.Errorf("Now() = %d reads as %v, but it is %v", ts, ts.Time(), now)
	}
	if entry.Timestamp(3).Compare(4) != -1 || entry.Timestamp(4).Compare(3) != 1 || entry.Timestamp(4).Compare(4) != 0 {
		t.Error("Timestamp.Compare")
	}
}
