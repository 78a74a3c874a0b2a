# Debian's Chromium for the browser tests: sourced by scripts/test.

chromium_path() {
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
}

chromium_install_if_root() {
  [ -n "$(chromium_path)" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Chromium from Debian's packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}
