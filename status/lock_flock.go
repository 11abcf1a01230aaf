//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package status

import (
	"errors"
	"os"
	"syscall"
)

// crossProcessLock says whether DirStore serializes writers in several
// processes.
const crossProcessLock = true

// lockFile takes an exclusive flock on f, waiting for it.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// unlockFile releases the flock on f.
func unlockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
