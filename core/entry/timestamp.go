package entry

import (
	"strconv"
	"time"
)

// Timestamp is a Willow timestamp: a u64 which Willow'25 recommends reading as
// microseconds of International Atomic Time (TAI) since the J2000 epoch
// (2000-01-01 12:00:00 TT). Nothing in the protocol enforces that meaning;
// the conversions below implement it.
type Timestamp uint64

// Compare orders timestamps numerically.
func (t Timestamp) Compare(u Timestamp) int {
	switch {
	case t < u:
		return -1
	case t > u:
		return 1
	}
	return 0
}

// String prints the raw number.
func (t Timestamp) String() string { return strconv.FormatUint(uint64(t), 10) }

// j2000UnixMicros is the J2000 epoch (2000-01-01T11:59:27.816 TAI) in the
// scale TimestampFromTime converts to: Unix time in microseconds plus the
// leap-second offset TAI−UTC, i.e. a TAI count that agrees with Unix time
// before the first leap second.
const j2000UnixMicros = 946_727_967_816_000

// TimestampFromTime converts a UTC instant to TAI microseconds since J2000,
// using the table of leap seconds. It fails for instants before J2000 (which
// a Timestamp cannot hold).
func TimestampFromTime(t time.Time) (Timestamp, bool) {
	unix := t.UnixMicro()
	tai := unix + taiMinusUTC(t.Unix())*1_000_000 - j2000UnixMicros
	if tai < 0 {
		return 0, false
	}
	return Timestamp(tai), true
}

// Now is the current time as a Willow'25 timestamp.
func Now() Timestamp {
	ts, _ := TimestampFromTime(time.Now())
	return ts
}

// Time converts the timestamp back to a UTC time (the inverse of
// TimestampFromTime except inside a leap second, which UTC time.Time cannot
// name: those map to the first instant after it, 00:00:00 of the next day, so
// Time never goes backwards).
func (t Timestamp) Time() time.Time {
	if t > 1<<62 { // far beyond any calendar; avoid overflow
		t = 1 << 62
	}
	taiUnixMicros := int64(t) + j2000UnixMicros
	// TAI−UTC is a step function of UTC; guess with the TAI reading, then fix.
	off := taiMinusUTC(taiUnixMicros/1_000_000 - 37)
	utc := taiUnixMicros - off*1_000_000
	if o2 := taiMinusUTC(utc / 1_000_000); o2 != off {
		utc = taiUnixMicros - o2*1_000_000
	}
	// Inside a leap second no UTC reading fits: the one found lies in the
	// second before the step (a repeat of 23:59:59). Clamp to the step.
	if taiMinusUTC(utc/1_000_000)*1_000_000 != taiUnixMicros-utc {
		utc = (utc/1_000_000 + 1) * 1_000_000
	}
	return time.UnixMicro(utc).UTC()
}

// taiMinusUTC returns TAI−UTC in seconds at a Unix time, from the table of
// leap seconds: 10 s from 1972-01-01, one more at each listed instant, 37 s
// since 2017-01-01 (IERS Bulletin C has announced none since). Instants before
// 1972 get 10 s, an approximation: UTC had fractional steps then.
func taiMinusUTC(unix int64) int64 {
	steps := [...]int64{
		78796800,   // 1972-07-01 → 11
		94694400,   // 1973-01-01 → 12
		126230400,  // 1974-01-01
		157766400,  // 1975-01-01
		189302400,  // 1976-01-01
		220924800,  // 1977-01-01
		252460800,  // 1978-01-01
		283996800,  // 1979-01-01
		315532800,  // 1980-01-01
		362793600,  // 1981-07-01
		394329600,  // 1982-07-01
		425865600,  // 1983-07-01
		489024000,  // 1985-07-01
		567993600,  // 1988-01-01
		631152000,  // 1990-01-01
		662688000,  // 1991-01-01
		709948800,  // 1992-07-01
		741484800,  // 1993-07-01
		773020800,  // 1994-07-01
		820454400,  // 1996-01-01
		867715200,  // 1997-07-01
		915148800,  // 1999-01-01
		1136073600, // 2006-01-01
		1230768000, // 2009-01-01
		1341100800, // 2012-07-01
		1435708800, // 2015-07-01
		1483228800, // 2017-01-01 → 37
	}
	off := int64(10)
	for _, s := range steps {
		if unix < s {
			break
		}
		off++
	}
	return off
}
