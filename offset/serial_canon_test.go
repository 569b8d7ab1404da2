package offset

import (
	"errors"
	"strconv"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
)

// TestParseSerialRefusesLeadingZeros: the fields that place a credit in
// the overlap check (first and last serial numbers, Gold Standard prefix
// fields) must be written without leading zeros, so one credit has one
// spelling there; Verra's identifier fields need only be digits. The
// error names "block", the serial's field and the rule.
func TestParseSerialRefusesLeadingZeros(t *testing.T) {
	const verra = "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"
	const gs = "GS1-1-KE-GS11603-16-2025-30256-110-5463"
	tests := []struct{ in, rule string }{
		{"19385-0941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1", "first and last serial must be decimal numbers without leading zeros, below 10^19"},
		{"19385-941467007-0941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1", "first and last serial must be decimal numbers without leading zeros, below 10^19"},
		// Verra identifier fields must still be digits.
		{"1938X-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1", "batch (field 1) must be digits"},
		{"19385-941467007-941467431-VCS-VCU-15O7-VER-ET-14-1340-01012020-31122020-1", "field 6 must be digits"},
		{"19385-941467007-941467431-VCS-VCU-1507-VER-ET-+14-1340-01012020-31122020-1", "sectoral scope (field 9) must be digits"},
		{"19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-P1340-01012020-31122020-1", "project ID (field 10) must be digits"},
		{"19385-941467007-941467431-VCS-VCU-1507-VER-ET-14--01012020-31122020-1", "project ID (field 10) must be digits"},
		{"19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1 ", "flag (field 13) must be digits"},
		{"GS01-1-KE-GS11603-16-2025-30256-110-5463", `field 1 must be "GS" followed by digits without leading zeros`},
		{"GS1-01-KE-GS11603-16-2025-30256-110-5463", "field 2 must be digits without leading zeros"},
		{"GS1-1-KE-GS011603-16-2025-30256-110-5463", `project (field 4) must be "GS" followed by digits without leading zeros`},
		{"GS1-1-KE-GS11603-016-2025-30256-110-5463", "product code (field 5) must be digits without leading zeros"},
		{"GS1-1-KE-GS11603-16-0202-30256-110-5463", "vintage (field 6) must be a four-digit year without a leading zero"},
		{"GS1-1-KE-GS11603-16-2025-030256-110-5463", "issuance batch (field 7) must be digits without leading zeros"},
		{"GS1-1-KE-GS11603-16-2025-30256-0110-5463", "first and last serial must be decimal numbers without leading zeros, below 10^19"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseSerialBlock(tt.in)
			var fe *footprint.FieldError
			if !errors.Is(err, ErrInvalidSerial) || !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a field error wrapping ErrInvalidSerial", err)
			}
			if fe.Field != "block" || fe.Value != tt.in || fe.Rule != tt.rule {
				t.Errorf("got field %q value %q rule %q, want block, %q, %q", fe.Field, fe.Value, fe.Rule, tt.in, tt.rule)
			}
		})
	}
	// A zero written as "0" is canonical (flag 0, GS field 2 "0"), and
	// Verra identifier fields are accepted zero-padded (TestVerraPaddedFields).
	for _, s := range []string{
		"19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-0",
		"GS1-0-KE-GS11603-16-2025-30256-110-5463",
		verra, gs,
	} {
		if _, err := ParseSerialBlock(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
}

// TestVerraPaddedFields: Verra's identifier fields (batch, field 6,
// sectoral scope, project ID, flag) are outside its overlap namespace, so
// they are accepted as written, zero-padded or not, and a block keeps them
// verbatim: it prints back to its text, round-trips through JSON text and
// passes Validate, as do its sub-blocks.
func TestVerraPaddedFields(t *testing.T) {
	for _, s := range []string{
		"19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-01340-01012020-31122020-1",
		"019385-941467007-941467431-VCS-VCU-01507-VER-ET-014-001340-01012020-31122020-01",
		"19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-00",
	} {
		t.Run(s, func(t *testing.T) {
			b, err := ParseSerialBlock(s)
			if err != nil {
				t.Fatal(err)
			}
			if b.Format != FormatVerra || b.Start != 941467007 || b.End != 941467431 || b.Country != "ET" || b.VintageStart != 2020 || b.VintageEnd != 2020 {
				t.Errorf("parsed %+v", b)
			}
			if got := b.String(); got != s {
				t.Errorf("String() = %q, want %q", got, s)
			}
			if err := b.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
			txt, err := b.MarshalText()
			if err != nil {
				t.Fatal(err)
			}
			var back SerialBlock
			if err := back.UnmarshalText(txt); err != nil || back != b {
				t.Errorf("text round trip: %+v, %v; want %+v", back, err, b)
			}
			sub, ok := b.Sub(941467010, 941467012)
			if !ok {
				t.Fatal("Sub refused")
			}
			if err := sub.Validate(); err != nil {
				t.Errorf("Sub Validate: %v", err)
			}
			if p, err := ParseSerialBlock(sub.String()); err != nil || p != sub {
				t.Errorf("Sub round trip: %+v, %v; want %+v", p, err, sub)
			}
		})
	}
	b, err := ParseSerialBlock("19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-01340-01012020-31122020-1")
	if err != nil {
		t.Fatal(err)
	}
	if b.Project != "01340" {
		t.Errorf("Project = %q, want %q (as written)", b.Project, "01340")
	}
	// The project as written is part of the block: clearing or unpadding
	// it no longer matches the text.
	unpadded := b
	unpadded.Project = "1340"
	err = unpadded.Validate()
	var fe *footprint.FieldError
	const want = `must be exactly the block its text form parses to (ParseSerialBlock): project is "1340" but the text gives "01340"`
	if !errors.Is(err, ErrInvalidSerial) || !errors.As(err, &fe) || fe.Rule != want {
		t.Errorf("unpadded Project: err = %v, want rule %q", err, want)
	}
}

// TestInventoryRefusesRespeltSerial: the reviewer's double counts. The
// same Gold Standard credit written with a zero-padded field is refused at
// parse time, so it cannot enter a second namespace; and two Verra blocks
// sharing unit numbers overlap whatever their project, batch or flag and
// however those are written.
func TestInventoryRefusesRespeltSerial(t *testing.T) {
	et := tproj("ET", TypeCookstoves, "ET", StandardVCS, Reduction)
	ke := tproj("KE", TypeCookstoves, "KE", StandardGoldStandard, Reduction)
	for _, s := range []string{
		"19385-0941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1",
		"19385-941467007-0941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1",
		"GS1-01-KE-GS11603-16-2025-30256-110-5463",
		"GS01-1-KE-GS11603-16-2025-30256-110-5463",
		"GS1-1-KE-GS011603-16-2025-30256-110-5463",
		"GS1-1-KE-GS11603-016-2025-30256-110-5463",
		"GS1-1-KE-GS11603-16-2025-030256-110-5463",
	} {
		var b SerialBlock
		if err := b.UnmarshalText([]byte(s)); !errors.Is(err, ErrInvalidSerial) {
			t.Errorf("%s: err = %v, want ErrInvalidSerial", s, err)
		}
	}
	parse := func(s string) SerialBlock {
		b, err := ParseSerialBlock(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	v1 := tlot("V1", "ET", 2020, 1, 425, "5", "USD")
	v1.Block = parse("19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1")
	v2 := v1
	v2.ID = "V2"
	v2.Block = parse("19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-9999-01012020-31122020-1")
	_, err := NewInventory([]Project{et}, []Lot{v1, v2})
	var fe *footprint.FieldError
	if !errors.Is(err, ErrInvalidInventory) || !errors.As(err, &fe) || fe.Field != "lots[1].block" {
		t.Errorf("Verra 1340 and 9999 with the same units: err = %v", err)
	}
	// The same credits respelt with zero-padded identifier fields, or an
	// overlapping part of them, still overlap v1.
	for _, s := range []string{
		"19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-01340-01012020-31122020-1",
		"019385-941467007-941467431-VCS-VCU-01507-VER-ET-014-001340-01012020-31122020-01",
		"019385-941467431-941467500-VCS-VCU-1507-VER-ET-14-09999-01012020-31122020-1",
		"77-941467000-941467007-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-0",
	} {
		v3 := v1
		v3.ID = "V3"
		v3.Block = parse(s)
		v3.Tonnes = int64(v3.Block.Count())
		_, err := NewInventory([]Project{et}, []Lot{v1, v3})
		var fe *footprint.FieldError
		if !errors.Is(err, ErrInvalidInventory) || !errors.As(err, &fe) || fe.Field != "lots[1].block" {
			t.Errorf("%s against v1: err = %v, want an overlap on lots[1].block", s, err)
		}
	}
	// Gold Standard keeps one namespace per batch: batch 30256 and 30257
	// both start at 110.
	g1 := tlot("G1", "KE", 2025, 1, 5354, "5", "USD")
	g1.Block = parse("GS1-1-KE-GS11603-16-2025-30256-110-5463")
	g2 := g1
	g2.ID = "G2"
	g2.Block = parse("GS1-1-KE-GS11603-16-2025-30257-110-5463")
	if _, err := NewInventory([]Project{ke}, []Lot{g1, g2}); err != nil {
		t.Errorf("two Gold Standard batches: %v", err)
	}
}

// TestSerialBlockValidateRoundTrip: a block must be exactly what its text
// parses to; a parsed Verra block relabelled as a range, or with its
// project or country cleared, would land in another overlap namespace.
func TestSerialBlockValidateRoundTrip(t *testing.T) {
	const s = "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"
	v, err := ParseSerialBlock(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Validate(); err != nil {
		t.Fatalf("parsed block: %v", err)
	}
	if sub, _ := v.Sub(941467010, 941467012); sub.Validate() != nil {
		t.Errorf("Sub: %v", sub.Validate())
	}
	if err := RangeBlock(1, 10).Validate(); err != nil {
		t.Errorf("RangeBlock: %v", err)
	}
	asRange, noProject, noCountry, wrongYear := v, v, v, v
	asRange.Format = FormatRange
	noProject.Project = ""
	noCountry.Country = ""
	wrongYear.VintageEnd = 2021
	const rt = "must be exactly the block its text form parses to (ParseSerialBlock): "
	tests := []struct {
		name string
		b    SerialBlock
		rule string
	}{
		{"Verra relabelled range", asRange, rt + `format is "range" but the text gives "verra"`},
		{"Verra without project", noProject, rt + `project is "" but the text gives "1340"`},
		{"Verra without country", noCountry, rt + `country is "" but the text gives "ET"`},
		{"Verra vintage end changed", wrongYear, rt + `vintage end is "2021" but the text gives "2020"`},
		{"range with a prefix", SerialBlock{Format: FormatRange, Prefix: "7-", Start: 1, End: 2},
			"its text form must parse as a serial block: must be a Verra or Gold Standard serial, or first-last (two decimal numbers)"},
		// 10^19 prints with 20 digits; a serial number has at most 19.
		{"range beyond 10^19", RangeBlock(1, 1e19),
			"its text form must parse as a serial block: first and last serial must be decimal numbers without leading zeros, below 10^19"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.b.Validate()
			var fe *footprint.FieldError
			if !errors.Is(err, ErrInvalidSerial) || !errors.As(err, &fe) {
				t.Fatalf("err = %v, want ErrInvalidSerial", err)
			}
			if fe.Field != "block" || fe.Value != tt.b.String() || fe.Rule != tt.rule {
				t.Errorf("got %q %q %q\nwant block %q %q", fe.Field, fe.Value, fe.Rule, tt.b.String(), tt.rule)
			}
		})
	}
	// Through NewInventory: the relabelled copy of a lot's Verra block is
	// refused on lots[1].block before the overlap check could miss it.
	et := tproj("ET", TypeCookstoves, "ET", StandardVCS, Reduction)
	a := tlot("V1", "ET", 2020, 1, 425, "5", "USD")
	a.Block = v
	for i, blk := range []SerialBlock{asRange, noProject} {
		b := a
		b.ID = "V" + strconv.Itoa(i+2)
		b.Block = blk
		_, err := NewInventory([]Project{et}, []Lot{a, b})
		var fe *footprint.FieldError
		if !errors.Is(err, ErrInvalidSerial) || !errors.As(err, &fe) || fe.Field != "lots[1].block" {
			t.Errorf("%+v: err = %v, want ErrInvalidSerial on lots[1].block", blk, err)
		}
	}
}
