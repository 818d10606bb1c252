module github.com/git-credential-pat/git-credential-pat/bench

go 1.26.0

require (
	github.com/git-credential-pat/git-credential-pat v0.0.0
	golang.org/x/image v0.47.0
)

require (
	filippo.io/age v1.3.2 // indirect
	filippo.io/hpke v0.4.0 // indirect
	golang.org/x/crypto v0.55.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/term v0.48.0 // indirect
)

replace github.com/git-credential-pat/git-credential-pat => ../
