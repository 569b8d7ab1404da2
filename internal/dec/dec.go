package dec

import (
	"errors"

	"github.com/shopspring/decimal"
)

// MaxLen is the longest decimal string accepted as input, sign and point
// included.
const MaxLen = 48

// MaxFigureLen is the longest decimal string accepted for a figure the
// library computes and writes (a footprint's kg CO2e): exact products and
// sums of inputs, a declining grid's powers among them, are longer than
// MaxLen, and whatever the library writes it must read back. Calculate
// refuses a spec whose figures would be longer.
const MaxFigureLen = 512

// DivPrecision is the number of decimal places kept when a quotient does not
// terminate (for example a conversion from MJ to kWh). Quotients that
// terminate within it are exact.
const DivPrecision = 30

// Parse errors. They carry no field; callers wrap them in a field error.
var (
	ErrEmpty   = errors.New("empty decimal")
	ErrTooLong = errors.New("decimal longer than 48 characters")
	// ErrFigureTooLong is ErrTooLong for ParseFigure.
	ErrFigureTooLong = errors.New("decimal longer than 512 characters")
	ErrSyntax        = errors.New("not a plain decimal (digits with an optional sign and point; no exponent, NaN, Inf or hex)")
	ErrNegative      = errors.New("negative")
)

// Parse reads s as a plain decimal: an optional sign, digits, an optional
// point followed by digits. Exponents, NaN, Inf, hex, spaces, underscores and
// strings longer than MaxLen are refused.
func Parse(s string) (decimal.Decimal, error) {
	if len(s) > MaxLen {
		return decimal.Decimal{}, ErrTooLong
	}
	return parse(s)
}

// ParseFigure is Parse with MaxFigureLen in place of MaxLen.
func ParseFigure(s string) (decimal.Decimal, error) {
	if len(s) > MaxFigureLen {
		return decimal.Decimal{}, ErrFigureTooLong
	}
	return parse(s)
}

func parse(s string) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Decimal{}, ErrEmpty
	}
	i := 0
	if s[0] == '+' || s[0] == '-' {
		i++
	}
	digits, point, fracDigits := 0, false, 0
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if point {
				fracDigits++
			}
		case c == '.' && !point:
			point = true
		default:
			return decimal.Decimal{}, ErrSyntax
		}
	}
	if digits == 0 || (point && fracDigits == 0) || s[len(s)-1] == '.' {
		return decimal.Decimal{}, ErrSyntax
	}
	if point && fracDigits == digits {
		// ".5" has no integer digit
		start := 0
		if s[0] == '+' || s[0] == '-' {
			start = 1
		}
		if s[start] == '.' {
			return decimal.Decimal{}, ErrSyntax
		}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, ErrSyntax
	}
	return d, nil
}

// Div returns a/b, exact when the quotient terminates within DivPrecision
// places, otherwise rounded half away from zero at DivPrecision places
// (shopspring's DivRound). b must not be zero.
func Div(a, b decimal.Decimal) decimal.Decimal {
	return a.DivRound(b, DivPrecision)
}
