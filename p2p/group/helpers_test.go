package group

import "runtime"

func runtimeGoroutines() int { return runtime.NumGoroutine() }
