#!/usr/bin/env bash
# The main job (`make run`): the central referral system on its embedded
# SQLite default with the demo accounts, and the officer's app against it,
# with the tablet already enrolled. Installs what it needs on a fresh
# machine (Debian packages for the window, Go modules).
#
# Environment:
#   SAFEGUARD_DATA   where the demo keeps its files (default ./demo-data)
#   SAFEGUARD_ADDR   the central system's address (default 127.0.0.1:8080)
#   SAFEGUARD_ROLE   officer (default), supervisor or trainer
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=${LANG:-en_US.UTF-8}
data=${SAFEGUARD_DATA:-$PWD/demo-data}
addr=${SAFEGUARD_ADDR:-127.0.0.1:8080}
role=${SAFEGUARD_ROLE:-officer}

step() { printf '\n==> %s\n' "$*"; }

# The real window needs cgo and these X11 development headers.
need=(gcc curl libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev)
if [ -z "${DISPLAY:-}" ]; then need+=(xvfb xauth); fi
missing=()
for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
	step "installing ${missing[*]}"
	SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

step "building (the first build of the window takes about 5 minutes on 2 cores)"
mkdir -p bin "$data"
CGO_ENABLED=0 go build -o bin/central ./cmd/central
go build -o bin/safeguard .

step "starting the central system on http://$addr (SQLite: $data/central.db)"
# Keys the database never holds (issue 15): child data sealed at rest with a
# key-encryption key, the audit chain keyed and checkpointed to a witness
# file. Made once for the demo; a force keeps them in its key store.
keys="$data/keys"
mkdir -p "$keys" && chmod 700 "$keys"
[ -s "$keys/kek" ] || bin/central data-key new-kek --out "$keys/kek" >/dev/null
[ -s "$keys/audit.key" ] || bin/central audit-key new --out "$keys/audit.key" >/dev/null
# The admin commands below (enrol-code) take the same keys from the
# environment, so their audit records join the keyed chain.
export SAFEGUARD_KEK_FILE="$keys/kek" SAFEGUARD_AUDIT_KEY_FILE="$keys/audit.key"
bin/central serve --demo --db "$data/central.db" --addr "$addr" \
	--kek-file "$keys/kek" --audit-key-file "$keys/audit.key" --audit-witness "$keys/audit.witness" \
	>"$data/central.log" 2>&1 &
central=$!
trap 'kill $central 2>/dev/null; wait $central 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
	if curl -fsS "http://$addr/readyz" >/dev/null 2>&1; then break; fi
	kill -0 $central 2>/dev/null || { cat "$data/central.log"; exit 1; }
	sleep 0.2
done

cat <<MSG

Safeguard demo is running.
  Central system:  http://$addr   (log: $data/central.log)
  Officer:         officer1 / safeguard-demo   (then choose a 6-digit PIN)
  Supervisor:      sergeant1 / safeguard-demo
  Trainer:         trainer1 / safeguard-demo
  Administrator:   admin / safeguard-demo
  The tablet is enrolled with a one-time code made for it.
  Another role: SAFEGUARD_ROLE=supervisor make run (or trainer).
Close the window to stop everything. If the window ever fails, the
central system keeps running and this script says how to reopen the app.
MSG

args=(-role "$role" -server "http://$addr" -data "$data/device")
if [ "$role" = officer ] && [ ! -e "$data/device/device.json" ]; then
	code=$(bin/central enrol-code --db "$data/central.db" --team team-a | sed -n 's/^enrolment code for team [^:]*: \([A-Z0-9-]*\) .*/\1/p')
	[ -n "$code" ] || { echo "could not make an enrolment code"; exit 1; }
	args+=(-enrol-code "$code")
fi
# The app's exit must not take the central system down: a window that
# fails leaves the server (and every answer saved on the tablet) in place.
rc=0
if [ -n "${DISPLAY:-}" ]; then
	bin/safeguard "${args[@]}" || rc=$?
else
	echo "(no display: the window runs under Xvfb; set DISPLAY to see it)"
	xvfb-run -a -s "-screen 0 1280x800x24" bin/safeguard "${args[@]}" || rc=$?
fi
if [ "$rc" -ne 0 ]; then
	reopen="bin/safeguard -role $role -server http://$addr -data $data/device"
	[ -n "${DISPLAY:-}" ] || reopen="xvfb-run -a -s '-screen 0 1280x800x24' $reopen"
	if [ "$rc" -eq 3 ]; then
		echo
		echo "The window hit a fault; it was caught and logged without child data (log: above)."
	fi
	cat <<MSG

The app stopped (exit code $rc). Everything answered is saved on the tablet.
The central system is still running at http://$addr (log: $data/central.log).
Reopen the app from another terminal with:
  $reopen
Press Ctrl+C here to stop the central system.
MSG
	wait $central || true
fi
