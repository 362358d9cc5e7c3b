#!/usr/bin/env bash
# Takes the README's screenshots from the real window under Xvfb.
# Needs: apt-get install -y xvfb imagemagick xdotool libgl1-mesa-dri
# Usage: scripts/screenshots.sh [out-dir]   (builds the debug binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}
mkdir -p "$out" && mkdir -p -m700 /tmp/xdg-shots
cargo build -q
db=$(mktemp -d)/demo.sqlite3
pw=$(./target/debug/telemercadeo --db "$db" --json demo | python3 -c 'import json,sys; print(json.load(sys.stdin)["password"])')
export DISPLAY=${SHOT_DISPLAY:-:98} XDG_RUNTIME_DIR=/tmp/xdg-shots
Xvfb "$DISPLAY" -screen 0 1366x768x24 >/dev/null 2>&1 & xvfb=$!
sleep 1
app=""
trap 'kill $app $xvfb 2>/dev/null || true' EXIT
shot() { sleep 1.2; /usr/bin/import -window root "$out/$1.png"; }
click() { xdotool mousemove "$1" "$2"; sleep 0.3; xdotool click 1; sleep 0.4; }
start() {
  ./target/debug/telemercadeo --db "$db" >/dev/null 2>&1 & app=$!
  sleep 3
  xdotool windowfocus --sync "$(xdotool search --name Telemercadeo | head -1)"
  xdotool windowsize --sync "$(xdotool search --name Telemercadeo | head -1)" 1366 768
  sleep 0.5
}
login() { # user — the login field has the focus on the login screen
  xdotool type --delay 30 "$1"; xdotool key Tab; xdotool type --delay 30 "$pw"; xdotool key Return
}
start
shot 01-ingreso
login mcastro
click 100 440           # the late brief
shot 10-solicitudes-jefe
click 150 53            # Estrategias
click 100 170           # the brief to decide
shot 11-estrategias-jefe
click 100 265           # the brief whose strategy is being defined
shot 16-estrategia-en-definicion
kill $app; wait $app 2>/dev/null || true
start
login lgomez
shot 12-solicitudes-profesional
click 150 53            # Estrategias
click 100 170           # the assigned strategy
shot 13-estrategias-profesional
click 250 53            # Guiones
click 100 130
shot 14-guiones
click 340 53            # Campañas
click 100 170
shot 15-campanas
click 640 167           # Contactos
shot 18-contactos
click 750 167           # Distribución
shot 19-distribucion
click 545 167           # Cargar base
shot 20-cargar-base
kill $app; wait $app 2>/dev/null || true
start
login posgrados
click 320 106           # Nueva solicitud
shot 17-nueva-solicitud
kill $app; wait $app 2>/dev/null || true
start
login aperez
shot 05-auxiliar
echo "screenshots in $out"
