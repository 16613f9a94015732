// Package layout holds no code: its test checks the dependency rules the
// README states, with `go list -deps` over the whole module, so that a
// change that breaks one fails in make test instead of drifting.
//
//   - forms imports nothing of ours;
//   - nothing imports app (or a package under it) but main;
//   - the central side (central, people, referral, quality, cmd/central)
//     never imports the device store or app;
//   - the server binary (cmd/central) links no testing or httptest;
//   - no database/sql outside the store packages (and the benchmarks'
//     bare-insert baselines).
package layout
