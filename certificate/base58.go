package certificate

import "errors"

const b58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58Encode encodes b in the Bitcoin base58 alphabet (the multibase
// "z" encoding without its prefix).
func base58Encode(b []byte) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	// Big-endian base conversion, digits little-endian in buf.
	buf := make([]byte, 0, len(b)*138/100+1)
	for _, c := range b[zeros:] {
		carry := int(c)
		for i := range buf {
			carry += int(buf[i]) << 8
			buf[i] = byte(carry % 58)
			carry /= 58
		}
		for carry > 0 {
			buf = append(buf, byte(carry%58))
			carry /= 58
		}
	}
	out := make([]byte, zeros+len(buf))
	for i := 0; i < zeros; i++ {
		out[i] = '1'
	}
	for i, d := range buf {
		out[len(out)-1-i] = b58Alphabet[d]
	}
	return string(out)
}

var errBase58 = errors.New("invalid base58")

// base58Decode decodes a base58 string; at most maxLen bytes of output.
func base58Decode(s string, maxLen int) ([]byte, error) {
	if len(s) > maxLen*2 {
		return nil, errBase58
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	buf := make([]byte, 0, len(s))
	for i := zeros; i < len(s); i++ {
		d := indexB58(s[i])
		if d < 0 {
			return nil, errBase58
		}
		carry := d
		for j := range buf {
			carry += int(buf[j]) * 58
			buf[j] = byte(carry)
			carry >>= 8
		}
		for carry > 0 {
			buf = append(buf, byte(carry))
			carry >>= 8
		}
	}
	out := make([]byte, zeros+len(buf))
	for i, c := range buf {
		out[len(out)-1-i] = c
	}
	if len(out) > maxLen {
		return nil, errBase58
	}
	return out, nil
}

func indexB58(c byte) int {
	for i := 0; i < len(b58Alphabet); i++ {
		if b58Alphabet[i] == c {
			return i
		}
	}
	return -1
}
