#!/usr/bin/env bash
# Builds the Debian package with CPack and checks it as an administrator would meet it: the
# file name, the control data (Depends computed by dpkg-shlibdeps, the maintainer scripts),
# the files it installs; then unpacks it into a scratch root and runs the sample county from
# the installed paths (<root>/usr/bin/jixiao, data found at <root>/usr/share/jixiao), whose
# documents must be byte-identical to those of the program in the build tree (lock files and the
# history store aside); and verifies the systemd units with systemd-analyze.
#
# Usage: package_check.sh BUILD_DIR JIXIAO_BINARY VERSION
set -uo pipefail

build=$1
built_jixiao=$2
version=$3

work=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

if ! cpack --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"
  echo "FAIL: cpack could not build the package"
  exit 1
fi
deb="$work/pkg/jixiao_${version}_amd64.deb"
if [ ! -f "$deb" ]; then
  ls "$work/pkg"
  echo "FAIL: cpack did not write jixiao_${version}_amd64.deb"
  exit 1
fi
echo "package: $(basename "$deb"), $(du -h "$deb" | cut -f1)"

# Control data.
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = jixiao ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', expected $version"
[ "$(field Architecture)" = amd64 ] || fail "Architecture is '$(field Architecture)'"
depends=$(field Depends)
echo "Depends: $depends"
for lib in adduser libc6 'libstdc++6' libhpdf libxlsxwriter libpocofoundation libpocoutil libpocodatasqlite libpococrypto zlib1g; do
  case ", $depends" in
    *", $lib"*) ;;
    *) fail "Depends lacks $lib" ;;
  esac
done
dpkg-deb --ctrl-tarfile "$deb" | tar -t >"$work/control.txt"
for script in postinst prerm postrm; do
  grep -qx "./$script" "$work/control.txt" || fail "the package has no $script"
done
mkdir -p "$work/control"
dpkg-deb -e "$deb" "$work/control"
for script in postinst prerm postrm; do
  [ -x "$work/control/$script" ] || fail "$script is not executable"
  sh -n "$work/control/$script" || fail "$script is not valid sh"
done

# Files.
dpkg-deb -c "$deb" | awk '{print $6}' >"$work/files.txt"
for path in ./usr/bin/jixiao ./usr/share/jixiao/templates/rules/national-2020.json \
            ./usr/share/jixiao/templates/project-table/layout.json ./usr/share/jixiao/templates/project-table/form.json \
            ./usr/share/jixiao/fonts/README.md \
            ./usr/share/jixiao/samples/county/dataset.json ./usr/share/jixiao/publish.conf.example \
            ./usr/share/doc/jixiao/README.md ./usr/lib/systemd/system/jixiao-serve.service \
            ./usr/lib/systemd/system/jixiao-publish.service ./usr/lib/systemd/system/jixiao-publish.timer; do
  grep -qx "$path" "$work/files.txt" || fail "the package does not install $path"
done
grep -q -e '^\./usr/share/jixiao/fonts/.*\.tt[cf]$' "$work/files.txt" || fail "the package installs no font"
if grep -v -e '^\./usr/' -e '^\./$' "$work/files.txt"; then fail "the package installs outside /usr (above)"; fi

# The sample county from the installed paths, as `apt install ./jixiao_….deb` leaves them.
root="$work/root"
dpkg -x "$deb" "$root"
jixiao="$root/usr/bin/jixiao"
sample="$root/usr/share/jixiao/samples/county"
version_text=$(env -u JIXIAO_DATA "$jixiao" --version)
echo "$version_text"
case "$version_text" in
  "jixiao $version"*) ;;
  *) fail "--version says '$version_text'" ;;
esac
env -u JIXIAO_DATA "$jixiao" check "$sample" >"$work/check.txt" 2>&1
status=$?
[ "$status" -eq 0 ] || { cat "$work/check.txt"; fail "check of the installed sample exited $status"; }
env -u JIXIAO_DATA "$jixiao" run "$sample" -o "$work/installed" --date 2025-03-05 --jobs 2 >"$work/run.txt" 2>&1
status=$?
[ "$status" -eq 0 ] || { cat "$work/run.txt"; fail "run of the installed sample exited $status"; }
[ -f "$work/installed/manifest.json" ] || fail "the installed run wrote no manifest.json"
pdfs=$(find "$work/installed" -name '*.pdf' | wc -l)
echo "installed run: $pdfs PDF files, $(find "$work/installed" -name '*.xlsx' | wc -l) XLSX files"
[ "$pdfs" -gt 0 ] || fail "the installed run wrote no PDF"
env -u JIXIAO_DATA "$built_jixiao" run "$sample" -o "$work/built" --date 2025-03-05 --jobs 2 >/dev/null 2>&1
if ! diff -r -x '.*' -x 'jixiao-history.db*' "$work/installed" "$work/built" >"$work/diff.txt"; then
  head -20 "$work/diff.txt"
  fail "the installed program's documents differ from the build tree's"
fi

# The systemd units as packaged, with /usr/bin/jixiao pointed at the unpacked program.
if command -v systemd-analyze >/dev/null 2>&1; then
  units="$work/units"
  mkdir -p "$units"
  for unit in jixiao-serve.service jixiao-publish.service jixiao-publish.timer; do
    sed "s#/usr/bin/jixiao#$jixiao#g" "$root/usr/lib/systemd/system/$unit" >"$units/$unit"
  done
  if ! systemd-analyze verify --man=no "$units/jixiao-serve.service" "$units/jixiao-publish.service" \
       "$units/jixiao-publish.timer" >"$work/verify.txt" 2>&1; then
    cat "$work/verify.txt"
    fail "systemd-analyze verify rejects the units"
  fi
  if [ -s "$work/verify.txt" ]; then cat "$work/verify.txt"; fail "systemd-analyze verify warns about the units"; fi
  # The hardening, scored by systemd itself: an exposure above 2.0 ("OK" ends there) fails.
  if ! systemd-analyze security --offline=yes --threshold=20 "$units/jixiao-serve.service" \
       "$units/jixiao-publish.service" >"$work/security.txt" 2>&1; then
    grep -e "Overall exposure" "$work/security.txt"
    fail "the units' hardening scores above 2.0 (systemd-analyze security)"
  fi
  grep -e "Overall exposure" "$work/security.txt"
else
  fail "systemd-analyze is not installed (scripts/setup --test installs systemd)"
fi

# In CI (a throwaway Debian 12 machine, as root) the package is also installed for real, so
# that the maintainer scripts run: the user, /var/lib/jixiao, /etc/jixiao/publish.conf, the
# enabled units; then purged again. Elsewhere the machine is left alone.
if [ "${CI:-}" = "true" ] && [ "$(id -u)" -eq 0 ] && ! dpkg-query -W jixiao >/dev/null 2>&1; then
  if dpkg -i "$deb" >"$work/dpkg.txt" 2>&1; then
    /usr/bin/jixiao check /usr/share/jixiao/samples/county >/dev/null 2>&1 || fail "/usr/bin/jixiao check of the sample failed"
    getent passwd jixiao >/dev/null || fail "postinst did not create the user jixiao"
    [ "$(stat -c %U:%a /var/lib/jixiao 2>/dev/null)" = "jixiao:750" ] || fail "/var/lib/jixiao is not jixiao's, mode 750"
    [ -f /etc/jixiao/publish.conf ] || fail "postinst did not write /etc/jixiao/publish.conf"
    [ -L /etc/systemd/system/timers.target.wants/jixiao-publish.timer ] || fail "postinst did not enable jixiao-publish.timer"
    dpkg --purge jixiao >>"$work/dpkg.txt" 2>&1 || fail "dpkg --purge jixiao failed"
    [ ! -e /etc/systemd/system/timers.target.wants/jixiao-publish.timer ] || fail "removal left jixiao-publish.timer enabled"
    [ ! -e /etc/jixiao/publish.conf ] || fail "purge left /etc/jixiao/publish.conf"
    [ -d /var/lib/jixiao ] || fail "purge deleted /var/lib/jixiao (data must be kept)"
    echo "installed with dpkg -i, checked, purged"
  else
    cat "$work/dpkg.txt"
    fail "dpkg -i could not install the package"
  fi
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "package checks passed"
