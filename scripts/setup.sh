#!/usr/bin/env bash
# Installs the Debian 12 packages Latch needs to build, run and test.
# Idempotent: packages already present are skipped, and apt is not touched when nothing is missing.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # shared + server
  libprotobuf-dev protobuf-compiler libboost1.74-dev libssl-dev libsodium-dev
  libsqlite3-dev libspdlog-dev libfmt-dev libcli11-dev libyaml-cpp-dev nlohmann-json3-dev
  # mail intake: GMime 3 parses incoming e-mail (MIME, RFC 2047, charsets) for latch_intake_mail
  libgmime-3.0-dev
  # triage: fastText (supervised text classification) suggests case types
  libfasttext-dev
  # plugins: outgoing HTTP(S) to Stripe, Slack and internal APIs; Python 3 for the example
  # external plugin and the test plugins
  libcurl4-openssl-dev python3
  # Qt (Qt Test drives every suite; the desktop app builds on the same Qt)
  qt6-base-dev qt6-base-dev-tools libgl-dev qt6-qpa-plugins qt6-websockets-dev
  # desktop app: Qt Quick + Controls (each QML module is its own package), the encrypted replica,
  # the OS keychain and translations
  qt6-declarative-dev qt6-declarative-dev-tools qml6-module-qtquick qml6-module-qtquick-controls
  qml6-module-qtquick-templates qml6-module-qtquick-layouts qml6-module-qtquick-window
  qml6-module-qtqml-workerscript qml6-module-qtquick-dialogs
  libsqlcipher-dev qtkeychain-qt6-dev qt6-l10n-tools qt6-tools-dev libxkbcommon-dev
  # desktop app tests: a private session bus, and a real Secret Service for the keychain path
  # (qtkeychain loads libsecret at run time; gnome-keyring-daemon answers it)
  dbus-daemon gnome-keyring libsecret-1-0
  # web form tests: the refund form in real headless Chromium, driven through chromedriver's
  # WebDriver API (tests/intake/formbrowsertest.cpp fails, naming them, when they are missing)
  chromium chromium-driver
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
