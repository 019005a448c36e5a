#!/usr/bin/env bash
# Prints the path of a Python 3.12+ interpreter, looking on PATH first and then in pyenv.
# Exits 1 with advice when there is none.
set -u
ok() { "$@" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
for cand in "${PYTHON:-}" python3.12 python3.13 python3; do
  [ -n "$cand" ] || continue
  if command -v "$cand" >/dev/null 2>&1 && ok "$cand"; then
    "$cand" -c 'import sys; print(sys.executable)'; exit 0
  fi
done
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])' | sort -V); do
    exe="$(pyenv root)/versions/$v/bin/python3"
    if [ -x "$exe" ] && ok "$exe"; then echo "$exe"; exit 0; fi
  done
fi
cat >&2 <<'MSG'
No Python 3.12 or newer was found on PATH or in pyenv.
Install one, e.g. `pyenv install 3.12` or `apt-get install python3.12 python3.12-venv`,
or point at one with `make install PYTHON=/path/to/python3.12`.
MSG
exit 1
