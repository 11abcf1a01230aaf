// Package cputime reads the CPU time the process has used, for benchmarks
// that report cpu-ns/op beside ns/op. Only tests use it.
package cputime
