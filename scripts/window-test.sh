#!/usr/bin/env bash
# The real-window test: builds the officer's app with cgo (the real GLFW
# window), runs it under Xvfb against a real central system (bin/central
# serve --demo on a free loopback port, temporary SQLite), and drives it
# with real X events from xdotool (scripts/windowtest). Screenshots of every
# step go to artifacts/window/ (CI keeps the folder). Fails on a crash, a
# window that does not appear in time, or a blank screenshot.
#
# Environment:
#   WINDOW_SHOTS   where the screenshots go (default artifacts/window)
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=${LANG:-en_US.UTF-8}
shots=${WINDOW_SHOTS:-$PWD/artifacts/window}

need=(gcc libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev xvfb xauth imagemagick xdotool curl)
missing=()
for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing ${missing[*]}"
	SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "building the window (cgo; the first build takes about 5 minutes on 2 cores)"
mkdir -p bin
CGO_ENABLED=0 go build -o bin/central ./cmd/central
go build -o bin/safeguard .
CGO_ENABLED=0 go build -o bin/windowtest ./scripts/windowtest

tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

# A free display number and a free loopback port.
disp=""
for n in $(seq 90 140); do
	if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then disp=":$n"; break; fi
done
[ -n "$disp" ] || { echo "no free X display"; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
addr=127.0.0.1:$port

Xvfb "$disp" -screen 0 1920x1280x24 -nolisten tcp -noreset >"$tmp/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=$disp
for _ in $(seq 1 50); do timeout 2 xdpyinfo >/dev/null 2>&1 && break; sleep 0.2; done
timeout 2 xdpyinfo >/dev/null 2>&1 || { echo "Xvfb did not start"; cat "$tmp/xvfb.log"; exit 1; }

bin/central serve --demo --db "$tmp/central.db" --addr "$addr" >"$tmp/central.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS "http://$addr/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "http://$addr/readyz" >/dev/null || { echo "central system did not start"; cat "$tmp/central.log"; exit 1; }
code=$(bin/central enrol-code --db "$tmp/central.db" --team team-a | sed -n 's/^enrolment code for team [^:]*: \([A-Z0-9-]*\) .*/\1/p')
[ -n "$code" ] || { echo "no enrolment code"; exit 1; }

rm -rf "$shots"; mkdir -p "$shots" "$tmp/device"
rc=0
timeout 600 bin/windowtest -bin bin/safeguard -server "http://$addr" -data "$tmp/device" -shots "$shots" -enrol-code "$code" || rc=$?
cp "$tmp/central.log" "$shots/central.log" 2>/dev/null || true
if [ "$rc" -ne 0 ]; then
	echo "real-window test FAILED (rc $rc); screenshots and logs in $shots"
	exit "$rc"
fi
echo "real-window test passed; screenshots in $shots:"
ls "$shots"
