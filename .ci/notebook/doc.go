// Package notebooktest checks that lifecarbon can be driven from a Go
// interpreter, as data scientists do through gophernotes: it runs a
// notebook session (package session) in yaegi and compares the result
// with the compiled session's. It is a module of its own so that the
// interpreter never becomes a dependency of lifecarbon.
package notebooktest
