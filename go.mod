module github.com/pystruct/pystruct

go 1.26

require (
	github.com/google/go-cmp v0.7.0
	github.com/leanovate/gopter v0.2.11
)
