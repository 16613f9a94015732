package client

import gosync "sync"

// settler records the server's answers in the outbox in the background,
// batch after batch in the order they were answered, so that the device
// writes one batch's acknowledgements while the next batch is on the wire
// and the server works on it. The server still sees the batches one after
// another: a batch is sent only after the one before it was answered.
// Acknowledging late is as safe as a crash before acknowledging: what is
// not acknowledged stays in the outbox and is sent again, and the server
// answers a revision it holds as a duplicate.
type settler struct {
	e    *Engine
	jobs chan []Result
	done chan struct{}
	mu   gosync.Mutex
	err  error // the first failure; later answers are not recorded
}

// startSettler starts a settler; wait must be called to stop it.
func (e *Engine) startSettler() *settler {
	s := &settler{e: e, jobs: make(chan []Result, 1), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for results := range s.jobs {
			if s.failed() != nil {
				continue
			}
			if err := e.settleNow(results); err != nil {
				s.mu.Lock()
				s.err = err
				s.mu.Unlock()
			}
		}
	}()
	return s
}

// add queues results (waiting while an earlier batch's are still being
// written, so at most one batch is behind) and returns the first failure
// so far.
func (s *settler) add(results []Result) error {
	if err := s.failed(); err != nil {
		return err
	}
	s.jobs <- results
	return s.failed()
}

func (s *settler) failed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// wait records everything queued and returns the first failure.
func (s *settler) wait() error {
	close(s.jobs)
	<-s.done
	return s.failed()
}
