module github.com/pystruct/pystruct

go 1.26
