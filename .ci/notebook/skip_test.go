//go:build !notebook

package notebooktest

import "testing"

func TestSessionInInterpreter(t *testing.T) {
	t.Skip("needs the interpreter's symbols: go generate ./... && go test -tags notebook ./... (CI does both)")
}
