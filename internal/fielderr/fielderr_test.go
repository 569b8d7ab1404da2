package fielderr

import (
	"errors"
	"strings"
	"testing"
)

var errSentinel = errors.New("pkg: invalid thing")

func TestErrorMessageAndUnwrap(t *testing.T) {
	err := error(New("distance", "-5 km", "must be > 0", errSentinel))
	if got, want := err.Error(), `distance: must be > 0, got "-5 km"`; got != want {
		t.Errorf("Error() = %s, want %s", got, want)
	}
	if !errors.Is(err, errSentinel) {
		t.Error("errors.Is does not reach the sentinel")
	}
	var fe *Error
	if !errors.As(err, &fe) || fe.Value != "-5 km" {
		t.Errorf("errors.As: %+v", fe)
	}
	// A long value is cut in the message, never in the field.
	long := strings.Repeat("9", 100)
	e := New("amount", long, "too long", nil)
	if msg := e.Error(); !strings.HasSuffix(msg, `"`+strings.Repeat("9", 64)+`..."`) || e.Value != long {
		t.Errorf("long value: %s", msg)
	}
	// No field: the rule alone.
	if got := New("", "", "required", nil).Error(); got != `required, got ""` {
		t.Errorf("no field: %s", got)
	}
}

func TestPrefix(t *testing.T) {
	tests := []struct{ prefix, field, want string }{
		{"shipping.legs[1]", "distance", "shipping.legs[1].distance"},
		{"components", "[2].mass", "components[2].mass"},
		{"use", "", "use"},
		{"", "distance", "distance"},
	}
	for _, tc := range tests {
		orig := New(tc.field, "v", "rule", errSentinel)
		got := Prefix(tc.prefix, orig)
		var fe *Error
		if !errors.As(got, &fe) || fe.Field != tc.want {
			t.Errorf("Prefix(%q, %q) = %v, want field %q", tc.prefix, tc.field, got, tc.want)
		}
		if orig.Field != tc.field {
			t.Errorf("Prefix modified its argument: %q", orig.Field)
		}
		if !errors.Is(got, errSentinel) {
			t.Errorf("Prefix lost the sentinel")
		}
	}
	plain := errors.New("plain")
	if Prefix("x", plain) != plain {
		t.Error("Prefix changed an error that is not an *Error")
	}
}
