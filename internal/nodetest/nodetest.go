// Package nodetest runs the Node.js scripts that lifecarbon's
// interoperability tests compare against: independent implementations
// (npm "canonicalize", the RFC 8785 reference; "jose"; node:crypto) pinned
// in .ci/node/package.json and installed by .ci/node/setup.sh into the
// ignored .ci/node/node_modules. It is imported by tests only.
//
// When Node or the packages are absent a test skips, saying what to
// install; under LIFECARBON_REQUIRE_INTEROP=1 (set by CI) it fails instead,
// so CI cannot pass without running them.
package nodetest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// packages are the npm packages .ci/node/setup.sh installs.
var packages = []string{"jose", "canonicalize"}

// SkipOrFail skips the test with msg, or fails it under
// LIFECARBON_REQUIRE_INTEROP=1.
func SkipOrFail(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("LIFECARBON_REQUIRE_INTEROP") == "1" {
		t.Fatal(msg + " (LIFECARBON_REQUIRE_INTEROP=1)")
	}
	t.Skip(msg)
}

// Dir returns the repository's .ci/node folder, found by walking up from
// the test's working directory (its package folder).
func Dir(t testing.TB) string {
	t.Helper()
	d, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if st, err := os.Stat(filepath.Join(d, ".ci", "node", "package.json")); err == nil && !st.IsDir() {
			return filepath.Join(d, ".ci", "node")
		}
		up := filepath.Dir(d)
		if up == d {
			t.Fatal("nodetest: no .ci/node/package.json above the test's folder")
		}
		d = up
	}
}

// Run runs the script name of .ci/node with stdin (marshalled as JSON) and
// returns its standard output.
func Run(t testing.TB, name string, stdin any) []byte {
	t.Helper()
	return Script(t, filepath.Join(Dir(t), name), stdin)
}

// Script runs the Node script at path with stdin (marshalled as JSON) and
// returns its standard output, after checking that Node and the packages of
// .ci/node are installed.
func Script(t testing.TB, path string, stdin any) []byte {
	t.Helper()
	bin, err := exec.LookPath("node")
	if err != nil {
		SkipOrFail(t, "node not found on PATH; install Node.js 20+ and run .ci/node/setup.sh")
	}
	dir := Dir(t)
	for _, pkg := range packages {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", pkg, "package.json")); err != nil {
			SkipOrFail(t, "npm package "+pkg+" not installed in .ci/node/node_modules; run .ci/node/setup.sh")
		}
	}
	// Reading the script and the lock file makes them inputs of the test
	// for go test's cache: a changed script runs the test again.
	for _, f := range []string{path, filepath.Join(dir, "package-lock.json")} {
		if _, err := os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
	}
	in, err := json.Marshal(stdin)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, path)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", path, err, stderr.Bytes())
	}
	return out
}
