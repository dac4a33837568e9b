#!/usr/bin/env bash
# Installs the pinned Claude Code CLI into the taskq cache (once) and prints the binary's absolute path
# as the last line of stdout. Env: CLAUDE_CODE_VERSION (default 2.1.197), TASKQ_CACHE (default ~/.cache/taskq).
set -euo pipefail

version="${CLAUDE_CODE_VERSION:-2.1.197}"
cache="${TASKQ_CACHE:-$HOME/.cache/taskq}"
prefix="$cache/claude-code/$version"
bin="$prefix/node_modules/.bin/claude"
package_dir="$prefix/node_modules/@anthropic-ai/claude-code"

works() { "$bin" --version >/dev/null 2>&1; }

if [ -x "$bin" ] && works; then
  echo "$bin"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "install-claude: npm not found, installing nodejs and npm with apt-get" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-claude: need root to apt-get install nodejs npm (or install npm yourself)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq nodejs npm >&2
fi

echo "install-claude: installing @anthropic-ai/claude-code@$version into $prefix" >&2
mkdir -p "$prefix"
npm install --prefix "$prefix" --save-exact --no-audit --no-fund --loglevel=error \
  "@anthropic-ai/claude-code@$version" >&2

# Newer npm may skip the package's postinstall, which swaps bin/claude.exe for the native binary.
if ! works && [ -f "$package_dir/install.cjs" ]; then
  (cd "$package_dir" && node install.cjs) >&2
fi

if ! works; then
  echo "install-claude: $bin does not run after installing; see the npm output above" >&2
  exit 1
fi
echo "$bin"
