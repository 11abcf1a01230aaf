//go:build race

package rdfc

func init() { raceEnabled = true }
