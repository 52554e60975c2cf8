package main

import pformat "github.com/pystruct/pystruct/format"

func mustPlan(fs string) *pformat.Plan { return pformat.MustParse(fs) }
