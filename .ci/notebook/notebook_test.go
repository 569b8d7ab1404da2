//go:build notebook

package notebooktest

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"

	"notebooktest/session"
	"notebooktest/syms"
)

// The notebook session runs in an interpreter, as gophernotes would run
// it, and gives exactly what the compiled session gives: footprint, table,
// factor lookup, batch, match, registry, certificate and checkout.
func TestSessionInInterpreter(t *testing.T) {
	src, err := os.ReadFile("session/session.go")
	if err != nil {
		t.Fatal(err)
	}
	i := interp.New(interp.Options{})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if err := i.Use(syms.Symbols); err != nil {
		t.Fatal(err)
	}
	if _, err := i.Eval(strings.Replace(string(src), "package session", "package main", 1)); err != nil {
		t.Fatalf("the interpreter refused the session: %v", err)
	}
	v, err := i.Eval("main.Run")
	if err != nil {
		t.Fatal(err)
	}
	run, ok := v.Interface().(func() (map[string]string, error))
	if !ok {
		t.Fatalf("main.Run is a %T", v.Interface())
	}
	got, err := run()
	if err != nil {
		t.Fatalf("interpreted session: %v", err)
	}
	want, err := session.Run()
	if err != nil {
		t.Fatalf("compiled session: %v", err)
	}
	if len(want) < 8 {
		t.Fatalf("the compiled session returned only %d values", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("interpreted session differs from compiled (-compiled +interpreted):\n%s", diff)
	}
}
