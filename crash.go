package main

import (
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The window's event loop runs on the main goroutine, and every tap and
// key reaches the screens from it (through glfw's callbacks). A panic in a
// screen therefore unwinds up to ShowAndRun, the one boundary where Fyne
// lets a panic be caught: there it is logged, without child data, and the
// app starts itself again. The officer's answers are each saved in their
// own transaction, so the new process shows the PIN screen and the check
// as it was.
const (
	// restartsEnv counts restarts after a fault, so a fault at start
	// cannot loop forever.
	restartsEnv = "SAFEGUARD_FAULT_RESTARTS"
	// maxRestarts is how many times in a row the app restarts itself.
	maxRestarts = 3
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

// restartAfterFault starts the app again in place of this process (same
// arguments), unless it has already done so maxRestarts times in a row
// (a run of more than a minute ends a row).
func restartAfterFault(log *slog.Logger, ranFor time.Duration) error {
	n, _ := strconv.Atoi(os.Getenv(restartsEnv))
	if ranFor > time.Minute {
		n = 0
	}
	if n >= maxRestarts {
		return fmt.Errorf("the window failed %d times in a row; everything answered is saved: start the app again", n+1)
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("restart after a fault: %w", err)
	}
	log.Warn("restarting the app after a fault; answers are saved", "restart", n+1)
	env := append(os.Environ(), fmt.Sprintf("%s=%d", restartsEnv, n+1))
	return syscall.Exec(exe, os.Args, env)
}
