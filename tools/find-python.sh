#!/usr/bin/env bash
# Print the path of a Python interpreter of the given minor version (e.g. 3.10), or explain
# how to get one and exit 1. Looks at PATH, then pyenv, then the usual install folders.
set -u
want="$1"
check() { [ -x "$1" ] && [ "$("$1" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")' 2>/dev/null)" = "$want" ]; }
for candidate in "$(command -v "python$want" 2>/dev/null)" \
                 $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$want".*/bin/python"$want" 2>/dev/null | sort -V -r) \
                 /usr/bin/python"$want" /usr/local/bin/python"$want"; do
  if [ -n "$candidate" ] && check "$candidate"; then echo "$candidate"; exit 0; fi
done
cat >&2 <<MSG
No encontré Python $want, que necesita ${2:-este proyecto}.
Instálalo con pyenv:   pyenv install $want   (o: apt-get install python$want python$want-venv)
y vuelve a correr el comando.
MSG
exit 1
