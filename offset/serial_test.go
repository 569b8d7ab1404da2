package offset

import (
	"errors"
	"testing"
)

func TestParseSerialBlock(t *testing.T) {
	tests := []struct {
		name, in     string
		format       SerialFormat
		start, end   uint64
		count        uint64
		country, prj string
		vintage      int
	}{
		// 941467431 − 941467007 + 1 = 425 credits.
		{"Verra example from the registry", "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1",
			FormatVerra, 941467007, 941467431, 425, "ET", "1340", 2020},
		// 5463 − 110 + 1 = 5354 credits.
		{"Gold Standard example from the registry", "GS1-1-KE-GS11603-16-2025-30256-110-5463",
			FormatGoldStandard, 110, 5463, 5354, "KE", "GS11603", 2025},
		// 3 − 3 + 1 = 1 credit.
		{"Gold Standard single credit", "GS1-1-CR-GS2913-22-2025-30184-3-3", FormatGoldStandard, 3, 3, 1, "CR", "GS2913", 2025},
		// 1500 − 1001 + 1 = 500.
		{"generic range", "1001-1500", FormatRange, 1001, 1500, 500, "", "", 0},
		{"generic single", "7-7", FormatRange, 7, 7, 1, "", "", 0},
		{"generic zero start", "0-9", FormatRange, 0, 9, 10, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ParseSerialBlock(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if b.Format != tt.format || b.Start != tt.start || b.End != tt.end || b.Count() != tt.count ||
				b.Country != tt.country || b.Project != tt.prj || b.VintageStart != tt.vintage {
				t.Errorf("got %+v, count %d", b, b.Count())
			}
			if s := b.String(); s != tt.in {
				t.Errorf("String() = %q, want %q", s, tt.in)
			}
		})
	}
}

func TestSerialSub(t *testing.T) {
	b, _ := ParseSerialBlock("19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1")
	s, ok := b.Sub(941467010, 941467012)
	if !ok || s.String() != "19385-941467010-941467012-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1" || s.Count() != 3 {
		t.Errorf("Sub = %v %v", s, ok)
	}
	if _, ok := b.Sub(941467000, 941467010); ok {
		t.Error("Sub outside the block accepted")
	}
	g, _ := ParseSerialBlock("GS1-1-KE-GS11603-16-2025-30256-110-5463")
	if s, _ := g.Sub(200, 200); s.String() != "GS1-1-KE-GS11603-16-2025-30256-200-200" {
		t.Errorf("GS Sub = %v", s)
	}
}

func TestParseSerialBlockErrors(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"one number", "12345"},
		{"end before start", "200-100"},
		{"leading zero", "0100-0200"},
		{"letters in range", "1a-20"},
		{"three parts", "1-2-3"},
		{"overflow", "1-99999999999999999999"},
		{"Verra with 12 fields", "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020"},
		{"Verra bad date", "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-32012020-31122020-1"},
		{"Verra 29 Feb of a common year", "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-29022021-31122021-1"},
		{"Verra vintage end before start", "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012021-31122020-1"},
		{"Verra end before start", "19385-941467431-941467007-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"},
		{"Verra lower-case country", "19385-941467007-941467431-VCS-VCU-1507-VER-et-14-1340-01012020-31122020-1"},
		{"GS missing field", "GS1-1-KE-GS11603-16-2025-110-5463"},
		{"GS bad project", "GS1-1-KE-11603-16-2025-30256-110-5463"},
		{"GS bad year", "GS1-1-KE-GS11603-16-25-30256-110-5463"},
		{"GS end before start", "GS1-1-KE-GS11603-16-2025-30256-5463-110"},
		{"too long", string(make([]byte, 201))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSerialBlock(tt.in)
			if !errors.Is(err, ErrInvalidSerial) {
				t.Fatalf("err = %v, want ErrInvalidSerial", err)
			}
		})
	}
}

func TestAppendSpans(t *testing.T) {
	tests := []struct {
		name string
		r    GramRange
		want []SerialSpan
	}{
		// Grams [250000, 758000) all lie in the lot's first credit
		// (serial 100 + 250000/10^6 = 100).
		{"part of one credit", GramRange{250000, 758000}, []SerialSpan{{100, 100, 250000, 758000}}},
		{"one whole credit", GramRange{0, 1000000}, []SerialSpan{{100, 100, 0, 1000000}}},
		// [3,250,000, 6,500,000): credit 3 from 250,000; credits 4–5 whole;
		// credit 6 up to 500,000.
		{"partial, whole run, partial", GramRange{3250000, 6500000},
			[]SerialSpan{{103, 103, 250000, 1000000}, {104, 105, 0, 1000000}, {106, 106, 0, 500000}}},
		{"whole run ending partial", GramRange{0, 2000001}, []SerialSpan{{100, 101, 0, 1000000}, {102, 102, 0, 1}}},
		{"partial then whole", GramRange{999999, 2000000}, []SerialSpan{{100, 100, 999999, 1000000}, {101, 101, 0, 1000000}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := appendSpans(nil, 100, tt.r)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			var n int64
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("span %d = %v, want %v", i, got[i], tt.want[i])
				}
				n += got[i].Grams()
			}
			if n != tt.r.Len() {
				t.Errorf("spans cover %d g, range %d g", n, tt.r.Len())
			}
		})
	}
	if s := (SerialSpan{941467010, 941467010, 250000, 758000}).String(); s != "941467010 g[250000,758000)" {
		t.Errorf("String = %q", s)
	}
}

func FuzzParseSerialBlock(f *testing.F) {
	for _, s := range []string{
		"19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1",
		"GS1-1-KE-GS11603-16-2025-30256-110-5463",
		"1001-1500", "0-0", "GS-", "-VCS-", "18446744073709551615-18446744073709551615",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseSerialBlock(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidSerial) {
				t.Fatalf("error %v does not wrap ErrInvalidSerial", err)
			}
			return
		}
		if b.String() != s {
			t.Fatalf("round trip: %q → %q", s, b.String())
		}
		if b.End < b.Start || b.Count() != b.End-b.Start+1 {
			t.Fatalf("bad range %d-%d", b.Start, b.End)
		}
		if err := b.Validate(); err != nil {
			t.Fatal(err)
		}
	})
}
