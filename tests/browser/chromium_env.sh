# shellcheck shell=bash
# Sourced (not run) by the shell tests that use headless Chromium — tests/browser/site_check.sh,
# tests/browser/web_e2e.sh, tests/ofd/ofd_js_check.sh: the one place that finds the browser and
# the tools, installs npm packages into the build folder, and makes the work folder.
# Every tool is installed by `scripts/setup --test`, so a missing one fails the test (exit 1)
# rather than skipping it.

# Sets `chromium` to Debian's headless-capable browser; each further argument is a tool that
# must be on PATH too (node, npm, pdftoppm, ...).
require_browser_tools() {
  chromium=$(command -v chromium || command -v chromium-browser || true)
  [ -n "$chromium" ] || { echo "FAIL: chromium is needed (scripts/setup --test installs it)"; exit 1; }
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is needed (scripts/setup --test installs it)"; exit 1; }
  done
}

# npm_install FOLDER PACKAGE@VERSION...: installs the packages into FOLDER/node_modules (under the
# build folder, never committed) unless every one is there already. Each test has its own
# folder: ctest may run them at the same time, and two npm installs must not share one.
npm_install() {
  local modules=$1 spec
  shift
  for spec in "$@"; do
    if [ ! -d "$modules/node_modules/${spec%@*}" ]; then
      mkdir -p "$modules"
      npm install --prefix "$modules" --no-audit --no-fund --loglevel=error "$@" >/dev/null || {
        echo "FAIL: npm could not install $*"
        exit 1
      }
      return 0
    fi
  done
}

# make_work_dir NAME: sets `work` to a new folder under TMPDIR, removed on exit unless
# JIXIAO_KEEP_BROWSER_OUTPUT is set (then its path is printed). A test with more to stop on
# exit (a server) defines on_exit, which runs first.
make_work_dir() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  if [ -z "${JIXIAO_KEEP_BROWSER_OUTPUT:-}" ]; then
    trap 'if declare -F on_exit >/dev/null; then on_exit; fi; rm -rf "$work"' EXIT
  else
    trap 'if declare -F on_exit >/dev/null; then on_exit; fi' EXIT
    echo "output kept in $work"
  fi
}
