// Package fielderr holds the one error type that every lifecarbon package
// returns for bad input. The public packages re-export it as
// footprint.FieldError so callers can match it with errors.As.
package fielderr
