#!/usr/bin/env bash
# Browser test of `jixiao serve`: a real headless chromium, driven by puppeteer-core (installed
# by this script from npm into the build folder, never committed), logs in, uploads the sample
# exports, sees the 20 errors of samples/broken, runs the county sample, downloads a
# department's zip and checks its entries, sees a letter voided and reissued on the command line,
# records and closes a 整改; as an admin adds a user,
# previews and publishes; checks that staff and viewers are refused what is not theirs; takes
# screenshots of every page at 1366 × 768 and 390 × 844. The server stops by itself (timeout) whatever happens.
#
# Usage: web_e2e.sh JIXIAO_BINARY SOURCE_DIR BUILD_DIR
# JIXIAO_KEEP_BROWSER_OUTPUT=1 keeps the data folder and the screenshots.
set -uo pipefail

jixiao=$1
source_dir=$2
build_dir=$3
# shellcheck source=tests/browser/chromium_env.sh
. "$source_dir/tests/browser/chromium_env.sh"

require_browser_tools node npm
modules="$build_dir/web-e2e-node"
npm_install "$modules" puppeteer-core@22.8.2
server=""
# Called by make_work_dir's exit trap: the server stops whatever happens.
on_exit() { [ -z "$server" ] || kill "$server" 2>/dev/null; }
make_work_dir jixiao-web-e2e
data="$work/data"
printf '%s\n' 'clerk-password' | "$jixiao" user add clerk --role staff --data "$data" --password-stdin >/dev/null || exit 1
printf '%s\n' 'boss-password' | "$jixiao" user add boss --role admin --data "$data" --password-stdin >/dev/null || exit 1

# A free loopback port: let the kernel pick one, then hand it to the server.
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});')
timeout 600 "$jixiao" serve --data "$data" --listen "127.0.0.1:$port" --jobs 2 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do
  if node -e "require('http').get('http://127.0.0.1:$port/',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"; then
    break
  fi
  sleep 0.2
done

NODE_PATH="$modules/node_modules" CHROMIUM="$chromium" BASE="http://127.0.0.1:$port" SOURCE="$source_dir" OUT="$work" \
  JIXIAO="$jixiao" DATA="$data" \
  timeout 500 node "$source_dir/tests/browser/web_e2e.js"
status=$?
[ $status -eq 0 ] || { echo "--- server log"; cat "$work/serve.log"; }
exit $status
