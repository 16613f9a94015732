// Command windowtest drives the officer's app in a real window (the cgo
// build under Xvfb) with real X events from xdotool, against a real central
// system, and saves a screenshot of every step. scripts/window-test.sh
// builds everything, starts Xvfb and the central system, and runs it.
//
// It finds widgets through the app's own map of where its named widgets
// are (SAFEGUARD_UI_MAP, written on SIGUSR1), so it needs to know little of
// the checklist's content: it answers whatever questions a page shows by
// their kind, adds people where a page asks for them, and follows the
// review page's "Go to" buttons until the check can be submitted. Every
// wait is bounded; any crash, missing window or blank screenshot fails.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type item struct {
	X, Y, W, H float32
	Visible    bool   `json:"visible"`
	Text       string `json:"text"`
	Kind       string `json:"kind"`
	Type       string `json:"type"`
	Disabled   bool   `json:"disabled"`
}

type uiMap struct {
	Seq      int             `json:"seq"`
	Screen   string          `json:"screen"`
	Width    float32         `json:"width"`
	Height   float32         `json:"height"`
	Items    map[string]item `json:"items"`
	Answered []string        `json:"answered"`
	Pages    []string        `json:"pages"`
}

func (m *uiMap) get(name string) (item, bool) {
	it, ok := m.Items[name]
	return it, ok && it.Visible
}

type driver struct {
	bin, server, data, shots, mapPath, logPath string
	pin                                        string
	cmd                                        *exec.Cmd
	win                                        string
	seq                                        int
	n                                          int
	kinds                                      map[string]bool
	start                                      time.Time
	failed                                     error // a blank or failed screenshot
	pid                                        int   // the app's process
}

func main() {
	d := &driver{kinds: map[string]bool{}, start: time.Now()}
	code := flag.String("enrol-code", "", "one-time enrolment code")
	flag.StringVar(&d.bin, "bin", "bin/safeguard", "the app")
	flag.StringVar(&d.server, "server", "", "central system URL")
	flag.StringVar(&d.data, "data", "", "the app's data folder")
	flag.StringVar(&d.shots, "shots", "artifacts/window", "screenshots folder")
	user := flag.String("user", "officer1", "officer's user name")
	pass := flag.String("password", "safeguard-demo", "officer's password")
	flag.StringVar(&d.pin, "pin", "246813", "PIN to choose")
	flag.Parse()
	log.SetFlags(log.Ltime | log.Lmicroseconds)
	if err := os.MkdirAll(d.shots, 0o755); err != nil {
		log.Fatal(err)
	}
	d.mapPath = filepath.Join(d.data, "..", "uimap.json")
	d.logPath = filepath.Join(d.shots, "app.log")
	err := d.run(*code, *user, *pass)
	if err == nil {
		err = d.failed
	}
	d.stop()
	if err != nil {
		log.Printf("FAIL after %s: %v", time.Since(d.start).Round(time.Second), err)
		os.Exit(1)
	}
	log.Printf("PASS in %s: %d screenshots in %s", time.Since(d.start).Round(time.Second), d.n, d.shots)
}

func (d *driver) run(code, user, pass string) error {
	if err := d.launch("-enrol-code", code); err != nil {
		return err
	}
	// Sign in.
	if _, err := d.waitScreen("login", 30*time.Second); err != nil {
		return err
	}
	d.shot("sign-in")
	if err := d.clickType("login.username", user); err != nil {
		return err
	}
	if err := d.clickType("login.password", pass); err != nil {
		return err
	}
	d.shot("sign-in-typed")
	if err := d.click("login.signin"); err != nil {
		return err
	}
	// Choose a PIN, with the eye.
	if _, err := d.waitScreen("choosepin", 30*time.Second); err != nil {
		return err
	}
	if err := d.clickType("login.pin", d.pin); err != nil {
		return err
	}
	if err := d.click("login.pin.eye"); err != nil {
		return err
	}
	m, err := d.uimap()
	if err != nil {
		return err
	}
	if !m.Items["login.pin.revealed"].Visible {
		return errors.New("the eye did not show the PIN")
	}
	d.shot("choose-pin-revealed")
	if err := d.click("login.pin.eye"); err != nil {
		return err
	}
	if err := d.clickType("login.confirm", d.pin); err != nil {
		return err
	}
	if err := d.click("login.setpin"); err != nil {
		return err
	}
	if _, err := d.waitScreen("home", 60*time.Second); err != nil {
		return err
	}
	d.shot("home")

	// A check: every widget kind, immediate risk, then finish and submit.
	if err := d.click("home.start"); err != nil {
		return err
	}
	if _, err := d.waitScreen("flow", 10*time.Second); err != nil {
		return err
	}
	d.shot("check-first-part")
	if err := d.finishCheck(); err != nil {
		return err
	}
	// The receipt.
	m, err = d.waitFor("the receipt on home", 90*time.Second, func(m *uiMap) bool {
		return m.Screen == "home" && strings.Contains(m.Items["home.notice"].Text, "Receipt number")
	})
	if err != nil {
		return err
	}
	log.Printf("home says: %s", m.Items["home.notice"].Text)
	d.shot("receipt")

	// Lock and unlock with the PIN.
	if err := d.click("home.lock"); err != nil {
		return err
	}
	if _, err := d.waitScreen("pin", 10*time.Second); err != nil {
		return err
	}
	d.shot("locked")
	if err := d.clickType("pin.pin", d.pin); err != nil {
		return err
	}
	d.xdo("key", "Return")
	if _, err := d.waitScreen("home", 30*time.Second); err != nil {
		return err
	}
	d.shot("unlocked")

	// Portrait.
	if err := d.resize(800, 1280); err != nil {
		return err
	}
	d.shot("home-800x1280")

	// Killed mid-check: every answer is there after a restart.
	if err := d.killedMidCheck(); err != nil {
		return err
	}
	// A fault in a screen: caught, logged without child data, restarted.
	return d.faultRestarts()
}

// finishCheck walks the parts, answering what each shows, raises the
// immediate-risk banner once, then follows the review's Go to buttons
// until the check submits.
func (d *driver) finishCheck() error {
	riskShown := false
	for turn := 0; turn < 60; turn++ {
		m, err := d.uimap()
		if err != nil {
			return err
		}
		if _, ok := m.Items["review.submit"]; ok {
			break
		}
		if !riskShown {
			ok, err := d.raiseRisk()
			if err != nil {
				return err
			}
			riskShown = ok
		}
		if err := d.answerPage(true); err != nil {
			return err
		}
		if turn < 3 || turn%4 == 0 {
			d.shot(fmt.Sprintf("part-%02d", turn+1))
		}
		if err := d.click("flow.next"); err != nil {
			return err
		}
	}
	if !riskShown {
		return errors.New("no yes/no answer nor triage item raised the immediate-risk banner")
	}
	lastProblem, same := "", 0
	for round := 0; round < 150; round++ {
		m, err := d.uimap()
		if err != nil {
			return err
		}
		if _, ok := m.Items["review.submit"]; !ok {
			if err := d.click("flow.review"); err != nil {
				return err
			}
			continue
		}
		if sub := m.Items["review.submit"]; !sub.Disabled {
			d.shot("review-ready")
			if err := d.click("review.submit"); err != nil {
				return err
			}
			log.Printf("submitted; widget kinds answered: %v", keys(d.kinds))
			return nil
		}
		if round == 0 {
			d.shot("review-to-do")
		}
		g, ok := m.get("review.goto.0")
		if !ok {
			if err := d.scrollDown(3); err != nil {
				return err
			}
			continue
		}
		log.Printf("review: %s", g.Text)
		if g.Text == lastProblem {
			same++
		} else {
			lastProblem, same = g.Text, 0
		}
		if same >= 3 {
			d.shot("stuck")
			return fmt.Errorf("stuck on %q", g.Text)
		}
		if err := d.click("review.goto.0"); err != nil {
			return err
		}
		m, err = d.uimap()
		if err != nil {
			return err
		}
		switch {
		case m.Items["links.0.add"].Visible:
			if err := d.link(); err != nil {
				return err
			}
		default:
			if err := d.answerPage(false); err != nil {
				return err
			}
		}
	}
	return errors.New("the check did not become ready to submit in 150 rounds")
}

// raiseRisk answers Yes to the yes/no questions on screen one at a time
// until the banner shows, screenshots it, opens and closes its details,
// and takes the Yes back.
func (d *driver) raiseRisk() (bool, error) {
	m, err := d.uimap()
	if err != nil {
		return false, err
	}
	tried := 0
	for _, name := range d.questions(m) {
		it := m.Items[name]
		if it.Kind == "multi" && tried < 4 {
			// Checklist 2.0.0 asks triage as one "Is any of these true
			// now?" list: tick the first item, and if the banner shows,
			// take it back and answer the list's last item, "None of these".
			in, ok := m.get(name + ".input")
			if !ok || !it.Visible || answered(m, name) {
				continue
			}
			view := m.Items["flow.scroll"]
			if in.Y < view.Y || in.Y+44 > view.Y+view.H {
				continue // its first item is off screen
			}
			tried++
			if err := d.clickAt(in.X+22, in.Y+22); err != nil {
				return false, err
			}
			m2, err := d.uimap()
			if err != nil {
				return false, err
			}
			shown := m2.Items["flow.banner"].Visible
			if shown {
				log.Printf("banner shown by the first item of %s", name)
				d.kinds["multi"] = true
				d.shot("immediate-risk")
				if err := d.click("flow.banner.toggle"); err != nil {
					return false, err
				}
				d.shot("immediate-risk-details")
				if err := d.click("flow.banner.toggle"); err != nil {
					return false, err
				}
			}
			if err := d.clickAt(in.X+22, in.Y+22); err != nil { // untick
				return false, err
			}
			if shown {
				// "None of these", the last item: scroll until it is in view.
				for try := 0; try < 8; try++ {
					m3, err := d.uimap()
					if err != nil {
						return false, err
					}
					in3, ok := m3.get(name + ".input")
					v3 := m3.Items["flow.scroll"]
					if !ok {
						break
					}
					if y := in3.Y + in3.H - 22; y > v3.Y && y < v3.Y+v3.H {
						if err := d.clickAt(in3.X+22, y); err != nil {
							return false, err
						}
						break
					}
					if err := d.scrollDown(1); err != nil {
						return false, err
					}
				}
				return true, nil
			}
			continue
		}
		if it.Kind != "yesno" || tried >= 4 {
			continue
		}
		if _, ok := m.get(name + ".button.Yes"); !ok {
			continue
		}
		tried++
		top := m.Items[name+".button.Yes"].Y
		if err := d.click(name + ".button.Yes"); err != nil {
			return false, err
		}
		m2, err := d.uimap()
		if err != nil {
			return false, err
		}
		if !m2.Items["flow.banner"].Visible {
			if err := d.click(name + ".button.No"); err != nil {
				return false, err
			}
			continue
		}
		// The banner takes room from the bottom; the page may then scroll
		// on to the next question, but the Yes just tapped stays in view.
		yes, view := m2.Items[name+".button.Yes"], m2.Items["flow.scroll"]
		if yes.Y < view.Y || yes.Y+yes.H > view.Y+view.H {
			return false, fmt.Errorf("the banner pushed the Yes just tapped out of view (from y %.0f to %.0f; view %.0f-%.0f)", top, yes.Y, view.Y, view.Y+view.H)
		}
		log.Printf("banner shown; the Yes just tapped moved %.0f px (the page scrolls on to the next question)", yes.Y-top)
		d.kinds["yesno"] = true
		d.shot("immediate-risk")
		if err := d.click("flow.banner.toggle"); err != nil {
			return false, err
		}
		d.shot("immediate-risk-details")
		if err := d.click("flow.banner.toggle"); err != nil {
			return false, err
		}
		if err := d.click(name + ".button.No"); err != nil {
			return false, err
		}
		return true, nil
	}
	return false, nil
}

// questions lists the question names of a map, top to bottom.
func (d *driver) questions(m *uiMap) []string {
	var out []string
	for name := range m.Items {
		if strings.HasPrefix(name, "q.") && strings.Count(name, ".") == 1 {
			out = append(out, name)
		}
	}
	sortBy(out, func(a, b string) bool { return m.Items[a].Y < m.Items[b].Y })
	return out
}

// answerPage answers every visible question not yet saved on this part,
// scrolling down as it goes, and adds a person on a part that asks for one.
func (d *driver) answerPage(scroll bool) error {
	for pass := 0; pass < 40; pass++ {
		m, err := d.uimap()
		if err != nil {
			return err
		}
		if add, ok := m.get("flow.add"); ok && len(d.questions(m)) == 0 && !add.Disabled {
			if err := d.click("flow.add"); err != nil {
				return err
			}
			continue
		}
		view := m.Items["flow.scroll"]
		acted := false
		for _, name := range d.questions(m) {
			it := m.Items[name]
			in, ok := m.get(name + ".input")
			if !it.Visible || !ok || it.Text == "Saved" || answered(m, name) || it.Kind == "photo" || optionalIdentifier(name) {
				continue
			}
			if in.Y < view.Y || in.Y+min(in.H, 44) > view.Y+view.H {
				continue // off screen (for a list taller than the view, its first item): scroll first
			}
			if err := d.answer(m, name, it, in); err != nil {
				return err
			}
			if _, err := d.waitFor(name+" saved", 5*time.Second, func(m *uiMap) bool {
				return answered(m, name) || m.Items[name].Text == "Saved" || m.Screen != "flow"
			}); err != nil {
				return err
			}
			acted = true
			break // the page may have changed: map again
		}
		if acted {
			continue
		}
		if !scroll {
			return nil
		}
		before := m.Items["flow.page"].Y
		if err := d.scrollDown(3); err != nil {
			return err
		}
		m2, err := d.uimap()
		if err != nil {
			return err
		}
		if m2.Items["flow.page"].Y == before {
			return nil // at the bottom, nothing left on screen
		}
	}
	return nil
}

func answered(m *uiMap, name string) bool {
	id := strings.TrimPrefix(name, "q.")
	for _, a := range m.Answered {
		if strings.HasSuffix(a, "/"+id) {
			return true
		}
	}
	return false
}

// answer gives one question an answer through its widget.
func (d *driver) answer(m *uiMap, name string, it, in item) error {
	k := it.Kind
	d.kinds[k] = true
	switch {
	case k == "yesno":
		return d.click(name + ".button.No")
	case k == "datetime":
		if _, ok := m.get(name + ".button.Now"); ok {
			return d.click(name + ".button.Now")
		}
		return d.typeInto(in, "25/11/2026 22:30")
	case k == "date":
		return d.typeInto(in, "28/03/2019")
	case k == "number":
		return d.typeInto(in, "2")
	case k == "text" || k == "longtext":
		if err := d.typeInto(in, "Window test"); err != nil {
			return err
		}
		return nil
	case strings.Contains(in.Type, "Select") || m.Items[name+".select"].Visible:
		sel := in
		if s, ok := m.get(name + ".select"); ok {
			sel = s
		}
		if err := d.clickAt(sel.X+sel.W/2, sel.Y+sel.H/2); err != nil {
			return err
		}
		time.Sleep(150 * time.Millisecond)
		d.xdo("key", "Down")
		d.xdo("key", "Return")
		return nil
	default: // radio or check group: the first option
		return d.clickAt(in.X+22, in.Y+22)
	}
}

// link adds the first link offered on the links part.
func (d *driver) link() error {
	for _, name := range []string{"links.0.from", "links.0.type"} {
		if err := d.click(name); err != nil {
			return err
		}
		time.Sleep(150 * time.Millisecond)
		d.xdo("key", "Down")
		d.xdo("key", "Return")
	}
	d.shot("links")
	return d.click("links.0.add")
}

func (d *driver) killedMidCheck() error {
	if err := d.click("home.start"); err != nil {
		return err
	}
	if _, err := d.waitScreen("flow", 10*time.Second); err != nil {
		return err
	}
	for i := 0; i < 2; i++ {
		if err := d.answerPage(true); err != nil {
			return err
		}
		if err := d.click("flow.next"); err != nil {
			return err
		}
	}
	m, err := d.uimap()
	if err != nil {
		return err
	}
	before := m.Answered
	if len(before) < 3 {
		return fmt.Errorf("only %d answers before the kill", len(before))
	}
	d.shot("before-kill")
	log.Printf("SIGKILL with %d answers on screen", len(before))
	_ = d.cmd.Process.Signal(syscall.SIGKILL)
	_ = d.cmd.Wait()
	d.cmd, d.pid = nil, 0
	if err := d.launch(); err != nil {
		return err
	}
	if _, err := d.waitScreen("pin", 30*time.Second); err != nil {
		return err
	}
	if err := d.clickType("pin.pin", d.pin); err != nil {
		return err
	}
	d.xdo("key", "Return")
	if _, err := d.waitScreen("home", 30*time.Second); err != nil {
		return err
	}
	if err := d.click("home.draft.0"); err != nil {
		return err
	}
	m, err = d.waitScreen("flow", 10*time.Second)
	if err != nil {
		return err
	}
	after := map[string]bool{}
	for _, a := range m.Answered {
		after[a] = true
	}
	for _, a := range before {
		if !after[a] {
			return fmt.Errorf("answer %s lost after SIGKILL", a)
		}
	}
	log.Printf("after SIGKILL and restart: all %d answers there", len(before))
	d.shot("after-kill-restart")
	return nil
}

func (d *driver) faultRestarts() error {
	// On home, where no field holds the focus (a focused entry would take
	// the shortcut). Ctrl+Alt+F12 is X's switch to console 12: not that.
	if err := d.click("flow.home"); err != nil {
		return err
	}
	if _, err := d.waitScreen("home", 10*time.Second); err != nil {
		return err
	}
	d.xdo("key", "ctrl+shift+F12")
	done := make(chan error, 1)
	go func() { done <- d.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		return errors.New("the app did not stop after the fault within 30 s")
	}
	if ws, ok := d.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.ExitStatus() != 3 {
		return fmt.Errorf("after the fault the app ended with %v, want exit code 3", d.cmd.ProcessState)
	}
	d.cmd, d.pid = nil, 0
	logText, _ := os.ReadFile(d.logPath)
	if !strings.Contains(string(logText), "the window hit a fault") {
		return errors.New("the fault was not logged")
	}
	if strings.Contains(string(logText), "Amy Example") {
		return errors.New("the fault's log quotes the child data the panic carried")
	}
	log.Printf("fault caught at the window's boundary, logged without child data, exit code 3")
	// Reopened, it is all there.
	if err := d.launch(); err != nil {
		return err
	}
	if _, err := d.waitScreen("pin", 30*time.Second); err != nil {
		return err
	}
	d.shot("reopened-after-fault")
	return nil
}

// launch starts the app and waits for its window.
func (d *driver) launch(extra ...string) error {
	args := append([]string{"-role", "officer", "-server", d.server, "-data", d.data}, extra...)
	lf, err := os.OpenFile(d.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	d.cmd = exec.Command(d.bin, args...)
	d.cmd.Stdout, d.cmd.Stderr = lf, lf
	d.cmd.Env = append(os.Environ(), "SAFEGUARD_UI_MAP="+d.mapPath, "SAFEGUARD_TEST_FAULT_KEY=1")
	if err := d.cmd.Start(); err != nil {
		return err
	}
	d.pid = d.cmd.Process.Pid
	d.seq = 0
	_ = os.Remove(d.mapPath)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		out, _ := exec.Command("timeout", "5", "xdotool", "search", "--name", "^Safeguard$").Output()
		if ids := strings.Fields(string(out)); len(ids) > 0 {
			d.win = ids[len(ids)-1]
			time.Sleep(500 * time.Millisecond)
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return errors.New("the window did not appear within 30 s")
}

func (d *driver) stop() {
	if d.pid != 0 && (d.cmd == nil || d.cmd.Process == nil || d.cmd.Process.Pid != d.pid) {
		_ = syscall.Kill(d.pid, syscall.SIGTERM) // the process the app handed over to
		return
	}
	if d.cmd != nil && d.cmd.Process != nil {
		_ = d.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = d.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = d.cmd.Process.Kill()
		}
	}
}

// alive fails when the app has exited.
func (d *driver) alive() error {
	if d.failed != nil {
		return d.failed
	}
	if d.pid == 0 {
		return errors.New("the app is not running")
	}
	if err := syscall.Kill(d.pid, 0); err != nil {
		return fmt.Errorf("the app crashed (see %s)", d.logPath)
	}
	return nil
}

// uimap asks the app for a fresh map (SIGUSR1) and reads it (bounded).
func (d *driver) uimap() (*uiMap, error) {
	if err := d.alive(); err != nil {
		return nil, err
	}
	time.Sleep(50 * time.Millisecond) // let the last event be handled
	if err := syscall.Kill(d.pid, syscall.SIGUSR1); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		data, err := os.ReadFile(d.mapPath)
		if err == nil {
			var m uiMap
			if json.Unmarshal(data, &m) == nil && m.Seq > d.seq {
				d.seq = m.Seq
				return &m, nil
			}
		}
		if err := d.alive(); err != nil {
			return nil, err
		}
		time.Sleep(30 * time.Millisecond)
	}
	return nil, errors.New("the app did not answer for its widget map within 10 s")
}

func (d *driver) waitFor(what string, limit time.Duration, ok func(*uiMap) bool) (*uiMap, error) {
	deadline := time.Now().Add(limit)
	var last *uiMap
	for time.Now().Before(deadline) {
		m, err := d.uimap()
		if err != nil {
			return nil, err
		}
		if ok(m) {
			return m, nil
		}
		last = m
		time.Sleep(300 * time.Millisecond)
	}
	d.shot("timeout")
	return nil, fmt.Errorf("waited %s for %s (screen %q)", limit, what, last.Screen)
}

func (d *driver) waitScreen(s string, limit time.Duration) (*uiMap, error) {
	return d.waitFor("the "+s+" screen", limit, func(m *uiMap) bool { return m.Screen == s })
}

func (d *driver) xdo(args ...string) {
	out, err := exec.Command("timeout", append([]string{"10", "xdotool"}, args...)...).CombinedOutput()
	if err != nil {
		log.Printf("xdotool %v: %v %s", args, err, out)
	}
}

func (d *driver) clickAt(x, y float32) error {
	log.Printf("click %.0f,%.0f", x, y)
	d.xdo("mousemove", "--window", d.win, strconv.Itoa(int(x)), strconv.Itoa(int(y)), "click", "1")
	return d.alive()
}

func (d *driver) click(name string) error {
	m, err := d.uimap()
	if err != nil {
		return err
	}
	it, ok := m.get(name)
	log.Printf("click %s on %s", name, m.Screen)
	if !ok {
		d.shot("missing-" + name)
		return fmt.Errorf("%s is not on the %s screen", name, m.Screen)
	}
	return d.clickAt(it.X+it.W/2, it.Y+it.H/2)
}

// typeInto clicks a field and types text with no spaces (a space would
// tap whatever button holds the focus if the click did not take it); the
// app saves it after a pause in typing, which the caller waits for.
func (d *driver) typeInto(it item, text string) error {
	if err := d.clickAt(it.X+it.W/3, it.Y+it.H/2); err != nil {
		return err
	}
	d.xdo("type", "--delay", "15", strings.ReplaceAll(text, " ", "-"))
	return d.alive()
}

func (d *driver) clickTypeIn(m *uiMap, name, text string) error {
	it, ok := m.get(name)
	if !ok {
		return fmt.Errorf("%s is not on screen", name)
	}
	if err := d.clickAt(it.X+it.W/3, it.Y+it.H/2); err != nil {
		return err
	}
	d.xdo("type", "--delay", "15", text)
	return d.alive()
}

func (d *driver) clickType(name, text string) error {
	m, err := d.uimap()
	if err != nil {
		return err
	}
	return d.clickTypeIn(m, name, text)
}

// scrollDown turns the mouse wheel over the check's page.
func (d *driver) scrollDown(notches int) error {
	m, err := d.uimap()
	if err != nil {
		return err
	}
	v := m.Items["flow.scroll"]
	d.xdo("mousemove", "--window", d.win, strconv.Itoa(int(v.X+v.W/2)), strconv.Itoa(int(v.Y+v.H/2)))
	for i := 0; i < notches; i++ {
		d.xdo("click", "5")
	}
	return d.alive()
}

func (d *driver) resize(w, h int) error {
	d.xdo("windowsize", d.win, strconv.Itoa(w), strconv.Itoa(h))
	_, err := d.waitFor(fmt.Sprintf("the window at %dx%d", w, h), 10*time.Second, func(m *uiMap) bool {
		return int(m.Width) == w && int(m.Height) == h
	})
	return err
}

// shot saves a screenshot of the window and fails the run if it is blank
// (one colour).
func (d *driver) shot(name string) {
	d.n++
	file := filepath.Join(d.shots, fmt.Sprintf("%02d-%s.png", d.n, name))
	time.Sleep(250 * time.Millisecond) // a frame or two to paint
	if out, err := exec.Command("timeout", "20", "/usr/bin/import", "-window", d.win, file).CombinedOutput(); err != nil {
		d.failed = fmt.Errorf("screenshot %s: %v %s", file, err, out)
		return
	}
	out, err := exec.Command("timeout", "20", "/usr/bin/convert", file, "-format", "%[fx:standard_deviation]", "info:").Output()
	if err != nil {
		d.failed = fmt.Errorf("measure %s: %v", file, err)
		return
	}
	sd, _ := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if sd < 0.01 {
		d.failed = fmt.Errorf("screenshot %s is blank (standard deviation %.4f)", file, sd)
		return
	}
	log.Printf("screenshot %s", file)
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sortBy(out, func(a, b string) bool { return a < b })
	return out
}

func sortBy(s []string, less func(a, b string) bool) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && less(s[j], s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// optionalIdentifier tells the optional identifier questions (NHS number,
// UPN, PNC ID), checked by their check digits, which a short check leaves
// blank: typed text there is refused, as it should be.
func optionalIdentifier(name string) bool {
	for _, suffix := range []string{"_nhs_number", "_upn", "_pnc_id"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}
