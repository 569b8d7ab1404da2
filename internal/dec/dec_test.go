package dec

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestDivRoundsHalfAwayFromZero(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		a, b, want string
		why        string
	}{
		{"1", "8", "0.125", "terminates: exact"},
		{"1", "3", "0.333333333333333333333333333333", "30 places, last digit 3 (next is 3: down)"},
		{"2", "3", "0.666666666666666666666666666667", "30 places, next digit 6: up"},
		// 5 × 10^-31 is exactly half a unit of the 30th place: half away
		// from zero gives 1 × 10^-30 (half-even would give 0).
		{"5", "10000000000000000000000000000000", "0.000000000000000000000000000001", "half: away from zero"},
		{"-5", "10000000000000000000000000000000", "-0.000000000000000000000000000001", "negative half: away from zero"},
	}
	for _, tc := range tests {
		if got := Div(d(tc.a), d(tc.b)); !got.Equal(d(tc.want)) {
			t.Errorf("%s: Div(%s, %s) = %s, want %s", tc.why, tc.a, tc.b, got, tc.want)
		}
	}
}

func TestParse(t *testing.T) {
	for _, ok := range []string{"0", "1.5", "-2", "+3.25", "000.10"} {
		if _, err := Parse(ok); err != nil {
			t.Errorf("Parse(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "1e5", "NaN", "Inf", "0x10", "1,000", ".", "1.", " 1", "--1"} {
		if v, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %s, want an error", bad, v)
		} else if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrEmpty) {
			t.Errorf("Parse(%q): %v, want ErrSyntax or ErrEmpty", bad, err)
		}
	}
	if _, err := Parse("1" + strings.Repeat("0", MaxLen)); !errors.Is(err, ErrTooLong) {
		t.Errorf("Parse(49 digits): %v, want ErrTooLong", err)
	}
}

func TestParseFigure(t *testing.T) {
	long := "1." + strings.Repeat("5", MaxFigureLen-2) // 512 characters
	if v, err := ParseFigure(long); err != nil || v.String() != long {
		t.Errorf("ParseFigure(512 characters) = %s, %v", v, err)
	}
	if _, err := Parse(long); !errors.Is(err, ErrTooLong) {
		t.Errorf("Parse(512 characters): %v, want ErrTooLong", err)
	}
	if _, err := ParseFigure(long + "5"); !errors.Is(err, ErrFigureTooLong) {
		t.Errorf("ParseFigure(513 characters): %v, want ErrFigureTooLong", err)
	}
	for _, bad := range []string{"", "1e5", "1.", ".5"} {
		if _, err := ParseFigure(bad); err == nil {
			t.Errorf("ParseFigure(%q): no error", bad)
		}
	}
}
