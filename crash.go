package main

import (
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strings"
)

// The window's event loop runs on the main goroutine, and every tap and
// key reaches the screens from it (through glfw's callbacks). A panic in a
// screen therefore unwinds up to ShowAndRun, the one boundary where Fyne
// lets a panic be caught: there it is logged, without child data, and the
// app exits with faultExit. The officer's answers are each saved in their
// own transaction, so reopening shows the PIN screen and the check as it
// was.
const (
	// faultKeyEnv, when "1", lets Ctrl+Shift+F12 panic inside a screen (the
	// real-window test proves the boundary with it). Off by default.
	faultKeyEnv = "SAFEGUARD_TEST_FAULT_KEY"
)

// guardWindow runs the window's loop; a panic in it is logged and reported
// as a fault instead of killing the process with a trace that may quote
// what the panic carried.
func guardWindow(log *slog.Logger, run func()) (fault bool) {
	defer func() {
		if v := recover(); v != nil {
			log.Error("the window hit a fault", faultAttrs(v)...)
			fault = true
		}
	}()
	run()
	return false
}

// faultAttrs describes a panic without its value: a runtime error's text
// is fixed by Go ("invalid memory address or nil pointer dereference",
// "index out of range [3] with length 2") and is kept; anything else may
// carry an answer, so only its type is logged. The frames name functions
// and lines, never data.
func faultAttrs(v any) []any {
	what := fmt.Sprintf("panic of type %T", v)
	if re, ok := v.(runtime.Error); ok {
		what = re.Error()
	}
	var frames []string
	pc := make([]uintptr, 32)
	n := runtime.Callers(3, pc)
	fs := runtime.CallersFrames(pc[:n])
	for {
		f, more := fs.Next()
		if !strings.HasPrefix(f.Function, "runtime.") {
			frames = append(frames, fmt.Sprintf("%s:%d", f.Function, f.Line))
		}
		if !more || len(frames) >= 12 {
			break
		}
	}
	return []any{"fault", what, "at", strings.Join(frames, " < ")}
}

// faultExit is the exit code after a fault in the window: scripts/run.sh
// then keeps the central system running and says how to reopen the app.
const faultExit = 3

// exitAfterFault ends the process after a caught fault with faultExit. (A
// restart in place was tried: the new process's window did not appear
// under Xvfb within a minute, so the app leaves reopening to the officer
// or to scripts/run.sh, with every answer already saved.)
func exitAfterFault(log *slog.Logger) {
	log.Warn("the app stops after a fault; every answer is saved: open it again")
	os.Exit(faultExit)
}
