# Shared by the CLI end-to-end scripts: a scratch folder removed on exit, and check() counting
# passes and failures. Source it after setting BIN and SRC; end with `finish`.
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
check() {  # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $name"; fi
}
