package app

import "github.com/safeguard-uk/safeguard/forms"

// Checklists finds the checklist versions the device knows: a
// *forms.Registry, or a Loading one still being loaded.
type Checklists interface {
	Get(ref forms.Ref) (*forms.Checklist, bool)
	Latest(id string) (*forms.Checklist, bool)
}

// Loading is a registry loaded in the background while the app starts
// (the store opens and the officer unlocks it meanwhile: the first screen
// needing a checklist is a check, after the unlock). Get and Latest wait
// for the load to end.
type Loading struct {
	done chan struct{}
	reg  *forms.Registry
	err  error
}

// LoadChecklists starts load (forms.LoadRegistry of the embedded assets,
// for example) on a goroutine of its own and returns at once.
func LoadChecklists(load func() (*forms.Registry, error)) *Loading {
	l := &Loading{done: make(chan struct{})}
	go func() {
		defer close(l.done)
		l.reg, l.err = load()
	}()
	return l
}

// Wait waits for the load to end and returns its registry, or its error.
func (l *Loading) Wait() (*forms.Registry, error) {
	<-l.done
	return l.reg, l.err
}

// Get is the registry's Get once loaded (not found when the load failed).
func (l *Loading) Get(ref forms.Ref) (*forms.Checklist, bool) {
	reg, err := l.Wait()
	if err != nil {
		return nil, false
	}
	return reg.Get(ref)
}

// Latest is the registry's Latest once loaded (not found when the load
// failed).
func (l *Loading) Latest(id string) (*forms.Checklist, bool) {
	reg, err := l.Wait()
	if err != nil {
		return nil, false
	}
	return reg.Latest(id)
}
