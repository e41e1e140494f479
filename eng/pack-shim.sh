#!/usr/bin/env bash
# Rebuilds eng/packages/patched.distributedlock.core.1.0.11.nupkg from its nuspec.
# A nupkg is a zip holding the nuspec at its root; nothing else is needed for a dependency-only package.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
cp "$here/Patched.DistributedLock.Core/Patched.DistributedLock.Core.nuspec" "$work/"
(cd "$work" && python3 -c "
import zipfile
with zipfile.ZipFile('out.nupkg','w',zipfile.ZIP_DEFLATED) as z:
    z.write('Patched.DistributedLock.Core.nuspec')
")
mv "$work/out.nupkg" "$here/packages/patched.distributedlock.core.1.0.11.nupkg"
rm -rf "$work"
