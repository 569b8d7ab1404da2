module notebooktest

go 1.25.0

require (
	github.com/lifecarbon/lifecarbon v0.0.0-00010101000000-000000000000
	github.com/shopspring/decimal v1.4.0
	github.com/traefik/yaegi v0.16.1
)

require (
	github.com/gabriel-vasile/mimetype v1.4.15 // indirect
	github.com/go-playground/locales v0.14.1 // indirect
	github.com/go-playground/universal-translator v0.18.1 // indirect
	github.com/go-playground/validator/v10 v10.30.4 // indirect
	github.com/google/go-cmp v0.7.0
	github.com/leodido/go-urn v1.5.0 // indirect
	golang.org/x/crypto v0.55.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)

replace github.com/lifecarbon/lifecarbon => ../..

tool github.com/traefik/yaegi/cmd/yaegi
