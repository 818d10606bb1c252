//go:build unix && !linux

package front

// handOver: see handOverPipe.
func handOver(name string, args []string, request []byte) error {
	return handOverPipe(name, args, request)
}
