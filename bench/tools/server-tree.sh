#!/bin/sh
# Prepare a runnable server tree of an older commit, for `parley bench … --server-root DIR`:
#   bench/tools/server-tree.sh <commit> <dir>
# The tree is exported with `git archive` (the checkout itself is not touched) and shares this
# checkout's node_modules, except the workspace links (@parley/*), which point into the export.
set -eu
commit="$1"
dir="$2"
root="$(git rev-parse --show-toplevel)"
mkdir -p "$dir"
git -C "$root" archive "$commit" | tar -x -C "$dir"
mkdir -p "$dir/node_modules/@parley"
for entry in "$root"/node_modules/* "$root"/node_modules/.bin; do
  name="$(basename "$entry")"
  [ "$name" = "@parley" ] && continue
  ln -sfn "$entry" "$dir/node_modules/$name"
done
for package in "$dir"/packages/*; do
  ln -sfn "$package" "$dir/node_modules/@parley/$(basename "$package")"
done
echo "server tree of $commit ready in $dir"
