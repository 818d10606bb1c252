package front

import _ "unsafe" // go:linkname

// Args is the program's arguments, without its name: os.Args[1:], which
// the front cannot take from package os without linking it. The runtime
// hands its copy to os by this name.
func Args() []string {
	if a := runtimeArgs(); len(a) > 0 {
		return a[1:]
	}
	return nil
}

//go:linkname runtimeArgs os.runtime_args
func runtimeArgs() []string
