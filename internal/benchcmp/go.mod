module github.com/pystruct/pystruct/internal/benchcmp

go 1.26

require (
	github.com/go-restruct/restruct v1.2.0-alpha
	github.com/lunixbochs/struc v0.0.0-20241101090106-8d528fa2c543
	github.com/pystruct/pystruct v0.0.0-00010101000000-000000000000
)

require github.com/pkg/errors v0.8.1 // indirect

replace github.com/pystruct/pystruct => ../..
